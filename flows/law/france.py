"""France: late-payment rights of a professional creditor (LEGAL_FACTS.md PART A)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flows.law import france_letters, tables
from flows.law.common import (
    Findings,
    agreed_due_date,
    build_rights,
    check_facts,
    fixed_indemnity,
    limitation_from_invoice,
    period_message,
)
from flows.law.dates import add_months, add_years, end_of_month
from flows.law.facts import InsolvencyFacts, InvoiceFacts, TermKind
from flows.law.france_routes import court_routes
from flows.law.interest import RateChoice, accrue_until_paid
from flows.law.letters import (
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
)
from flows.law.messages import Message, Percent, Source
from flows.law.rights import (
    Deadline,
    InsolvencyGuide,
    InterestPeriod,
    Limitation,
    PaymentTerm,
    Rights,
)
from flows.law.tables import Granularity
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction

FR = "fr"
ONE_DAY = timedelta(days=1)
L441_10 = Source(
    "C. com. L441-10", "https://lexbase.fr/texte-de-loi/code-de-commercel44110/L0502LQN.html"
)
CIV_1231_6 = Source("C. civ. 1231-6, 1344-1", verified=False)
# "La prescription ne court pas [...] à l'égard d'une créance à terme, jusqu'à ce que ce terme
# soit arrivé" (LEGAL_FACTS A5).
CIV_2233 = Source("C. civ. 2233 3°")
# An acknowledgement interrupts (2240) and starts a new period of the same length (2231).
ACKNOWLEDGEMENT = Source("C. civ. 2240, 2231")
# Start of the consumer's 2 years (LEGAL_FACTS A5, verified on bignonlebray.com 30/03/2023 and
# village-justice.com 46026); Civ. 1re, 3 June 2015, n° 14-10.908 (invoice date) is abandoned.
CONSUMER_START = Source(
    "Cass. 3e civ., 1 March 2023, n° 21-23.176; Civ. 1re, 19 May 2021, n° 20-12.520"
)


class FrancePack:
    jurisdiction = Jurisdiction.FRANCE
    currency = "EUR"

    def rights(self, invoice: InvoiceFacts, on: date) -> Rights:
        check_facts(invoice, self.currency, on)
        found = Findings()
        principal = Money(invoice.principal, self.currency)
        term = payment_term(invoice, on, found)
        due = term.effective_due
        if invoice.debtor_kind is DebtorKind.BUSINESS:
            periods, explanation = _business_interest(invoice, principal, due, on, found)
        else:
            periods, explanation = _consumer_interest(invoice, principal, due, on, found)
        interest = Money(sum((p.amount.amount for p in periods), Decimal(0)), self.currency)
        indemnity, indemnity_why = _indemnity(invoice, due, on, found)
        limitation = _limitation(invoice, due, on, found)
        routes = court_routes(invoice, principal, interest, indemnity, on)
        for route in routes:
            found.cite(*route.sources)
        return build_rights(
            self.jurisdiction, invoice, on, found,
            principal=principal, interest=interest, periods=periods, explanation=explanation,
            indemnity=indemnity, indemnity_explanation=indemnity_why,
            due=due, term=term, limitation=limitation, routes=routes,
        )

    def insolvency(self, facts: InsolvencyFacts) -> InsolvencyGuide:
        return insolvency_guide(facts)

    def letters(self, facts: LetterFacts) -> LetterWording:
        return france_letters.wording(facts)

    def insolvency_letters(self, facts: InsolvencyLetterFacts) -> InsolvencyWording:
        return france_letters.insolvency_wording(facts)


def payment_term(invoice: InvoiceFacts, on: date, found: Findings) -> PaymentTerm:
    """L441-10 I: 30 days after delivery when nothing is agreed; else at most 60 days from the
    invoice date, or 45 days end of month if expressly stipulated. Between professionals only."""
    agreed = agreed_due_date(invoice)
    if invoice.debtor_kind is DebtorKind.CONSUMER:
        # No statutory term against a consumer: without an agreed date, payable on invoice.
        due = agreed or invoice.issue_date
        return PaymentTerm(
            agreed_due=agreed,
            legal_latest=None,
            effective_due=due,
            exceeded=None,
            rule=Message.of("law.term.fr.consumer_rule"),
            meaning=Message.of("law.term.fr.consumer_meaning", due=due),
            sources=(L441_10,),
        )
    if agreed is None:
        default_days = tables.require(FR, "default_term_days", on)
        delivered = invoice.delivery_date or invoice.issue_date
        due = delivered + timedelta(days=default_days.as_int)
        found.cite(default_days.citation)
        return PaymentTerm(
            agreed_due=None,
            legal_latest=due,
            effective_due=due,
            exceeded=False,
            rule=Message.of("law.term.fr.default", days=default_days.as_int, start=delivered),
            meaning=Message.of("law.term.fr.default_meaning", due=due),
            sources=(default_days.citation,),
        )
    max_days = tables.require(FR, "agreed_term_max_days", on)
    eom_days = tables.require(FR, "end_of_month_term_days", on)
    found.cite(max_days.citation)
    if invoice.term_kind is TermKind.END_OF_MONTH_45:
        # Two readings are used in practice; only a date beyond both is treated as exceeding.
        first = end_of_month(invoice.issue_date) + timedelta(days=eom_days.as_int)
        second = end_of_month(invoice.issue_date + timedelta(days=eom_days.as_int))
        latest = max(first, second)
        rule = Message.of("law.term.fr.end_of_month", latest=first, other=second)
    else:
        latest = invoice.issue_date + timedelta(days=max_days.as_int)
        rule = Message.of("law.term.fr.sixty_days", days=max_days.as_int, latest=latest)
    exceeded = agreed > latest
    meaning = (
        Message.of("law.term.fr.exceeded", agreed=agreed, latest=latest)
        if exceeded
        else Message.of("law.term.fr.within", agreed=agreed, latest=latest)
    )
    if exceeded:
        found.warn("law.warning.term_exceeded", agreed=agreed, latest=latest)
    return PaymentTerm(agreed, latest, agreed, exceeded, rule, meaning, (max_days.citation,))


def _business_interest(
    invoice: InvoiceFacts, principal: Money, due: date, on: date, found: Findings
) -> tuple[tuple[InterestPeriod, ...], Message]:
    """L441-10 II: from the day after the due date, no reminder needed; the contract rate if it
    reaches 3 x the half-year's legal rate, else ECB + 10 points, frozen per half-year."""
    margin = tables.require(FR, "b2b_rate_margin", due)
    multiple = tables.require(FR, "contract_rate_floor_multiple", due)
    ecb = tables.rate_series("ecb_mro")
    legal = tables.rate_series("fr_legal_rate", "other_cases")
    found.cite(margin.citation, ecb.source("ECB MRO (L441-10 II)"))

    def default_rate(day: date) -> RateChoice:
        ecb_at = ecb.at(day)
        found.rate_used(ecb_at, "ecb_mro")
        basis = Message.of(
            "law.basis.fr.ecb_plus", ecb=Percent(ecb_at.rate), points=str(margin.value)
        )
        return RateChoice(ecb_at.rate + margin.value, basis, ecb_at.provisional)

    def choose(day: date) -> RateChoice:
        if invoice.contract_rate is None:
            return default_rate(day)
        legal_at = legal.at(day)
        found.cite(legal.source("C. monét. fin. L313-2 (3 x, L441-10 II)"))
        floor = legal_at.rate * multiple.value
        if invoice.contract_rate >= floor:
            # The contract rate is what is owed: it does not wait for any publication.
            found.cap_checked(legal_at, "fr_legal_rate", Percent(invoice.contract_rate))
            basis = Message.of("law.basis.contract", rate=Percent(invoice.contract_rate))
            return RateChoice(invoice.contract_rate, basis)
        found.rate_used(legal_at, "fr_legal_rate")
        # Below the floor the clause does not bind and the statutory default applies: our
        # reading of L441-10 II, flagged [?] in the reference (A1.1 pitfall).
        default = default_rate(day)
        found.warn(
            "law.warning.contract_rate_below_floor",
            rate=Percent(invoice.contract_rate),
            floor=Percent(floor),
            legal=Percent(legal_at.rate),
            period=period_message(legal_at.period),
            applied=Percent(default.rate),
        )
        return RateChoice(default.rate, default.basis, default.provisional or legal_at.provisional)

    periods = (
        accrue_until_paid(invoice, due + ONE_DAY, on, Granularity.HALF_YEAR, choose)
        if on > due
        else ()
    )
    return periods, Message.of("law.interest.fr.business", start=due + ONE_DAY, on=on)


