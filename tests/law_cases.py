"""Shared builders for the law tests: an invoice in one line, with readable defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flows.law import InvoiceFacts, Rights, compute_rights
from flows.vocabulary import DebtorKind, Jurisdiction


def d(text: str) -> date:
    return date.fromisoformat(text)


def invoice(amount: str, issued: str, due: str | None = None, **extra: Any) -> InvoiceFacts:
    extra.setdefault("debtor_kind", DebtorKind.BUSINESS)
    for name in ("demand_date", "delivery_date"):
        if isinstance(extra.get(name), str):
            extra[name] = d(extra[name])
    for name in ("contract_rate", "paid", "contract_damages"):
        if isinstance(extra.get(name), str):
            extra[name] = Decimal(extra[name])
    return InvoiceFacts(
        amount=Decimal(amount),
        issue_date=d(issued),
        due_date=d(due) if due else None,
        **extra,
    )


def rights(
    jurisdiction: Jurisdiction, amount: str, issued: str, due: str | None, on: str, **extra: Any
) -> Rights:
    return compute_rights(jurisdiction, invoice(amount, issued, due, **extra), d(on))


def period_table(r: Rights) -> list[tuple[str, str, int, str, str]]:
    """Interest periods as plain strings: easy to compare with a hand-made table."""
    return [
        (p.start.isoformat(), p.end.isoformat(), p.days, str(p.annual_rate), str(p.amount.amount))
        for p in r.interest_periods
    ]


def warning_keys(r: Rights) -> list[str]:
    return [w.key for w in r.warnings]
