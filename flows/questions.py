"""The questions of the journey, declared as data.

Each question says what to ask, of what kind, when it applies and how to check the answer.
The journey engine asks whatever the current stage still needs, so adding a question is one
entry here and its wording in the catalogs (``q.<key>``, choice labels ``choice.<key>.<code>``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows import demand_first
from flows import question_checks as checks
from flows.answers import Kind, Predicate, Question
from flows.followup.actions import outcome_choices
from flows.followup.plan import PLAN_INSTALMENTS
from flows.law.from_case import belgian_consumer
from flows.missed_instalment import missed_instalment
from flows.model import FROM_PROFILE, Asking, Case
from flows.parsing import ParseError
from flows.stage_messages import ranked_remedies
from flows.stages import stage_index
from flows.vocabulary import DISPUTE_POINTS, Remedy

# The first reminder to a Belgian consumer: 14 days counted from the third working day after
# posting (CDE XIX.2, figure in flows/law/data); 30 for a user who wants to give more.
BELGIAN_CONSUMER_DAYS = ("14", "30")
# "The same details as in your last case?" (``flows.profile``).
SAME_DETAILS = "same_details"


# Predicates -------------------------------------------------------------------------------
def business_debtor(case: Case) -> bool:
    return case.text("debtor_kind") == "business"


def goods_supplied(case: Case) -> bool:
    return case.text("supply") == "goods"


def services_supplied(case: Case) -> bool:
    return case.text("supply") == "services"


def in_insolvency(case: Case) -> bool:
    return case.flag("insolvency") is True


# Choices that depend on the case --------------------------------------------------------
# A Quebec demand must give a reasonable delay (C.c.Q. 1595), commonly 10 days (LEGAL_FACTS D3):
# never fewer.
QUEBEC_DEMAND_DAYS = ("10", "15")


def _demand_days_choices(case: Case) -> tuple[str, ...]:
    # A Belgian consumer's first reminder leaves at least 14 days (CDE XIX.2): never fewer.
    if belgian_consumer(case):
        return BELGIAN_CONSUMER_DAYS
    return QUEBEC_DEMAND_DAYS if case.jurisdiction == "qc" else ("8", "15")


def _demand_days_allowed(case: Case, value: Any, _today: date) -> None:
    least = int(BELGIAN_CONSUMER_DAYS[0])
    if belgian_consumer(case) and int(value) < least:
        raise ParseError("error.be_consumer_days", {"least": least})
    least = int(QUEBEC_DEMAND_DAYS[0])
    if case.jurisdiction == "qc" and int(value) < least:
        raise ParseError("error.qc_demand_days", {"least": least})


def payment_plan(case: Case) -> bool:
    return case.text("remedy") == Remedy.PAYMENT_PLAN


def had_undated_payment(case: Case) -> bool:
    """Cases stored before payments had dates keep their undated sum, shown and editable."""
    return case.answered("paid_amount")


def _new_or_answered(case: Case, key: str) -> bool:
    """A fact added after cases were stored is asked only before the figures are shown, so a
    case further along is not sent back to its facts (it keeps the prudent default)."""
    return case.answered(key) or not case.answered("rights_ack")


def _french_court(case: Case) -> bool:
    return case.jurisdiction == "fr" and case.text("remedy") == Remedy.COURT


def _person_before_court(case: Case) -> bool:
    return _french_court(case) and case.flag("creditor_is_person") is True


def _asks_completion(case: Case) -> bool:
    return (case.jurisdiction == "fr" and case.text("debtor_kind") == "consumer"
            and _new_or_answered(case, "completion_date"))


def remedy_in(*remedies: Remedy) -> Predicate:
    """The question applies when the chosen remedy is one of these (its documents need it)."""
    wanted = {r.value for r in remedies}
    return lambda case: case.text("remedy") in wanted


def _debtor_business_for(*remedies: Remedy) -> Predicate:
    return lambda case: business_debtor(case) and remedy_in(*remedies)(case)


def _insolvency_for(*remedies: Remedy) -> Predicate:
    return lambda case: in_insolvency(case) and remedy_in(*remedies)(case)


def _creditor_id_needed(case: Case) -> bool:
    # Every formal document names the creditor's registration; a Belgian consumer's first
    # reminder must carry the enterprise number (CDE XIX.2).
    belgian_consumer = case.jurisdiction == "be" and case.text("debtor_kind") == "consumer"
    return case.text("remedy") != Remedy.FRIENDLY_REMINDER or belgian_consumer


def _claims_goods(case: Case) -> bool:
    """Goods under retention of title are claimed: the remedy itself, or alongside a proof of
    claim (the claim must then name the clause, an unpublished security, C. com. R622-23)."""
    remedy = case.text("remedy")
    return remedy == Remedy.RETENTION_OF_TITLE or (
        remedy == Remedy.INSOLVENCY_CLAIM and case.flag("rot_goods") is True)


def _revendication_to_administrator(case: Case) -> bool:
    return (case.jurisdiction == "fr" and in_insolvency(case) and _claims_goods(case)
            and case.text("proceedings") != "fr_liquidation")


def _proceedings_choices(case: Case) -> tuple[str, ...]:
    return {"fr": ("fr_safeguard", "fr_reorganisation", "fr_liquidation"),
            "be": ("be_bankruptcy", "be_reorganisation"),
            "qc": ("qc_bankruptcy", "qc_proposal")}[case.jurisdiction]


_PAYERS = (Remedy.FRIENDLY_REMINDER, Remedy.FORMAL_DEMAND, Remedy.SUSPENSION,
           Remedy.PAYMENT_PLAN)
_INSOLVENCY_DOCS = (Remedy.INSOLVENCY_CLAIM, Remedy.RETENTION_OF_TITLE)
_OFFICIAL = (Remedy.COURT, Remedy.COLLECTION_AGENCY, Remedy.INSOLVENCY_CLAIM)


def details_from_before(case: Case) -> bool:
    """The user's details from an earlier case are offered (``flows.profile``) for a question
    this case asks and has not answered: "same as before?" is asked once for all of them."""
    offered = {p.get("key") for p in case.proposals if p.get("source") == FROM_PROFILE}
    return any(key in BY_KEY and key not in case.answers and BY_KEY[key].applies(case)
               for key in offered)


def _remedy_choices(case: Case, today: date) -> tuple[str, ...]:
    return tuple(r.value for r in ranked_remedies(case, today))


QUESTIONS: tuple[Question, ...] = (
    # start: where, and against whom
    Question("jurisdiction", "start", Kind.CHOICE, ("fr", "be", "qc")),
    Question("debtor_kind", "start", Kind.CHOICE, ("business", "consumer")),
    # facts: the invoice
    Question("debtor_name", "facts", Kind.TEXT, max_length=120, check=checks.has_letters),
    Question("invoice_number", "facts", Kind.TEXT, max_length=40),
    Question("invoice_amount", "facts", Kind.AMOUNT,
             check=checks.in_case_currency),
    Question("issue_date", "facts", Kind.DATE, check=checks.invoice_date),
    Question("due_date", "facts", Kind.DATE, ("none",), typed_too=True,
             check=checks.due_after_issue),
    Question("paid_amount", "facts", Kind.AMOUNT, ("nothing",), typed_too=True,
             when=had_undated_payment, check=checks.paid_below_total),
    Question("payments", "facts", Kind.PAYMENTS, ("nothing",), typed_too=True, max_length=600,
             when=lambda c: not had_undated_payment(c), check=checks.payments_fit),
    # France, consumer debtor: the 2 years of C. conso. L218-2 run from the completion of the
    # works, the performance of the services or the delivery (Cass. 3e civ., 1 March 2023).
    Question("completion_date", "facts", Kind.DATE, when=_asks_completion,
             check=checks.not_in_future),
    Question("another_invoice", "facts", Kind.YESNO),
    Question("supply", "facts", Kind.CHOICE, ("services", "goods")),
    # France: a trader goes before the commercial court, a non-trader (SCI, association,
    # liberal profession) before the tribunal judiciaire (LEGAL_FACTS A10.1, F0).
    Question("debtor_trader", "facts", Kind.CHOICE, ("trader", "non_trader", "unknown"),
             when=lambda c: c.jurisdiction == "fr" and business_debtor(c)
             and _new_or_answered(c, "debtor_trader")),
    # Belgium: what is billed periodically prescribes in 5 years (old C. civ. 2277), not 10.
    Question("periodic_billing", "facts", Kind.YESNO,
             when=lambda c: c.jurisdiction == "be" and _new_or_answered(c, "periodic_billing")),
    Question("contract_rate", "facts", Kind.RATE, ("none",), typed_too=True, when=business_debtor),
    Question("reminders_sent", "facts", Kind.COUNT, ("0", "1", "2", "3")),
    # Quebec: interest runs from the due date when the contract makes its lapse a default (1594).
    Question("qc_default_by_term", "facts", Kind.YESNO,
             when=lambda c: c.jurisdiction == "qc" and c.text("due_date", "none") != "none"),
    # Quebec small claims are open to enterprises of at most 10 employees (C.p.c. 536).
    Question("employees", "facts", Kind.CHOICE, ("up_to_10", "over_10"),
             when=lambda c: c.jurisdiction == "qc"),
    # rights: the figures are shown, the user acknowledges
    Question("rights_ack", "rights", Kind.ACK, ("continue",)),
    # evidence: what the user holds
    Question("ev_contract", "evidence", Kind.YESNO),
    Question("ev_delivery", "evidence", Kind.YESNO),
    Question("ev_invoice_sent", "evidence", Kind.YESNO),
    Question("ev_written_reminders", "evidence", Kind.YESNO,
             when=lambda c: c.text("reminders_sent", "0") != "0"),
    # remedy: the situation, then the choice
    Question("disputed", "remedy", Kind.YESNO),
    # What is disputed: the reply letter answers that point (a debtor's contest pre-answers it).
    Question("dispute_reason", "remedy", Kind.CHOICE, DISPUTE_POINTS,
             when=lambda c: c.flag("disputed") is True),
    Question("insolvency", "remedy", Kind.YESNO, when=business_debtor),
    Question("insolvency_date", "remedy", Kind.DATE, when=in_insolvency,
             check=checks.not_in_future),
    # R622-24: the period to file is doubled for a creditor outside metropolitan France.
    Question("creditor_abroad", "remedy", Kind.YESNO,
             when=lambda c: c.jurisdiction == "fr" and in_insolvency(c)),
    Question("debtor_responsive", "remedy", Kind.YESNO, when=lambda c: not in_insolvency(c)),
    Question("rot_goods", "remedy", Kind.YESNO, when=goods_supplied),
    Question("services_running", "remedy", Kind.YESNO, when=services_supplied),
    Question("remedy", "remedy", Kind.CHOICE, tuple(r.value for r in Remedy),
             ranked_for=_remedy_choices),
    # details: before any court document, was a formal demand sent, and when (without one the
    # demand is drafted first: flows.demand_first)
    Question(demand_first.KEY, "details", Kind.DATE, ("none",), typed_too=True,
             when=demand_first.asks, check=checks.sent_after_invoice),
    # details: what the documents need; the user's own details first, from an earlier case
    Question(SAME_DETAILS, "details", Kind.ACK, ("same", "change"), when=details_from_before),
    Question("creditor_name", "details", Kind.TEXT, max_length=120, check=checks.has_letters),
    Question("creditor_address", "details", Kind.ADDRESS, max_length=300,
             check=checks.postal_address),
    Question("debtor_address", "details", Kind.ADDRESS, max_length=300,
             check=checks.postal_address),
    Question("city", "details", Kind.TEXT, max_length=60, check=checks.has_letters),
    # After a missed instalment the plan's acceleration clause sets the delay: not asked.
    Question("deadline_days", "details", Kind.DAYS, ("8", "15"), typed_too=True,
             when=lambda c: c.text("remedy") == Remedy.FORMAL_DEMAND
             and missed_instalment(c) is None,
             choices_for=_demand_days_choices, check=_demand_days_allowed),
    # details of a payment plan: the instalment table and its reminders follow from them
    Question("plan_count", "details", Kind.COUNT, ("2", "3", "4", "6", "10", "12"),
             when=payment_plan, count_range=PLAN_INSTALMENTS,
             errors=(("error.count", "error.plan_count"),)),
    Question("plan_first_date", "details", Kind.DATE, when=payment_plan, check=checks.not_in_past),
    Question("plan_interval", "details", Kind.CHOICE, ("monthly", "biweekly", "weekly"),
             when=payment_plan),
    # Late-payment penalties (or interest) and the recovery indemnity stay due unless the user
    # chooses to waive them for a plan kept to the end (no answer: not waived).
    Question("plan_waive", "details", Kind.YESNO, when=payment_plan),
    # details the documents need (flows.documents.catalog): asked only for the remedies using them
    Question("supply_description", "details", Kind.TEXT, max_length=200),
    Question("creditor_id", "details", Kind.TEXT, ("none",), typed_too=True, max_length=40,
             when=_creditor_id_needed, check=checks.company_id),
    Question("signatory", "details", Kind.TEXT, ("self",), typed_too=True, max_length=120),
    # A request to a French court names a natural-person claimant by profession, nationality,
    # date and place of birth (CPC 57, 1407): asked only of such a creditor.
    Question("creditor_is_person", "details", Kind.YESNO, when=_french_court),
    Question("creditor_profession", "details", Kind.TEXT, max_length=120,
             when=_person_before_court),
    Question("creditor_nationality", "details", Kind.TEXT, max_length=60,
             when=_person_before_court),
    Question("creditor_birth", "details", Kind.TEXT, max_length=120,
             when=_person_before_court),
    Question("payment_details", "details", Kind.TEXT, ("invoice",), typed_too=True,
             max_length=200, when=remedy_in(*_PAYERS), check=checks.payment_details),
    Question("last_reminder_date", "details", Kind.DATE,
             when=lambda c: c.text("reminders_sent", "0") != "0",
             check=checks.reminder_after_invoice),
    Question("contract_damages", "details", Kind.AMOUNT, ("none",), typed_too=True,
             when=lambda c: c.jurisdiction == "be" and c.text("debtor_kind") == "consumer"
             and remedy_in(Remedy.FRIENDLY_REMINDER, Remedy.FORMAL_DEMAND)(c)),
    Question("debtor_id", "details", Kind.TEXT, ("unknown",), typed_too=True, max_length=40,
             when=_debtor_business_for(*_OFFICIAL), check=checks.company_id),
    Question("creditor_contact", "details", Kind.TEXT, ("none",), typed_too=True,
             max_length=120, when=remedy_in(*_OFFICIAL)),
    Question("suspend_what", "details", Kind.TEXT, max_length=300,
             when=remedy_in(Remedy.SUSPENSION)),
    Question("suspend_from", "details", Kind.DATE, when=remedy_in(Remedy.SUSPENSION),
             check=checks.suspension_start),
    Question("suspend_keep", "details", Kind.TEXT, ("none",), typed_too=True, max_length=300,
             when=remedy_in(Remedy.SUSPENSION)),
    Question("restore_days", "details", Kind.DAYS, ("1", "2", "5"), typed_too=True,
             when=remedy_in(Remedy.SUSPENSION)),
    Question("rot_goods_list", "details", Kind.ADDRESS, max_length=600, when=_claims_goods),
    Question("rot_clause", "details", Kind.TEXT, max_length=200, when=_claims_goods),
    Question("proceedings", "details", Kind.CHOICE, when=_insolvency_for(*_INSOLVENCY_DOCS),
             choices_for=_proceedings_choices),
    Question("insolvency_court", "details", Kind.TEXT, max_length=120,
             when=_insolvency_for(*_INSOLVENCY_DOCS)),
    Question("judgment_date", "details", Kind.DATE,
             when=lambda c: c.jurisdiction == "fr" and _insolvency_for(*_INSOLVENCY_DOCS)(c),
             check=checks.judgment_before_publication),
    Question("claims_deadline", "details", Kind.DATE, ("unknown",), typed_too=True,
             when=lambda c: c.jurisdiction == "be" and _insolvency_for(*_INSOLVENCY_DOCS)(c)),
    Question("mj_name", "details", Kind.TEXT, max_length=120,
             when=_insolvency_for(*_INSOLVENCY_DOCS), check=checks.has_letters),
    Question("mj_address", "details", Kind.ADDRESS, max_length=300,
             when=_insolvency_for(*_INSOLVENCY_DOCS), check=checks.postal_address),
    Question("admin_name", "details", Kind.TEXT, ("none",), typed_too=True, max_length=120,
             when=_revendication_to_administrator, check=checks.has_letters),
    Question("admin_address", "details", Kind.ADDRESS, max_length=300,
             when=lambda c: c.text("admin_name", "none") != "none"
             and _revendication_to_administrator(c), check=checks.postal_address),
    Question("mandate_plan", "details", Kind.YESNO, when=remedy_in(Remedy.COLLECTION_AGENCY)),
    # review: everything at a glance, any answer can be changed
    Question("review", "review", Kind.ACK, ("generate", "edit")),
    # follow-up: what happened since
    Question("partial_payment", "followup", Kind.PAYMENTS, asked_only=True, max_length=600),
    # follow-up: a date or a confirmation some answers need (see flows.followup.actions)
    Question("promise_date", "followup", Kind.DATE, asked_only=True, check=checks.not_in_past),
    Question("granted_date", "followup", Kind.DATE, ("today",), typed_too=True,
             asked_only=True, check=checks.past_or_today),
    Question("served_date", "followup", Kind.DATE, ("today",), typed_too=True,
             asked_only=True, check=checks.past_or_today),
    Question("abandon_confirm", "followup", Kind.YESNO, asked_only=True),
    # The payment plan's agreement came back signed: on what day (flows.followup.actions).
    Question("plan_signed_date", "followup", Kind.DATE, ("today",), typed_too=True,
             asked_only=True, check=checks.past_or_today),
    Question("outcome", "followup", Kind.CHOICE,
             ("paid", "partly", "unpaid", "promised", "later", "abandon", "granted", "rejected",
              "served", "enforced", "opposed", "declared", "revendicated"),
             choices_for=outcome_choices),
)

BY_KEY = {q.key: q for q in QUESTIONS}
# The questions the journey asks by itself, each with its stage's place: ``current_question``
# walks them two or three times a turn.
IN_TURN = tuple((stage_index(q.stage), q) for q in QUESTIONS if not q.asked_only)

# At the review, "change an answer": which one (the choices are the answers given so far).
EDIT_PICK = Question("edit_pick", "review", Kind.CHOICE)


def current_question(case: Case, asking: Asking | None) -> Question | None:
    """The question the case is waiting on, if any: the one the user was asked about this case
    (``Account.asking``: an answer to correct, a follow-up's date), else the first the case
    still needs."""
    if asking is not None and asking.case_id == case.id:
        if asking.key == EDIT_PICK.key:
            return EDIT_PICK
        if asking.key in BY_KEY:
            return BY_KEY[asking.key]
    if case.state == "closed":
        return None
    limit = stage_index(case.state)
    for place, question in IN_TURN:
        if place > limit:
            break
        if question.key not in case.answers and question.applies(case):
            return question
    return None


def applies(question: Question, case: Case, asking: Asking | None) -> bool:
    """Whether the question belongs to the case now (one asked only on demand: while asked)."""
    if question.asked_only:
        return asking is not None and (asking.case_id, asking.key) == (case.id, question.key)
    return question.applies(case)


def editable_keys(case: Case) -> list[str]:
    """The answers the review lets the user change: those given up to the documents' details."""
    return [q.key for q in QUESTIONS
            if q.kind is not Kind.ACK and q.key in case.answers and q.applies(case)
            and stage_index(q.stage) <= stage_index("details")]
