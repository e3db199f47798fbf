"""The legal deadlines the follow-up reminds about, each behind one small function.

Until the legal engine (``flows.law``) is on main, the periods come from ``deadlines.toml``
beside this module; each function is the only place its figure is read, so switching to the
engine is a change here and nowhere else. Periods in months end on the day with the same
number, or the month's last day when there is none (CPC 641). We show the unrolled last day:
acting by it is always safe even when a weekend would extend it (CPC 642).
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from flows.model import Case
from flows.money import Money


@dataclass(frozen=True)
class LegalDeadline:
    last_day: date
    article: str


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@cache
def _figures() -> dict[str, Any]:
    text = resources.files("flows.followup").joinpath("deadlines.toml").read_text("utf-8")
    return tomllib.loads(text)


def _period(jurisdiction: str, name: str) -> tuple[int, str, str] | None:
    """(value, unit, article) of a period, or None where the jurisdiction has no such rule."""
    entry = _figures().get(jurisdiction, {}).get(name)
    if entry is None:
        return None
    return int(entry["value"]), str(entry["unit"]), str(entry["article"])


def _after(jurisdiction: str, name: str, start: date) -> LegalDeadline | None:
    period = _period(jurisdiction, name)
    if period is None:
        return None
    value, unit, article = period
    months = value * 12 if unit == "years" else value
    return LegalDeadline(add_months(start, months), article)


# Order for payment (France: injonction de payer) -------------------------------------------
def order_service_deadline(case: Case, granted_on: date) -> LegalDeadline | None:
    """The order lapses unless served within 6 months (CPC 1411)."""
    return _after(case.jurisdiction, "order_for_payment_service", granted_on)


def opposition_deadline(case: Case, served_on: date) -> LegalDeadline | None:
    """The debtor may oppose within 1 month of service (CPC 1416)."""
    return _after(case.jurisdiction, "order_for_payment_opposition", served_on)


# Insolvency ----------------------------------------------------------------------------------
def proof_of_claim_deadline(case: Case) -> LegalDeadline | None:
    """2 months from the BODACC publication (R622-24)."""
    published = case.day("insolvency_date")
    return _after(case.jurisdiction, "proof_of_claim", published) if published else None


def revendication_deadline(case: Case) -> LegalDeadline | None:
    """Goods under retention of title: 3 months from the BODACC publication (L624-9)."""
    published = case.day("insolvency_date")
    return _after(case.jurisdiction, "revendication", published) if published else None


def revendication_answer_deadline(case: Case, sent_on: date) -> LegalDeadline | None:
    """Without the administrator's acceptance within 1 month, apply to the juge-commissaire
    within the following month (R624-13): the last day of that second month."""
    first = _after(case.jurisdiction, "revendication_answer", sent_on)
    return _after(case.jurisdiction, "revendication_answer", first.last_day) if first else None


def relief_deadline(case: Case) -> LegalDeadline | None:
    """A late claim may be let in by the juge-commissaire within 6 months (L622-26)."""
    published = case.day("insolvency_date")
    return _after(case.jurisdiction, "relief_from_foreclosure", published) if published else None


# Limitation ----------------------------------------------------------------------------------
def limitation_deadline(case: Case) -> LegalDeadline | None:
    """The earliest last day to sue over the case's invoices.

    Business debtor: from the due date (L110-4). Consumer: from the invoice date, the earliest
    plausible start (LEGAL_FACTS A5: warn well before rather than risk the later reading).
    """
    consumer = case.text("debtor_kind") == "consumer"
    name = "limitation_consumer" if consumer else "limitation_business"
    found: list[LegalDeadline] = []
    for invoice in case.invoices():
        start = invoice.issue_date if consumer or invoice.due_date is None else invoice.due_date
        deadline = _after(case.jurisdiction, name, start)
        if deadline is not None:
            found.append(deadline)
    return min(found, key=lambda d: d.last_day) if found else None


def interest_today(case: Case, today: date) -> Money | None:
    """Late interest accrued to ``today`` on the balance; None until the legal engine is here."""
    return None
