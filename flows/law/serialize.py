"""The engine's answers as plain JSON values: amounts as strings with two decimals, ISO dates.

Messages keep their key and parameters (so a stored answer can be re-rendered in another
language) and carry the text in the language asked for.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flows.law.messages import Listing, Message, ParamValue, Percent, Source
from flows.law.render import Renderer
from flows.law.rights import CourtRoute, Deadline, InsolvencyGuide, InterestPeriod, Rights
from flows.money import CENT, Money, to_cents


def amount(money: Money) -> str:
    return str(to_cents(money.amount))


def rate(value: Decimal) -> str:
    """At least two decimals, more only when the rate has them (12 -> "12.00", 3.125 kept)."""
    return str(value.quantize(CENT) if value == value.quantize(CENT) else value.normalize())


def _param(value: ParamValue, say: Renderer) -> Any:
    if isinstance(value, Message):
        return message_json(value, say)
    if isinstance(value, Listing):
        return [message_json(item, say) for item in value.items]
    if isinstance(value, Money):
        return {"amount": amount(value), "currency": value.currency}
    if isinstance(value, Percent):
        return rate(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def message_json(message: Message, say: Renderer) -> dict[str, Any]:
    return {
        "key": message.key,
        "params": {name: _param(value, say) for name, value in message.params},
        "text": say(message),
    }


def _source(source: Source) -> dict[str, Any]:
    return {"article": source.article, "url": source.url, "verified": source.verified}


def _period(period: InterestPeriod, say: Renderer) -> dict[str, Any]:
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "days": period.days,
        "annual_rate": rate(period.annual_rate),
        "amount": amount(period.amount),
        "basis": message_json(period.basis, say),
        "provisional": period.provisional,
    }


def _route(route: CourtRoute, say: Renderer) -> dict[str, Any]:
    return {
        "kind": str(route.kind),
        "court": message_json(route.court, say),
        "available": route.available,
        "form": route.form,
        "lawyer_required": route.lawyer_required,
        "conditions": [{**message_json(c.text, say), "met": c.met} for c in route.conditions],
        "notes": [message_json(note, say) for note in route.notes],
        "sources": [_source(source) for source in route.sources],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def rights_to_json(rights: Rights, lang: str = "fr") -> dict[str, Any]:
    say = Renderer(lang, rights.jurisdiction)
    term = rights.payment_term
    limitation = rights.limitation
    return {
        "jurisdiction": str(rights.jurisdiction),
        "debtor": str(rights.debtor_kind),
        "number": rights.number,
        "computed_on": rights.computed_on.isoformat(),
        "currency": rights.currency,
        "principal": amount(rights.principal),
        "payments": [
            {"date": p.day.isoformat(), "amount": amount(Money(p.amount, rights.currency))}
            for p in rights.payments
        ],
        "paid_undated": amount(rights.paid_undated),
        "interest": amount(rights.interest),
        "interest_per_day": amount(rights.interest_per_day),
        "interest_periods": [_period(period, say) for period in rights.interest_periods],
        "interest_explanation": message_json(rights.interest_explanation, say),
        "day_count": rights.day_count,
        "indemnity": amount(rights.indemnity),
        "indemnity_explanation": message_json(rights.indemnity_explanation, say),
        "total": amount(rights.total),
        "days_late": rights.days_late,
        "limitation_date": limitation.last_day.isoformat(),
        "limitation": {
            "last_day": limitation.last_day.isoformat(),
            "starts": limitation.starts.isoformat(),
            "years": limitation.years,
            "explanation": message_json(limitation.explanation, say),
            "details": [message_json(m, say) for m in limitation.details],
            "interrupted_by": [message_json(m, say) for m in limitation.interrupted_by],
            "not_interrupted_by": [message_json(m, say) for m in limitation.not_interrupted_by],
            "source": _source(limitation.source),
        },
        "payment_term": {
            "agreed_due": _iso(term.agreed_due),
            "legal_latest": _iso(term.legal_latest),
            "effective_due": term.effective_due.isoformat(),
            "exceeded": term.exceeded,
            "rule": message_json(term.rule, say),
            "meaning": message_json(term.meaning, say),
        },
        "routes": [_route(route, say) for route in rights.routes],
        "warnings": [message_json(m, say) for m in rights.warnings],
        "notes": [message_json(m, say) for m in rights.notes],
        "sources": [_source(source) for source in rights.sources],
        "provisional": rights.provisional,
    }


def insolvency_to_json(guide: InsolvencyGuide, lang: str = "fr") -> dict[str, Any]:
    say = Renderer(lang, guide.jurisdiction)

    def deadline(d: Deadline) -> dict[str, Any]:
        return {
            "what": message_json(d.what, say),
            "last_day": _iso(d.last_day),
            "extended_to": _iso(d.extended_to),
            "source": _source(d.source),
        }

    return {
        "jurisdiction": str(guide.jurisdiction),
        "interest_until": _iso(guide.interest_until),
        "proof_of_claim": deadline(guide.proof_of_claim),
        "revendication": deadline(guide.revendication) if guide.revendication else None,
        "other_deadlines": [deadline(d) for d in guide.other_deadlines],
        "vocabulary": [message_json(m, say) for m in guide.vocabulary],
        "notes": [message_json(m, say) for m in guide.notes],
    }
