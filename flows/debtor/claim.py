"""What the debtor sees: who claims what, the amount due today and how it is computed.

The same figures as the creditor's (``flows.law.from_case``): each invoice with what was paid,
the late interest period by period with its rate and the rule it rests on, the recovery
indemnity and why, the total, and the deadline the formal demand gave. Not the creditor's
strategy (court routes, limitation): only the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows import formatting
from flows.debtor.record import DebtorSide
from flows.i18n import t
from flows.law import from_case
from flows.law.messages import Message, Percent
from flows.law.render import Renderer
from flows.law.rights import InterestPeriod
from flows.model import Case
from flows.money import Money
from flows.vocabulary import Jurisdiction


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    issued: date
    due: date | None
    amount: Money
    paid: Money
    balance: Money
    interest: Money
    interest_periods: tuple[InterestPeriod, ...]
    interest_explanation: Message
    indemnity: Money
    indemnity_explanation: Message


@dataclass(frozen=True)
class ClaimView:
    """The claim as of ``computed_on``, for the debtor's page and chat."""

    jurisdiction: str
    creditor: str
    debtor: str
    invoices: tuple[InvoiceLine, ...]
    principal: Money  # the balance of the invoices
    interest: Money
    indemnity: Money
    total: Money
    computed_on: date
    deadline: date | None  # the last day to pay the formal demand gave, if one went out
    sources: tuple[str, ...]  # the articles the figures rest on
    provisional: bool  # a rate was carried over: the interest may change slightly
    disputed: bool
    acknowledged_on: date | None
    plan_agreed: bool


def claim_view(case: Case, today: date) -> ClaimView:
    """The claim of ``case`` as of ``today``."""
    all_rights = from_case.rights_for(case, today)
    lines = []
    for invoice, rights in zip(case.invoices(), all_rights, strict=True):
        lines.append(InvoiceLine(
            number=invoice.number, issued=invoice.issue_date, due=invoice.due_date,
            amount=invoice.amount, paid=invoice.paid, balance=invoice.balance,
            interest=rights.interest, interest_periods=rights.interest_periods,
            interest_explanation=rights.interest_explanation,
            indemnity=rights.indemnity, indemnity_explanation=rights.indemnity_explanation))
    zero = Money.zero(case.currency)
    principal = sum((r.principal for r in all_rights), zero)
    interest = sum((r.interest for r in all_rights), zero)
    indemnity = sum((r.indemnity for r in all_rights), zero)
    sources: list[str] = []
    for rights in all_rights:
        # The claim's own rules (term, interest, indemnity): not the creditor's court routes
        # nor the limitation period, which the debtor's page does not discuss.
        elsewhere = {rights.limitation.source.article}
        elsewhere |= {source.article for route in rights.routes for source in route.sources}
        for source in rights.sources:
            if source.article not in sources and source.article not in elsewhere:
                sources.append(source.article)
    side = DebtorSide.read(case)
    return ClaimView(
        jurisdiction=case.jurisdiction,
        creditor=case.text("creditor_name"),
        debtor=case.text("debtor_name"),
        invoices=tuple(lines),
        principal=principal, interest=interest, indemnity=indemnity,
        total=principal + interest + indemnity,
        computed_on=today,
        deadline=(from_case.demand_deadline(case, case.demand.sent_on)
                  if case.demand is not None else None),
        sources=tuple(sources),
        provisional=any(r.provisional for r in all_rights),
        disputed=side.dispute is not None,
        acknowledged_on=side.acknowledged_on,
        plan_agreed=side.agreed is not None,
    )


def claim_text(view: ClaimView, lang: str) -> str:
    """The claim as one chat message (plain text)."""
    say = Renderer(lang, Jurisdiction(view.jurisdiction))
    v = say.value
    lines = [t(lang, "debtor.claim.title", creditor=view.creditor or "—",
               on=v(view.computed_on)), ""]
    for item in view.invoices:
        lines.append(t(lang, "debtor.claim.invoice", number=item.number, issued=v(item.issued),
                       amount=v(item.amount), balance=v(item.balance)))
        if item.paid.amount:
            lines.append("  " + t(lang, "debtor.claim.paid", paid=v(item.paid)))
        for period in item.interest_periods:
            lines.append("  " + t(lang, "debtor.claim.period", start=v(period.start),
                                  end=v(period.end), days=period.days,
                                  rate=v(Percent(period.annual_rate)), amount=v(period.amount)))
        if item.interest.amount:
            lines.append("  " + say(item.interest_explanation))
        if item.indemnity.amount:
            lines.append("  " + t(lang, "debtor.claim.indemnity", amount=v(item.indemnity),
                                  why=say(item.indemnity_explanation)))
    lines += ["", t(lang, "debtor.claim.principal", amount=v(view.principal)),
              t(lang, "debtor.claim.interest", amount=v(view.interest)),
              t(lang, "debtor.claim.indemnity_total", amount=v(view.indemnity)),
              t(lang, "debtor.claim.total", amount=v(view.total))]
    if view.provisional:
        lines.append(t(lang, "debtor.claim.provisional"))
    if view.deadline is not None:
        lines.append(t(lang, "debtor.claim.deadline", deadline=v(view.deadline)))
    if view.sources:
        lines.append(t(lang, "debtor.claim.sources", items="; ".join(view.sources)))
    status = _status(view, lang)
    if status:
        lines += ["", status]
    lines += ["", t(lang, "debtor.claim.what_now")]
    return "\n".join(lines)


def _status(view: ClaimView, lang: str) -> str:
    if view.plan_agreed:
        return t(lang, "debtor.claim.status_plan")
    if view.disputed:
        return t(lang, "debtor.claim.status_disputed")
    if view.acknowledged_on is not None:
        return t(lang, "debtor.claim.status_acknowledged",
                 on=formatting.day(view.acknowledged_on, lang, view.jurisdiction))
    return ""


def payment_text(case: Case) -> str:
    """The payment details the creditor typed ('' when they answered "as on the invoice",
    "none" or "unknown": nothing to show the debtor)."""
    text = case.text("payment_details")
    return "" if text in {"none", "unknown", "invoice"} else text
