"""Everything a document may show about a case, as plain JSON values for the templates.

The context is built once per case and language when the documents stage is reached and
travels in each ``DocumentJob``; templates never reach back into the case. Answers given with a
button that stands for "nothing" (``none``, ``unknown``, ``self``, ``invoice``) become empty
values here, so a template decides what to write instead and no code word is ever printed.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flows import formatting
from flows.debtor import link as debtor_link
from flows.debtor.chronology import DEBTOR_EVENTS
from flows.debtor.chronology import event_text as debtor_event_text
from flows.documents.figures import figures_for, insolvency_for
from flows.documents.salutation import greeting
from flows.followup.plan import Instalment, instalments
from flows.i18n import t
from flows.law import from_case, pack_for
from flows.law.from_case import answered_day
from flows.law.letters import InsolvencyLetterFacts
from flows.missed_instalment import MissedInstalment, missed_instalment
from flows.model import Case
from flows.money import Money
from flows.payment import payment_details_for
from flows.question_checks import format_company_id
from flows.questions import BY_KEY
from flows.vocabulary import DISPUTE_POINTS, CountryWord, Jurisdiction, Remedy, country_word

NO_VALUE = {"none", "unknown", "self", "invoice"}
# A drafting choice, not a legal figure: the rhythm of friendly reminders (the notice a payment
# plan gives on a missed instalment is from_case.ACCELERATION_NOTICE_DAYS).
REMINDER_SPACING_DAYS = 7

CHECKLIST_BASE = ("contract", "delivery", "invoice_sent", "written_reminders", "replies",
                  "bank_statement")
CHECKLIST_FOR: dict[str, tuple[str, ...]] = {
    Remedy.FRIENDLY_REMINDER: ("reminder_copies", "call_notes"),
    Remedy.FORMAL_DEMAND: ("demand_proof",),
    Remedy.SUSPENSION: ("reciprocal_terms", "suspension_proof", "service_log"),
    Remedy.PAYMENT_PLAN: ("signed_plan", "payments_log"),
    Remedy.RETENTION_OF_TITLE: ("rot_clause_accepted", "goods_identified", "goods_in_kind"),
    Remedy.COLLECTION_AGENCY: ("demand_proof", "statement_of_account", "agency_mandate"),
    Remedy.COURT: ("demand_proof", "terms_of_sale", "statement_of_account"),
    Remedy.INSOLVENCY_CLAIM: ("opening_notice", "statement_of_account", "claim_proof"),
}
_EVIDENCE_KEYS = {"contract": "ev_contract", "delivery": "ev_delivery",
                  "invoice_sent": "ev_invoice_sent", "written_reminders": "ev_written_reminders"}


def value_or_empty(case: Case, key: str) -> str:
    value = case.text(key)
    return "" if value in NO_VALUE else value


def phrase(text: str) -> str:
    """User text that the documents weave into a sentence: without its own final full stop
    (the sentence supplies one), so "…2026." never reads "…2026.."."""
    return text.strip().rstrip(".;").rstrip()


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def case_context(case: Case, lang: str, today: date) -> dict[str, Any]:
    """Everything the documents of the case's remedy may show, as of ``today``."""
    remedy = case.text("remedy")
    figures = figures_for(case, today, lang)
    context: dict[str, Any] = {
        "jurisdiction": case.jurisdiction,
        # How amounts with tax are said: TTC, TVAC, taxes incluses (flows.vocabulary).
        "incl_tax": country_word(lang, case.jurisdiction, CountryWord.INCL_TAX),
        "bailiff": country_word(lang, case.jurisdiction, CountryWord.BAILIFF),
        "debtor_kind": case.text("debtor_kind", "business"),
        "business": case.text("debtor_kind", "business") == "business",
        "supply": case.text("supply", "services"),
        "supply_description": phrase(case.text("supply_description")),
        "remedy": remedy,
        "today": today.isoformat(),
        "city": case.text("city"),
        "creditor": _creditor(case, lang),
        "debtor": _party(case, "debtor", lang),
        "greeting": asdict(greeting(debtor_contact(case), lang)),
        "invoices": figures["invoices"],
        "figures": figures,
        "balance": case.total_balance().to_json(),
        "any_paid": any(i.paid.amount for i in case.invoices()),
        "reminders": _reminders(case),
        "payment_details": phrase(value_or_empty(case, "payment_details")),
        # The account, the case's reference and the EPC QR code's fields (flows.payment).
        "payment": payment_details_for(
            case.id, case.jurisdiction, case.text("creditor_name"),
            value_or_empty(case, "payment_details"),
            [invoice.number for invoice in case.invoices()]).to_json(),
        # The debtor's personal links: the case's live token (issued when the documents are
        # made, flows.journey), the addresses known only when drawing (flows.documents.drawing).
        "debtor_token": debtor_link.live(case),
        "debtor_links": {},
        "disputed": case.flag("disputed") is True,
        "dispute": _dispute(case, lang),
        "services_running": case.flag("services_running") is True,
        "rot_goods": case.flag("rot_goods") is True,
        "insolvent": case.flag("insolvency") is True,
        "checklist": checklist(case, remedy),
    }
    context["demand"] = _demand(case, today, lang)
    context["reminder_plan"] = _reminder_plan(today)
    if remedy == Remedy.SUSPENSION:
        context["suspension"] = _suspension(case)
    if remedy == Remedy.PAYMENT_PLAN:
        context["plan"] = _plan(case, figures, today)
    missed = missed_instalment(case)
    if remedy == Remedy.FORMAL_DEMAND and missed is not None:
        context["plan_default"] = _plan_default(case, missed)
    if BY_KEY["rot_goods_list"].applies(case):  # goods under retention of title are claimed
        context["rot"] = {"goods": lines(case.text("rot_goods_list")),
                          "clause": phrase(case.text("rot_clause"))}
    if case.flag("insolvency"):
        context["insolvency"] = _insolvency(case, lang, today)
    if remedy == Remedy.COURT:
        route = from_case.court_route_for(case, today)
        context["court_route"] = route.value if route else ""
    if remedy == Remedy.COLLECTION_AGENCY:
        context["mandate_plan"] = case.flag("mandate_plan") is True
    context["chronology"] = chronology(case, lang, today)
    context["upcoming"] = upcoming(context, lang)
    return context