def _consumer_interest(
    invoice: InvoiceFacts, principal: Money, due: date, on: date, found: Findings
) -> tuple[tuple[InterestPeriod, ...], Message]:
    """C. civ. 1231-6 / 1344-1: legal-rate interest only from the formal demand. The creditor is
    a professional, so the "all other cases" category of the legal rate applies (A2, A12)."""
    found.cite(CIV_1231_6)
    if invoice.contract_rate is not None:
        # A rate in consumer terms faces unfair-terms and penalty-clause control (1231-5): we
        # claim no more than the legal rate and say so.
        found.warn("law.warning.fr.consumer_contract_rate", rate=Percent(invoice.contract_rate))
    if invoice.demand_date is None:
        found.warn("law.warning.fr.consumer_needs_demand")
        return (), Message.of("law.interest.fr.consumer_no_demand")
    anchor = max(invoice.demand_date, due)
    legal = tables.rate_series("fr_legal_rate", "other_cases")
    found.cite(legal.source("C. monét. fin. L313-2"))

    def choose(day: date) -> RateChoice:
        legal_at = legal.at(day)
        found.rate_used(legal_at, "fr_legal_rate")
        basis = Message.of("law.basis.fr.legal_rate", period=period_message(legal_at.period))
        return RateChoice(legal_at.rate, basis, legal_at.provisional)

    periods = (
        accrue_until_paid(invoice, anchor + ONE_DAY, on, Granularity.HALF_YEAR, choose)
        if on > anchor
        else ()
    )
    return periods, Message.of(
        "law.interest.fr.consumer", demand=invoice.demand_date, start=anchor + ONE_DAY, on=on
    )


