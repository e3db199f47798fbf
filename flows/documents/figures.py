"""The legal figures a document states, asked of the legal engine in one place.

Interest with its rate basis, the fixed recovery indemnity, limitation, court routes and
insolvency deadlines all come from ``flows.law``; this module only turns a ``Case`` into the
engine's facts and the engine's answers into plain JSON values (amounts as ``Money.to_json``,
dates as ISO strings, explanations rendered in the document's language) for the templates.
The sentences a letter states about the law (``law``) stay messages (``message_to_json``),
worded by the pack and rendered when the document is drawn.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flows.law import (
    CourtRoute,
    Deadline,
    InvalidFacts,
    Message,
    Percent,
    Rights,
    RouteKind,
    from_case,
    pack_for,
    tables,
)
from flows.law.belgium_consumer import damages_cap
from flows.law.letters import LetterFacts, rate_basis
from flows.law.remedy_compare import limitation_close
from flows.law.render import Renderer
from flows.model import Case, Demand, Invoice
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction, Remedy


class FiguresError(ValueError):
    """The case's facts cannot be computed (the engine refused them); the message says why."""


def record_demand(case: Case, today: date) -> None:
    """Remember the first formal demand drawn up for the case: interest that waits for a
    demand (France and Quebec against anyone, Belgium against a consumer) runs from it. Against
    a Belgian consumer the free first reminder is that demand (CDE Book XIX)."""
    remedy = case.text("remedy")
    demand_drawn = remedy == Remedy.FORMAL_DEMAND or (from_case.belgian_consumer(case)
                                                      and remedy == Remedy.FRIENDLY_REMINDER)
    if demand_drawn and case.demand is None:
        case.demand = Demand(today, remedy)


def rights_for(case: Case, on: date, with_demand: bool = True) -> list[Rights]:
    """The rights of each invoice as the documents state them (``flows.law.from_case``, with
    the damages clause of a Belgian consumer contract)."""
    try:
        return from_case.rights_for(case, on, with_demand=with_demand, with_damages_clause=True)
    except InvalidFacts as error:
        raise FiguresError(str(error)) from error


def figures_for(case: Case, on: date, lang: str, with_demand: bool = True) -> dict[str, Any]:
    """Every figure the documents of ``case`` state, computed as of ``on``.

    ``with_demand=False`` leaves out any earlier formal demand: the demand letter itself is the
    demand, so the interest that waits for one starts with it, not before.
    """
    demand = from_case.demand_date(case) if with_demand else None
    say = Renderer(lang, Jurisdiction(case.jurisdiction))
    all_rights = rights_for(case, on, with_demand)
    currency = case.currency
    invoices = [_invoice(invoice, rights, say) for invoice, rights
                in zip(case.invoices(), all_rights, strict=True)]
    principal = _sum([r.principal for r in all_rights], currency)
    interest = _sum([r.interest for r in all_rights], currency)
    indemnity = _sum([r.indemnity for r in all_rights], currency)
    warnings = _unique(say(w) for r in all_rights for w in r.warnings)
    rates = _unique(say.value(Percent(p.annual_rate)) for r in all_rights
                    for p in r.interest_periods)
    # "12,15 % (taux BCE 2,15 % + 10 points)": each rate applied, with where it comes from.
    rate_bases = _unique(f"{say.value(Percent(p.annual_rate))} ({say(p.basis)})"
                         for r in all_rights for p in r.interest_periods)
    legal = legal_rate(case, on)
    routes = _routes(all_rights, principal + interest + indemnity, principal, say)
    earliest = min(all_rights, key=lambda r: r.limitation.last_day) if all_rights else None
    fixed = next((r.indemnity for r in all_rights if r.indemnity.amount > 0), None)
    return {
        "on": on.isoformat(),
        "invoices": invoices,
        "principal": principal.to_json(),
        "interest": interest.to_json(),
        "indemnity": indemnity.to_json(),
        "indemnity_each": fixed.to_json() if fixed else None,
        "indemnity_count": sum(1 for r in all_rights if r.indemnity.amount > 0),
        "total": (principal + interest + indemnity).to_json(),
        "interest_per_day": _sum([r.interest_per_day for r in all_rights], currency).to_json(),
        "has_interest": interest.amount > 0,
        # Nothing is owed yet: a courtesy reminder before the due date, not a dunning letter.
        "not_yet_due": bool(all_rights) and all(r.not_yet_due for r in all_rights),
        "has_indemnity": indemnity.amount > 0,
        "rates": rates,
        "rate_bases": rate_bases,
        "day_count": all_rights[0].day_count if all_rights else "",
        "provisional": any(r.provisional for r in all_rights) or legal.provisional,
        "warnings": warnings,
        "demand_on": demand.isoformat() if demand else "",
        "limitation": _limitation(earliest, say) if earliest else None,
        # Weeks from the end: only a served summons or a signed acknowledgement stop the clock.
        "limitation_close": earliest is not None and limitation_close(earliest, on),
        "routes": _routes(all_rights, principal + interest, principal, say),
        "sources": _unique(s.article for r in all_rights for s in r.sources),
        # The letters' legal sentences, worded by the country's pack.
        "law": pack_for(Jurisdiction(case.jurisdiction)).letters(
            _letter_facts(case, on, all_rights, legal, routes, demand)).to_json(),
    }


