"""What the engine answers for one invoice: figures, deadlines, court routes, all with sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flows.law.facts import Payment
from flows.law.messages import Condition, Message, Source
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction

# Stated in every answer (LEGAL_FACTS A1: the texts do not fix 365 vs 366, we use 365 and say so).
DAY_COUNT = "actual/365"


class RouteKind(StrEnum):
    SMALL_CLAIMS_PROCEDURE = "small_claims_procedure"  # FR: commissaire de justice, L125-1
    ORDER_FOR_PAYMENT = "order_for_payment"  # FR injonction de payer; BE procédure sommaire
    INTERIM_PAYMENT = "interim_payment"  # FR référé-provision
    SUMMONS = "summons"  # an ordinary action before the court with jurisdiction
    UNCONTESTED_DEBT = "uncontested_debt"  # BE: huissier procedure between enterprises
    SMALL_CLAIMS_COURT = "small_claims_court"  # QC: Small Claims Division


@dataclass(frozen=True)
class InterestPeriod:
    """A stretch of lateness at one annual rate; ``start`` and ``end`` are both included."""

    start: date
    end: date
    days: int
    annual_rate: Decimal
    amount: Money
    basis: Message
    provisional: bool = False


@dataclass(frozen=True)
class PaymentTerm:
    """The agreed payment term checked against the statutory ceiling, and what follows."""

    agreed_due: date | None
    legal_latest: date | None  # None: no statutory ceiling for this debtor / jurisdiction
    effective_due: date  # the due date late interest counts from
    exceeded: bool | None  # None: no ceiling applies
    rule: Message
    meaning: Message
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Limitation:
    last_day: date  # the last day to bring a court claim
    starts: date
    years: int
    explanation: Message
    interrupted_by: tuple[Message, ...]
    not_interrupted_by: tuple[Message, ...]
    source: Source
    details: tuple[Message, ...] = ()  # how the start was chosen, the legal start if later


@dataclass(frozen=True)
class CourtRoute:
    kind: RouteKind
    court: Message
    available: bool | None  # None: depends on facts we were not given
    conditions: tuple[Condition, ...]
    lawyer_required: bool | None
    notes: tuple[Message, ...]
    sources: tuple[Source, ...]
    form: str = ""  # the official form to file, when there is one (FR: a Cerfa number)


@dataclass(frozen=True)
class Rights:
    jurisdiction: Jurisdiction
    debtor_kind: DebtorKind
    computed_on: date
    number: str
    principal: Money
    interest: Money
    interest_per_day: Money
    interest_periods: tuple[InterestPeriod, ...]
    interest_explanation: Message
    payments: tuple[Payment, ...]  # received on known days, oldest first
    paid_undated: Money  # received on a day we do not know: its interest cannot be counted
    indemnity: Money
    indemnity_explanation: Message
    total: Money
    days_late: int
    payment_term: PaymentTerm
    limitation: Limitation
    routes: tuple[CourtRoute, ...]
    warnings: tuple[Message, ...]
    notes: tuple[Message, ...]
    sources: tuple[Source, ...]
    provisional: bool  # some rate was carried over from an earlier period: figures may change
    day_count: str = DAY_COUNT

    @property
    def not_yet_due(self) -> bool:
        """Something is still owed and its due date has not passed."""
        return self.principal.amount > 0 and self.computed_on <= self.payment_term.effective_due

    @property
    def limitation_date(self) -> date:
        return self.limitation.last_day

    @property
    def currency(self) -> str:
        return self.principal.currency

    def route(self, kind: RouteKind) -> CourtRoute:
        for route in self.routes:
            if route.kind is kind:
                return route
        raise KeyError(kind)

    def messages(self) -> tuple[Message, ...]:
        """Every message in this answer, nested ones included (for catalog checks)."""
        top: list[Message] = [
            self.interest_explanation,
            self.indemnity_explanation,
            self.payment_term.rule,
            self.payment_term.meaning,
            self.limitation.explanation,
            *self.limitation.details,
            *self.limitation.interrupted_by,
            *self.limitation.not_interrupted_by,
            *self.warnings,
            *self.notes,
            *(period.basis for period in self.interest_periods),
        ]
        for route in self.routes:
            top += [route.court, *route.notes, *(c.text for c in route.conditions)]
        return tuple(nested for message in top for nested in message.walk())


@dataclass(frozen=True)
class Deadline:
    what: Message
    last_day: date | None  # None: set case by case (e.g. by the judgment), see ``what``
    source: Source
    extended_to: date | None = None  # when the last day is not a working day (CPC 642)


@dataclass(frozen=True)
class InsolvencyGuide:
    """Deadlines and words for collective proceedings; the first deadline is the proof of claim.

    ``interest_until``: the last day of interest the proof of claim may count (None: the day of
    the bankruptcy itself, Quebec); its rule is the first of ``notes``.
    """

    jurisdiction: Jurisdiction
    proof_of_claim: Deadline
    revendication: Deadline | None
    other_deadlines: tuple[Deadline, ...]
    vocabulary: tuple[Message, ...]
    notes: tuple[Message, ...]
    interest_until: date | None = None

    def messages(self) -> tuple[Message, ...]:
        deadlines = [self.proof_of_claim, *self.other_deadlines]
        if self.revendication is not None:
            deadlines.append(self.revendication)
        top = [d.what for d in deadlines] + [*self.vocabulary, *self.notes]
        return tuple(nested for message in top for nested in message.walk())