def _creditor(case: Case, lang: str) -> dict[str, Any]:
    party = _party(case, "creditor", lang)
    signatory = value_or_empty(case, "signatory")
    # "Marc Petit EI" signing for "Marc Petit EI" is one person: one line, no "Pour …".
    party["signs_for"] = bool(signatory) and _same(signatory) != _same(party["name"])
    party["signatory"] = signatory if party["signs_for"] else party["name"]
    party["contact"] = value_or_empty(case, "creditor_contact")
    # CPC 57: a natural person's request gives occupation, nationality, birth date and place.
    person = BY_KEY["creditor_birth"].applies(case)
    party["person"] = {key: value_or_empty(case, f"creditor_{key}")
                       for key in ("profession", "nationality", "birth")} if person else None
    return party


def _same(name: str) -> str:
    return " ".join(name.casefold().split())


# An address line naming the person a letter is for ("À l'attention de Monsieur Paul Durand").
_ATTENTION = re.compile(r"^\s*(?:[àa] l'att(?:ention|\.)?\s+de|attn\.?|attention"
                        r"|(?:for|to) the attention of)\s*:?\s*(.+)$", re.IGNORECASE)


def debtor_contact(case: Case) -> str:
    """The person letters to the debtor are for: an "À l'attention de …" line of its address,
    else the debtor's own name when it is a consumer named with a civility ("Madame Sophie
    Lambert"); "" when unknown (the letter then says "Madame, Monsieur,")."""
    for line in lines(case.text("debtor_address")):
        match = _ATTENTION.match(line)
        if match:
            return match.group(1).strip()
    if case.text("debtor_kind") == "consumer":
        return case.text("debtor_name")
    return ""


