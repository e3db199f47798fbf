"""Belgium, consumer debtor: Book XIX of the Code of economic law, enforced (LEGAL_FACTS B2).

- The first reminder is free and is the formal demand; nothing (interest, damages, fees) may be
  charged before the 14-calendar-day period after it has run out. The period starts on the 3rd
  working day after a paper reminder is posted, or the day after an e-mail is sent.
- Late interest: the agreed rate, but never above the B2B rate of the 2002 law (a clause above
  it is void and only the legal rate is owed); without a clause, the legal rate. We start it
  the day after the 14 days run out, the reading that never charges too early.
- Damages: only if the terms provide them, capped by bracket of the amount due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flows.law import tables
from flows.law.common import Findings, period_message
from flows.law.facts import DemandChannel, InvoiceFacts
from flows.law.interest import RateChoice, accrue_until_paid
from flows.law.messages import Message, Percent, Source
from flows.law.rights import InterestPeriod
from flows.law.tables import Granularity
from flows.money import Money, to_cents

BE = "be"
BOOK_XIX = Source(
    "CDE livre XIX",
    "https://lex4u.com/nouvelles-regles-concernant-le-recouvrement-de-la-dette-du-consommateur/",
)
IN_FORCE_FOR_ALL_DEBTS = date(2023, 12, 1)


@dataclass(frozen=True)
class ConsumerCharges:
    periods: tuple[InterestPeriod, ...]
    explanation: Message
    indemnity: Money
    indemnity_explanation: Message


def first_chargeable_day(reminder: date, channel: DemandChannel, on: date) -> date:
    """The first day anything may be charged after the free first reminder."""
    grace = tables.require(BE, "consumer_grace_days", on).as_int
    if channel is DemandChannel.EMAIL:
        start = reminder + timedelta(days=1)
    else:
        working = tables.require(BE, "consumer_paper_start_working_days", on).as_int
        start = tables.holidays(BE).add_working_days(reminder, working)
    return start + timedelta(days=grace)


def damages_cap(debt: Decimal) -> Decimal:
    """The most a damages clause may claim from a consumer for a debt of ``debt``."""
    for bracket in tables.table(BE, "consumer_damages_cap"):
        if "up_to" not in bracket or debt <= Decimal(bracket["up_to"]):
            above = max(Decimal(0), debt - Decimal(bracket["above"]))
            cap = Decimal(bracket["fixed"]) + above * Decimal(bracket["percent"]) / 100
            if "max" in bracket:
                cap = min(cap, Decimal(bracket["max"]))
            return to_cents(cap)
    raise tables.LawDataError("be consumer_damages_cap has no open-ended last bracket")


def consumer_charges(
    invoice: InvoiceFacts, principal: Money, due: date, on: date, found: Findings
) -> ConsumerCharges:
    found.cite(BOOK_XIX)
    if due < IN_FORCE_FOR_ALL_DEBTS:
        found.warn("law.warning.be.book_xix_transition", due=due)
    cap = Money(damages_cap(principal.amount), principal.currency)
    fee = tables.require(BE, "consumer_further_reminder_fee", on)
    found.note("law.note.be.further_reminders", fee=Money(fee.value, fee.unit))
    nothing = Money.zero(principal.currency)
    reminder = invoice.demand_date
    if reminder is not None and reminder <= due:
        found.warn("law.warning.be.reminder_before_due", reminder=reminder, due=due)
        reminder = None
    if reminder is None:
        found.warn("law.warning.be.first_reminder_needed")
        why = Message.of("law.interest.be.consumer_no_reminder")
        return ConsumerCharges(
            (), why, nothing, Message.of("law.indemnity.be.consumer_waiting", cap=cap)
        )
    first = first_chargeable_day(reminder, invoice.demand_channel, on)
    if on < first:
        found.warn("law.warning.be.grace_running", reminder=reminder, first=first)
        why = Message.of("law.interest.be.consumer_grace", reminder=reminder, first=first)
        return ConsumerCharges(
            (), why, nothing, Message.of("law.indemnity.be.consumer_waiting", cap=cap)
        )
    choose = _rate_chooser(invoice, found)
    periods = accrue_until_paid(invoice, first, on, Granularity.HALF_YEAR, choose)
    why = Message.of("law.interest.be.consumer", reminder=reminder, start=first, on=on)
    indemnity, indemnity_why = _damages(invoice, cap, found)
    return ConsumerCharges(periods, why, indemnity, indemnity_why)


def _rate_chooser(invoice: InvoiceFacts, found: Findings) -> Callable[[date], RateChoice]:
    b2b = tables.rate_series("be_b2b_rate")
    legal = tables.rate_series("be_legal_rate")
    found.cite(legal.source("taux légal (C. civ.)"))

    def choose(day: date) -> RateChoice:
        if invoice.contract_rate is not None:
            cap_at = b2b.at(day)
            if invoice.contract_rate <= cap_at.rate:
                found.cap_checked(cap_at, "be_b2b_rate", Percent(invoice.contract_rate))
                basis = Message.of("law.basis.contract", rate=Percent(invoice.contract_rate))
                return RateChoice(invoice.contract_rate, basis)
            found.rate_used(cap_at, "be_b2b_rate")
            found.warn(
                "law.warning.be.consumer_rate_above_cap",
                rate=Percent(invoice.contract_rate),
                cap=Percent(cap_at.rate),
                period=period_message(cap_at.period),
            )
        legal_at = legal.at(day)
        found.rate_used(legal_at, "be_legal_rate")
        basis = Message.of("law.basis.be.legal_rate", period=period_message(legal_at.period))
        return RateChoice(legal_at.rate, basis, legal_at.provisional)

    return choose


def _damages(invoice: InvoiceFacts, cap: Money, found: Findings) -> tuple[Money, Message]:
    if invoice.contract_damages is None:
        return Money.zero(cap.currency), Message.of("law.indemnity.be.consumer_no_clause", cap=cap)
    asked = Money(invoice.contract_damages, cap.currency)
    if asked.amount > cap.amount:
        found.warn("law.warning.be.damages_capped", asked=asked, cap=cap)
        return cap, Message.of("law.indemnity.be.consumer_capped", asked=asked, cap=cap)
    return asked, Message.of("law.indemnity.be.consumer_clause", amount=asked, cap=cap)
