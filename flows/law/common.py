"""Pieces every jurisdiction pack uses: collecting what we tell the user, dates, limitation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from flows.law import tables
from flows.law.dates import add_months, add_years, end_of_month
from flows.law.facts import InvalidFacts, InvoiceFacts, TermKind
from flows.law.interest import per_day
from flows.law.messages import Condition, Listing, Message, ParamValue, Percent, Source
from flows.law.rights import CourtRoute, InterestPeriod, Limitation, PaymentTerm, Rights
from flows.law.tables import Figure, Granularity, Period, RateLookup
from flows.money import Money
from flows.vocabulary import Jurisdiction


class Findings:
    """Warnings, notes and sources gathered while applying the rules, in order, without repeats."""

    def __init__(self) -> None:
        self.warnings: list[Message] = []
        self.notes: list[Message] = []
        self.sources: list[Source] = []

    def warn(self, key: str, **params: ParamValue) -> None:
        message = Message.of(key, **params)
        if message not in self.warnings:
            self.warnings.append(message)

    def note(self, key: str, **params: ParamValue) -> None:
        message = Message.of(key, **params)
        if message not in self.notes:
            self.notes.append(message)

    def cite(self, *sources: Source) -> None:
        for source in sources:
            if source not in self.sources:
                self.sources.append(source)

    def rate_used(self, lookup: RateLookup, table: str) -> None:
        """Say so, visibly, when a figure rests on a rate carried over to a period whose rate is
        not published yet: that figure is provisional."""
        if lookup.provisional:
            self.warn("law.warning.rate_provisional", **_carried(lookup, table))

    def cap_checked(self, lookup: RateLookup, table: str, rate: Percent) -> None:
        """A contract rate checked against a limit (a floor, a cap) whose rate is not published
        yet: the contract rate itself is known, so no figure is provisional; we say which
        published rate the check used."""
        if lookup.provisional:
            self.note("law.note.limit_checked_with_carried_rate", rate_checked=rate,
                      **_carried(lookup, table))


def _carried(lookup: RateLookup, table: str) -> dict[str, ParamValue]:
    carried = Period.containing(lookup.period.granularity, lookup.row.valid_from)
    return {
        "table": Message.of(f"law.table.{table}"),
        "period": period_message(lookup.period),
        "rate": Percent(lookup.rate),
        "carried_from": period_message(carried),
    }


def period_message(period: Period) -> Message:
    if period.granularity is Granularity.HALF_YEAR:
        half = 1 if period.start.month <= 6 else 2
        return Message.of(f"law.period.h{half}", year=str(period.start.year))
    if period.granularity is Granularity.YEAR:
        return Message.of("law.period.year", year=str(period.start.year))
    return Message.of("law.period.open", start=period.start)


def agreed_due_date(invoice: InvoiceFacts) -> date | None:
    """The due date the parties agreed, if any: stated, or computed from the agreed term.

    "45 days end of month" is read as end of the invoice month + 45 days, the default of
    LEGAL_FACTS A4; the other reading is shown beside it where it matters.
    """
    if invoice.due_date is not None:
        return invoice.due_date
    if invoice.term_kind is TermKind.DAYS:
        if invoice.payment_term_days is None:
            raise InvalidFacts("a term in days needs the number of days")
        return invoice.issue_date + timedelta(days=invoice.payment_term_days)
    if invoice.term_kind is TermKind.END_OF_MONTH_45:
        # The 45 is the contract term the enum names, not a legal figure.
        return end_of_month(invoice.issue_date) + timedelta(days=45)
    return None


def check_facts(invoice: InvoiceFacts, currency: str, on: date) -> None:
    """What no pack can compute with: a date before the invoice, amounts in another currency."""
    if on < invoice.issue_date:
        raise InvalidFacts("the computation date is before the invoice date")
    if invoice.payments and invoice.payments[-1].day > on:
        raise InvalidFacts(
            f"a payment of {invoice.payments[-1].day} is dated after the computation date"
        )
    if invoice.currency != currency:
        raise InvalidFacts(
            f"this jurisdiction's thresholds are in {currency}; "
            f"the invoice is in {invoice.currency}"
        )


def limitation_warnings(
    findings: Findings,
    last_day: date,
    on: date,
    warn_months: int,
    source: Source,
    interrupted_by: tuple[Message, ...],
) -> None:
    """Expired, or expiring within ``warn_months``: say what still interrupts it, the same acts
    the details list for this jurisdiction."""
    if on > last_day:
        findings.warn("law.warning.limitation_expired", last_day=last_day, article=source.article)
    elif on >= add_months(last_day, -warn_months):
        findings.warn(
            "law.warning.limitation_near",
            last_day=last_day,
            days=(last_day - on).days,
            article=source.article,
            acts=Listing(interrupted_by),
        )


def limitation_from_invoice(
    invoice: InvoiceFacts,
    on: date,
    found: Findings,
    years: Figure,
    warn_months: int,
    interrupted_by: tuple[Message, ...],
    not_interrupted_by: tuple[Message, ...],
    start: date | None = None,
    explanation_key: str = "law.limitation.explained",
    details: tuple[Message, ...] = (),
    acknowledgement: Source | None = None,
) -> Limitation:
    """The last day to act, counted from ``start`` (by default the invoice date, the earliest
    plausible start, so the bot warns early rather than late), with what does and does not
    interrupt it.

    A debtor's acknowledgement made while the period ran (``invoice.acknowledged_on``, the
    pack's article in ``acknowledgement``) starts a new period of the same length that day; one
    made after the last day revives nothing, and the bot says so."""
    start = start or invoice.issue_date
    last_day = add_years(start, years.as_int)
    acknowledged = invoice.acknowledged_on
    if acknowledged is not None and acknowledgement is not None and acknowledged <= on:
        if start <= acknowledged <= last_day:
            found.cite(acknowledgement)
            # How the old period started no longer matters: the new one runs from the
            # acknowledgement.
            details = (Message.of("law.limitation.acknowledged", on=acknowledged,
                                  old_last_day=last_day, article=acknowledgement.article),)
            start, last_day = acknowledged, add_years(acknowledged, years.as_int)
            explanation_key = "law.limitation.restarted"
        elif acknowledged > last_day:
            found.warn("law.warning.acknowledged_too_late", on=acknowledged, last_day=last_day)
    found.cite(years.citation)
    limitation_warnings(found, last_day, on, warn_months, years.citation, interrupted_by)
    return Limitation(
        last_day=last_day,
        starts=start,
        years=years.as_int,
        explanation=Message.of(
            explanation_key,
            years=years.as_int,
            start=start,
            last_day=last_day,
            article=years.article,
        ),
        interrupted_by=interrupted_by,
        not_interrupted_by=not_interrupted_by,
        source=years.citation,
        details=details,
    )


def build_rights(
    jurisdiction: Jurisdiction,
    invoice: InvoiceFacts,
    on: date,
    found: Findings,
    *,
    principal: Money,
    interest: Money,
    periods: tuple[InterestPeriod, ...],
    explanation: Message,
    indemnity: Money,
    indemnity_explanation: Message,
    due: date,
    term: PaymentTerm,
    limitation: Limitation,
    routes: tuple[CourtRoute, ...],
) -> Rights:
    """The figures of one invoice, with everything the computation found along the way."""
    zero = Money.zero(principal.currency)
    if invoice.paid > 0:
        found.warn("law.warning.undated_payment", paid=Money(invoice.paid, principal.currency))
    if on <= due and principal.amount > 0:
        routes = not_yet_due(found, due, routes)
    return Rights(
        jurisdiction=jurisdiction,
        debtor_kind=invoice.debtor_kind,
        computed_on=on,
        number=invoice.number,
        principal=principal,
        interest=interest,
        interest_per_day=per_day(principal, periods[-1].annual_rate) if periods else zero,
        interest_periods=periods,
        interest_explanation=explanation,
        payments=invoice.payments,
        paid_undated=Money(invoice.paid, principal.currency),
        indemnity=indemnity,
        indemnity_explanation=indemnity_explanation,
        total=principal + interest + indemnity,
        days_late=max(0, (on - due).days),
        payment_term=term,
        limitation=limitation,
        routes=routes,
        warnings=tuple(found.warnings),
        notes=tuple(found.notes),
        sources=tuple(found.sources),
        # PROVISOIRE only where a figure rests on a rate not yet published, never a contract rate.
        provisional=any(period.provisional for period in periods),
    )


def not_yet_due(
    found: Findings, due: date, routes: tuple[CourtRoute, ...]
) -> tuple[CourtRoute, ...]:
    """Before its due date an invoice is not payable: no interest, no indemnity (both run from
    the day after the due date: C. com. L441-10 II, Belgian law of 2 Aug 2002 art. 5, C.c.Q.
    1594), and what is owed under a term cannot be demanded before it (C. civ. 1305-2; the
    same principle in Belgian and Quebec law): every court route is shown closed, the reason
    first."""
    found.warn("law.warning.not_yet_due", due=due)
    not_due = Condition(Message.of("law.cond.due", due=due), False)
    return tuple(
        replace(route, available=False, conditions=(not_due, *route.conditions))
        for route in routes
    )


def fixed_indemnity(
    prefix: str, invoice: InvoiceFacts, due: date, on: date, found: Findings
) -> tuple[Money, Message]:
    """The fixed recovery indemnity between businesses (FR D441-5, BE law of 2 Aug 2002): due
    from the first day late, whatever the length of the delay, and still due when the invoice
    was paid in full but late; not due when it was paid in time."""
    fixed = tables.require(prefix, "recovery_indemnity", due)
    found.cite(fixed.citation)
    amount = Money(fixed.value, fixed.unit)
    code = prefix.lower()
    if invoice.settled_by(due):
        return Money.zero(), Message.of(f"law.indemnity.{code}.paid_in_time", due=due)
    if on <= due:
        return Money.zero(), Message.of(f"law.indemnity.{code}.not_yet", amount=amount, due=due)
    return amount, Message.of(f"law.indemnity.{code}.business", amount=amount)
