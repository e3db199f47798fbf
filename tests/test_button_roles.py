"""Buttons that go back, keep an answer, open "other number" or compare remedies carry a role,
and the role survives the trip through Telegram's callback data and back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.telegram_view import callback_data, keyboard, press_from
from flows.conversation import Button, Press, Prompt, Role
from testing.driver import FRENCH_BUSINESS_CASE, Driver

ROOT = Path(__file__).resolve().parent.parent
PROMPT = Prompt("c1", "reminders_sent", "How many?", (
    Button("1", "1"), Button("2", "2"), Button("", "Other number", Role.OTHER_NUMBER),
    Button("", "Keep", Role.KEEP), Button("", "Back", Role.BACK)))


def test_every_button_comes_back_as_the_press_it_stands_for() -> None:
    for button in PROMPT.buttons:
        assert press_from(callback_data(PROMPT, button)) == Press(
            "c1", "reminders_sent", button.value, button.role)


def test_keyboards_already_sent_keep_working() -> None:
    # The marks sent before buttons had roles are the ones sent now.
    assert press_from("c1:q:__back") == Press("c1", "q", "", Role.BACK)
    assert press_from("c1:q:__keep") == Press("c1", "q", "", Role.KEEP)
    assert press_from("c1:q:fr") == Press("c1", "q", "fr", Role.ANSWER)


def test_role_buttons_get_a_row_of_their_own() -> None:
    markup = keyboard(PROMPT)
    assert markup is not None
    rows = [[b.text for b in row] for row in markup.inline_keyboard]
    assert rows == [["1", "2"], ["Other number"], ["Keep"], ["Back"]]


def test_typing_the_other_number_label_asks_for_the_number() -> None:
    d = Driver()
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="reminders_sent")
    reply = d.say("Autre nombre")
    assert d.prompt.key == "reminders_sent"
    assert reply.messages == ["Écrivez le nombre, entre 0 et 99."], reply.messages
    assert "reminders_sent" not in d.case.answers


def _marks_in(folder: str) -> list[str]:
    """String constants such as "__back" (a double underscore, no closing one) in the sources."""
    return [f"{path.relative_to(ROOT)}:{node.lineno}"
            for path in sorted((ROOT / folder).rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and re.fullmatch(r"__[a-z_]+", node.value) and not node.value.endswith("__")]


def test_the_brain_gives_roles_and_only_telegram_writes_marks() -> None:
    # The marks are Telegram's callback data (bot/telegram_view.py); a value in flows/ that
    # stands for a role would be a second way of saying what ``Role`` says.
    assert _marks_in("flows") == []
    in_bot = _marks_in("bot")
    assert in_bot, "the reader finds the marks where they are"
    assert {mark.split(":")[0] for mark in in_bot} == {"bot/telegram_view.py"}
