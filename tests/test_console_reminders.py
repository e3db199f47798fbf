"""Reminders in the console chat (`python -m bot chat`), from the schedule Telegram follows:
shown at start when due, shown while the console waits for input, never shown twice."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flows import followup
from testing.console import ConsoleProcess, run_console
from testing.stored import load_account, save_account
from tests.followup_cases import FORMAL_DEMAND, NOW, followed

USER = "console"  # the console's user unless --user names another
# The formal demand of 23/11/2026 gave 8 days: its check is due on 02/12 at 9:00, Paris time.
REMINDER = "Le délai donné dans votre mise en demeure a pris fin le 1er décembre 2026"


def seed(data_dir: Path) -> None:
    driver = followed(FORMAL_DEMAND, chat_id=USER)
    followup.refresh(driver.account, NOW)
    save_account(data_dir, driver.account)


def reminders(data_dir: Path) -> list[dict[str, Any]]:
    account = load_account(data_dir, USER)
    assert account is not None
    return list((account.cases[0].followup or {})["reminders"])


def test_a_reminder_due_at_start_is_shown_before_the_prompt_once_and_never_again(
        data_dir: Path) -> None:
    seed(data_dir)
    first = run_console(data_dir, [], now="2026-12-02T09:30:00")
    assert first.count(REMINDER) == 1
    assert first.index(REMINDER) < first.index("> ")  # before the user is asked anything
    assert "   1. ✅ Payé" in first[first.index(REMINDER):]  # with its choices, numbered
    assert reminders(data_dir)[0]["status"] == "sent"
    again = run_console(data_dir, [], now="2026-12-02T10:00:00")  # restarted later
    assert REMINDER not in again


def test_a_reminder_falling_due_while_the_console_waits_is_shown_and_answered(
        data_dir: Path, tmp_path: Path) -> None:
    seed(data_dir)
    console = ConsoleProcess(data_dir, tmp_path / "clock", datetime(2026, 12, 2, 8, 0))
    try:
        console.wait_for("> ")
        assert REMINDER not in console.output  # not due yet: the user is at the prompt
        console.set_time(datetime(2026, 12, 2, 9, 0, 1))
        shown = console.wait_for(REMINDER)
        # Only the output before the reminder: the prompt asked again after it may have come
        # in the same read.
        assert shown[:shown.index(REMINDER)].count("> ") == 1  # shown while waiting, no line typed
        assert "> \n❓ 🔔 ACME Rénovation SARL" in shown  # on a line of its own
        console.wait_for("> ", count=2)  # then the user is asked again
        console.type("1")  # the input still works, and its number picks the reminder's choice
        console.wait_for("> ", count=3)
        console.set_time(datetime(2026, 12, 2, 9, 30))
    finally:
        output = console.close()
    assert output.count(REMINDER) == 1
    after_reminder = output[output.index(REMINDER):].split("> ")
    assert after_reminder[1].startswith("🎉 Bravo, vous avez été payé !")  # its choice 1
    assert reminders(data_dir)[0]["status"] == "sent"
    assert REMINDER not in run_console(data_dir, [], now="2026-12-02T10:00:00")
