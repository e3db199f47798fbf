"""The documents of a case: which ones each remedy needs, in which forms, and what to say
when they are sent.

``jobs_for`` decides on the conversation path (pure, a few milliseconds): the documents of the
chosen remedy for this case (the court documents depend on the country and the amount), then
the evidence checklist and the chronology that come with every remedy. Drawing them is the
slow part, done off the conversation path (``flows.documents.drawing``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flows import formatting
from flows.answers import Kind
from flows.conversation import DocumentJob
from flows.documents.context import case_context, checklist
from flows.documents.figures import record_demand as record_demand
from flows.documents.languages import language_of, law_language, translated
from flows.i18n import t
from flows.law import from_case
from flows.law.render import Renderer
from flows.model import Case
from flows.questions import QUESTIONS
from flows.stages import stage_index
from flows.vocabulary import Jurisdiction, Remedy

# The documents each remedy may produce, in the order they are sent.
DOCUMENTS_FOR: dict[str, tuple[str, ...]] = {
    Remedy.FRIENDLY_REMINDER: ("reminder_1", "reminder_2", "reminder_3", "phone_script"),
    # After a missed instalment, the demand the plan's acceleration clause requires instead.
    Remedy.FORMAL_DEMAND: ("demand_letter", "plan_default_demand"),
    Remedy.SUSPENSION: ("suspension_notice",),
    Remedy.PAYMENT_PLAN: ("plan_letter", "plan_agreement"),
    Remedy.RETENTION_OF_TITLE: ("rot_claim", "revendication", "proof_of_claim"),
    Remedy.COLLECTION_AGENCY: ("agency_brief",),
    Remedy.COURT: ("debt_acknowledgement", "small_claims_request", "injonction_request",
                   "uncontested_debt_request", "qc_small_claims", "lawyer_brief"),
    Remedy.INSOLVENCY_CLAIM: ("proof_of_claim", "revendication"),
}
# Every remedy ends with these two.
CASE_FILE = ("evidence_checklist", "chronology")

Context = dict[str, Any]


def _limitation_close(context: Context) -> bool:
    return bool(context["figures"].get("limitation_close"))


def _route_open(name: str) -> Callable[[Context], bool]:
    return lambda c: c["figures"]["routes"].get(name, {}).get("available") is not False


# When a document of a remedy applies to the case (default: always).
APPLIES: dict[str, Callable[[Context], bool]] = {
    "demand_letter": lambda c: "plan_default" not in c,
    "plan_default_demand": lambda c: "plan_default" in c,
    # Before the due date only the courtesy reminder fits: the firmer ones presuppose lateness.
    "reminder_2": lambda c: not c["figures"].get("not_yet_due"),
    "reminder_3": lambda c: not c["figures"].get("not_yet_due"),
    "phone_script": lambda c: not c["figures"].get("not_yet_due"),
    "rot_claim": lambda c: not c["insolvent"],
    # Goods under retention of title are claimed back beside the proof of claim, never instead.
    "revendication": lambda c: c["insolvent"] and "rot" in c,
    "proof_of_claim": lambda c: c["insolvent"],
    # Weeks before the claim is time-barred, only a summons served in time or the debtor's
    # signed acknowledgement stop the clock (flows.law.remedy_compare.limitation_close): the
    # brief for whoever serves the summons and the acknowledgement, no request that would
    # interrupt it too late.
    "debt_acknowledgement": _limitation_close,
    # France: the request of the route to take first (flows.law.before_court); after the
    # small-claims procedure, which needs the debtor's agreement, the order for payment comes
    # next if the debtor refuses. A disputed claim goes to a summons: the brief, no request.
    "small_claims_request": lambda c: c["jurisdiction"] == "fr" and not _limitation_close(c)
    and c.get("court_route") == "small_claims_procedure"
    and c["figures"]["routes"].get("small_claims_procedure", {}).get("available") is True,
    "injonction_request": lambda c: c["jurisdiction"] == "fr" and not _limitation_close(c)
    and c.get("court_route") != "summons",
    # Belgium: the huissier procedure is for uncontested debts only (C. jud. 1394/20 ff.); a
    # disputed claim goes to a citation, through a lawyer: the brief.
    "uncontested_debt_request": lambda c: c["jurisdiction"] == "be" and c["business"]
    and not _limitation_close(c) and c.get("court_route") != "summons",
    "qc_small_claims": lambda c: c["jurisdiction"] == "qc" and not _limitation_close(c)
    and _route_open("small_claims_court")(c),
    "lawyer_brief": lambda c: _limitation_close(c)
    or (c["jurisdiction"] == "fr" and c.get("court_route") == "summons")
    or (c["jurisdiction"] == "be" and (not c["business"] or c.get("court_route") == "summons"))
    or (c["jurisdiction"] == "qc" and not _route_open("small_claims_court")(c)),
}
# Which forms each document comes in: PDF to print, DOCX to edit, TXT to paste in an e-mail.
EMAILED = {"reminder_1", "reminder_2", "reminder_3", "demand_letter", "plan_default_demand",
           "suspension_notice", "plan_letter", "agency_brief", "lawyer_brief"}
FORMATS_FOR: dict[str, tuple[str, ...]] = {"evidence_checklist": ("pdf",)}
# Documents sharing one template (the brief reads ``kind`` to address an agency or a lawyer).
TEMPLATE_FOR = {"agency_brief": "case_brief", "lawyer_brief": "case_brief"}


def formats_for(kind: str) -> tuple[str, ...]:
    if kind in FORMATS_FOR:
        return FORMATS_FOR[kind]
    return ("pdf", "docx", "txt") if kind in EMAILED else ("pdf", "docx")


def kinds_for(remedy: str, context: Context) -> list[str]:
    """The documents for ``remedy`` that apply to this case, then the case file."""
    kinds = [k for k in DOCUMENTS_FOR.get(remedy, ()) if APPLIES.get(k, _always)(context)]
    return [*kinds, *CASE_FILE]


def _always(_context: Context) -> bool:
    return True


def jobs_for(case: Case, lang: str, today: date) -> list[DocumentJob]:
    """The case's documents, every one in ``lang`` (the operator's ``documents`` command, the
    tests of each language's templates); the chat sends ``jobs_to_send``."""
    context = case_context(case, lang, today)
    return [_job(case, kind, lang, context, today)
            for kind in kinds_for(case.text("remedy"), context)]


