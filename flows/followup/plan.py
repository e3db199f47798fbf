"""Payment plans and payments received: the instalment table, and where a payment goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from flows.law.dates import add_months
from flows.model import Case
from flows.money import CENT, Money

INTERVALS = ("monthly", "biweekly", "weekly")
# A product rule, not law: a plan the bot follows has 2 to 24 instalments (the debtor's own
# proposals too, flows.debtor.answers), two years of monthly payments at most.
PLAN_INSTALMENTS = (2, 24)


@dataclass(frozen=True)
class Instalment:
    number: int  # from 1
    due: date
    amount: Money


def instalments(total: Money, count: int, first: date, interval: str) -> list[Instalment]:
    """Equal instalments whose sum is exactly ``total``: the rounding cents go on the last one."""
    if count < 1:
        raise ValueError("a plan has at least one instalment")
    share = (total.amount / count).quantize(CENT, rounding=ROUND_DOWN)
    last = total.amount - share * (count - 1)
    items = []
    for index in range(count):
        if interval == "monthly":
            due = add_months(first, index)  # from the first date each time: 31/01 → 28/02 → 31/03
        else:
            due = first + timedelta(days=(14 if interval == "biweekly" else 7) * index)
        amount = last if index == count - 1 else share
        items.append(Instalment(index + 1, due, Money(amount, total.currency)))
    return items


def covered(items: list[Instalment], paid_since_start: Decimal) -> dict[int, Decimal]:
    """How much of each instalment is paid, payments going to the earliest instalment first."""
    left = paid_since_start
    out: dict[int, Decimal] = {}
    for item in items:
        take = min(left, item.amount.amount) if left > 0 else Decimal("0")
        out[item.number] = take
        left -= take
    return out


# Payments --------------------------------------------------------------------------------------
def _invoice_answers(case: Case) -> list[dict[str, Any]]:
    """The stored answers of each invoice, oldest first (a payment settles the oldest debt
    first when nothing else was agreed, C. civ. 1342-10)."""
    found = [a for a in case.more_invoices if "invoice_amount" in a]
    if "invoice_amount" in case.answers:
        found.append(case.answers)
    return sorted(found, key=lambda a: str(a.get("issue_date", "")))


def record_payment(case: Case, received: Money, day: date) -> Money:
    """Spread a payment received on ``day`` over the invoices, oldest first, each slice kept
    with its date (interest on it runs until that day); return what exceeds the balance."""
    left = received.amount
    for answers in _invoice_answers(case):
        amount = Money.from_json(answers["invoice_amount"])
        paid = answers.get("paid_amount")
        already = Money.from_json(paid).amount if isinstance(paid, dict) else Decimal("0")
        dated = answers.get("payments")
        payments = list(dated) if isinstance(dated, list) else []
        already += sum((Decimal(p["amount"]) for p in payments), Decimal("0"))
        take = min(left, amount.amount - already)
        if take > 0:
            payments.append({"on": day.isoformat(), "amount": str(take)})
            answers["payments"] = payments
            left -= take
    return Money(left, received.currency)


def total_paid(case: Case) -> Money:
    total = Money.zero(case.currency)
    for invoice in case.invoices():
        total = total + invoice.paid
    return total
