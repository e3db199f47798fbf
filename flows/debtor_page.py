"""What the debtor's web page shows, as text ready for its template (``templates/<lang>/
debtor/page.html``): who claims what, the amount due today and how it is computed, the
deadline, how to pay, and where the case stands.

The figures are the creditor's own (``flows.debtor.claim``), the wording the debtor's chat uses
(``debtor.*`` messages); the page only lays them out. Pure: the web adapter (``bot.debtor_web``)
finds the case, calls this, and renders.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flows.debtor import answers
from flows.debtor import files as debtor_files
from flows.debtor.claim import ClaimView, claim_view, payment_text
from flows.debtor.record import DebtorSide
from flows.followup.plan import INTERVALS
from flows.i18n import t
from flows.law.messages import Percent
from flows.law.render import Renderer
from flows.model import Case
from flows.payment import payment_details_for
from flows.templating import qr
from flows.vocabulary import Jurisdiction

ACTIONS = ("plan", "acknowledge", "contest")


def page_facts(case: Case, lang: str, today: date) -> dict[str, Any]:
    """Everything the page prints about ``case`` on ``today``, in ``lang``."""
    view = claim_view(case, today)
    say = Renderer(lang, Jurisdiction(view.jurisdiction))
    value = say.value
    side = DebtorSide.read(case)
    return {
        "jurisdiction": view.jurisdiction,
        "creditor": view.creditor,
        "debtor": view.debtor,
        "title": t(lang, "debtor.claim.title", creditor=view.creditor or "—",
                   on=value(view.computed_on)),
        "invoices": [_invoice(item, lang, say) for item in view.invoices],
        "lines": [t(lang, "debtor.claim.principal", amount=value(view.principal)),
                  t(lang, "debtor.claim.interest", amount=value(view.interest)),
                  t(lang, "debtor.claim.indemnity_total", amount=value(view.indemnity))],
        "total": t(lang, "debtor.claim.total", amount=value(view.total)),
        "provisional": t(lang, "debtor.claim.provisional") if view.provisional else "",
        "deadline": (t(lang, "debtor.claim.deadline", deadline=value(view.deadline))
                     if view.deadline is not None else ""),
        "sources": (t(lang, "debtor.claim.sources", items="; ".join(view.sources))
                    if view.sources else ""),
        "status": _status(view, side, lang, say),
        "open": not (view.plan_agreed or view.disputed),
        "pay": _pay(case, view, lang, say),
        "plan": _plan_form(today, lang),
        "reasons": [{"code": code, "label": t(lang, f"debtor.reason.{code}")}
                    for code in answers.DISPUTE_REASONS],
        "statement": t(lang, "debtor.ack.statement", name="…", creditor=view.creditor,
                       amount=value(view.principal), count=len(view.invoices),
                       invoices=", ".join(i.number for i in view.invoices)),
        "max_text": answers.MAX_DISPUTE_TEXT,
        "files_label": t(lang, "debtor.files.web_label", count=debtor_files.MAX_FILES,
                         mb=debtor_files.MAX_FILE_BYTES // debtor_files.MB),
        "max_name": answers.MAX_NAME,
    }


def _invoice(item: Any, lang: str, say: Renderer) -> dict[str, Any]:
    value = say.value
    return {
        "line": t(lang, "debtor.claim.invoice", number=item.number, issued=value(item.issued),
                  amount=value(item.amount), balance=value(item.balance)),
        "paid": t(lang, "debtor.claim.paid", paid=value(item.paid)) if item.paid.amount else "",
        "periods": [t(lang, "debtor.claim.period", start=value(p.start), end=value(p.end),
                      days=p.days, rate=value(Percent(p.annual_rate)), amount=value(p.amount))
                    for p in item.interest_periods],
        "interest_why": say(item.interest_explanation) if item.interest.amount else "",
        "indemnity": (t(lang, "debtor.claim.indemnity", amount=value(item.indemnity),
                        why=say(item.indemnity_explanation)) if item.indemnity.amount else ""),
    }


def _status(view: ClaimView, side: DebtorSide, lang: str, say: Renderer) -> list[str]:
    said = []
    if view.plan_agreed:
        said.append(t(lang, "debtor.claim.status_plan"))
    if view.disputed:
        said.append(t(lang, "debtor.claim.status_disputed"))
    if view.acknowledged_on is not None:
        said.append(t(lang, "debtor.claim.status_acknowledged",
                      on=say.value(view.acknowledged_on)))
    proposal = side.proposal
    if proposal is not None and not view.plan_agreed:
        rows = answers.plan_rows(proposal)
        said.append(t(lang, "debtor.plan.summary", count=int(proposal["count"]),
                      first=say.value(rows[0].due), total=say.value(sum(
                          (r.amount for r in rows[1:]), rows[0].amount)),
                      each=say.value(rows[0].amount)))
    return said


def _pay(case: Case, view: ClaimView, lang: str, say: Renderer) -> dict[str, Any]:
    """How to pay the total due today: the account, the reference, the EPC QR code."""
    details = payment_details_for(case.id, case.jurisdiction, view.creditor,
                                  payment_text(case), [i.number for i in view.invoices])
    payload = details.epc(view.total.rounded())
    return {
        "creditor": view.creditor,
        "iban": details.account.iban_grouped if details.account else "",
        "bic": details.account.bic if details.account else "",
        "details": payment_text(case),
        "amount": say.value(view.total),
        "reference": details.reference,
        "reference_kind": details.reference_kind,
        "qr": qr(payload) if payload else "",
    }


def _plan_form(today: date, lang: str) -> dict[str, Any]:
    """The bounds the plan form offers, the same the answer checks (``answers.check_plan``)."""
    return {
        "min": answers.MIN_INSTALMENTS, "max": answers.MAX_INSTALMENTS,
        "first_min": today.isoformat(),
        "first_max": (today + answers.FIRST_WITHIN).isoformat(),
        "first_default": (today + timedelta(days=7)).isoformat(),
        "intervals": [{"code": code, "label": t(lang, f"debtor_web.interval.{code}")}
                      for code in INTERVALS],
    }