def jobs_to_send(case: Case, chat_lang: str, today: date) -> list[DocumentJob]:
    """The case's documents as the user gets them: the letters and court papers in the
    language of the law, what the user alone reads in the chat's (``flows.documents.languages``)."""
    contexts: dict[str, Context] = {}

    def context_in(lang: str) -> Context:
        if lang not in contexts:
            contexts[lang] = case_context(case, lang, today)
        return contexts[lang]

    kinds = kinds_for(case.text("remedy"), context_in(law_language(case.jurisdiction)))
    jobs = []
    for kind in kinds:
        lang = language_of(kind, case.jurisdiction, chat_lang)
        jobs.append(_job(case, kind, lang, context_in(lang), today))
    return jobs


def translation_jobs(case: Case, chat_lang: str, drawn_on: date) -> list[DocumentJob]:
    """The documents drawn on ``drawn_on`` in another language than the chat's, drawn again in
    the chat's as of that day, for the user to read: PDF only, marked as a translation on every
    page and in the file name (``documents.translation``), never a letter to send."""
    context = {**case_context(case, chat_lang, drawn_on), "translation": True}
    stamp = drawn_on.strftime("%Y%m%d")
    mark = t(chat_lang, "documents.translation.filename")
    return [DocumentJob(kind=kind, lang=chat_lang, case_id=case.id,
                        filename=f"{mark}_{t(chat_lang, 'documents.filename.' + kind)}_{stamp}",
                        context=context, formats=("pdf",))
            for kind in kinds_for(case.text("remedy"), context)
            if translated(kind, case.jurisdiction, chat_lang)]


def translatable_drawing(case: Case, chat_lang: str) -> date | None:
    """The day the case's documents were last drawn, when the user may have them translated:
    some were in another language than the chat's, and they were for the remedy still chosen
    (another remedy's documents need facts this one does not). None otherwise."""
    if law_language(case.jurisdiction) == chat_lang:
        return None
    drawn = [e for e in case.events if e.get("kind") == "documents"]
    if not drawn or drawn[-1].get("params", {}).get("remedy") != case.text("remedy"):
        return None
    return datetime.fromisoformat(str(drawn[-1]["at"])).date()


def _job(case: Case, kind: str, lang: str, context: Context, today: date) -> DocumentJob:
    return DocumentJob(kind=kind, lang=lang, case_id=case.id,
                       filename=f"{t(lang, 'documents.filename.' + kind)}_{today:%Y%m%d}",
                       context=context, formats=formats_for(kind))