def _indemnity(
    invoice: InvoiceFacts, due: date, on: date, found: Findings
) -> tuple[Money, Message]:
    """D441-5: 40 EUR per invoice paid late by a professional debtor, from the first day late.
    Never against a consumer: recovery fees without an enforceable title are forbidden (L111-8)."""
    if invoice.debtor_kind is DebtorKind.CONSUMER:
        found.cite(
            Source(
                "CPCE L111-8",
                "https://www.saint-louis-recouvrement.com/indemnite-forfaitaire-recouvrement/",
            )
        )
        return Money.zero(), Message.of("law.indemnity.fr.consumer")
    return fixed_indemnity(FR, invoice, due, on, found)


def _limitation(invoice: InvoiceFacts, due: date, on: date, found: Findings) -> Limitation:
    """5 years between professionals (C. com. L110-4), 2 years against a consumer (C. conso.
    L218-2), with the interruptions of C. civ. 2240-2244 (A5).

    Between professionals the period legally starts on the due date (C. civ. 2233: a claim with
    a term does not run before it); we count from the invoice date, earlier, so as to warn early,
    and show the legal start in the details. Against a consumer it starts on the completion of
    the works, the performance of the services or the delivery (Cass. 3e civ., 1 March 2023,
    n° 21-23.176; Civ. 1re, 19 May 2021, n° 20-12.520): the prudent start is the earlier of that
    date and the invoice date; without that date we say the last day may be earlier."""
    interrupted_by = (
        Message.of("law.limitation.fr.acknowledgment"),
        Message.of("law.limitation.fr.court_claim"),
        Message.of("law.limitation.fr.enforcement"),
    )
    not_interrupted_by = (Message.of("law.limitation.fr.demand_letter"),)
    warn_months = tables.require(FR, "limitation_warning_months", on).as_int
    if invoice.debtor_kind is DebtorKind.BUSINESS:
        years = tables.require(FR, "limitation_business_years", on)
        found.cite(CIV_2233)
        legal = Message.of(
            "law.limitation.fr.legal_start_due", due=due, last_day=add_years(due, years.as_int)
        )
        return limitation_from_invoice(
            invoice, on, found, years, warn_months, interrupted_by, not_interrupted_by,
            details=(legal,), acknowledgement=ACKNOWLEDGEMENT,
        )
    years = tables.require(FR, "limitation_consumer_years", on)
    found.cite(CONSUMER_START)
    completed = invoice.delivery_date
    if completed is None:
        found.warn("law.warning.fr.completion_date_unknown", issued=invoice.issue_date)
        return limitation_from_invoice(
            invoice, on, found, years, warn_months, interrupted_by, not_interrupted_by,
            acknowledgement=ACKNOWLEDGEMENT,
        )
    start = min(completed, invoice.issue_date)
    return limitation_from_invoice(
        invoice, on, found, years, warn_months, interrupted_by, not_interrupted_by,
        start=start, acknowledgement=ACKNOWLEDGEMENT,
        explanation_key="law.limitation.fr.consumer_explained",
        details=(Message.of(
            "law.limitation.fr.consumer_start", completed=completed, issued=invoice.issue_date
        ),),
    )


