"""The legal deadlines the follow-up reminds about, read from the legal engine (``flows.law``).

Each deadline is behind one small function, so the timeline never touches a figure itself.
Periods in months end on the day with the same number, or on the month's last day when there
is none (CPC 641). We show the unrolled last day: acting by it is always safe, even when a
weekend would extend it (CPC 642).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flows.law import InvalidFacts, InvoiceFacts, Message, Rights, pack_for, tables
from flows.law.dates import add_months
from flows.law.from_case import insolvency_facts, invoice_facts
from flows.law.remedy_compare import limitation_close as rights_close
from flows.model import Case, Invoice
from flows.money import Money
from flows.vocabulary import Jurisdiction


@dataclass(frozen=True)
class LegalDeadline:
    """A legal deadline: reminders warn before ``last_day`` (acting by it is always safe); what
    may only happen once it has run out waits for ``ends``, the day it really ends when the law
    moves a deadline off a weekend or holiday (CPC 642)."""

    last_day: date
    article: str
    extended_to: date | None = None

    @property
    def ends(self) -> date:
        return self.extended_to or self.last_day


def _facts(case: Case, invoice: Invoice) -> InvoiceFacts | None:
    """The engine's view of one invoice (None while the answers contradict each other)."""
    try:
        return invoice_facts(case, invoice)
    except (InvalidFacts, ValueError):
        return None


@lru_cache(maxsize=4096)
def _rights(jurisdiction: str, facts: InvoiceFacts, on: date) -> Rights | None:
    # The timeline is recomputed several times a turn; the figures of one invoice on one day
    # do not change, so they are computed once.
    try:
        return pack_for(Jurisdiction(jurisdiction)).rights(facts, on)
    except (InvalidFacts, ValueError):
        return None


def _figure_months(case: Case, name: str, on: date) -> tuple[int, str] | None:
    if case.jurisdiction != "fr":
        return None  # the French procedure; Belgium and Quebec have their own
    found = tables.require("fr", name, on)
    return found.as_int, found.article


# Order for payment (France: injonction de payer) -------------------------------------------
def _months_after(case: Case, name: str, start: date) -> LegalDeadline | None:
    """A French procedural period in months (CPC 641), extended past a weekend or holiday
    (CPC 642)."""
    figure = _figure_months(case, name, start)
    if figure is None:
        return None
    last_day = add_months(start, figure[0])
    rolled = tables.holidays("fr").roll_forward(last_day)
    return LegalDeadline(last_day, figure[1], rolled if rolled != last_day else None)


def order_service_deadline(case: Case, granted_on: date) -> LegalDeadline | None:
    """The order lapses unless served within 6 months (CPC 1411)."""
    return _months_after(case, "order_for_payment_service_months", granted_on)


def legal_rate_increase(case: Case, enforceable_on: date) -> tuple[LegalDeadline, int] | None:
    """CMF L313-3: the legal rate rises by 5 points once 2 months have run from the day the
    decision became enforceable; the day it does, and the points."""
    start = _months_after(case, "judgment_rate_increase_months", enforceable_on)
    if start is None:
        return None
    points = tables.require("fr", "judgment_rate_increase_points", enforceable_on).as_int
    return start, points


def opposition_deadline(case: Case, served_on: date) -> LegalDeadline | None:
    """The debtor may oppose within 1 month of service (CPC 1416)."""
    return _months_after(case, "order_for_payment_opposition_months", served_on)


# Insolvency ----------------------------------------------------------------------------------
def _guide_deadlines(case: Case) -> dict[str, LegalDeadline]:
    facts = insolvency_facts(case)
    if facts is None:
        return {}
    guide = pack_for(Jurisdiction(case.jurisdiction)).insolvency(facts)
    found = {"proof_of_claim": guide.proof_of_claim}
    if guide.revendication is not None:
        found["revendication"] = guide.revendication
    for other in guide.other_deadlines:  # FR relief from foreclosure, BE late claims
        if other.what.key.endswith((".relief", ".late_claims")):
            found["relief"] = other
    return {name: LegalDeadline(d.last_day, d.source.article, d.extended_to)
            for name, d in found.items() if d.last_day is not None}