def missing_answers(case: Case) -> list[str]:
    """The answers the case's documents still need (what the journey would ask before them)."""
    details = stage_index("details")
    return [q.key for q in QUESTIONS
            if q.kind is not Kind.ACK and stage_index(q.stage) <= details
            and q.key not in case.answers and q.applies(case)]


def checklist_message(case: Case, lang: str) -> str:
    lines = [t(lang, "checklist.title")]
    for item in checklist(case):
        mark = "✅" if item["held"] else ("⬜" if item["held"] is None else "❗")
        lines.append(f"{mark} {t(lang, 'checklist.item.' + item['code'])}")
    lines += ["", t(lang, "checklist.keep")]
    return "\n".join(lines)


def sending_advice(case: Case, lang: str, today: date) -> str:
    """What to do with the documents just sent: how to send them, and the dates that follow."""
    context = case_context(case, lang, today)
    remedy = case.text("remedy")
    if remedy not in DOCUMENTS_FOR:
        return t(lang, "documents.advice.pending", remedy=t(lang, f"remedy.{remedy}"))

    def day(iso: str) -> str:
        return formatting.day(date.fromisoformat(iso), lang, case.jurisdiction) if iso else ""

    params: dict[str, Any] = {
        "deadline": day(context["demand"]["deadline"]),
        "second": day(context["reminder_plan"]["second"]),
        "third": day(context["reminder_plan"]["third"]),
    }
    key = f"documents.advice.{remedy}"
    if remedy == Remedy.SUSPENSION:
        params["start"] = day(context["suspension"]["from"])
    missed = context.get("plan_default")
    if missed is not None:  # the demand after a missed instalment, signed plan or not
        key = "documents.advice.plan_default" + ("" if missed["signed_on"] else "_unsigned")
        params.update(number=missed["number"], days=missed["notice_days"],
                      signed=day(missed["signed_on"]))
    if remedy == Remedy.PAYMENT_PLAN:
        params["first"] = day(context["plan"]["first"])
    insolvency = context.get("insolvency")
    if remedy in {Remedy.RETENTION_OF_TITLE, Remedy.INSOLVENCY_CLAIM} and insolvency:
        deadlines = insolvency["deadlines"] or {}
        claim = (deadlines.get("proof_of_claim") or {}).get("last_day", "")
        revendication = (deadlines.get("revendication") or {}).get("last_day", "")
        # With goods to claim back, the proof of claim comes with the revendication.
        both = Remedy.RETENTION_OF_TITLE if "rot" in context else remedy
        key = f"documents.advice_insolvency.{both}.{case.jurisdiction}"
        params.update(
            claim=t(lang, "documents.advice.by_date", date=day(claim)) if claim
            else t(lang, "documents.advice.date_in_judgment" if case.jurisdiction == "be"
                   else "documents.advice.asap"),
            revendication=t(lang, "documents.advice.by_date", date=day(revendication))
            if revendication else t(lang, "documents.advice.asap"))
    if remedy == Remedy.COURT and _limitation_close(context):
        key = f"documents.advice_court_close.{case.jurisdiction}"
        params["last_day"] = day(context["figures"]["limitation"]["last_day"])
    elif remedy == Remedy.COURT:
        key = f"documents.advice_court.{case.jurisdiction}"
        if context.get("court_route") == "summons" and case.jurisdiction == "fr":
            key = "documents.advice_court.fr_summons"
    lines = [t(lang, key, **params)]
    guidance = from_case.route_guidance_for(case, today) if remedy == Remedy.COURT else None
    if guidance is not None and not _limitation_close(context):
        lines.insert(0, "🧭 " + Renderer(lang, Jurisdiction(case.jurisdiction))(guidance))
    if remedy == Remedy.PAYMENT_PLAN and case.jurisdiction == "fr":
        lines.append(t(lang, "documents.advice.plan_interrupts"))
    if context["figures"]["provisional"]:
        # The letters state the rate applied and its basis, as a debtor reads them; that the
        # rate is carried over from an earlier period is for the user to know, here.
        lines.append(t(lang, "documents.advice.provisional"))
    lines.append(t(lang, "documents.advice.forms"))
    if law_language(case.jurisdiction) != lang:
        lines.append(t(lang, "documents.translation.advice",
                       country=t(lang, f"choice.jurisdiction.{case.jurisdiction}")))
    return "\n\n".join(lines)
