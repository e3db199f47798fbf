"""What the user tells us about one invoice (and, for insolvency, about the proceedings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flows.vocabulary import DebtorKind, Jurisdiction


class InvalidFacts(ValueError):
    """The facts contradict themselves (due before issue, paid more than owed…)."""


class TermKind(StrEnum):
    NONE = "none"  # nothing agreed: the statutory default term applies
    DAYS = "days"  # N days from the invoice date
    END_OF_MONTH_45 = "end_of_month_45"  # "45 jours fin de mois" (France, C. com. L441-10 I)


class Supply(StrEnum):
    GOODS = "goods"
    SERVICES = "services"


class DemandChannel(StrEnum):
    """How the formal demand / first reminder was sent (Belgian Book XIX counts differently)."""

    POST = "post"
    EMAIL = "email"


@dataclass(frozen=True)
class Payment:
    """A sum received on a known day: the slice it settles bore interest until that day,
    included (interest runs "jusqu'au jour du paiement", C. com. L441-10 II)."""

    day: date
    amount: Decimal


@dataclass(frozen=True)
class InvoiceFacts:
    """One unpaid invoice.

    ``amount`` is the invoice total including tax, the base of late interest. ``contract_rate``
    is an annual percentage (``Decimal("12")`` = 12 % a year). ``demand_date`` is the day the
    formal demand was sent (Belgium, consumer: the first, free reminder). ``delivery_date``:
    the delivery, the performance of the services or the completion of the works (France: the
    default term and a consumer's limitation run from it). ``periodic``: the invoice belongs to
    periodic billing (Belgium: 5-year limitation). ``payments`` are the
    sums received with their dates; ``paid`` is what was received on a day we do not know (its
    interest cannot be counted, so it is deducted from the start). The last three fields
    matter in one jurisdiction each: ``demand_delay_days`` (Quebec: interest runs when the delay
    in the demand expires), ``creditor_employees`` (Quebec small claims: at most 10), and
    ``contract_damages`` (Belgium, consumer: the fixed damages the terms provide, capped by law).
    ``acknowledged_on``: the debtor acknowledged the debt that day (limitation restarts).
    ``default_by_term`` (Quebec): the contract stipulates that the mere lapse of the term puts the
    debtor in default (C.c.Q. 1594), so interest runs from the due date without a demand.
    """

    amount: Decimal
    issue_date: date
    debtor_kind: DebtorKind
    currency: str = "EUR"
    due_date: date | None = None
    payment_term_days: int | None = None
    term_kind: TermKind = TermKind.NONE
    supply: Supply = Supply.SERVICES
    delivery_date: date | None = None
    contract_rate: Decimal | None = None
    demand_date: date | None = None
    demand_channel: DemandChannel = DemandChannel.POST
    paid: Decimal = Decimal("0")
    number: str = ""
    demand_delay_days: int | None = None
    creditor_employees: int | None = None
    contract_damages: Decimal | None = None
    payments: tuple[Payment, ...] = ()
    periodic: bool = False  # Belgium: part of periodic billing (subscription, monthly...)
    # France, business debtor: a trader (commercial court) or not (tribunal judiciaire); None:
    # not said. The debtor's postcode and town name the court of its seat.
    debtor_trader: bool | None = None
    debtor_postcode: str = ""
    debtor_town: str = ""
    default_by_term: bool = False
    # The day the debtor acknowledged the debt (through the debtor's link): a new limitation
    # period of the same length starts that day (C. civ. 2240 and 2231; former Belgian C. civ.
    # 2248; C.c.Q. 2898 and 2903).
    acknowledged_on: date | None = None

    def __post_init__(self) -> None:
        # Accept the enum values as plain strings (from a form or stored JSON), keep enums.
        for name, kind in (
            ("debtor_kind", DebtorKind),
            ("term_kind", TermKind),
            ("supply", Supply),
            ("demand_channel", DemandChannel),
        ):
            try:
                object.__setattr__(self, name, kind(getattr(self, name)))
            except ValueError:
                raise InvalidFacts(f"unknown {name}: {getattr(self, name)!r}") from None
        for name in ("amount", "paid"):
            if not isinstance(getattr(self, name), Decimal):
                raise InvalidFacts(f"{name} must be a Decimal")
        if self.amount <= 0:
            raise InvalidFacts("the invoice amount must be positive")
        if self.paid < 0 or self.paid > self.amount:
            raise InvalidFacts("the amount already paid must be between 0 and the invoice amount")
        object.__setattr__(self, "payments", tuple(sorted(self.payments, key=lambda p: p.day)))
        for payment in self.payments:
            if not isinstance(payment.amount, Decimal) or payment.amount <= 0:
                raise InvalidFacts("each payment must be a positive Decimal amount")
            if payment.day < self.issue_date:
                raise InvalidFacts(f"a payment of {payment.day} is dated before the invoice")
        if self.paid + sum(p.amount for p in self.payments) > self.amount:
            raise InvalidFacts("the payments add up to more than the invoice amount")
        if self.due_date is not None and self.due_date < self.issue_date:
            raise InvalidFacts("the due date is before the invoice date")
        if self.payment_term_days is not None and self.payment_term_days < 0:
            raise InvalidFacts("the payment term cannot be negative")
        if self.term_kind is TermKind.DAYS and self.payment_term_days is None and not self.due_date:
            raise InvalidFacts("a term in days needs the number of days")
        if self.contract_rate is not None and self.contract_rate < 0:
            raise InvalidFacts("the contractual rate cannot be negative")
        if self.contract_damages is not None and self.contract_damages < 0:
            raise InvalidFacts("the contractual damages cannot be negative")
        if self.demand_date is not None and self.demand_date < self.issue_date:
            raise InvalidFacts("the formal demand is dated before the invoice")
        if self.demand_delay_days is not None and self.demand_delay_days < 0:
            raise InvalidFacts("the delay given in the demand cannot be negative")
        if self.creditor_employees is not None and self.creditor_employees < 0:
            raise InvalidFacts("the number of employees cannot be negative")

    @property
    def principal(self) -> Decimal:
        """What is still owed on the invoice itself."""
        return self.amount - self.paid - sum((p.amount for p in self.payments), Decimal(0))

    @property
    def owed_before_payments(self) -> Decimal:
        """What interest first runs on: the invoice less the sums received on an unknown day."""
        return self.amount - self.paid

    def settled_by(self, day: date) -> bool:
        """Fully paid, every dated payment made on or before ``day`` (undated ones count as
        made in time: we cannot say otherwise)."""
        return self.principal == 0 and all(p.day <= day for p in self.payments)


@dataclass(frozen=True)
class InsolvencyFacts:
    """Collective proceedings opened against the debtor.

    ``published_on``: France, the BODACC publication of the opening judgment; Belgium, the
    bankruptcy judgment; Quebec, the date of bankruptcy. ``creditor_outside_metropole``: France
    doubles the proof-of-claim period for creditors outside metropolitan France (R622-24).
    ``claims_deadline``: Belgium, the date the judgment sets for declarations, when known.
    ``opened_on``: France, the day of the opening judgment (before its BODACC publication).
    """

    published_on: date
    creditor_outside_metropole: bool | None = None  # None: not asked, the 4 months are offered
    claims_deadline: date | None = None
    opened_on: date | None = None

    def __post_init__(self) -> None:
        if self.opened_on is not None and self.opened_on > self.published_on:
            raise InvalidFacts("the opening judgment is dated after its publication")


@dataclass(frozen=True)
class CaseFacts:
    """The situation around an unpaid invoice, as the remedy step asks it.

    ``goods_held_under_retention``: goods sold with a retention-of-title clause are still with
    the debtor, in kind. ``services_ongoing``: the creditor still performs services it could
    suspend. The amount, debtor kind, formal demand and age of the debt come from ``invoice``.
    """

    jurisdiction: Jurisdiction
    invoice: InvoiceFacts
    disputed: bool = False
    # What is disputed (``vocabulary.DISPUTE_POINTS``): the reply letter answers that point.
    dispute_point: str = "other"
    debtor_responsive: bool = True
    financial_difficulty: bool = False
    insolvency: InsolvencyFacts | None = None
    goods_held_under_retention: bool = False
    services_ongoing: bool = False
    reminders_sent: int = 0
