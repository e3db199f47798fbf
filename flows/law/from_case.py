"""The bridge from a case's answers to the legal engine's facts (flows.law).

The journey, the case file, the follow-up and the documents all ask the engine through here,
so that an invoice is described to the law the same way everywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from flows.debtor.record import DebtorSide
from flows.law import (
    InsolvencyFacts,
    InvalidFacts,
    InvoiceFacts,
    Payment,
    Rights,
    Supply,
    TermKind,
    compute_rights,
)
from flows.law.before_court import route_guidance
from flows.law.belgium_consumer import first_chargeable_day
from flows.law.facts import CaseFacts, DemandChannel
from flows.law.messages import Message
from flows.law.remedies import Advice, recommend
from flows.law.remedy_compare import court_route
from flows.law.rights import RouteKind
from flows.missed_instalment import missed_instalment
from flows.model import Case, Invoice
from flows.vocabulary import DebtorKind, Jurisdiction

DEFAULT_DEMAND_DAYS = 8  # product default for a business debtor, not a legal figure
# A drafting choice, not a legal figure: the payment plan's acceleration clause makes the whole
# balance due this many days after a formal demand left unanswered (the agreement prints it,
# the demand after a missed instalment gives exactly this delay).
ACCELERATION_NOTICE_DAYS = 8


def demand_date(case: Case) -> date | None:
    """When the formal demand was sent: the one the journey drew up, else the one the user
    says was sent before going to court (``flows.demand_first``)."""
    if case.demand is not None:
        return case.demand.sent_on
    declared = case.answers.get("demand_before_court")
    return date.fromisoformat(declared) if isinstance(declared, str) and declared != "none" \
        else None


def belgian_consumer(case: Case) -> bool:
    return case.jurisdiction == Jurisdiction.BELGIUM and case.text("debtor_kind") == "consumer"


def demand_days(case: Case) -> int:
    """The delay to pay the user chose for the formal demand (8 days when not asked); after a
    missed instalment, the notice the plan's acceleration clause requires."""
    missed = missed_instalment(case)
    if missed is not None and case.text("remedy") == "formal_demand":
        return missed.notice_days
    return int(case.text("deadline_days", str(DEFAULT_DEMAND_DAYS)) or DEFAULT_DEMAND_DAYS)


def demand_deadline(case: Case, sent_on: date) -> date:
    """The last day to pay that a formal demand sent on ``sent_on`` gives: the one date the
    letter, the chat, the follow-up and ``/reminders`` all name.

    The user's delay, except against a Belgian consumer, where the first reminder must leave 14
    calendar days counted from the third working day after posting (CDE XIX.2): the later of
    the two is given, so no one ever asks for payment sooner than the law allows. The letter
    goes by post (the chat says so), the later of the two starts the e-mail rule allows.
    """
    chosen = sent_on + timedelta(days=demand_days(case))
    if belgian_consumer(case):
        legal = first_chargeable_day(sent_on, DemandChannel.POST, sent_on) - timedelta(days=1)
        return max(chosen, legal)
    return chosen


# "69006 Lyon", "75011 PARIS CEDEX 11": a French postcode then the town, on one address line.
POSTCODE_LINE = re.compile(r"^(\d{5})\s+(.+)$")


def postcode_and_town(address: str) -> tuple[str, str]:
    """The postcode and town of a French address (its last line that has them), else blanks."""
    for line in reversed(address.split("\n")):
        found = POSTCODE_LINE.match(line.strip())
        if found:
            return found[1], found[2].strip()
    return "", ""


def invoice_facts(case: Case, invoice: Invoice, *, with_demand: bool = True,
                  with_damages_clause: bool = False) -> InvoiceFacts:
    """The engine's facts for one invoice of the case.

    ``with_demand=False`` leaves out a formal demand already drawn up (a demand letter is
    itself the demand); ``with_damages_clause`` adds the damages clause of a Belgian consumer
    contract, an answer only the documents ask for.
    """
    rate = case.answers.get("contract_rate")
    deadline = case.answers.get("deadline_days")
    employees = case.answers.get("employees")
    damages = case.money("contract_damages") if with_damages_clause else None
    postcode, town = postcode_and_town(case.text("debtor_address"))
    return InvoiceFacts(
        amount=invoice.amount.amount,
        issue_date=invoice.issue_date,
        debtor_kind=DebtorKind(case.text("debtor_kind", "business")),
        currency=invoice.amount.currency,
        due_date=invoice.due_date,
        term_kind=TermKind.DAYS if invoice.due_date else TermKind.NONE,
        supply=Supply(case.text("supply", "services")),
        delivery_date=invoice.completed,
        periodic=case.flag("periodic_billing") is True,
        debtor_trader={"trader": True, "non_trader": False}.get(case.text("debtor_trader")),
        debtor_postcode=postcode,
        debtor_town=town,
        contract_rate=Decimal(rate) if isinstance(rate, str) and rate != "none" else None,
        demand_date=demand_date(case) if with_demand else None,
        paid=invoice.undated.amount,
        payments=tuple(Payment(p.day, p.amount.amount) for p in invoice.payments),
        number=invoice.number,
        demand_delay_days=int(deadline) if isinstance(deadline, str) and deadline else None,
        creditor_employees={"up_to_10": 10, "over_10": 11}.get(str(employees)),
        contract_damages=damages.amount if damages else None,
        default_by_term=case.flag("qc_default_by_term") is True,
        acknowledged_on=DebtorSide.read(case).acknowledged_on,
    )


