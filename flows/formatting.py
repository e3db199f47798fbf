"""Amounts, dates and rates written the way a reader of that language expects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

from flows.money import Money

_LOCALES = {
    ("fr", "fr"): "fr_FR", ("fr", "be"): "fr_BE", ("fr", "qc"): "fr_CA",
    ("en", "fr"): "en_IE", ("en", "be"): "en_IE", ("en", "qc"): "en_CA",
}


def locale_for(lang: str, jurisdiction: str = "fr") -> str:
    """Babel locale for a language used in a jurisdiction (``en`` in France → ``€1,234.56``)."""
    return _LOCALES.get((lang, jurisdiction), "fr_FR" if lang == "fr" else "en_IE")


# Babel rebuilds its number pattern and currency data on every call, and a conversation
# writes the same few amounts and dates in every prompt: remembered, they cost nothing.
@lru_cache(maxsize=4096)
def money(value: Money, lang: str, jurisdiction: str = "fr") -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English."""
    return format_currency(value.amount, value.currency, locale=locale_for(lang, jurisdiction))


@lru_cache(maxsize=4096)
def day(value: date, lang: str, jurisdiction: str = "fr") -> str:
    """``15 septembre 2026``, ``1er décembre 2026`` / ``15 September 2026``: one format per
    language, whatever the country (Canadian English would write "September 15, 2026" in a
    Quebec case and "15 September 2026" in a French one)."""
    text = _babel_date(value, format="long", locale=locale_for(lang))
    if lang == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


@lru_cache(maxsize=4096)
def short_day(value: date, lang: str, today: date) -> str:
    """``2 déc.`` / ``2 Dec`` for a button on a phone, ``15 sept. 2031`` / ``15 Sept 2031`` when
    not this year: the same words as :func:`day`, abbreviated, so a button and the line it
    stands for read alike."""
    pattern = "d MMM" if value.year == today.year else "d MMM y"
    text = _babel_date(value, format=pattern, locale=locale_for(lang))
    if lang == "fr" and value.day == 1:
        text = "1er" + text[1:]
    return text


def percent(rate: Decimal, lang: str) -> str:
    """A rate given in percent (``12.15``) → ``12,15 %`` / ``12.15%``."""
    text = format_decimal(rate, format="#,##0.00", locale=locale_for(lang))
    return f"{text}\u00a0%" if lang == "fr" else f"{text}%"
