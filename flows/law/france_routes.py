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
from flows.law.facts import InvoiceFacts
from flows.law.france_courts import NamedCourt, commercial_court, judicial_court
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
    invoice: InvoiceFacts, principal: Money, interest: Money, indemnity: Money, on: date
) -> tuple[CourtRoute, ...]:
    small_claim = principal + interest
    claimed = small_claim + indemnity
    named = court_for(invoice, on)
    court = named.name
    where = (named.assumed,) if named.assumed else ()
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
                Message.of("law.route.fr.order_for_payment.form", form=named.form),
                *where,
                Message.of("law.route.fr.order_for_payment.no_amicable"),
                Message.of(
                    "law.route.fr.order_for_payment.opposition_lawyer",
                    threshold=Money(lawyer.value, lawyer.unit),
                ),
            ),
            sources=(IP, Source("CPC 1411, 1416", IP.url), named.source),
            form=named.form,
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
        _summons(invoice, court, claimed, lawyer_condition, lawyer_needed, on, lawyer.citation),
    )


def court_for(invoice: InvoiceFacts, on: date) -> NamedCourt:
    """Claims against a consumer or a non-trader (SCI, association, liberal profession) go to
    the tribunal judiciaire; commercial claims to the commercial court, a TAE in the pilot
    cities; always the debtor's domicile or seat (CPC 1406, any contrary clause is void)."""
    if invoice.debtor_kind is DebtorKind.CONSUMER or invoice.debtor_trader is False:
        return judicial_court(invoice.debtor_town)
    return commercial_court(invoice.debtor_postcode, invoice.debtor_town, on)


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
    invoice: InvoiceFacts,
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
    judicial = invoice.debtor_kind is DebtorKind.CONSUMER or invoice.debtor_trader is False
    if judicial and amicable is not None and claimed.amount <= amicable.value:
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
    if invoice.debtor_kind is DebtorKind.BUSINESS and invoice.debtor_trader is None:
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