def rights_for(case: Case, today: date, *, with_demand: bool = True,
               with_damages_clause: bool = False) -> list[Rights]:
    """The rights for each invoice of the case, computed for ``today`` (options as for
    ``invoice_facts``). Facts the engine refuses raise ``InvalidFacts`` naming the invoice."""
    jurisdiction = Jurisdiction(case.jurisdiction)
    rights = []
    for invoice in case.invoices():
        try:
            facts = invoice_facts(case, invoice, with_demand=with_demand,
                                  with_damages_clause=with_damages_clause)
        except InvalidFacts as error:
            raise InvalidFacts(f"invoice {invoice.number}: {error}") from error
        # The law engine refuses a computation date before the invoice; clamp to it.
        rights.append(compute_rights(jurisdiction, facts, max(today, invoice.issue_date)))
    return rights


def answered_day(case: Case, key: str) -> date | None:
    """A date answer, or None when a button stood for "unknown" / "none"."""
    value = case.answers.get(key)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def insolvency_facts(case: Case) -> InsolvencyFacts | None:
    """The proceedings as the user described them (None before the publication date is known)."""
    published = case.day("insolvency_date")
    if published is None:
        return None
    opened = case.day("judgment_date")
    return InsolvencyFacts(
        published_on=published,
        creditor_outside_metropole=case.flag("creditor_abroad"),
        claims_deadline=answered_day(case, "claims_deadline"),
        opened_on=opened if opened is not None and opened <= published else None,
    )


def case_facts(case: Case) -> CaseFacts | None:
    """The situation as the remedy step sees it: all invoices taken together."""
    invoices = case.invoices()
    if not invoices:
        return None
    first = min(invoices, key=lambda i: i.issue_date)
    combined = Invoice(
        number=", ".join(i.number for i in invoices),
        amount=sum((i.amount for i in invoices[1:]), invoices[0].amount),
        issue_date=first.issue_date,
        due_date=min((i.due_date for i in invoices if i.due_date), default=None),
        undated=sum((i.undated for i in invoices[1:]), invoices[0].undated),
        payments=tuple(sorted((p for i in invoices for p in i.payments), key=lambda p: p.day)),
        completed=min((i.completed for i in invoices if i.completed), default=None),
    )
    return CaseFacts(
        jurisdiction=Jurisdiction(case.jurisdiction),
        invoice=invoice_facts(case, combined),
        disputed=case.flag("disputed") is True,
        dispute_point=case.text("dispute_reason") or "other",
        debtor_responsive=case.flag("debtor_responsive") is not False,
        financial_difficulty=case.flag("insolvency") is True,
        insolvency=insolvency_facts(case),
        goods_held_under_retention=case.flag("rot_goods") is True,
        services_ongoing=case.flag("services_running") is True,
        reminders_sent=int(case.text("reminders_sent", "0") or "0"),
    )


def advice_for(case: Case, today: date) -> Advice | None:
    facts = case_facts(case)
    return _advice(facts, today) if facts is not None else None


def court_route_for(case: Case, today: date) -> RouteKind | None:
    """The court route to take first: the one the recommendation names for the court, else
    the one that fits the facts (``remedy_compare.court_route``)."""
    facts = case_facts(case)
    return _court_route(facts, _advice(facts, today), today) if facts is not None else None


def route_guidance_for(case: Case, today: date) -> Message | None:
    """Which route first, why, its cost and its time (``before_court.route_guidance``)."""
    facts = case_facts(case)
    if facts is None:
        return None
    advice = _advice(facts, today)
    route = _court_route(facts, advice, today)
    return route_guidance(facts, route, max(today, facts.invoice.issue_date), advice.rights)


def _advice(facts: CaseFacts, today: date) -> Advice:
    return recommend(facts, max(today, facts.invoice.issue_date))


def _court_route(facts: CaseFacts, advice: Advice, today: date) -> RouteKind:
    for pick in advice.recommended:
        if pick.route is not None:
            return pick.route
    return court_route(facts, advice.rights, max(today, facts.invoice.issue_date))