def _party(case: Case, who: str, lang: str) -> dict[str, Any]:
    number = value_or_empty(case, f"{who}_id")
    return {"name": case.text(f"{who}_name"),
            "address": lines(case.text(f"{who}_address")),
            "id": format_company_id(case.jurisdiction, number) if number else "",
            "id_label": id_label(case.jurisdiction, number, lang) if number else ""}


def id_label(jurisdiction: str, number: str, lang: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    if jurisdiction == "fr":
        return t(lang, "documents.id.siret" if len(digits) == 14 else "documents.id.siren")
    return t(lang, f"documents.id.{jurisdiction}")


def _reminders(case: Case) -> dict[str, Any]:
    count = int(case.text("reminders_sent", "0") or "0")
    last = answered_day(case, "last_reminder_date")
    return {"count": count, "last": last.isoformat() if last else ""}


def _demand(case: Case, today: date, lang: str) -> dict[str, Any]:
    deadline = from_case.demand_deadline(case, today)
    # The demand letter is itself the demand: interest that waits for one starts with it.
    own = figures_for(case, today, lang, with_demand=False)
    return {"days": (deadline - today).days, "deadline": deadline.isoformat(), "figures": own}


def _reminder_plan(today: date) -> dict[str, str]:
    step = timedelta(days=REMINDER_SPACING_DAYS)
    return {"first": today.isoformat(), "second": (today + step).isoformat(),
            "third": (today + 2 * step).isoformat(),
            "pay_by": (today + 3 * step).isoformat()}


def _suspension(case: Case) -> dict[str, Any]:
    start = answered_day(case, "suspend_from")
    # The formal demand left unanswered that the notice follows (flows.demand_first): the one
    # the bot drew up, else the one the user dated; "" only for a case stored before the
    # question (the notice then states that it is itself the demand).
    demand_on = from_case.demand_date(case)
    return {"what": phrase(case.text("suspend_what")),
            "demand_on": demand_on.isoformat() if demand_on else "",
            # A demand the bot drew up while services ran reserved the suspension in writing.
            "demand_warned": case.demand is not None and case.flag("services_running") is True,
            "from": start.isoformat() if start else "",
            "keep": phrase(value_or_empty(case, "suspend_keep")),
            "restore_days": int(case.text("restore_days", "1") or "1")}


def plan_table(total: Money, count: int, first: date, interval: str) -> list[Instalment]:
    """The instalment table the agreement prints and the follow-up reminds about (one rule,
    ``flows.followup.plan``): equal shares, the rounding cents on the last. A few cents are
    never cut into more instalments than cents, so no instalment is ever zero."""
    cents = int(total.rounded().amount * 100)
    return instalments(total.rounded(), max(1, min(count, cents)), first, interval)


def _plan(case: Case, figures: dict[str, Any], today: date) -> dict[str, Any]:
    # The plan spreads the principal, as the follow-up counts it. The interest and indemnity due
    # to date stay due, unless the user chose to waive them on condition that the plan is kept
    # (they fall due again if it is not).
    principal = case.total_balance()
    extras = Money.from_json(figures["interest"]) + Money.from_json(figures["indemnity"])
    waives = extras.amount > 0 and case.flag("plan_waive") is True
    first = answered_day(case, "plan_first_date") or today
    interval = case.text("plan_interval", "monthly")
    table = plan_table(principal, int(case.text("plan_count", "3") or "3"), first, interval)
    return {
        "count": len(table), "frequency": interval, "first": first.isoformat(),
        "total": principal.rounded().to_json(), "waived": extras.to_json(),
        "waives": waives, "charges_due": extras.amount > 0 and not waives,
        "last": table[-1].due.isoformat(),
        "instalments": [{"number": i.number, "due": i.due.isoformat(),
                         "amount": i.amount.to_json()} for i in table],
        "acceleration_days": from_case.ACCELERATION_NOTICE_DAYS,
    }


def _plan_default(case: Case, missed: MissedInstalment) -> dict[str, Any]:
    """What the formal demand after a missed instalment cites: the plan (signed or not), the
    instalment missed, the acceleration clause's notice, and the payments received, dated
    (the figures count interest on each sum until the day it was paid)."""
    payments = sorted((p for invoice in case.invoices() for p in invoice.payments),
                      key=lambda p: p.day)
    return {
        "number": missed.number, "due": missed.due.isoformat(),
        "amount": missed.amount.to_json(), "count": missed.count,
        "total": missed.total.to_json(), "frequency": missed.interval,
        "proposed_on": missed.proposed_on.isoformat(),
        "signed_on": missed.signed_on.isoformat() if missed.signed_on else "",
        "online": missed.online,
        "notice_days": missed.notice_days, "waived": missed.waived,
        "payments": [{"on": p.day.isoformat(), "amount": p.amount.to_json()} for p in payments],
    }


def _insolvency(case: Case, lang: str, today: date) -> dict[str, Any]:
    published = answered_day(case, "insolvency_date")
    judgment = answered_day(case, "judgment_date") or published
    deadlines = insolvency_for(case, lang)
    admin = value_or_empty(case, "admin_name")
    claims_deadline = answered_day(case, "claims_deadline")
    opening = judgment or today
    # What was owed when the proceedings opened: the judgment takes effect from its first hour,
    # so the claim counts interest up to the day before (L622-28).
    interest_until = (date.fromisoformat(deadlines["interest_until"])
                      if deadlines and deadlines["interest_until"] else opening)
    at_opening = figures_for(case, interest_until, lang)
    facts = InsolvencyLetterFacts(
        proceedings=case.text("proceedings"), judgment_date=judgment, published_on=published,
        court=case.text("insolvency_court"), administrator_named=bool(admin),
        interest_rates_known=bool(at_opening["rates"]))
    return {
        "proceedings": case.text("proceedings"),
        "court": case.text("insolvency_court"),
        "judgment_date": judgment.isoformat() if judgment else "",
        "published_on": published.isoformat() if published else "",
        "claims_deadline": claims_deadline.isoformat() if claims_deadline else "",
        "mj": {"name": case.text("mj_name"), "address": lines(case.text("mj_address"))},
        "admin": ({"name": admin, "address": lines(case.text("admin_address"))}
                  if admin else None),
        "deadlines": deadlines,
        "at_opening": at_opening,
        "not_yet_due": [i.number for i in case.invoices()
                        if i.due_date is not None and i.due_date > opening],
        "secured": case.flag("rot_goods") is True,
        # The letters' sentences about the proceedings, worded by the country's pack.
        "law": pack_for(Jurisdiction(case.jurisdiction)).insolvency_letters(facts).to_json(),
    }


# The evidence checklist ----------------------------------------------------------------
def checklist(case: Case, remedy: str | None = None) -> list[dict[str, Any]]:
    """The evidence to keep, each marked held or still missing: what every case needs, plus
    what ``remedy`` needs (none before a remedy is chosen)."""
    codes = list(CHECKLIST_BASE)
    codes += [c for c in CHECKLIST_FOR.get(remedy or "", ()) if c not in codes]
    items = []
    for code in codes:
        if code == "written_reminders" and case.text("reminders_sent", "0") == "0":
            continue
        key = _EVIDENCE_KEYS.get(code)
        items.append({"code": code, "held": case.flag(key) if key else None})
    return items


# The chronology ------------------------------------------------------------------------
def chronology(case: Case, lang: str, today: date) -> list[dict[str, str]]:
    """Every dated event of the case, oldest first: invoices, reminders, steps, payments, the
    user's notes. The bot's own doings (the case opened, documents drafted, files received)
    are not events of the case: a reader of the chronology (a judge, an agency) has no use
    for them."""
    money = _money_text(case, lang)
    events: list[tuple[str, int, str]] = []

    def add(day: date | str, text: str, order: int = 5) -> None:
        iso = day if isinstance(day, str) else day.isoformat()
        events.append((iso[:10], order, text))

    for invoice in case.invoices():
        # A payment made before the case was opened has no known date: it is told with the
        # invoice rather than given a date it did not have.
        key = "chrono.invoice_issued_paid" if invoice.undated.amount else "chrono.invoice_issued"
        add(invoice.issue_date, t(lang, key, number=invoice.number, amount=money(invoice.amount),
                                  paid=money(invoice.undated)), 1)
        for payment in invoice.payments:
            add(payment.day, t(lang, "chrono.payment", amount=money(payment.amount)), 3)
        if invoice.due_date:
            add(invoice.due_date, t(lang, "chrono.invoice_due", number=invoice.number), 2)
    last = answered_day(case, "last_reminder_date")
    count = int(case.text("reminders_sent", "0") or "0")
    if last and count:
        add(last, t(lang, "chrono.reminders", count=count))
    judgment = answered_day(case, "judgment_date")
    if judgment:
        add(judgment, t(lang, "chrono.judgment", court=case.text("insolvency_court")))
    published = answered_day(case, "insolvency_date")
    if published:
        add(published, t(lang, f"chrono.published_{case.jurisdiction}"))
    for event in case.events:
        text = _event_text(event, lang, money, case.currency, case.jurisdiction)
        if text:
            add(str(event["at"]), text)
    events.sort(key=lambda e: (e[0], e[1]))
    return [{"date": day, "text": text} for day, _, text in events if day <= today.isoformat()]


def _event_text(event: dict[str, Any], lang: str, money: Any, currency: str,
                jurisdiction: str) -> str:
    kind = event.get("kind")
    params = event.get("params", {})
    if kind == "outcome" and params.get("outcome") in {"unpaid", "partly", "paid"}:
        return t(lang, f"chrono.outcome_{params['outcome']}")
    # A payment reported with its day is among the invoice's payments, told on that day.
    if kind == "payment" and params.get("amount") and not params.get("on"):
        return t(lang, "chrono.payment", amount=money(Money(Decimal(params["amount"]), currency)))
    if kind == "note" and params.get("text"):  # the user's own notes (/note): calls, promises
        return t(lang, "chrono.note", text=params["text"])
    if kind in DEBTOR_EVENTS:  # what the debtor answered through their link
        return debtor_event_text(event, lang, jurisdiction, currency)
    return ""


def _money_text(case: Case, lang: str) -> Any:
    return lambda amount: formatting.money(amount, lang, case.jurisdiction)


def upcoming(context: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """The dates ahead that matter for this remedy (deadline given, legal time limits)."""
    ahead: list[dict[str, str]] = []
    remedy = context["remedy"]
    if remedy == Remedy.FORMAL_DEMAND:
        ahead.append({"date": context["demand"]["deadline"], "text": t(lang, "upcoming.demand")})
    if remedy == Remedy.SUSPENSION and context["suspension"]["from"]:
        ahead.append({"date": context["suspension"]["from"], "text": t(lang, "upcoming.suspend")})
    if remedy == Remedy.PAYMENT_PLAN:
        plan = context["plan"]
        ahead.append({"date": plan["first"], "text": t(lang, "upcoming.plan_first")})
        ahead.append({"date": plan["last"], "text": t(lang, "upcoming.plan_last")})
    insolvency = context.get("insolvency")
    if insolvency and insolvency["deadlines"]:
        for name in ("proof_of_claim", "revendication"):
            item = insolvency["deadlines"].get(name)
            if item and item["last_day"]:
                ahead.append({"date": item["last_day"], "text": t(lang, f"upcoming.{name}")})
    limitation = context["figures"]["limitation"]
    if limitation:
        ahead.append({"date": limitation["last_day"],
                      "text": t(lang, "upcoming.limitation", article=limitation["article"])})
    return sorted((a for a in ahead if a["date"] >= context["today"]), key=lambda a: a["date"])


def _dispute(case: Case, lang: str) -> dict[str, Any] | None:
    """What the debtor disputes and the evidence the user holds that answers it: the formal
    demand then answers that point and offers the country's conciliation or mediation
    (``demand_letter.html``; the template itself never decides by country)."""
    if case.flag("disputed") is not True:
        return None
    point = case.text("dispute_reason")
    return {"point": point if point in DISPUTE_POINTS else "other",
            "contract_proof": case.flag("ev_contract") is True,
            "delivery_proof": case.flag("ev_delivery") is True,
            "conciliation": t(lang, f"letter.dispute.conciliation.{case.jurisdiction}")}