def insolvency_guide(facts: InsolvencyFacts) -> InsolvencyGuide:
    """Proof of claim within 2 months of the BODACC publication (4 outside metropolitan France,
    R622-24); revendication of goods under retention of title within 3 months (L624-9);
    relief from foreclosure within 6 months (L622-26). Weekend/holiday ends roll over (CPC 642),
    but the last day we show is the unrolled one: acting by it is always safe.

    Interest in the claim stops the day BEFORE the opening judgment: the judgment takes effect
    from the first hour of its day (L622-28; Cass. com. on the "zéro heure" rule)."""
    published = facts.published_on
    opened = facts.opened_on or published
    interest_until = opened - ONE_DAY
    interest_note = Message.of("law.insolvency.fr.interest_until", day=interest_until,
                               opened=opened)
    opening_notes = (
        (interest_note,) if facts.opened_on else
        (interest_note, Message.of("law.insolvency.fr.opening_assumed", published=published))
    )
    abroad: tuple[Message, ...] = {
        True: (Message.of("law.insolvency.fr.outside_metropole_applied"),),
        None: (Message.of("law.insolvency.fr.outside_metropole_offer"),),
        False: (),
    }[facts.creditor_outside_metropole]
    holidays = tables.holidays(FR)
    claim_name = (
        "proof_of_claim_months_outside_metropole"
        if facts.creditor_outside_metropole
        else "proof_of_claim_months"
    )
    claim = tables.require(FR, claim_name, published)
    revendication = tables.require(FR, "revendication_months", published)
    relief = tables.require(FR, "relief_from_foreclosure_months", published)

    def deadline(key: str, months: int, source: Source) -> Deadline:
        last_day = add_months(published, months)
        rolled = holidays.roll_forward(last_day)
        return Deadline(
            Message.of(key, months=months, published=published),
            last_day,
            source,
            rolled if rolled != last_day else None,
        )

    return InsolvencyGuide(
        jurisdiction=Jurisdiction.FRANCE,
        proof_of_claim=deadline("law.insolvency.fr.proof_of_claim", claim.as_int, claim.citation),
        revendication=deadline(
            "law.insolvency.fr.revendication", revendication.as_int, revendication.citation
        ),
        other_deadlines=(deadline("law.insolvency.fr.relief", relief.as_int, relief.citation),),
        vocabulary=tuple(
            Message.of(f"law.vocabulary.fr.{word}")
            for word in ("mandataire", "bodacc", "declaration", "revendication", "juge_commissaire")
        ),
        notes=(
            *opening_notes,
            *abroad,
            Message.of("law.insolvency.fr.stay_of_actions"),
            Message.of("law.insolvency.fr.no_indemnity"),
            Message.of("law.insolvency.fr.interest_method"),
            Message.of("law.insolvency.fr.vat_certificate"),
        ),
        interest_until=interest_until,
    )
