"""Calendar rules the deadlines rest on (CPC 641-642)."""

from __future__ import annotations

from datetime import date

import pytest

from flows.law import tables
from flows.law.dates import HalfYear, add_months, add_years, easter_sunday


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2025-01-10", 2, "2025-03-10"),
        ("2024-12-31", 2, "2025-02-28"),
        ("2023-12-31", 2, "2024-02-29"),
        ("2025-03-31", -1, "2025-02-28"),
    ],
)
def test_a_period_in_months_ends_on_the_same_day_or_the_months_last(
    start: str, months: int, end: str
) -> None:
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(end)


def test_a_period_in_years_from_29_february_ends_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05")]
)
def test_easter_sunday(year: int, easter: str) -> None:
    assert easter_sunday(year) == date.fromisoformat(easter)


@pytest.mark.parametrize(
    ("day", "rolled"),
    [
        ("2025-05-10", "2025-05-12"),  # Saturday -> Monday
        ("2025-05-08", "2025-05-09"),  # 8 May is a French public holiday
        ("2025-06-09", "2025-06-10"),  # Whit Monday 2025
        ("2025-03-10", "2025-03-10"),
    ],
)
def test_a_french_deadline_on_a_day_off_rolls_to_the_next_working_day(
    day: str, rolled: str
) -> None:
    assert tables.holidays("fr").roll_forward(date.fromisoformat(day)) == date.fromisoformat(rolled)


def test_half_year_bounds() -> None:
    assert HalfYear.of(date(2024, 7, 1)) == HalfYear(2024, 2)
    assert HalfYear(2024, 1).last_day == date(2024, 6, 30)
    assert str(HalfYear(2026, 2)) == "2026 H2"


@pytest.mark.parametrize(
    ("prefix", "day", "rolled"),
    [
        ("be", "2026-07-21", "2026-07-22"),  # Belgian national day, a Tuesday
        ("be", "2026-07-14", "2026-07-14"),  # 14 July is French, not Belgian
        ("qc", "2026-06-24", "2026-06-25"),  # Saint-Jean-Baptiste
        ("qc", "2026-04-06", "2026-04-07"),  # Easter Monday, a holiday for C.p.c. deadlines
        ("qc", "2027-01-02", "2027-01-04"),  # Saturday 2 January -> Monday
        ("qc", "2026-12-26", "2026-12-28"),  # Boxing Day, a Saturday -> Monday
        ("fr", "2026-12-25", "2026-12-28"),  # Christmas Friday -> Monday (CPC 642)
    ],
)
def test_each_jurisdictions_deadlines_roll_past_its_own_holidays(
    prefix: str, day: str, rolled: str
) -> None:
    assert tables.holidays(prefix).roll_forward(date.fromisoformat(day)) == date.fromisoformat(
        rolled
    )
