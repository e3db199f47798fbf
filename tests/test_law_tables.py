"""The dated data files: every row sourced, half-years contiguous, gaps never filled silently."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from flows.law import tables
from flows.law.dates import HalfYear

RATE_FILES = [
    ("ecb_mro", "rate"),
    ("fr_legal_rate", "natural_person"),
    ("fr_legal_rate", "other_cases"),
    ("be_b2b_rate", "rate"),
    ("be_legal_rate", "rate"),
    ("qc_legal_rate", "rate"),
]


def _raw(name: str) -> dict[str, Any]:
    text = resources.files("flows.law").joinpath("data", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@pytest.mark.parametrize(("name", "column"), RATE_FILES)
def test_every_rate_row_names_its_source_and_whether_it_was_verified(
    name: str, column: str
) -> None:
    for row in _raw(name)["rows"]:
        # A public page, the reference notes, or the official journal that publishes the rate.
        assert row["source"].startswith(("http", "LEGAL_FACTS", "Moniteur belge"))
        assert isinstance(row["verified"], bool)
        assert isinstance(row["valid_from"], date)
        Decimal(row[column])  # rates are strings read as Decimal, never floats


@pytest.mark.parametrize(("name", "column"), [f for f in RATE_FILES if f[0] != "qc_legal_rate"])
def test_periodic_rate_rows_are_dated_and_leave_no_gap(name: str, column: str) -> None:
    series = tables.rate_series(name, column)
    for before, after in zip(series.rows, series.rows[1:], strict=False):
        assert before.valid_to is not None
        assert after.valid_from == before.valid_to + timedelta(days=1)
    # Every day from the first row to the last is answered by a published (not carried) rate.
    last = series.rows[-1].valid_to
    assert last is not None
    day = series.first_day
    while day <= last:
        assert not series.at(day).provisional, (name, day)
        day += timedelta(days=28)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("ecb_mro", HalfYear(2013, 1), HalfYear(2026, 1)),
        ("fr_legal_rate", HalfYear(2013, 1), HalfYear(2026, 1)),
        ("be_b2b_rate", HalfYear(2013, 1), HalfYear(2026, 1)),
        ("be_legal_rate", HalfYear(2013, 1), HalfYear(2026, 2)),
    ],
)
def test_rate_tables_cover_2013_to_the_newest_published_period(
    name: str, first: HalfYear, last: HalfYear
) -> None:
    rows = _raw(name)["rows"]
    assert HalfYear.of(rows[0]["valid_from"]) == first
    assert HalfYear.of(rows[-1]["valid_to"]) == last


@pytest.mark.parametrize(
    ("name", "column", "day", "rate"),
    [
        # The Belgian legal rate per calendar year: 2023 is 5.25 %, never 2024's 5.75 %.
        ("be_legal_rate", "rate", "2023-06-15", "5.25"),
        ("be_legal_rate", "rate", "2024-06-15", "5.75"),
        ("be_legal_rate", "rate", "2016-03-01", "2.25"),
        # French rate before the 2015 split: one yearly rate for both categories.
        ("fr_legal_rate", "other_cases", "2014-08-01", "0.04"),
        ("fr_legal_rate", "natural_person", "2015-02-01", "4.06"),
        ("ecb_mro", "rate", "2014-12-31", "0.15"),
        ("be_b2b_rate", "rate", "2015-05-05", "8.5"),
    ],
)
def test_past_rates_come_from_their_own_period(name: str, column: str, day: str, rate: str) -> None:
    found = tables.rate_series(name, column).at(date.fromisoformat(day))
    assert found.rate == Decimal(rate)
    assert not found.provisional


@pytest.mark.parametrize(("name", "column"), RATE_FILES)
def test_a_day_before_a_table_is_refused_not_given_a_later_rate(name: str, column: str) -> None:
    series = tables.rate_series(name, column)
    with pytest.raises(tables.RateNotCovered, match="before"):
        series.at(series.first_day - timedelta(days=1))


def test_the_first_day_the_engine_accepts_is_the_start_of_every_table_used() -> None:
    assert tables.first_covered_day("fr") == date(2013, 1, 1)
    assert tables.first_covered_day("be") == date(2013, 1, 1)


@pytest.mark.parametrize(
    ("day", "ecb"),
    [
        ("2019-03-01", "0.00"),
        ("2022-07-28", "0.00"),
        ("2023-01-01", "2.50"),
        ("2023-12-31", "4.00"),
        ("2024-06-30", "4.50"),
        ("2025-01-01", "3.15"),
        ("2025-07-01", "2.15"),
        ("2026-06-30", "2.15"),
    ],
)
def test_ecb_rate_is_frozen_per_half_year(day: str, ecb: str) -> None:
    found = tables.rate_series("ecb_mro").at(date.fromisoformat(day))
    assert found.rate == Decimal(ecb)
    assert not found.provisional


def test_a_day_after_the_last_row_gets_the_last_rate_marked_provisional() -> None:
    found = tables.rate_series("fr_legal_rate", "other_cases").at(date(2026, 11, 23))
    assert found.provisional
    assert found.rate == Decimal("2.62")
    assert (found.period.start, found.period.end) == (date(2026, 7, 1), date(2026, 12, 31))


def test_the_statutory_quebec_rate_is_never_provisional() -> None:
    found = tables.rate_series("qc_legal_rate").at(date(2026, 11, 23))
    assert found.rate == Decimal("5")
    assert not found.provisional


@pytest.mark.parametrize(
    ("prefix", "name", "value"),
    [
        ("fr", "recovery_indemnity", "40.00"),
        ("fr", "small_claims_ceiling", "5000.00"),
        ("fr", "lawyer_threshold", "10000.00"),
        ("qc", "small_claims_ceiling", "15000.00"),
        ("qc", "small_claims_max_employees", "10"),
        ("be", "recovery_indemnity", "40.00"),
    ],
)
def test_thresholds_come_from_data_with_an_article(prefix: str, name: str, value: str) -> None:
    figure = tables.require(prefix, name, date(2026, 11, 23))
    assert figure.value == Decimal(value)
    assert figure.article
    assert figure.source


def test_a_rule_not_yet_in_force_is_absent() -> None:
    # CPC 750-1 was reinstated for claims filed from 1 Oct 2023.
    assert tables.figure("fr", "amicable_attempt_ceiling", date(2023, 9, 30)) is None
    assert tables.figure("fr", "amicable_attempt_ceiling", date(2023, 10, 1)) is not None


def test_every_figure_in_the_figure_files_is_sourced() -> None:
    for prefix in ("fr", "be", "qc"):
        for name, rows in _raw(f"{prefix}_figures").items():
            if not isinstance(rows, list):
                continue
            for row in rows:
                assert row["source"], (prefix, name)
                assert isinstance(row["verified"], bool), (prefix, name)