def _letter_facts(case: Case, on: date, all_rights: list[Rights], legal: tables.RateLookup,
                  routes: dict[str, dict[str, Any]], demand: date | None) -> LetterFacts:
    """What the letters' legal sentences need, for the pack to word them (``LetterWording``)."""
    fixed = next((r.indemnity for r in all_rights if r.indemnity.amount > 0), None)
    bases: list[Message] = []
    for rights in all_rights:
        for period in rights.interest_periods:
            basis = rate_basis(Percent(period.annual_rate), period.basis)
            if basis not in bases:
                bases.append(basis)
    rate = case.answers.get("contract_rate")
    principal = _sum([r.principal for r in all_rights], case.currency)
    return LetterFacts(
        debtor_kind=DebtorKind(case.text("debtor_kind", "business")),
        on=on,
        legal_rate=Percent(legal.rate),
        contract_rate=Percent(Decimal(rate)) if isinstance(rate, str) and rate != "none" else None,
        rate_bases=tuple(bases),
        has_interest=any(r.interest.amount > 0 for r in all_rights),
        indemnity_each=fixed,
        demand_on=demand,
        services_running=case.flag("services_running") is True,
        consumer_damages=_consumer_damages(case, principal),
        small_claims_open=routes.get("small_claims_court", {}).get("available"),
        order_for_payment_form=routes.get("order_for_payment", {}).get("form", ""),
        default_by_term=case.flag("qc_default_by_term") is True,
    )


def _consumer_damages(case: Case, principal: Money) -> Money | None:
    """What a Belgian consumer will owe under the terms' damages clause once the 14 days run
    out: the clause's amount, never above the Book XIX cap (the first reminder must say it)."""
    asked = case.money("contract_damages")
    if case.jurisdiction != Jurisdiction.BELGIUM or asked is None or not asked.amount:
        return None
    cap = damages_cap(principal.amount)
    return Money(min(asked.amount, cap), principal.currency)


# The legal rate each jurisdiction applies without a contract rate (the "all other cases"
# French rate: our users are professionals, LEGAL_FACTS A2).
_LEGAL_RATE_SERIES = {"fr": ("fr_legal_rate", "other_cases"), "be": ("be_legal_rate", "rate"),
                      "qc": ("qc_legal_rate", "rate")}


def legal_rate(case: Case, on: date) -> tables.RateLookup:
    """The legal rate on ``on``; ``provisional`` when carried over from an earlier period."""
    name, column = _LEGAL_RATE_SERIES[case.jurisdiction]
    return tables.rate_series(name, column).at(on)


