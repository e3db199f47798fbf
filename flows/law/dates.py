"""Calendar arithmetic used by the law: months and years, half-years, working days.

Public holidays come from the ``holidays`` package (France, Belgium, Quebec).

Month and year arithmetic follows CPC 641: a period in months or years ends on the day with the
same number; when that month has no such day (31st, 29 February) it ends on the month's last day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

ONE_DAY = timedelta(days=1)


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


@dataclass(frozen=True, order=True)
class HalfYear:
    """A calendar half-year: French and Belgian late rates are fixed per half-year."""

    year: int
    half: int  # 1 (January-June) or 2 (July-December)

    @classmethod
    def of(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def __str__(self) -> str:
        return f"{self.year} H{self.half}"


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm): the base of the extra Easter-related days."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@dataclass(frozen=True)
class Holidays:
    """Public holidays of one jurisdiction: the ``holidays`` package's calendar (country, and
    province for Quebec), plus the days the procedure rules add to it (fixed ``(month, day)``
    dates and offsets from Easter Sunday, from the data files)."""

    country: str
    subdivision: str | None = None
    extra_fixed: tuple[tuple[int, int], ...] = ()
    extra_easter_offsets: tuple[int, ...] = ()

    def is_holiday(self, day: date) -> bool:
        if day in _calendar(self.country, self.subdivision, day.year):
            return True
        if (day.month, day.day) in self.extra_fixed:
            return True
        return (day - easter_sunday(day.year)).days in self.extra_easter_offsets

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def roll_forward(self, day: date) -> date:
        """A deadline on a Saturday, Sunday or holiday moves to the next working day (CPC 642,
        C. jud. 53, C.p.c. 83)."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, day: date, count: int) -> date:
        while count > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day


@cache
def _calendar(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, years=year)
