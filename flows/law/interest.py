"""Simple late interest over a span of days, split where the applicable rate changes.

Convention (stated in every answer): interest runs from the day after the due date (or after
the demand) up to and including the computation date, actual days / 365, simple interest, each
period rounded half-up to the cent. It reproduces LEGAL_FACTS A1.2 to the cent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flows.law.facts import InvoiceFacts
from flows.law.messages import Message
from flows.law.rights import InterestPeriod
from flows.law.tables import Granularity, Period
from flows.money import Money, to_cents

YEAR_DAYS = Decimal(365)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class RateChoice:
    """The rate that applies from one day, why, and whether it was carried over (provisional)."""

    rate: Decimal
    basis: Message  # equal choices on consecutive spans merge into one period
    provisional: bool = False


def split_days(first: date, last: date, granularity: Granularity) -> list[tuple[date, date]]:
    """Cut [first, last] at each new half-year or year (an open rate is never cut)."""
    spans: list[tuple[date, date]] = []
    start = first
    while start <= last:
        period = Period.containing(granularity, start)
        end = last if period.end is None else min(period.end, last)
        spans.append((start, end))
        start = end + ONE_DAY
    return spans


def simple_interest(principal: Decimal, rate: Decimal, days: int) -> Decimal:
    return to_cents(principal * rate * days / (Decimal(100) * YEAR_DAYS))


def accrue(
    principal: Money,
    first: date,
    last: date,
    granularity: Granularity,
    choose: Callable[[date], RateChoice],
) -> tuple[InterestPeriod, ...]:
    """Interest periods for lateness from ``first`` to ``last`` (both included)."""
    merged: list[tuple[date, date, RateChoice]] = []
    for start, end in split_days(first, last, granularity):
        choice = choose(start)
        if merged and merged[-1][2] == choice:
            merged[-1] = (merged[-1][0], end, choice)
        else:
            merged.append((start, end, choice))
    periods = []
    for start, end, choice in merged:
        days = (end - start).days + 1
        amount = simple_interest(principal.amount, choice.rate, days)
        periods.append(
            InterestPeriod(
                start=start,
                end=end,
                days=days,
                annual_rate=choice.rate,
                amount=Money(amount, principal.currency),
                basis=choice.basis,
                provisional=choice.provisional,
            )
        )
    return tuple(periods)


def accrue_until_paid(
    invoice: InvoiceFacts,
    first: date,
    last: date,
    granularity: Granularity,
    choose: Callable[[date], RateChoice],
) -> tuple[InterestPeriod, ...]:
    """Interest from ``first`` to ``last`` on what stays unpaid: each payment's slice bears
    interest up to the day it was paid, included, then the smaller balance goes on. Periods are
    split at every payment and every rate change; a payment made before ``first`` (on time)
    simply lowers the balance from the start."""
    currency = invoice.currency
    balance = invoice.owed_before_payments
    start = first
    periods: list[InterestPeriod] = []
    for payment in invoice.payments:
        if payment.day >= start:
            end = min(payment.day, last)
            if balance > 0 and end >= start:
                periods += accrue(Money(balance, currency), start, end, granularity, choose)
            start = payment.day + ONE_DAY
        balance -= payment.amount
    if balance > 0 and start <= last:
        periods += accrue(Money(balance, currency), start, last, granularity, choose)
    return tuple(periods)


def per_day(principal: Money, rate: Decimal) -> Money:
    """What one more day of lateness adds at ``rate``."""
    return Money(simple_interest(principal.amount, rate, 1), principal.currency)