def _invoice(invoice: Invoice, rights: Rights, say: Renderer) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "amount": invoice.amount.to_json(),
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
        "effective_due": rights.payment_term.effective_due.isoformat(),
        "paid": invoice.paid.to_json(),
        "payments": [{"on": p.day.isoformat(), "amount": p.amount.to_json()}
                     for p in invoice.payments],
        "partly_paid": invoice.paid.amount > 0,
        "balance": invoice.balance.to_json(),
        "principal": rights.principal.to_json(),
        "interest": rights.interest.to_json(),
        "indemnity": rights.indemnity.to_json(),
        "total": rights.total.to_json(),
        "days_late": rights.days_late,
        "not_yet_due": rights.not_yet_due,
        "interest_text": say(rights.interest_explanation),
        "indemnity_text": say(rights.indemnity_explanation),
        "periods": [
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days,
             "rate": say.value(Percent(p.annual_rate)), "amount": p.amount.to_json(),
             "basis": say(p.basis), "provisional": p.provisional}
            for p in rights.interest_periods
        ],
    }


def _limitation(rights: Rights, say: Renderer) -> dict[str, Any]:
    return {"last_day": rights.limitation.last_day.isoformat(), "years": rights.limitation.years,
            "article": rights.limitation.source.article,
            "text": say(rights.limitation.explanation)}


def _routes(all_rights: list[Rights], small_claim: Money, principal: Money,
            say: Renderer) -> dict[str, dict[str, Any]]:
    """Each court route for the whole case: open only if open for every invoice, and, where
    a ceiling applies, if the case's total fits under it (a claim may not be split)."""
    if not all_rights:
        return {}
    routes: dict[str, dict[str, Any]] = {}
    for route in all_rights[0].routes:
        per_invoice = [r.route(route.kind) for r in all_rights]
        available = _all_of([r.available for r in per_invoice])
        ceiling = _ceiling(route)
        if ceiling is not None:
            compared = principal if route.kind is RouteKind.SMALL_CLAIMS_COURT else small_claim
            if compared.amount > ceiling.amount:
                available = False
        routes[route.kind.value] = {
            "available": available,
            "court": say(route.court),
            "form": route.form,
            "lawyer_required": route.lawyer_required,
            "ceiling": ceiling.to_json() if ceiling else None,
            "max_employees": _int_param(route, "max"),
            "notes": [say(n) for n in route.notes],
            "articles": [s.article for s in route.sources],
        }
    return routes


def _ceiling(route: CourtRoute) -> Money | None:
    """The amount ceiling a route's conditions compare with (a ``ceiling`` parameter)."""
    value = _condition_param(route, "ceiling")
    return value if isinstance(value, Money) else None


def _condition_param(route: CourtRoute, wanted: str) -> object:
    """A figure the engine put in one of the route's conditions (``ceiling``, ``max``…)."""
    for condition in route.conditions:
        for name, value in condition.text.params:
            if name == wanted:
                return value
    return None


def _int_param(route: CourtRoute, name: str) -> int | None:
    value = _condition_param(route, name)
    return value if isinstance(value, int) else None


def _all_of(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def insolvency_for(case: Case, lang: str) -> dict[str, Any] | None:
    """The proof-of-claim and revendication deadlines, from the publication the user gave."""
    facts = from_case.insolvency_facts(case)
    if facts is None:
        return None
    guide = pack_for(Jurisdiction(case.jurisdiction)).insolvency(facts)
    say = Renderer(lang, Jurisdiction(case.jurisdiction))
    return {
        "published_on": facts.published_on.isoformat(),
        # The last day of interest the claim counts (L622-28: the day before the judgment).
        "interest_until": guide.interest_until.isoformat() if guide.interest_until else "",
        "proof_of_claim": _deadline(guide.proof_of_claim, say),
        "revendication": _deadline(guide.revendication, say) if guide.revendication else None,
        "notes": [say(n) for n in guide.notes],
    }


def _deadline(deadline: Deadline, say: Renderer) -> dict[str, Any]:
    return {"what": say(deadline.what),
            "last_day": deadline.last_day.isoformat() if deadline.last_day else "",
            "extended_to": deadline.extended_to.isoformat() if deadline.extended_to else "",
            "article": deadline.source.article}


def _sum(amounts: list[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
