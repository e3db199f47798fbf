"""Turn what a user types into amounts and dates, or say clearly what was expected.

Parsers raise :class:`ParseError` carrying a message key and parameters, so that the chat
can explain the problem in the user's language and ask the same question again.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel.dates import get_month_names

from flows.money import Money

MAX_AMOUNT = Decimal("1000000000")  # a billion: anything above is a typo, not an unpaid invoice

_CURRENCY_WORDS = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "CAD", "cad": "CAD", "$ca": "CAD", "ca$": "CAD", "c$": "CAD", "dollars": "CAD",
    "dollar": "CAD", "usd": "USD", "us$": "USD", "chf": "CHF", "£": "GBP", "gbp": "GBP",
}


@dataclass(frozen=True)
class ParseError(ValueError):
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key} {self.params}"


def clean_text(text: str) -> str:
    """Normalise spacing: every kind of Unicode space becomes a plain space; trimmed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(ch) in {"Zs", "Cc"} else ch for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def _currency_of(text: str, default: str) -> tuple[str, str]:
    lowered = text.lower()
    for word in sorted(_CURRENCY_WORDS, key=len, reverse=True):
        # Words must stand alone ("eur" not inside "fleur"); symbols may touch the digits.
        pattern = rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isalpha() else re.escape(word)
        if re.search(pattern, lowered):
            lowered = re.sub(pattern, " ", lowered)
            return _CURRENCY_WORDS[word], lowered
    return default, lowered


def _decimal_from_digits(raw: str) -> Decimal:
    """Decide which of ``.`` and ``,`` is the decimal mark, the way a person reads it."""
    raw = raw.replace(" ", "").replace("'", "").replace("_", "")
    if not re.fullmatch(r"[0-9.,]+", raw) or not re.search(r"[0-9]", raw):
        raise ParseError("error.amount_format")
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        # Both marks: the last one is the decimal mark (1.200,50 or 1,200.50).
        decimal_mark = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        if raw.count(decimal_mark) > 1:
            raise ParseError("error.amount_format")
        raw = raw.replace(thousands, "").replace(decimal_mark, ".")
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, frac = raw.split(mark)
        if len(frac) == 3 and whole and whole != "0":
            raw = whole + frac  # 1,200 or 1.200: a thousands separator
        else:
            raw = f"{whole or '0'}.{frac}"
    elif dots + commas > 1:
        mark = "." if dots else ","
        groups = raw.split(mark)
        if any(len(g) != 3 for g in groups[1:]) or not groups[0]:
            raise ParseError("error.amount_format")
        raw = "".join(groups)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ParseError("error.amount_format") from exc
    return value


def parse_amount(text: str, default_currency: str = "EUR") -> Money:
    """``1 200,50 €``, ``1.200,50``, ``€1,200.50``, ``2400`` → Money; cents at most."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ParseError("error.amount_empty")
    currency, rest = _currency_of(cleaned, default_currency)
    rest = rest.strip()
    if rest.startswith("-") or rest.startswith("−"):
        raise ParseError("error.amount_positive")
    rest = rest.lstrip("+").strip()
    value = _decimal_from_digits(rest)
    if value <= 0:
        raise ParseError("error.amount_positive")
    if value > MAX_AMOUNT:
        raise ParseError("error.amount_too_large")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise ParseError("error.amount_cents")
    return Money(value.quantize(Decimal("0.01")), currency)


@cache
def _month_lookup() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("fr", "en", "fr_CA", "en_CA"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    key = _fold(name).rstrip(".")
                    names[key] = number
    # What people actually type and Babel does not list.
    extra = {"sept": 9, "fevr": 2, "janv": 1, "avr": 4, "juil": 7, "aout": 8, "dec": 12,
             "mars": 3, "mai": 5, "juin": 6}
    names.update(extra)
    return names


def _fold(text: str) -> str:
    """Lower case without accents: ``Février`` → ``fevrier``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _checked_date(year: int, month: int, day: int) -> date:
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        raise ParseError("error.date_month", {"month": month})
    if not 1900 <= year <= 2200:
        raise ParseError("error.date_year", {"year": year})
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ParseError("error.date_day", {"day": day, "month": month, "year": year, "last": last})
    return date(year, month, day)


def parse_date(text: str, today: date | None = None) -> date:
    """``15/09/2026``, ``2026-09-15``, ``15 septembre 2026``, ``Sept 15 2026`` → date.

    Numeric dates are read day first (French and British order), as our users write them.
    """
    cleaned = _fold(clean_text(text))
    if not cleaned:
        raise ParseError("error.date_empty")
    if today is not None and cleaned in {"today", "aujourd'hui", "aujourdhui", "auj"}:
        return today
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", cleaned):
        return _checked_date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", cleaned):
        return _checked_date(int(m[3]), int(m[2]), int(m[1]))
    words = re.findall(r"[a-z]+\.?|\d+", cleaned.replace(",", " "))
    numbers = [int(w) for w in words if w.isdigit()]
    month_words = [w.rstrip(".") for w in words if not w.isdigit()]
    months = _month_lookup()
    month_words = [w for w in month_words if w not in {"le", "the", "of", "de", "du", "er", "st",
                                                       "nd", "rd", "th"}]
    if len(month_words) == 1 and len(numbers) == 2 and month_words[0] in months:
        month = months[month_words[0]]
        first, second = numbers
        day, year = (first, second) if second > 31 or first <= 31 < second else (second, first)
        if first > 31:
            year, day = first, second
        return _checked_date(year, month, day)
    if len(month_words) == 1 and numbers and month_words[0] not in months:
        raise ParseError("error.date_month_name", {"word": month_words[0]})
    raise ParseError("error.date_format")


def parse_payments(text: str, today: date, currency: str = "EUR",
                   undated_on: date | None = None) -> list[tuple[date, Money]]:
    """Sums received, one per line (or separated by ``;``): ``30/06/2025 : 1 000 €``,
    ``2025-06-30 400``, ``30 juin 2025 : 400``. A line without a date is dated ``undated_on``
    when given (``today`` in the follow-up, where "I received 300" means just now), else it is
    refused: interest on a sum runs until the day it was paid, so the day matters."""
    found: list[tuple[date, Money]] = []
    for raw_line in re.split(r"[\n;]", text):
        line = clean_text(raw_line)
        if not line:
            continue
        day_text, sep, amount_text = line.partition(":")
        if not sep:
            first, _, rest = line.partition(" ")
            day_text, amount_text = (first, rest) if re.search(r"\d[-/.]\d", first) else ("", line)
        if not day_text.strip():
            if undated_on is None:
                raise ParseError("error.payment_format")
            day = undated_on
        else:
            day = parse_date(day_text, today)
        if not amount_text.strip():
            raise ParseError("error.payment_format")
        found.append((day, parse_amount(amount_text, currency)))
    if not found:
        raise ParseError("error.payment_format")
    return sorted(found, key=lambda payment: payment[0])
