"""Telegram may deliver the same update twice (a retry after a timeout or a restart).

The second copy must change nothing: an answer typed once is stored once and never taken as
the answer to the next question, a /new opens one case, a button press counts once, and the
user is not shown the same question twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import TelegramUser, question_key, running_bot, settle

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))



def account(data_dir: Path, chat_id: int) -> dict[str, Any]:
    raw = json.loads((data_dir / "chats" / str(chat_id) / "chat.json").read_text("utf-8"))
    return dict(raw["account"]["1"])


def answers(data_dir: Path, chat_id: int) -> dict[str, Any]:
    data = account(data_dir, chat_id)
    case = next(c for c in data["cases"] if c["id"] == data["active_case"])
    return dict(case["answers"])


def questions_asked(api: FakeBotApi, chat_id: int, since: int = 0) -> list[str | None]:
    return [question_key(c) for c in api.calls()[since:]
            if c.method == "sendMessage" and c.params.get("chat_id") == chat_id
            and question_key(c) is not None]


async def answered_after(api: FakeBotApi, user: TelegramUser, text: str, mark: int) -> ApiCall:
    """Send a fresh update and wait for its answer: everything sent before has been handled."""
    api.send_text(user.chat_id, text)
    return await user.next_question(mark)


async def test_typed_answer_delivered_twice_is_stored_once_and_not_taken_for_the_next_one(
        api: FakeBotApi, data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"), until="debtor_name")
        mark = api.mark()
        update = api.send_text(user.chat_id, "ACME Rénovation SARL")
        assert question_key(await user.next_question(mark)) == "invoice_number"
        api.enqueue(update)  # the very same update, same update_id, again
        mark = api.mark()
        nxt = await answered_after(api, user, "F-2026-042", mark)
        assert question_key(nxt) == "invoice_amount"
        await settle()
        assert questions_asked(api, user.chat_id, mark) == ["invoice_amount"]
    stored = answers(data_dir, user.chat_id)
    assert stored["debtor_name"] == "ACME Rénovation SARL"
    assert stored["invoice_number"] == "F-2026-042"


async def test_copies_arriving_together_are_handled_once(api: FakeBotApi,
                                                         data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"), until="debtor_name")
        mark = api.mark()
        update = api.send_text(user.chat_id, "ACME Rénovation SARL")
        api.enqueue(update)
        api.enqueue(update)
        api.send_text(user.chat_id, "F-2026-042")
        await api.await_for_count(2, lambda c: c.method == "sendMessage"
                                  and question_key(c) is not None, since=mark, timeout=20)
        await settle()
        assert questions_asked(api, user.chat_id, mark) == ["invoice_number", "invoice_amount"]
    assert answers(data_dir, user.chat_id)["invoice_number"] == "F-2026-042"


async def test_new_case_command_delivered_twice_opens_one_case(api: FakeBotApi,
                                                               data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        await user.say("/start")
        await user.press("jurisdiction", "fr")  # a case with an answer: /new keeps it
        mark = api.mark()
        update = api.send_text(user.chat_id, "/new")
        await user.next_question(mark)
        opened = account(data_dir, user.chat_id)["active_case"]
        api.enqueue(update)
        await answered_after(api, user, "/help", mark)  # /help sends no question…
        await settle()
        assert questions_asked(api, user.chat_id, mark) == ["jurisdiction"]
    # The copy opened no case (it would have replaced the empty one /new opened).
    assert len(account(data_dir, user.chat_id)["cases"]) == 2
    assert account(data_dir, user.chat_id)["active_case"] == opened


async def test_button_press_delivered_twice_counts_once_and_its_spinner_stops(
        api: FakeBotApi, data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        mark = api.mark()
        data = first.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        press = api.press_button(user.chat_id, first.result["message_id"], data)
        assert question_key(await user.next_question(mark)) == "debtor_kind"
        api.enqueue(press)
        business = await user.press("debtor_kind", "business")
        assert question_key(business) == "debtor_name"
        await settle()
        assert questions_asked(api, user.chat_id, mark) == ["debtor_kind", "debtor_name"]
        # No toast about a stale button for the copy: it was simply acknowledged.
        toasts = [c.params.get("text") for c in api.calls()[mark:]
                  if c.method == "answerCallbackQuery"]
        assert toasts == [None, None, None]
        assert api.unanswered_callback_queries() == set()
    assert answers(data_dir, user.chat_id) == {"jurisdiction": "fr", "debtor_kind": "business"}


async def test_update_delivered_again_after_a_restart_is_not_handled_twice(
        api: FakeBotApi, data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"), until="debtor_name")
        mark = api.mark()
        update = api.send_text(user.chat_id, "ACME Rénovation SARL")
        await user.next_question(mark)
    # A new process, and Telegram hands out the update it never saw confirmed.
    api.enqueue(update)
    async with running_bot(api, data_dir, NOW):
        mark = api.mark()
        nxt = await answered_after(api, user, "F-2026-042", mark)
        assert question_key(nxt) == "invoice_amount"
        await settle()
        assert questions_asked(api, user.chat_id, mark) == ["invoice_amount"]
    stored = answers(data_dir, user.chat_id)
    assert (stored["debtor_name"], stored["invoice_number"]) == ("ACME Rénovation SARL",
                                                                "F-2026-042")
