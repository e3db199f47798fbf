"""Belgium: late payment between enterprises (law of 2 August 2002) and consumer debts (Code
of economic law, Book XIX), LEGAL_FACTS.md PART B."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flows.law import belgium_letters, tables
from flows.law.belgium_consumer import consumer_charges
from flows.law.common import (
    Findings,
    agreed_due_date,
    build_rights,
    check_facts,
    fixed_indemnity,
    limitation_from_invoice,
)
from flows.law.dates import add_months, add_years
from flows.law.facts import InsolvencyFacts, InvoiceFacts, Supply
from flows.law.interest import RateChoice, accrue_until_paid
from flows.law.letters import (
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
)
from flows.law.messages import Condition, Message, Percent, Source
from flows.law.rights import (
    CourtRoute,
    Deadline,
    InsolvencyGuide,
    InterestPeriod,
    Limitation,
    PaymentTerm,
    Rights,
    RouteKind,
)
from flows.law.tables import Granularity
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction

BE = "be"
ONE_DAY = timedelta(days=1)
SUMMARY_ORDER = Source(
    "C. jud. 1338-1344",
    "https://academiefiscale.eu/profession/comment-proceder-quand-un-client-ne-paie-pas-vos-honoraires/",
    verified=False,
)


class BelgiumPack:
    jurisdiction = Jurisdiction.BELGIUM
    currency = "EUR"

    def rights(self, invoice: InvoiceFacts, on: date) -> Rights:
        check_facts(invoice, self.currency, on)
        found = Findings()
        principal = Money(invoice.principal, self.currency)
        if invoice.debtor_kind is DebtorKind.BUSINESS:
            term = _b2b_term(invoice, on, found)
            periods, explanation = _b2b_interest(invoice, principal, term.effective_due, on, found)
            indemnity, indemnity_why = _b2b_indemnity(invoice, term.effective_due, on, found)
        else:
            term = _consumer_term(invoice)
            charges = consumer_charges(invoice, principal, term.effective_due, on, found)
            periods, explanation = charges.periods, charges.explanation
            indemnity, indemnity_why = charges.indemnity, charges.indemnity_explanation
        interest = Money(sum((p.amount.amount for p in periods), Decimal(0)), self.currency)
        limitation = _limitation(invoice, on, found)
        routes = _routes(invoice.debtor_kind, principal + interest + indemnity, on)
        for route in routes:
            found.cite(*route.sources)
        return build_rights(
            self.jurisdiction, invoice, on, found,
            principal=principal, interest=interest, periods=periods, explanation=explanation,
            indemnity=indemnity, indemnity_explanation=indemnity_why,
            due=term.effective_due, term=term, limitation=limitation, routes=routes,
        )

    def insolvency(self, facts: InsolvencyFacts) -> InsolvencyGuide:
        """Book XX: declare on RegSol by the date the judgment sets, late ones up to 1 year
        after it; guarantee holders within 3 months; revendication before the first PV de
        vérification des créances. The bankruptcy judgment stops interest on unsecured claims
        from the first hour of its day, so the claim counts interest up to the day before."""
        published = facts.published_on
        interest_until = published - ONE_DAY
        holidays = tables.holidays(BE)

        def extended(last_day: date) -> date | None:
            # A period ending on a Saturday, Sunday or holiday runs to the next working day
            # (C. jud. 53).
            rolled = holidays.roll_forward(last_day)
            return rolled if rolled != last_day else None

        late = tables.require(BE, "late_claim_years", published)
        guarantee = tables.require(BE, "guarantee_claim_months", published)
        late_day = add_years(published, late.as_int)
        guarantee_day = add_months(published, guarantee.as_int)
        fee = tables.require(BE, "regsol_fee", published)
        return InsolvencyGuide(
            jurisdiction=self.jurisdiction,
            proof_of_claim=Deadline(
                Message.of("law.insolvency.be.proof_of_claim", fee=Money(fee.value, fee.unit)),
                facts.claims_deadline,
                fee.citation,
            ),
            revendication=Deadline(
                Message.of("law.insolvency.be.revendication"),
                None,
                Source("CDE livre XX (ex-art. 101 loi du 8 août 1997)", verified=False),
            ),
            other_deadlines=(
                Deadline(
                    Message.of("law.insolvency.be.late_claims", years=late.as_int),
                    late_day,
                    late.citation,
                    extended(late_day),
                ),
                Deadline(
                    Message.of("law.insolvency.be.guarantee", months=guarantee.as_int),
                    guarantee_day,
                    guarantee.citation,
                    extended(guarantee_day),
                ),
            ),
            vocabulary=tuple(
                Message.of(f"law.vocabulary.be.{word}")
                for word in (
                    "faillite",
                    "curateur",
                    "juge_commissaire",
                    "declaration",
                    "pv_verification",
                    "prj",
                )
            ),
            notes=(
                Message.of("law.insolvency.be.interest_until", day=interest_until,
                           opened=published),
                Message.of("law.insolvency.be.curator_may_pay"),
            ),
            interest_until=interest_until,
        )

    def letters(self, facts: LetterFacts) -> LetterWording:
        return belgium_letters.wording(facts)

    def insolvency_letters(self, facts: InsolvencyLetterFacts) -> InsolvencyWording:
        return belgium_letters.insolvency_wording(facts)


def _b2b_term(invoice: InvoiceFacts, on: date, found: Findings) -> PaymentTerm:
    """30 days when nothing is agreed; an agreed term over 60 calendar days (since 1 Feb 2022)
    is deemed unwritten, so the 30-day default replaces it. The law counts from receipt of
    the invoice; we only know its date, so we count from that and say so."""
    default_days = tables.require(BE, "default_term_days", on)
    default_due = invoice.issue_date + timedelta(days=default_days.as_int)
    agreed = agreed_due_date(invoice)
    ceiling = tables.figure(BE, "agreed_term_max_days", invoice.issue_date)
    sources = (default_days.citation,) + ((ceiling.citation,) if ceiling else ())
    found.cite(*sources)
    if agreed is None:
        rule = Message.of("law.term.be.default", days=default_days.as_int, due=default_due)
        return PaymentTerm(
            None,
            None if ceiling is None else invoice.issue_date + timedelta(days=ceiling.as_int),
            default_due,
            False,
            rule,
            Message.of("law.term.be.default_meaning", due=default_due),
            sources,
        )
    if ceiling is None:
        return PaymentTerm(
            agreed,
            None,
            agreed,
            None,
            Message.of("law.term.be.no_ceiling"),
            Message.of("law.term.be.agreed_applies", agreed=agreed),
            sources,
        )
    latest = invoice.issue_date + timedelta(days=ceiling.as_int)
    rule = Message.of("law.term.be.sixty_days", days=ceiling.as_int, latest=latest)
    if agreed > latest:
        found.warn("law.warning.be.term_unwritten", agreed=agreed, due=default_due)
        return PaymentTerm(
            agreed,
            latest,
            default_due,
            True,
            rule,
            Message.of("law.term.be.exceeded", agreed=agreed, due=default_due),
            sources,
        )
    return PaymentTerm(
        agreed,
        latest,
        agreed,
        False,
        rule,
        Message.of("law.term.be.within", agreed=agreed, latest=latest),
        sources,
    )


def _consumer_term(invoice: InvoiceFacts) -> PaymentTerm:
    agreed = agreed_due_date(invoice)
    due = agreed or invoice.issue_date
    return PaymentTerm(
        agreed,
        None,
        due,
        None,
        Message.of("law.term.be.consumer_rule"),
        Message.of("law.term.be.consumer_meaning", due=due),
        (Source("CDE livre XIX"),),
    )


def _b2b_interest(
    invoice: InvoiceFacts, principal: Money, due: date, on: date, found: Findings
) -> tuple[tuple[InterestPeriod, ...], Message]:
    """Automatic, without a demand, from the day after the due date: the agreed rate, else the
    half-year rate published under the 2002 law (a judge may revise an abusive clause)."""
    series = tables.rate_series("be_b2b_rate")
    found.cite(series.source("loi du 2 août 2002 (taux)"))
    if invoice.contract_rate is not None:
        found.note("law.note.be.contract_rate_revisable")

    def choose(day: date) -> RateChoice:
        if invoice.contract_rate is not None:
            return RateChoice(
                invoice.contract_rate,
                Message.of("law.basis.contract", rate=Percent(invoice.contract_rate)),
            )
        at = series.at(day)
        found.rate_used(at, "be_b2b_rate")
        return RateChoice(at.rate, Message.of("law.basis.be.b2b_rate"), at.provisional)

    periods = (
        accrue_until_paid(invoice, due + ONE_DAY, on, Granularity.HALF_YEAR, choose)
        if on > due
        else ()
    )
    return periods, Message.of("law.interest.be.business", start=due + ONE_DAY, on=on)


def _b2b_indemnity(
    invoice: InvoiceFacts, due: date, on: date, found: Findings
) -> tuple[Money, Message]:
    return fixed_indemnity(BE, invoice, due, on, found)


def _limitation(invoice: InvoiceFacts, on: date, found: Findings) -> Limitation:
    """10 years for contractual claims (old C. civ. 2262bis); 5 years for what is payable
    yearly or at shorter periodic terms, such as subscriptions and monthly or yearly billing
    (old C. civ. 2277); 1 year for a merchant's goods sold to a private buyer (old 2272). The
    shortest that applies, counted from the invoice date, the earliest plausible start."""
    names = ["limitation_years"]
    if invoice.periodic:
        names.append("limitation_periodic_years")
    if invoice.debtor_kind is DebtorKind.CONSUMER and invoice.supply is Supply.GOODS:
        names.append("limitation_consumer_goods_years")
    years = min((tables.require(BE, name, on) for name in names), key=lambda f: f.as_int)
    warn_months = tables.require(BE, "limitation_warning_months", on).as_int
    return limitation_from_invoice(
        invoice, on, found, years, warn_months,
        interrupted_by=(
            Message.of("law.limitation.be.acknowledgment"),
            Message.of("law.limitation.be.court_claim"),
            Message.of("law.limitation.be.enforcement"),
            Message.of("law.limitation.be.lawyer_demand"),
        ),
        not_interrupted_by=(Message.of("law.limitation.be.demand_letter"),),
        # The acknowledgement interrupts (former C. civ. 2248) and a new period of the same
        # length runs from it.
        acknowledgement=Source("former C. civ. 2248"),
    )


def _routes(debtor: DebtorKind, claimed: Money, on: date) -> tuple[CourtRoute, ...]:
    """Between enterprises: the huissier procedure for uncontested debts (any amount) or the
    tribunal de l'entreprise. Against a consumer: the justice de paix up to its ceiling, above
    it the tribunal de première instance."""
    business = debtor is DebtorKind.BUSINESS
    cap = tables.require(BE, "uncontested_penalty_cap_percent", on)
    answer = tables.require(BE, "uncontested_answer_months", on)
    uncontested = CourtRoute(
        kind=RouteKind.UNCONTESTED_DEBT,
        court=Message.of("law.court.be.huissier"),
        available=business,
        conditions=(
            Condition(Message.of("law.cond.be.both_enterprises"), business),
            Condition(Message.of("law.cond.not_disputed"), None),
        ),
        lawyer_required=True,
        notes=(
            Message.of(
                "law.route.be.uncontested.steps", months=answer.as_int, cap=Percent(cap.value)
            ),
        ),
        sources=(cap.citation,),
    )
    if business:
        court = Message.of("law.court.be.enterprise")
        summons_conditions: tuple[Condition, ...] = ()
        sources: tuple[Source, ...] = (
            Source(
                "C. jud. (tribunal de l'entreprise)",
                "https://www.schoups.com/fr/nieuws/5877?subid=10085",
            ),
        )
    else:
        ceiling = tables.require(BE, "justice_of_peace_ceiling", on)
        within = claimed.amount <= ceiling.value
        court = Message.of("law.court.be.peace" if within else "law.court.be.first_instance")
        summons_conditions = (
            Condition(
                Message.of(
                    "law.cond.be.peace_ceiling",
                    claimed=claimed,
                    ceiling=Money(ceiling.value, ceiling.unit),
                ),
                within,
            ),
        )
        sources = (ceiling.citation,)
    summons = CourtRoute(RouteKind.SUMMONS, court, True, summons_conditions, None, (), sources)
    summary = CourtRoute(
        kind=RouteKind.ORDER_FOR_PAYMENT,
        court=court,
        available=None,
        conditions=(
            Condition(Message.of("law.cond.be.written_acknowledgment"), None),
            Condition(Message.of("law.cond.be.summary_threshold"), None),
        ),
        lawyer_required=None,
        notes=(),
        sources=(SUMMARY_ORDER,),
    )
    return (uncontested, summary, summons)
