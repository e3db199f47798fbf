"""The debtor's answers as lines of the creditor's chronology (the case file's export and the
chronology document both read these), in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flows import formatting
from flows.i18n import catalog, t
from flows.money import Money

# What ``flows.debtor`` writes in the case's chronology (``case.log``).
DEBTOR_EVENTS = frozenset({
    "debtor_opened", "plan_proposed_by_debtor", "plan_proposed_by_creditor", "plan_agreed",
    "plan_refused_by_debtor", "plan_refused_by_creditor", "debtor_acknowledged",
    "debtor_contested", "debtor_file", "debtor_link_revoked"})


def event_text(event: dict[str, Any], lang: str, jurisdiction: str, currency: str) -> str:
    """One of ``DEBTOR_EVENTS`` in words ('' for any other kind)."""
    kind = str(event.get("kind", ""))
    if kind not in DEBTOR_EVENTS:
        return ""
    params = {name: _shown(name, value, lang, jurisdiction, currency)
              for name, value in dict(event.get("params", {})).items()}
    return t(lang, f"casefile.chronology.{kind}", **params)


def _shown(name: str, value: Any, lang: str, jurisdiction: str, currency: str) -> Any:
    """An amount with its currency, a day in words, a dispute's reason in the language."""
    try:
        if name == "amount":
            return formatting.money(Money(Decimal(str(value)), currency), lang, jurisdiction)
        if name == "first" and isinstance(value, str):
            return formatting.day(date.fromisoformat(value), lang, jurisdiction)
    except (InvalidOperation, ValueError):
        return value
    if name == "size" and isinstance(value, int):
        return max(1, (value + 512) // 1024)  # in kB: the debtor's files are 10 MB at most
    if name == "reason" and f"debtor.reason.{value}" in catalog("en"):
        return t(lang, f"debtor.reason.{value}")
    return value
