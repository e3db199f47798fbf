"""Cases at the follow-up stage, built by playing the journey as a user would."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.conversation import Press, Reply
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)

BEFORE_REMEDY = FRENCH_BUSINESS_CASE[:FRENCH_BUSINESS_CASE.index(("remedy",
                                                                   "press:formal_demand"))]
DETAILS = [
    ("creditor_name", "Jeanne Martin EI"),
    ("creditor_address", "12 rue des Lilas\n75011 Paris"),
    ("debtor_address", "4 avenue Foch\n69006 Lyon"),
    ("city", "Paris"),
]


# What the documents of each remedy ask (flows.documents.catalog), answered the same way every time;
# ``followed`` and ``answering`` answer these whenever the bot asks one.
DOCUMENT_ANSWERS = {
    "supply_description": "Refonte du site internet", "creditor_id": "press:none",
    "signatory": "press:self", "payment_details": "press:invoice",
    "last_reminder_date": "02/11/2026", "debtor_id": "press:unknown",
    "creditor_contact": "press:none", "proceedings": "press:fr_reorganisation",
    "insolvency_court": "Tribunal de commerce de Lyon", "judgment_date": "28/10/2026",
    "mj_name": "Me Claire Roux", "mj_address": "5 place Bellecour\n69002 Lyon",
    "rot_goods_list": "1 scie à format", "rot_clause": "Article 9 de nos CGV",
    "admin_name": "press:none", "creditor_is_person": "press:no",
    "demand_before_court": "05/11/2026", "plan_waive": "press:no",
}


def play(d: Driver, script: list[tuple[str, str]]) -> None:
    """``Driver.play``, answering on the way the documents' own questions."""
    for key, step in script:
        to_question(d, key)
        d.answer(step)


def to_question(d: Driver, key: str) -> None:
    """Answer the documents' questions until ``key`` is asked."""
    while d.prompt.key != key and d.prompt.key in DOCUMENT_ANSWERS:
        d.answer(DOCUMENT_ANSWERS[d.prompt.key])
    assert d.prompt.key == key, f"expected {key!r}, bot asks {d.prompt.key!r}"


def with_remedy(remedy: str, *details: tuple[str, str]) -> list[tuple[str, str]]:
    return [*BEFORE_REMEDY, ("remedy", f"press:{remedy}"), *DETAILS, *details,
            ("review", "press:generate")]


FORMAL_DEMAND = FRENCH_BUSINESS_CASE
PAYMENT_PLAN = with_remedy("payment_plan", ("plan_count", "press:3"),
                           ("plan_first_date", "15/12/2026"), ("plan_interval", "press:monthly"))
FRIENDLY = with_remedy("friendly_reminder")
COURT = with_remedy("court")


def followed(script: list[tuple[str, str]], lang: str = "fr", now: datetime = NOW,
             chat_id: str = "1001") -> Driver:
    """A driver whose case has just had its documents prepared."""
    d = Driver(lang=lang, now=now)
    d.account.chat_id = chat_id
    d.command("start")
    play(d, script)
    assert d.case.state == "followup", d.text_of_last()
    return d


def asked(answers: dict[str, str], key: str, lang: str = "fr", now: datetime = NOW) -> Driver:
    """A new chat that answers from ``answers`` (the documents' usual answers beneath) until
    the bot asks ``key``."""
    d = Driver(lang=lang, now=now)
    d.command("start")
    answers = {**DOCUMENT_ANSWERS, **answers}
    for _ in range(80):
        if d.prompt.key == key:
            return d
        d.answer(answers[d.prompt.key])
    raise AssertionError(f"{key!r} was never asked")


def documents_out(d: Driver, answers: dict[str, str]) -> None:
    """Answer whatever the bot asks from ``answers`` until the documents are out."""
    answers = {**DOCUMENT_ANSWERS, **answers}
    for _ in range(80):
        if d.case.state == "followup":
            return
        d.answer(answers[d.prompt.key])
    raise AssertionError(f"no documents; the bot asks {d.prompt.key!r}")


def answering(answers: dict[str, str], now: datetime = NOW) -> Driver:
    """A new chat whose documents are out, its questions answered from ``answers``."""
    d = Driver(now=now)
    d.command("start")
    documents_out(d, answers)
    return d


def insolvent(published: str, goods: bool = False) -> Driver:
    """A business in collective proceedings, BODACC publication on ``published``."""
    answers = dict(FRENCH_BUSINESS_CASE) | dict(DETAILS) | {
        "insolvency": "press:yes", "insolvency_date": published, "creditor_abroad": "press:no",
        "remedy": "press:insolvency_claim", "rot_goods": "press:yes",
        "supply": "press:goods" if goods else "press:services",
        "services_running": "press:no"}
    return answering(answers)


def reminders(d: Driver) -> list[dict[str, Any]]:
    return list((d.case.followup or {}).get("reminders", []))


def reminder(d: Driver, kind: str, index: int = 0) -> dict[str, Any]:
    found = [r for r in reminders(d) if r["kind"] == kind]
    assert found, f"no {kind} reminder in {[r['kind'] for r in reminders(d)]}"
    return found[index]


def press_reminder(d: Driver, action: str, record: dict[str, Any],
                   case_id: str | None = None) -> Reply:
    event = Press(case_id or d.case.id, "fu", f"{action}.{record['id']}")
    return d._record(turn(d.account, event, d.now))


def later(d: Driver, **delta: float) -> None:
    d.now = d.now + timedelta(**delta)
