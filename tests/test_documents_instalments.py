"""The payment plan's table: what the debtor signs must add up to the total, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.instalments import Frequency, PlanError, add_months, max_instalments, schedule
from flows.money import Money

totals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
counts = st.integers(min_value=1, max_value=24)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(totals, counts, days, st.sampled_from(list(Frequency)))
def test_instalments_always_sum_exactly_to_the_total(total: Decimal, count: int, first: date,
                                                      every: Frequency) -> None:
    money = Money(total, "EUR")
    if count > max_instalments(money):
        with pytest.raises(PlanError):
            schedule(money, count, first, every)
        return
    table = schedule(money, count, first, every)
    assert len(table) == count
    assert sum((i.amount.amount for i in table), Decimal(0)) == total
    assert all(i.amount.amount > 0 and i.amount.amount == i.amount.amount.quantize(Decimal("0.01"))
               for i in table)
    # Equal instalments; the rounding cents go on the last one, never more than count-1 cents.
    assert len({i.amount for i in table[:-1]}) <= 1
    assert Decimal(0) <= table[-1].amount.amount - table[0].amount.amount < Decimal("0.01") * count
    assert [i.number for i in table] == list(range(1, count + 1))
    assert table[0].due == first
    assert all(a.due < b.due for a, b in pairwise(table))


def test_three_monthly_instalments_put_the_cents_on_the_last() -> None:
    table = schedule(Money(Decimal("3352.01")), 3, date(2026, 12, 15), Frequency.MONTHLY)
    assert [str(i.amount.amount) for i in table] == ["1117.33", "1117.33", "1117.35"]
    assert [i.due for i in table] == [date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)]


def test_a_month_end_date_stays_at_the_month_end() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 31), 2) == date(2027, 3, 31)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    table = schedule(Money(Decimal("100")), 3, date(2027, 1, 31), Frequency.MONTHLY)
    assert [i.due.isoformat() for i in table] == ["2027-01-31", "2027-02-28", "2027-03-31"]


def test_weekly_and_fortnightly_plans_step_by_seven_and_fourteen_days() -> None:
    weekly = schedule(Money(Decimal("90")), 3, date(2026, 12, 1), Frequency.WEEKLY)
    fortnightly = schedule(Money(Decimal("90")), 3, date(2026, 12, 1), Frequency.BIWEEKLY)
    assert [i.due.day for i in weekly] == [1, 8, 15]
    assert [i.due.isoformat() for i in fortnightly] == ["2026-12-01", "2026-12-15",
                                                        "2026-12-29"]


def test_a_plan_cannot_split_a_few_cents_into_more_instalments() -> None:
    with pytest.raises(PlanError):
        schedule(Money(Decimal("0.02")), 3, date(2026, 12, 1), Frequency.MONTHLY)
    with pytest.raises(PlanError):
        schedule(Money(Decimal("10")), 0, date(2026, 12, 1), Frequency.MONTHLY)
