"""Quebec: the civil-law rules for an unpaid invoice (LEGAL_FACTS.md PART C).

Interest runs once the debtor is in default (C.c.Q. 1594): from the due date when the contract
says the mere lapse of the term puts the debtor in default, otherwise when the delay given in a
written demand has expired (1595), at the agreed rate or the 5 % legal rate (1617).
There is no fixed recovery indemnity; a court may add the additional indemnity of 1619, which
we do not compute: the rate of s. 28 of the Tax Administration Act changes each quarter and we
hold no dated, sourced table of it, so the request asks for it and says the court computes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from flows.law import quebec_letters, tables
from flows.law.common import (
    Findings,
    agreed_due_date,
    build_rights,
    check_facts,
    limitation_from_invoice,
)
from flows.law.facts import InsolvencyFacts, InvoiceFacts
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
from flows.vocabulary import Jurisdiction

QC = "qc"
ONE_DAY = timedelta(days=1)
# Common practice for the "reasonable delay" of a demand (LEGAL_FACTS D3, general knowledge).
ASSUMED_DEMAND_DELAY_DAYS = 10
DEMEURE = Source("C.c.Q. 1594-1595, 1617", "https://cpavocats.ca/sujet-dinterets__trashed/")
ADDITIONAL_INDEMNITY = Source("C.c.Q. 1619", verified=False)
SMALL_CLAIMS = "https://www.justice.gouv.qc.ca/vos-differends/les-petites-creances"


class QuebecPack:
    jurisdiction = Jurisdiction.QUEBEC
    currency = "CAD"

    def rights(self, invoice: InvoiceFacts, on: date) -> Rights:
        check_facts(invoice, self.currency, on)
        found = Findings()
        principal = Money(invoice.principal, self.currency)
        agreed = agreed_due_date(invoice)
        due = agreed or invoice.issue_date
        term = PaymentTerm(
            agreed,
            None,
            due,
            None,
            Message.of("law.term.qc.rule"),
            Message.of("law.term.qc.meaning", due=due),
            (DEMEURE,),
        )
        periods, explanation = _interest(invoice, principal, due, on, found)
        interest = Money(sum((p.amount.amount for p in periods), Decimal(0)), self.currency)
        found.cite(ADDITIONAL_INDEMNITY)
        limitation = _limitation(invoice, on, found)
        routes = _routes(invoice, principal, on, found)
        for route in routes:
            found.cite(*route.sources)
        zero = Money.zero(self.currency)
        return build_rights(
            self.jurisdiction, invoice, on, found,
            principal=principal, interest=interest, periods=periods, explanation=explanation,
            indemnity=zero, indemnity_explanation=Message.of("law.indemnity.qc.none"),
            due=due, term=term, limitation=limitation, routes=routes,
        )

    def insolvency(self, facts: InsolvencyFacts) -> InsolvencyGuide:
        """Bankruptcy is federal (BIA): proof of claim to the trustee (syndic), no fixed date in
        our reference; goods delivered in the 30 days before can be claimed back if demanded
        within 15 days after the bankruptcy and unchanged (BIA s. 81.1)."""
        delivered = tables.require(QC, "bia_goods_delivered_days", facts.published_on)
        demand = tables.require(QC, "bia_goods_demand_days", facts.published_on)
        return InsolvencyGuide(
            jurisdiction=self.jurisdiction,
            proof_of_claim=Deadline(
                Message.of("law.insolvency.qc.proof_of_claim"),
                None,
                Source("LFI / BIA", verified=False),
            ),
            revendication=Deadline(
                Message.of(
                    "law.insolvency.qc.goods", delivered=delivered.as_int, days=demand.as_int
                ),
                facts.published_on + timedelta(days=demand.as_int),
                demand.citation,
            ),
            other_deadlines=(),
            vocabulary=tuple(
                Message.of(f"law.vocabulary.qc.{word}")
                for word in ("faillite", "syndic", "preuve", "reprise", "proposition")
            ),
            notes=(Message.of("law.insolvency.qc.federal"),),
        )

    def letters(self, facts: LetterFacts) -> LetterWording:
        return quebec_letters.wording(facts)

    def insolvency_letters(self, facts: InsolvencyLetterFacts) -> InsolvencyWording:
        return quebec_letters.insolvency_wording(facts)


def _interest(
    invoice: InvoiceFacts, principal: Money, due: date, on: date, found: Findings
) -> tuple[tuple[InterestPeriod, ...], Message]:
    found.cite(DEMEURE)
    agreed = agreed_due_date(invoice)
    if invoice.default_by_term and agreed is not None:
        # 1594: in default "by the terms of the contract" once the term has run out.
        periods = (
            accrue_until_paid(
                invoice, agreed + ONE_DAY, on, Granularity.OPEN, _chooser(invoice, on, found)
            )
            if on > agreed
            else ()
        )
        return periods, Message.of("law.interest.qc.from_term", due=agreed,
                                   start=agreed + ONE_DAY, on=on)
    if invoice.demand_date is None:
        found.warn("law.warning.qc.demand_needed")
        return (), Message.of("law.interest.qc.no_demand")
    delay = invoice.demand_delay_days
    if delay is None:
        delay = ASSUMED_DEMAND_DELAY_DAYS
        found.warn("law.warning.qc.delay_assumed", days=delay)
    # In default when the delay expires; never before the invoice itself is due.
    default_day = max(invoice.demand_date + timedelta(days=delay), due)
    periods = (
        accrue_until_paid(
            invoice, default_day + ONE_DAY, on, Granularity.OPEN, _chooser(invoice, on, found)
        )
        if on > default_day
        else ()
    )
    return periods, Message.of(
        "law.interest.qc.from_default",
        demand=invoice.demand_date,
        days=delay,
        start=default_day + ONE_DAY,
        on=on,
    )


def _chooser(
    invoice: InvoiceFacts, on: date, found: Findings
) -> Callable[[date], RateChoice]:
    """The agreed rate, else the 5 % legal rate; a rate above the criminal rate is flagged."""
    legal = tables.rate_series("qc_legal_rate")
    found.cite(legal.source("Loi sur l'intérêt / Interest Act s. 3"))
    ceiling = tables.figure(QC, "criminal_rate_ceiling", on)
    if (
        invoice.contract_rate is not None
        and ceiling is not None
        and invoice.contract_rate > ceiling.value
    ):
        found.warn(
            "law.warning.qc.criminal_rate",
            rate=Percent(invoice.contract_rate),
            ceiling=Percent(ceiling.value),
        )
        found.cite(ceiling.citation)
    found.note("law.note.qc.rate_per_year")

    def choose(day: date) -> RateChoice:
        if invoice.contract_rate is not None:
            return RateChoice(
                invoice.contract_rate,
                Message.of("law.basis.contract", rate=Percent(invoice.contract_rate)),
            )
        at = legal.at(day)
        found.rate_used(at, "qc_legal_rate")
        return RateChoice(at.rate, Message.of("law.basis.qc.legal_rate"), at.provisional)

    return choose


def _limitation(invoice: InvoiceFacts, on: date, found: Findings) -> Limitation:
    """3 years (C.c.Q. 2925), counted from the invoice date to be safe; interrupted by a
    judicial demand (2892) or the debtor's acknowledgment (2898), not by a demand letter."""
    years = tables.require(QC, "limitation_years", on)
    warn_months = tables.require(QC, "limitation_warning_months", on).as_int
    return limitation_from_invoice(
        invoice, on, found, years, warn_months,
        interrupted_by=(
            Message.of("law.limitation.qc.court_claim"),
            Message.of("law.limitation.qc.acknowledgment"),
        ),
        not_interrupted_by=(Message.of("law.limitation.qc.demand_letter"),),
        # Acknowledgement interrupts (2898); the same period then runs again (2903).
        acknowledgement=Source("C.c.Q. 2898, 2903"),
    )


