"""France: which court routes an unpaid invoice allows (LEGAL_FACTS.md A10).

Amounts compared with thresholds: the small-claims procedure counts principal and interest
(R125-1); the prior amicable attempt (CPC 750-1) and the lawyer requirement (CPC 760-761, 853)
look at the sum claimed, which also carries the fixed indemnity. Each condition shows the figure
it compared, so a user can see why a route is open or closed. "Up to" includes the threshold:
exactly 5 000,00 EUR is within it.
"""

from __future__ import annotations

from datetime import date

from flows.law import tables
from flows.law.messages import Condition, Message, Source
from flows.law.rights import CourtRoute, RouteKind
from flows.money import Money
from flows.vocabulary import DebtorKind

FR = "fr"
IP = Source(
    "CPC 1405-1425", "https://tribunaldigital.fr/les-procedures/injonction-de-payer/index.html"
)
REFERE = Source("CPC 835 al. 2, 873 al. 2", verified=False)


def court_routes(
    debtor: DebtorKind, principal: Money, interest: Money, indemnity: Money, on: date
) -> tuple[CourtRoute, ...]:
    small_claim = principal + interest
    claimed = small_claim + indemnity
    court = _court(debtor, on)
    lawyer = tables.require(FR, "lawyer_threshold", on)
    lawyer_needed = claimed.amount > lawyer.value
    lawyer_condition = Condition(
        Message.of(
            "law.cond.fr.lawyer", claimed=claimed, threshold=Money(lawyer.value, lawyer.unit)
        ),
        not lawyer_needed,
    )
    return (
        _small_claims(small_claim, on),
        CourtRoute(
            kind=RouteKind.ORDER_FOR_PAYMENT,
            court=court,
            available=True,
            conditions=(
                Condition(Message.of("law.cond.fr.determined_amount"), True),
                Condition(Message.of("law.cond.not_disputed"), None),
            ),
            lawyer_required=False,
            notes=(
                Message.of(
                    "law.route.fr.order_for_payment.steps",
                    serve_months=tables.require(FR, "order_for_payment_service_months", on).as_int,
                    opposition_months=tables.require(
                        FR, "order_for_payment_opposition_months", on
                    ).as_int,
                ),
                Message.of("law.route.fr.order_for_payment.no_amicable"),
                Message.of(
                    "law.route.fr.order_for_payment.opposition_lawyer",
                    threshold=Money(lawyer.value, lawyer.unit),
                ),
            ),
            sources=(IP, Source("CPC 1411, 1416", IP.url)),
        ),
        CourtRoute(
            kind=RouteKind.INTERIM_PAYMENT,
            court=Message.of("law.court.fr.president", court=court),
            available=True,
            conditions=(
                Condition(Message.of("law.cond.not_seriously_contestable"), None),
                lawyer_condition,
            ),
            lawyer_required=lawyer_needed,
            notes=(Message.of("law.route.fr.interim.enforceable"),),
            sources=(REFERE, lawyer.citation),
        ),
        _summons(debtor, court, claimed, lawyer_condition, lawyer_needed, on, lawyer.citation),
    )


def _court(debtor: DebtorKind, on: date) -> Message:
    """Commercial claims go to the commercial court (a TAE in the 12 pilot cities); claims
    against a consumer or a non-trader go to the tribunal judiciaire; always the debtor's seat."""
    if debtor is DebtorKind.CONSUMER:
        return Message.of("law.court.fr.judicial")
    pilot = tables.table(FR, "economic_courts")
    if pilot["valid_from"] <= on <= pilot["valid_to"]:
        return Message.of("law.court.fr.commercial_or_tae", cities=", ".join(pilot["cities"]))
    return Message.of("law.court.fr.commercial")


def _small_claims(small_claim: Money, on: date) -> CourtRoute:
    ceiling = tables.require(FR, "small_claims_ceiling", on)
    within = small_claim.amount <= ceiling.value
    return CourtRoute(
        kind=RouteKind.SMALL_CLAIMS_PROCEDURE,
        court=Message.of("law.court.fr.commissaire"),
        available=within,
        conditions=(
            Condition(
                Message.of(
                    "law.cond.fr.small_claims_ceiling",
                    claim=small_claim,
                    ceiling=Money(ceiling.value, ceiling.unit),
                ),
                within,
            ),
            Condition(Message.of("law.cond.fr.contractual_cause"), True),
            Condition(Message.of("law.cond.debtor_agrees"), None),
        ),
        lawyer_required=False,
        notes=(
            Message.of(
                "law.route.fr.small_claims.steps",
                months=tables.require(FR, "small_claims_answer_months", on).as_int,
            ),
            Message.of("law.route.fr.small_claims.costs"),
        ),
        sources=(ceiling.citation,),
    )


def _summons(
    debtor: DebtorKind,
    court: Message,
    claimed: Money,
    lawyer_condition: Condition,
    lawyer_needed: bool,
    on: date,
    lawyer_source: Source,
) -> CourtRoute:
    conditions = [lawyer_condition]
    notes = [Message.of("law.route.fr.summons.contested")]
    sources = [lawyer_source]
    amicable = tables.figure(FR, "amicable_attempt_ceiling", on)
    # CPC 750-1 is a tribunal-judiciaire rule: nothing equivalent before the commercial court.
    if debtor is DebtorKind.CONSUMER and amicable is not None and claimed.amount <= amicable.value:
        unavailable = tables.require(FR, "conciliator_unavailable_months", on).as_int
        conditions.append(
            Condition(
                Message.of(
                    "law.cond.fr.amicable_attempt",
                    claimed=claimed,
                    ceiling=Money(amicable.value, amicable.unit),
                ),
                None,
            )
        )
        notes.append(Message.of("law.route.fr.summons.amicable_exemptions", months=unavailable))
        sources.append(amicable.citation)
    if debtor is DebtorKind.BUSINESS:
        notes.append(Message.of("law.route.fr.summons.non_trader"))
    return CourtRoute(
        kind=RouteKind.SUMMONS,
        court=court,
        available=True,
        conditions=tuple(conditions),
        lawyer_required=lawyer_needed,
        notes=tuple(notes),
        sources=tuple(sources),
    )
