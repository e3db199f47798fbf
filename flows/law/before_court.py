"""Before going to court: why a formal demand comes first, and which French route to try first.

A judge expects the debtor to have been put on notice, and the demand starts what waits for it:
legal interest (France C. civ. 1231-6 and 1344-1; Quebec C.c.Q. 1594-1595, 1617). Before the
French tribunal judiciaire a claim up to the CPC 750-1 ceiling also needs a prior amicable
attempt. Then the route: the small-claims procedure when the debtor answers (it needs the
debtor's agreement, CPCE L125-1), the order for payment for an undisputed claim on documents
(CPC 1405), a summons when the claim is disputed — each with its cost and its time, from the
dated figures of ``data/fr_figures.toml``.
"""

from __future__ import annotations

from datetime import date

from flows.law import tables
from flows.law.facts import CaseFacts
from flows.law.france_routes import court_for
from flows.law.messages import Message
from flows.law.rights import Rights, RouteKind
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction

FR = "fr"


def demand_first_reasons(case: CaseFacts, rights: Rights, on: date) -> tuple[Message, ...]:
    """Why the formal demand is drafted before any court document, for this case."""
    jurisdiction = case.jurisdiction
    if jurisdiction is Jurisdiction.QUEBEC:
        return (Message.of("law.before_court.qc.demand_expected"),)
    if jurisdiction is Jurisdiction.BELGIUM:
        return (Message.of("law.before_court.be.demand_expected"),)
    reasons = [Message.of("law.before_court.fr.judge_expects")]
    invoice = case.invoice
    if invoice.debtor_kind is DebtorKind.CONSUMER:
        reasons.append(Message.of("law.before_court.fr.interest_from_demand"))
    amicable = tables.figure(FR, "amicable_attempt_ceiling", on)
    # CPC 750-1 applies before the tribunal judiciaire only: a consumer or a non-trader.
    judicial = invoice.debtor_kind is DebtorKind.CONSUMER or invoice.debtor_trader is False
    if judicial and amicable is not None and rights.total.amount <= amicable.value:
        reasons.append(
            Message.of(
                "law.before_court.fr.amicable_attempt",
                ceiling=Money(amicable.value, amicable.unit),
                article=amicable.article,
            )
        )
    return tuple(reasons)


def route_guidance(case: CaseFacts, route: RouteKind, on: date) -> Message | None:
    """France: the route to take first, why, what it costs and how long it takes."""
    if case.jurisdiction is not Jurisdiction.FRANCE:
        return None
    invoice = case.invoice
    court = court_for(invoice, on)
    if route is RouteKind.SMALL_CLAIMS_PROCEDURE:
        ceiling = tables.require(FR, "small_claims_ceiling", on)
        return Message.of(
            "law.before_court.fr.route.small_claims_procedure",
            ceiling=Money(ceiling.value, ceiling.unit),
            months=tables.require(FR, "small_claims_answer_months", on).as_int,
        )
    if route is RouteKind.ORDER_FOR_PAYMENT:
        judicial = invoice.debtor_kind is DebtorKind.CONSUMER or invoice.debtor_trader is False
        if judicial:
            fee = tables.require(FR, "order_for_payment_fee_judicial", on)
            cost = Message.of("law.before_court.fr.fee_judicial", fee=Money(fee.value, fee.unit))
        else:
            low = tables.require(FR, "order_for_payment_fee_commercial_low", on)
            high = tables.require(FR, "order_for_payment_fee_commercial_high", on)
            cost = Message.of(
                "law.before_court.fr.fee_commercial",
                low=Money(low.value, low.unit),
                high=Money(high.value, high.unit),
            )
        return Message.of(
            "law.before_court.fr.route.order_for_payment",
            court=court.name,
            cost=cost,
            serve_months=tables.require(FR, "order_for_payment_service_months", on).as_int,
            opposition_months=tables.require(FR, "order_for_payment_opposition_months", on).as_int,
        )
    if route is RouteKind.SUMMONS:
        lawyer = tables.require(FR, "lawyer_threshold", on)
        return Message.of(
            "law.before_court.fr.route.summons",
            court=court.name,
            threshold=Money(lawyer.value, lawyer.unit),
        )
    return None
