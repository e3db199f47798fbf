"""A Belgian consumer's first reminder (CDE Book XIX): never fewer than 14 days, counted from the
third working day after posting, and one end date everywhere — the letter, the chat, the
follow-up, /reminders — with the reminder pushed by the real Telegram stack on that date only.

Worked example: the reminder is posted on Monday 23 November 2026. Working days after it:
Tue 24 (1), Wed 25 (2), Thu 26 (3) — the 14 days run from Thursday 26 November, so the first
day anything may be charged is 26/11 + 14 = 10 December and the last day to pay is 9 December.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from flows.conversation import Role
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.followup.timeline import StepKind, timeline
from testing.driver import Driver, plain
from testing.fakebot import FakeBotApi
from tests.followup_cases import DETAILS, DOCUMENT_ANSWERS, NOW, documents_out
from tests.test_reminders import Clock, reminders_to, running

BELGIAN_CONSUMER = {
    "jurisdiction": "press:be", "debtor_kind": "press:consumer",
    "debtor_name": "Luc Peeters", "invoice_number": "F-2026-042",
    "invoice_amount": "1 200,50 €", "issue_date": "15/09/2026", "due_date": "15/10/2026",
    "payments": "press:nothing", "another_invoice": "press:no", "supply": "press:services",
    "reminders_sent": "press:0", "rights_ack": "press:continue", "ev_contract": "press:yes",
    "ev_delivery": "press:yes", "ev_invoice_sent": "press:yes",
    "ev_written_reminders": "press:no", "disputed": "press:no",
    "debtor_responsive": "press:yes", "services_running": "press:no",
    "remedy": "press:formal_demand", "creditor_id": "0403.170.701",
    "contract_damages": "press:none", "periodic_billing": "press:no",
    "review": "press:generate", "deadline_days": "press:14",
    **dict(DETAILS),
    # Addresses of the country: a letter needs a Belgian postcode and town.
    "creditor_address": "Rue Royale 45\n1000 Bruxelles",
    "debtor_address": "Rue Neuve 3\n4000 Liège",
}
LAST_DAY = "9 décembre 2026"


def to_days_question(d: Driver) -> None:
    answers = {**DOCUMENT_ANSWERS, **BELGIAN_CONSUMER}
    d.command("start")
    for _ in range(60):
        if d.prompt.key == "deadline_days":
            return
        d.answer(answers[d.prompt.key])
    raise AssertionError("the days question never came")


def demand_sent(d: Driver) -> None:
    documents_out(d, BELGIAN_CONSUMER)


def test_the_chat_never_offers_a_belgian_consumer_fewer_than_14_days() -> None:
    d = Driver(now=NOW)
    to_days_question(d)
    offered = [b.value for b in d.prompt.buttons if b.role is Role.ANSWER]
    assert offered == ["14", "30"]
    assert "3e jour ouvrable" in d.prompt.buttons[0].label
    d.say("8")
    said = d.text_of_last()
    assert "au moins 14 jours" in said
    assert "livre XIX" in said
    assert d.prompt.key == "deadline_days"  # asked again, nothing lost
    d.press("8")  # a forged button is refused the same way
    assert d.prompt.key == "deadline_days"
    assert "deadline_days" not in d.case.answers


def test_letter_chat_follow_up_and_reminders_name_the_same_end_date() -> None:
    d = Driver(now=NOW)
    to_days_question(d)
    demand_sent(d)
    assert f"Le délai de paiement expire le {LAST_DAY}" in d.text_of_last()
    letter = next(job for job in d.last.documents if job.kind == "demand_letter")
    assert f"au plus tard le {LAST_DAY}" in plain(html_to_text(render_html(letter)))
    ended = [s for s in timeline(d.case) if s.kind is StepKind.DEMAND_ENDED]
    assert [(s.day.isoformat(), s.params["deadline"].isoformat()) for s in ended] == [
        ("2026-12-10", "2026-12-09")]
    menu = d.command("reminders").prompt
    assert menu is not None
    listed = plain(menu.text)
    assert f"délai de paiement terminé le {LAST_DAY} (Luc Peeters)" in listed
    assert "10 décembre 2026" in listed  # asked the day after the last day to pay


def chat_file(data_dir: Path, chat_id: int, account: dict[str, Any]) -> None:
    folder = data_dir / "chats" / str(chat_id)
    folder.mkdir(parents=True)
    stored = account | {"chat_id": str(chat_id)}
    (folder / "chat.json").write_text(json.dumps({"account": {"1": stored}},
                                                 ensure_ascii=False), "utf-8")


async def test_restarted_10_days_after_silent_20_days_after_the_next_step_comes(
        api: FakeBotApi, data_dir: Path) -> None:
    d = Driver(now=NOW)
    to_days_question(d)
    demand_sent(d)
    chat_file(data_dir, 611, d.account.to_json())
    clock = Clock(NOW + timedelta(days=10))
    async with running(api, data_dir, clock):
        pass
    assert reminders_to(api, 611) == []  # the period is still running: nothing said
    clock.now = NOW + timedelta(days=20)
    async with running(api, data_dir, clock):
        pass
    pushed = reminders_to(api, 611)
    assert len(pushed) == 1
    assert f"a pris fin le {LAST_DAY}" in plain(str(pushed[0].params["text"]))