def _routes(
    invoice: InvoiceFacts, principal: Money, on: date, found: Findings
) -> tuple[CourtRoute, ...]:
    """Small Claims Division (C.p.c. 536 ff.): principal up to the ceiling, interest excluded;
    a legal person may use it only with at most 10 employees in the 12 months before filing."""
    ceiling = tables.require(QC, "small_claims_ceiling", on)
    staff = tables.require(QC, "small_claims_max_employees", on)
    within = principal.amount <= ceiling.value
    employees = invoice.creditor_employees
    small_enough = None if employees is None else employees <= staff.as_int
    review = ceiling.last_review_before(on)
    if review is not None and not within:
        found.warn(
            "law.warning.qc.ceiling_review",
            ceiling=Money(ceiling.value, ceiling.unit),
            review=review,
        )
    if within and small_enough:
        available: bool | None = True
    elif not within or small_enough is False:
        available = False
    else:
        available = None
    small_claims = CourtRoute(
        kind=RouteKind.SMALL_CLAIMS_COURT,
        court=Message.of("law.court.qc.small_claims"),
        available=available,
        conditions=(
            Condition(
                Message.of(
                    "law.cond.qc.ceiling",
                    principal=principal,
                    ceiling=Money(ceiling.value, ceiling.unit),
                ),
                within,
            ),
            Condition(Message.of("law.cond.qc.employees", max=staff.as_int), small_enough),
            Condition(Message.of("law.cond.qc.own_claim"), True),
        ),
        lawyer_required=False,
        notes=(
            Message.of("law.route.qc.small_claims.rules"),
            Message.of("law.route.qc.small_claims.reduce"),
        ),
        sources=(ceiling.citation, staff.citation),
    )
    regular = CourtRoute(
        kind=RouteKind.SUMMONS,
        court=Message.of("law.court.qc.regular"),
        available=True,
        conditions=(),
        lawyer_required=None,
        notes=(),
        sources=(Source("C.p.c.", SMALL_CLAIMS, verified=False),),
    )
    return (small_claims, regular)
