"""Dated figures read from ``flows/law/data/*.toml``: rate series, thresholds, holidays.

Figures live in data files so that a new half-year's rate is a data change, not a code change.
A date after a series' newest row carries that row over and marks the answer ``provisional``
(the next figure is not published yet); callers turn that into a visible warning. A date before
its first row is refused (``RateNotCovered``): a later rate is never put in the past's place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from flows.law.dates import HalfYear, Holidays
from flows.law.facts import InvalidFacts
from flows.law.messages import Source


class LawDataError(RuntimeError):
    """A data file is missing a figure or is malformed (a bug in the data, not in the facts)."""


class RateNotCovered(InvalidFacts):
    """A date before the first row of a rate table: we have no published figure for it."""

    def __init__(self, table: str, day: date, first: date) -> None:
        super().__init__(
            f"no {table} rate before {first.isoformat()} in our tables "
            f"(asked for {day.isoformat()}); a professional can compute older interest"
        )
        self.table = table
        self.day = day
        self.first = first


# The rate tables each jurisdiction computes with (their first rows bound the dates we accept).
TABLES_OF = {"fr": ("ecb_mro", "fr_legal_rate"), "be": ("be_b2b_rate", "be_legal_rate"),
             "qc": ("qc_legal_rate",)}


class Granularity(StrEnum):
    HALF_YEAR = "half_year"  # French and Belgian late rates: fixed per calendar half-year
    YEAR = "year"  # Belgian legal rate: fixed per calendar year
    OPEN = "open"  # a statute (Quebec 5 %): valid until the law changes


@dataclass(frozen=True)
class RateRow:
    valid_from: date
    valid_to: date | None
    rate: Decimal
    source: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class Period:
    """The half-year, year or open span a rate is fixed for (used to name it in warnings)."""

    granularity: Granularity
    start: date
    end: date | None

    @classmethod
    def containing(cls, granularity: Granularity, day: date) -> Period:
        if granularity is Granularity.HALF_YEAR:
            half = HalfYear.of(day)
            return cls(granularity, half.first_day, half.last_day)
        if granularity is Granularity.YEAR:
            return cls(granularity, date(day.year, 1, 1), date(day.year, 12, 31))
        return cls(granularity, day, None)


@dataclass(frozen=True)
class RateLookup:
    rate: Decimal
    row: RateRow
    period: Period
    provisional: bool  # the day is after the newest row: that row was carried over


@dataclass(frozen=True)
class RateSeries:
    name: str
    granularity: Granularity
    rows: tuple[RateRow, ...]

    @property
    def first_day(self) -> date:
        return self.rows[0].valid_from

    @property
    def last_day(self) -> date:
        """The last day the newest row covers (``date.max`` for an open rate)."""
        return self.rows[-1].valid_to or date.max

    def at(self, day: date) -> RateLookup:
        """The rate for ``day``; after the newest row, that row marked provisional."""
        if day < self.first_day:
            raise RateNotCovered(self.name.split(".")[0], day, self.first_day)
        period = Period.containing(self.granularity, day)
        for row in self.rows:
            if row.valid_from <= day and (row.valid_to is None or day <= row.valid_to):
                return RateLookup(row.rate, row, period, provisional=False)
        newest = self.rows[-1]
        if newest.valid_to is not None and day <= newest.valid_to:
            raise LawDataError(f"{self.name} has a gap before {day.isoformat()}")
        return RateLookup(newest.rate, newest, period, provisional=True)

    def source(self, article: str) -> Source:
        return Source(article, self.rows[-1].source, all(row.verified for row in self.rows))


@dataclass(frozen=True)
class Figure:
    """One threshold, duration or fixed amount, with the article it applies and its source."""

    name: str
    value: Decimal
    unit: str
    article: str
    source: str
    verified: bool
    valid_from: date | None = None
    valid_to: date | None = None
    review_yearly_on: str | None = None  # "MM-DD": the figure may be re-indexed on that day
    review_since: date | None = None

    @property
    def as_int(self) -> int:
        return int(self.value)

    @property
    def citation(self) -> Source:
        return Source(self.article, self.source, self.verified)

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def last_review_before(self, day: date) -> date | None:
        """The latest yearly review day on or before ``day`` (None: never reviewed)."""
        if self.review_yearly_on is None:
            return None
        month, dom = (int(part) for part in self.review_yearly_on.split("-"))
        review = date(day.year, month, dom)
        if review > day:
            review = date(day.year - 1, month, dom)
        if self.review_since is not None and review < self.review_since:
            return None
        return review


def _load(name: str) -> dict[str, Any]:
    path = resources.files("flows.law").joinpath("data", f"{name}.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LawDataError(f"missing data file {name}.toml") from exc


# Rows fetched after the package was built (``bot.rates``: the ECB API), by table name.
_OVERRIDES: dict[str, dict[str, Any]] = {}


def install_override(name: str, data: dict[str, Any]) -> None:
    """Extend table ``name`` with fetched rows (same format as the data files): only the rows
    after the shipped table's newest one are used, so a shipped figure is never replaced."""
    _OVERRIDES[name] = data
    rate_series.cache_clear()


