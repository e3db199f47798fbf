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
from flows.law.messages import Message, Percent
from flows.law.rights import Rights, RouteKind
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction

FR = "fr"
BE = "be"
QC = "qc"


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


def route_guidance(
    case: CaseFacts, route: RouteKind, on: date, rights: Rights
) -> Message | None:
    """The route to take first, why, what it costs and how long it takes (a cost or a delay
    our sources do not give is said to be confirmed with the court, never guessed)."""
    if case.jurisdiction is Jurisdiction.BELGIUM:
        return _belgian_route(case, route, on, rights)
    if case.jurisdiction is Jurisdiction.QUEBEC:
        return _quebec_route(route, on, rights)
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


def _belgian_route(
    case: CaseFacts, route: RouteKind, on: date, rights: Rights
) -> Message | None:
    """Belgium (LEGAL_FACTS B3): between enterprises and undisputed, the huissier procedure for
    uncontested money debts (C. jud. 1394/20 ff.); otherwise a citation before the competent
    court; the summary order for payment (C. jud. 1338-1344) only for a debt acknowledged in
    writing, under thresholds to confirm; the European order for payment across EU borders."""
    european = tables.require(BE, "european_order_opposition_days", on)
    abroad = Message.of("law.before_court.be.extra.european_order", days=european.as_int)
    if route is RouteKind.UNCONTESTED_DEBT:
        cap = tables.require(BE, "uncontested_penalty_cap_percent", on)
        answer = tables.require(BE, "uncontested_answer_months", on)
        return Message.of(
            "law.before_court.be.route.uncontested_debt",
            months=answer.as_int,
            cap=Percent(cap.value),
            abroad=abroad,
        )
    if route is not RouteKind.SUMMONS:
        return None
    consumer = case.invoice.debtor_kind is DebtorKind.CONSUMER
    why = "disputed" if case.disputed else "consumer" if consumer else "business"
    court = rights.route(RouteKind.SUMMONS).court
    summary = None if case.disputed else Message.of("law.before_court.be.extra.summary_order")
    return Message.of(
        "law.before_court.be.route.summons",
        court=court,
        why=Message.of(f"law.before_court.be.why.{why}"),
        summary=summary or "",
        abroad=abroad,
    )


def _quebec_route(route: RouteKind, on: date, rights: Rights) -> Message | None:
    """Quebec (LEGAL_FACTS C4): the Small Claims Division when the claim and the enterprise are
    small enough (C.p.c. 536); otherwise a demande en justice before the regular courts."""
    ceiling = tables.require(QC, "small_claims_ceiling", on)
    staff = tables.require(QC, "small_claims_max_employees", on)
    if route is RouteKind.SMALL_CLAIMS_COURT:
        return Message.of(
            "law.before_court.qc.route.small_claims_court",
            ceiling=Money(ceiling.value, ceiling.unit),
            employees=staff.as_int,
            days=tables.require(QC, "small_claims_payment_days", on).as_int,
            undefended_days=tables.require(QC, "small_claims_payment_days_undefended", on).as_int,
        )
    if route is not RouteKind.SUMMONS:
        return None
    small = rights.route(RouteKind.SMALL_CLAIMS_COURT)
    failed = [c for c in small.conditions if c.met is False] if small is not None else []
    return Message.of(
        "law.before_court.qc.route.summons",
        court=Message.of("law.court.qc.regular"),
        why=failed[0].text if failed else Message.of("law.before_court.qc.why.other"),
    )
