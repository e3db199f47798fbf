"""A payment plan's instalment table: equal amounts, the rounding cents on the last one.

The table is what the debtor signs, so it must add up to the total to the cent: every
instalment but the last is the total divided by the count, rounded *down* to the cent, and the
last one takes whatever is left (never less than the others). Dates follow the first one at a
fixed rhythm; a monthly date keeps its day of the month, or the month's last day when the month
is shorter (31 January → 28 February → 31 March).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN
from enum import StrEnum

from flows.money import CENT, Money


class Frequency(StrEnum):
    MONTHLY = "monthly"
    BIWEEKLY = "biweekly"
    WEEKLY = "weekly"


class PlanError(ValueError):
    """A plan that cannot be drawn (nothing to pay, or fewer cents than instalments)."""


@dataclass(frozen=True)
class Instalment:
    number: int  # 1-based
    due: date
    amount: Money


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month if it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(first: date, count: int, every: Frequency) -> list[date]:
    if every is Frequency.MONTHLY:
        return [add_months(first, n) for n in range(count)]
    step = timedelta(weeks=2 if every is Frequency.BIWEEKLY else 1)
    return [first + step * n for n in range(count)]


def schedule(total: Money, count: int, first: date, every: Frequency) -> list[Instalment]:
    """``count`` instalments from ``first`` whose amounts sum exactly to ``total``."""
    if count < 1:
        raise PlanError("a plan has at least one instalment")
    total = total.rounded()
    if total.amount < CENT * count:
        raise PlanError("the total is too small for that many instalments")
    share = (total.amount / count).quantize(CENT, rounding=ROUND_DOWN)
    amounts = [share] * (count - 1) + [total.amount - share * (count - 1)]
    return [Instalment(n + 1, day, Money(amount, total.currency))
            for n, (day, amount) in enumerate(zip(due_dates(first, count, every), amounts,
                                                  strict=True))]


def max_instalments(total: Money) -> int:
    """The most instalments a total allows (one cent each)."""
    return int(total.rounded().amount / CENT)