def _rows(data: dict[str, Any], column: str) -> tuple[RateRow, ...]:
    return tuple(
        RateRow(
            valid_from=row["valid_from"],
            valid_to=row.get("valid_to"),
            rate=Decimal(row[column]),
            source=row["source"],
            verified=row["verified"],
            note=row.get("note", ""),
        )
        for row in data["rows"]
    )


@cache
def shipped_series(name: str, column: str = "rate") -> RateSeries:
    """The table as the package ships it, without fetched rows."""
    data = _load(name)
    rows = _rows(data, column)
    if not rows:
        raise LawDataError(f"{name}.toml has no rows")
    return RateSeries(
        f"{name}.{column}",
        Granularity(data["meta"]["granularity"]),
        tuple(sorted(rows, key=lambda r: r.valid_from)),
    )


@cache
def rate_series(name: str, column: str = "rate") -> RateSeries:
    """The shipped table, extended by the fetched rows that come after its newest row."""
    shipped = shipped_series(name, column)
    override = _OVERRIDES.get(name)
    if override is None:
        return shipped
    later = sorted(
        (row for row in _rows(override, column) if row.valid_from > shipped.last_day),
        key=lambda r: r.valid_from,
    )
    extended = list(shipped.rows)
    for row in later:  # kept only while contiguous: a gap is never bridged by a later row
        if row.valid_from != extended[-1].valid_to + timedelta(days=1):  # type: ignore[operator]
            break
        extended.append(row)
    return RateSeries(shipped.name, shipped.granularity, tuple(extended))


def first_covered_day(prefix: str) -> date:
    """The first day every rate table of jurisdiction ``prefix`` covers (checked at every
    invoice date typed: the files are read once, not parsed again at each answer)."""
    return max(
        rate_series(name, data_file(name)["meta"]["columns"][0]).first_day
        for name in TABLES_OF[prefix]
    )


@cache
def _figures(prefix: str) -> dict[str, Any]:
    return _load(f"{prefix}_figures")


def figure(prefix: str, name: str, on: date) -> Figure | None:
    """The figure ``name`` of jurisdiction ``prefix`` in force on ``on`` (None if none is)."""
    rows = _figures(prefix).get(name)
    if rows is None:
        raise LawDataError(f"{prefix}_figures.toml has no figure {name!r}")
    for row in rows:
        candidate = Figure(
            name=name,
            value=Decimal(row["value"]),
            unit=row["unit"],
            article=row["article"],
            source=row["source"],
            verified=row["verified"],
            valid_from=row.get("valid_from"),
            valid_to=row.get("valid_to"),
            review_yearly_on=row.get("review_yearly_on"),
            review_since=row.get("review_since"),
        )
        if candidate.in_force(on):
            return candidate
    return None


def require(prefix: str, name: str, on: date) -> Figure:
    """Like ``figure`` for rules that exist whatever the date: the latest row if none in force."""
    found = figure(prefix, name, on)
    if found is not None:
        return found
    latest = figure(prefix, name, date.max)
    if latest is None:
        raise LawDataError(f"no row of {prefix}.{name} is usable")
    return latest


@cache
def data_file(name: str) -> Any:
    """A data file of its own shape (the map of courts), read once."""
    return _load(name)


def table(prefix: str, name: str) -> Any:
    """A raw section of a figures file (bracket tables, city lists)."""
    try:
        return _figures(prefix)[name]
    except KeyError as exc:
        raise LawDataError(f"{prefix}_figures.toml has no section {name!r}") from exc


@cache
def holidays(prefix: str) -> Holidays:
    """The jurisdiction's public holidays: the ``holidays`` package's calendar named in the data
    file, plus the extra days its procedure counts as holidays."""
    data = table(prefix, "holidays")
    fixed = tuple(
        (int(month), int(day)) for month, day in (item.split("-") for item in data["extra_fixed"])
    )
    return Holidays(
        data["country"],
        data.get("subdivision"),
        fixed,
        tuple(int(offset) for offset in data["extra_easter_offsets"]),
    )