def proof_of_claim_deadline(case: Case) -> LegalDeadline | None:
    """France: 2 months from the BODACC publication (R622-24); Belgium: the date the judgment
    sets (unknown to us, so no reminder)."""
    return _guide_deadlines(case).get("proof_of_claim")


def revendication_deadline(case: Case) -> LegalDeadline | None:
    """Goods under retention of title: 3 months from the BODACC publication (L624-9)."""
    return _guide_deadlines(case).get("revendication")


def revendication_answer_deadline(case: Case, sent_on: date) -> LegalDeadline | None:
    """Without the administrator's acceptance within 1 month, apply to the juge-commissaire
    within the following month (R624-13): the last day of that second month."""
    figure = _figure_months(case, "revendication_answer_months", sent_on)
    if figure is None:
        return None
    return LegalDeadline(add_months(sent_on, 2 * figure[0]), figure[1])


def relief_deadline(case: Case) -> LegalDeadline | None:
    """A late claim may still be let in: France 6 months (L622-26), Belgium 1 year."""
    return _guide_deadlines(case).get("relief")


# Limitation ----------------------------------------------------------------------------------
def limitation_deadline(case: Case) -> LegalDeadline | None:
    """The earliest last day to sue over the case's invoices, as the legal engine counts it."""
    found: list[LegalDeadline] = []
    for invoice in case.invoices():
        facts = _facts(case, invoice)
        if facts is None:
            continue
        rights = _rights(case.jurisdiction, facts, max(invoice.issue_date,
                                                       invoice.due_date or invoice.issue_date))
        if rights is not None:
            found.append(LegalDeadline(rights.limitation.last_day,
                                       rights.limitation.source.article))
    return min(found, key=lambda d: d.last_day) if found else None


def limitation_close(case: Case, on: date) -> bool:
    """Whether some invoice of the case is weeks from being time-barred on ``on``: only a
    served summons or a signed acknowledgement stop the clock in time."""
    for invoice in case.invoices():
        facts = _facts(case, invoice)
        rights = _rights(case.jurisdiction, facts, max(on, invoice.issue_date)) if facts else None
        if rights is not None and rights_close(rights, on):
            return True
    return False


def limitation_acts(case: Case) -> tuple[Message, ...]:
    """What interrupts limitation in the case's jurisdiction, as the rights' details list it."""
    for invoice in case.invoices():
        facts = _facts(case, invoice)
        rights = None if facts is None else _rights(case.jurisdiction, facts, invoice.issue_date)
        if rights is not None:
            return rights.limitation.interrupted_by
    return ()


def interest_today(case: Case, today: date) -> Money | None:
    """Late interest accrued to ``today`` on what is still owed (None if it cannot be said)."""
    total = Money.zero(case.currency)
    for invoice in case.invoices():
        facts = _facts(case, invoice)
        rights = _rights(case.jurisdiction, facts, today) if facts else None
        if rights is None or rights.interest.currency != total.currency:
            return None
        total = total + rights.interest
    return total


# Not yet due ---------------------------------------------------------------------------------
def first_due_ahead(case: Case, today: date) -> date | None:
    """The earliest due date still ahead among invoices not yet payable (nothing can be
    demanded before it, C. civ. 1305-2), or None when every invoice is already due."""
    ahead: list[date] = []
    for invoice in case.invoices():
        facts = _facts(case, invoice)
        on = max(today, invoice.issue_date)
        rights = _rights(case.jurisdiction, facts, on) if facts else None
        if rights is not None and rights.not_yet_due:
            ahead.append(rights.payment_term.effective_due)
    return min(ahead, default=None)
