"""What users type for amounts and dates, and what the bot understands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from flows.parsing import ParseError, parse_amount, parse_date


@pytest.mark.parametrize(
    ("typed", "amount", "currency"),
    [
        ("1 200,50 €", "1200.50", "EUR"),
        ("1.200,50", "1200.50", "EUR"),
        ("€1,200.50", "1200.50", "EUR"),
        ("2400", "2400.00", "EUR"),
        ("1\u202f200,50\u00a0€", "1200.50", "EUR"),  # what Babel itself prints in French
        ("1,2", "1.20", "EUR"),
        ("0,5 euros", "0.50", "EUR"),
        ("12.345.678,90", "12345678.90", "EUR"),
        ("1,234,567.89", "1234567.89", "EUR"),
        ("1 500 $", "1500.00", "CAD"),
        ("EUR 99", "99.00", "EUR"),
        ("+75", "75.00", "EUR"),
    ],
)
def test_amounts_are_read_the_way_people_write_them(typed: str, amount: str, currency: str) -> None:
    parsed = parse_amount(typed)
    assert parsed.amount == Decimal(amount)
    assert parsed.currency == currency


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "error.amount_empty"),
        ("abc", "error.amount_format"),
        ("1e309", "error.amount_format"),
        ("NaN", "error.amount_format"),
        ("inf", "error.amount_format"),
        ("-0", "error.amount_positive"),
        ("-150", "error.amount_positive"),
        ("0", "error.amount_positive"),
        ("1,2,3", "error.amount_format"),
        ("10,555.5,5", "error.amount_format"),
        ("99999999999", "error.amount_too_large"),
        ("12,3456", "error.amount_cents"),
        ("🙂", "error.amount_format"),
    ],
)
def test_unreadable_amounts_name_what_was_expected(typed: str, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_amount(typed)
    assert caught.value.key == error


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/09/2026", date(2026, 9, 15)),
        ("2026-09-15", date(2026, 9, 15)),
        ("15 septembre 2026", date(2026, 9, 15)),
        ("Sept 15 2026", date(2026, 9, 15)),
        ("September 15, 2026", date(2026, 9, 15)),
        ("15.09.2026", date(2026, 9, 15)),
        ("15/09/26", date(2026, 9, 15)),
        ("1er mars 2025", date(2025, 3, 1)),
        ("3 déc. 2025", date(2025, 12, 3)),
        ("29 février 2024", date(2024, 2, 29)),
        ("  15 / 09 / 2026 ".replace(" ", ""), date(2026, 9, 15)),
    ],
)
def test_dates_are_read_day_first_in_both_languages(typed: str, expected: date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("31/02/2026", "error.date_day"),
        ("29/02/2026", "error.date_day"),
        ("15/13/2026", "error.date_month"),
        ("15 truc 2026", "error.date_month_name"),
        ("demain", "error.date_format"),
        ("", "error.date_empty"),
        ("15/09/1492", "error.date_year"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(typed: str, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(typed)
    assert caught.value.key == error


def test_february_error_says_how_many_days_the_month_has() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date("31/02/2026")
    assert caught.value.params["last"] == 28
