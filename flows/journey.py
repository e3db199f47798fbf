"""The journey: the questions of each stage, asked in order, and what each stage shows.

``flows.turn`` hands it the answers, button presses and commands that are about the open case.
The stages are the machine's states (``flows.stages``). Within a stage the engine asks whatever
the stage still needs (see ``flows.questions``); when nothing is missing it moves on. Going back
or correcting an answer re-asks that one question; if the answer changed, what depends on it (the
figures shown, the review) is shown again, so the user always sees up-to-date figures.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flows import casefile, demand_first, followup, formatting, limits, profile, proposals
from flows.answers import (
    NO_WORDS,
    NUMERIC_KINDS,
    SEVERAL_LINES_KINDS,
    Kind,
    Question,
    choice_value,
    monthly_rate,
    parse_answer,
    read_answer,
)
from flows.company import watched
from flows.conversation import (
    INTERRUPTED,
    Button,
    InsolvencyCheck,
    Press,
    Prompt,
    Reply,
    Role,
    Text,
)
from flows.debtor import link as debtor_link
from flows.documents import catalog as documents
from flows.followup.plan import record_payment
from flows.i18n import LANGUAGES, t
from flows.model import FROM_PROFILE, Account, Asking, Case, Closing
from flows.money import Money
from flows.parsing import ParseError
from flows.questions import (
    BY_KEY,
    EDIT_PICK,
    QUESTIONS,
    SAME_DETAILS,
    applies,
    current_question,
    editable_keys,
)
from flows.stage_messages import (
    comparison_message,
    recommendation_messages,
    rights_details,
    rights_messages,
)
from flows.stages import STAGES, fire, stage_index
from flows.vocabulary import CountryWord, Remedy, country_word

NOTHING_WORDS = NO_WORDS | {"rien", "nothing", "none"}
MAX_MESSAGE = 4096


def _asked(account: Account, case: Case) -> str | None:
    """The question of this case the user was explicitly asked (``Account.asking``): one they
    went back to or chose to correct, or one the follow-up asked; None when none is."""
    asking = account.asking
    return asking.key if asking is not None and asking.case_id == case.id else None


def _correcting(account: Account, case: Case) -> bool:
    key = _asked(account, case)
    return key is not None and (key == EDIT_PICK.key or not BY_KEY[key].asked_only)


def _stop_asking(account: Account, case: Case) -> None:
    if _asked(account, case) is not None:
        account.asking = None


# Answers ------------------------------------------------------------------------------------
def press(account: Account, case: Case, event: Press, now: datetime) -> Reply:
    """A button under the question the case waits on (a stale one gets a short notice)."""
    lang = account.lang
    question = current_question(case, account.asking)
    if event.case_id != case.id or question is None or event.key != question.key:
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    if event.role is Role.BACK:
        return _go_back(account, case, question, now)
    if event.role is Role.TRANSLATION:
        # Its number typed (a pressed button goes to the case file straight from the turn):
        # the letters translated, then this question again.
        reply = casefile.translation(account, case).reply
        reply.prompt = _prompt(account, case, question, now.date())
        return reply
    if event.role is Role.KEEP:
        walking = _walking(account, case)
        _stop_asking(account, case)
        proposals.settle(case, question.key)
        if walking:
            _next_proposal(account, case)
        reply = Reply(chosen=t(lang, "choice.keep"))
        _proceed(account, case, reply, now)
        return reply
    if event.role is Role.PROPOSED:
        return _use_proposal(account, case, question, now)
    if question is EDIT_PICK:
        return _pick_to_edit(account, case, event.value, event.role, now)
    if question.kind is Kind.COUNT and event.role is Role.OTHER_NUMBER:
        least, most = question.count_range
        return Reply(messages=[t(lang, "hint.type_count", least=least, most=most)],
                     prompt=_prompt(account, case, question, now.date()), changed=False)
    if question.key == "remedy" and event.role is Role.COMPARE:
        return Reply(messages=[comparison_message(case, lang, now.date())],
                     prompt=_prompt(account, case, question, now.date()), changed=False)
    if question.key == "rights_ack" and event.role is Role.DETAILS:
        return Reply(messages=rights_details(case, lang, now.date()),
                     prompt=_prompt(account, case, question, now.date()), changed=False)
    options = question.offers(case) + (("yes", "no") if question.kind is Kind.YESNO else ())
    if event.value not in options:
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    reply = Reply(chosen=_label(question, event.value, lang))
    _answer(account, case, question, choice_value(question, case, event.value), now, reply)
    return reply


def typed(account: Account, case: Case, event: Text, now: datetime) -> Reply:
    """Typed text: the answer to the question the case waits on, checked by its engine."""
    lang = account.lang
    question = current_question(case, account.asking)
    if question is None:
        return _idle(account, case, now)
    if len(event.text) > MAX_MESSAGE:
        return _again(account, case, question, t(lang, "error.too_long", limit=MAX_MESSAGE),
                      now.date())
    buttons_only = question.kind in {Kind.CHOICE, Kind.ACK} and not question.typed_too
    if question is EDIT_PICK or buttons_only:
        chosen = _match_choice(question, case, event.text, lang, now.date())
        if chosen is None:
            return _again(account, case, question, t(lang, "error.use_buttons"), now.date())
        return press(account, case, Press(case.id, question.key, chosen.value, chosen.role), now)
    options = question.offers(case)
    chosen = _match_choice(question, case, event.text, lang, now.date()) if options else None
    if chosen is not None and chosen.role is not Role.ANSWER:
        return press(account, case, Press(case.id, question.key, chosen.value, chosen.role), now)
    try:
        if chosen is not None:
            value = choice_value(question, case, chosen.value)
            if question.check:
                question.check(case, value, now.date())
        else:
            value = read_answer(question, case, event.text, now.date())
    except ParseError as error:
        return _again(account, case, question,
                      t(lang, question.error_key(error), **_error_params(error, lang)),
                      now.date())
    reply = Reply()
    if question.kind is Kind.RATE and chosen is None:
        reply.messages += _rate_said_back(case, event.text, lang)
    _answer(account, case, question, value, now, reply)
    return reply


def _rate_said_back(case: Case, typed_text: str, lang: str) -> list[str]:
    """A rate typed per month is kept per year: say the conversion, so the user can check it.
    In Quebec a contract stating only a monthly rate entitles to 5 % a year (Interest Act s. 4)."""
    per_month = monthly_rate(typed_text)
    if per_month is None:
        return []
    said = t(lang, "hint.rate_monthly", monthly=formatting.percent(per_month, lang),
             yearly=formatting.percent(per_month * 12, lang))
    if case.jurisdiction == "qc":
        said += "\n" + t(lang, "hint.rate_monthly_qc")
    return [said]


def _use_proposal(account: Account, case: Case, question: Question, now: datetime) -> Reply:
    """The suggested answer, pressed: checked again now (the case may have changed since)."""
    lang = account.lang
    proposal = proposals.pending_for(case, question.key)
    if proposal is None:
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    try:
        value = proposals.checked_value(question, case, proposal, now.date())
    except ParseError as error:
        proposals.settle(case, question.key)
        return Reply(messages=[t(lang, error.key, **_error_params(error, lang))],
                     prompt=_prompt(account, case, question, now.date()))
    reply = Reply(chosen=_short(display_value(case, question.key, value, lang)))
    _answer(account, case, question, value, now, reply)
    return reply


def _walking(account: Account, case: Case) -> bool:
    """Whether the proposals are being confirmed one by one (see ``flows.prefill``)."""
    asking = account.asking
    return asking is not None and asking.case_id == case.id and \
        asking.about == proposals.ONE_BY_ONE


def _next_proposal(account: Account, case: Case) -> None:
    """Confirming one by one: ask the next proposal's question, if one is left."""
    key = proposals.next_to_confirm(case)
    if key is not None:
        account.asking = Asking(key, case_id=case.id, about=proposals.ONE_BY_ONE)


def _short(text: str, limit: int = 48) -> str:
    line = text.replace("\n", ", ")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _error_params(error: ParseError, lang: str) -> dict[str, Any]:
    params = dict(error.params)
    for key, value in list(params.items()):
        if key in {"issued", "first"} and isinstance(value, str):
            params[key] = formatting.day(date.fromisoformat(value), lang)
        if key == "month" and isinstance(value, int) and 1 <= value <= 12:
            params["month_name"] = formatting.day(date(2000, value, 1), lang).split(" ")[1]
    return params


def _match_choice(question: Question, case: Case, text: str, lang: str,
                  today: date) -> Button | None:
    """A typed answer to a question with buttons: its number, its label or its code."""
    options = _choices(question, case, lang, today)
    typed = text.strip().lower().rstrip(".")
    codes = [b.value for b in options if b.role is Role.ANSWER]
    if typed.isdecimal() and typed in codes:
        return Button(typed, typed)
    if typed in NOTHING_WORDS:
        # "0", "aucun", "rien" to a question offering "none" / "nothing" (no rate, nothing paid)
        nothing = [b for b in options if b.role is Role.ANSWER and b.value in {"none", "nothing"}]
        if nothing:
            return nothing[0]
    # isdecimal, not isdigit: "²" is a digit to Python, yet int() refuses it.
    if typed.isdecimal():
        # A number that could be the answer itself is never a button's position.
        if question.kind in NUMERIC_KINDS or any(code.isdecimal() for code in codes):
            return None
        if 1 <= int(typed) <= len(options):
            return options[int(typed) - 1]
    for button in options:
        label = button.label.lower()
        if typed in {label, _strip_marks(label)} or (
                button.role is Role.ANSWER and typed == button.value.lower()):
            return button
    if question.kind is Kind.YESNO:
        try:
            yes = parse_answer(question, case, text, today)
        except ParseError:
            return None
        return Button("yes" if yes else "no", "")
    return None


def _strip_marks(label: str) -> str:
    for mark in ("⭐", "✅", "✏️", "↩️", "🔎", "📊"):
        label = label.removeprefix(mark)
    return label.strip()


def _again(account: Account, case: Case, question: Question, error: str, today: date) -> Reply:
    """Explain what went wrong and ask the same question again; nothing is changed."""
    return Reply(messages=[error], prompt=_prompt(account, case, question, today), changed=False)


def store_answer(account: Account, case: Case, question: Question, value: Any,
                 reply: Reply) -> None:
    """Keep a checked answer: what depends on it is asked again if it changed, what it calls
    for (a look-up) goes into ``reply``."""
    previous = case.answers.get(question.key)
    was_answered = question.key in case.answers
    walking = _walking(account, case)
    case.answers[question.key] = value
    if question.key in case.history:
        case.history.remove(question.key)
    case.history.append(question.key)
    proposals.settle(case, question.key)
    profile.remember(account, question.key, value)
    if _asked(account, case) == question.key:
        account.asking = None
        if walking:
            _next_proposal(account, case)
    if question.key == "debtor_id" and watched(case):
        # A SIREN just entered: the BODACC is asked about it at once, in the background.
        reply.lookups.append(InsolvencyCheck(case.id, watched(case)))
    if was_answered and previous != value:
        _invalidate_after(case, question)
    if question.key == "jurisdiction":
        _amounts_follow_currency(case)


def _answer(account: Account, case: Case, question: Question, value: Any, now: datetime,
            reply: Reply) -> None:
    store_answer(account, case, question, value, reply)
    if question.key == "review" and value == "edit":
        del case.answers["review"]
        account.asking = Asking(EDIT_PICK.key, case_id=case.id)
    elif question.key == "another_invoice" and value is True:
        # File this invoice away; the invoice questions are asked again for the next one.
        case.file_away_invoice()
        del case.answers["another_invoice"]
        reply.messages.append(t(account.lang, "hint.next_invoice",
                                count=len(case.more_invoices) + 1))
    elif question.key == demand_first.KEY:
        reply.messages += demand_first.on_answer(case, value, now.date(), account.lang)
    elif question.key == SAME_DETAILS and value == "same":
        refused = profile.accept(case, now.date(), lambda asked, given: store_answer(
            account, case, asked, given, reply))
        reply.messages += [t(account.lang, "prefill.refused", label=t(account.lang, f"label.{key}"))
                           for key in refused]
    elif question.key == "outcome":
        _outcome(account, case, value, now, reply)
        return
    elif question.key == "partial_payment":
        _partial_payment(account, case, value, now, reply)
        return
    elif question.key in followup.QUESTION_KEYS:
        case.answers.pop(question.key, None)  # asked again whenever the user reports it anew
        _followup_outcome(account, case, followup.on_answer(account, case, question.key, value,
                                                            now), now, reply)
        return
    _proceed(account, case, reply, now)


def _amounts_follow_currency(case: Case) -> None:
    """The country changed the currency: ask the amounts again rather than mislabel them."""
    for key in ("invoice_amount", "paid_amount"):
        value = case.answers.get(key)
        if isinstance(value, dict) and value.get("currency") != case.currency:
            del case.answers[key]
    for invoice in case.more_invoices:
        for key in ("invoice_amount", "paid_amount"):
            value = invoice.get(key)
            if isinstance(value, dict):
                value["currency"] = case.currency


def _invalidate_after(case: Case, question: Question) -> None:
    """An answer changed: ask again the acknowledgements shown after it (figures, review)."""
    for other in QUESTIONS:
        if other.kind is Kind.ACK and stage_index(other.stage) > stage_index(question.stage):
            case.answers.pop(other.key, None)


def _proceed(account: Account, case: Case, reply: Reply, now: datetime) -> None:
    """Ask the next question the case needs, moving through the stages as they complete."""
    for _ in range(len(STAGES) * 2):
        question = current_question(case, account.asking)
        if question is not None:
            while stage_index(question.stage) < stage_index(case.state) \
                    and _asked(account, case) is None:
                fire(case, "retreat")
            reply.messages += _intro(account, case, question, now)
            reply.prompt = _prompt(account, case, question, now.date())
            return
        if case.state in {"followup", "closed"}:
            reply.messages.append(_waiting_message(account, case))
            return
        fire(case, "advance")
        reply.messages += _on_enter(account, case, reply, now)


def proceed(account: Account, case: Case, reply: Reply, now: datetime) -> None:
    """Ask whatever the case needs next, moving through stages that are now complete (after a
    detour through the case file, for one)."""
    _proceed(account, case, reply, now)


def reprompt(account: Account, case: Case, today: date) -> Prompt | None:
    """The question the case is waiting on, asked again without its introduction."""
    question = current_question(case, account.asking)
    return _prompt(account, case, question, today) if question is not None else None


def _go_back(account: Account, case: Case, question: Question, now: datetime) -> Reply:
    lang = account.lang
    history = [k for k in case.history if k in BY_KEY and applies(BY_KEY[k], case, account.asking)]
    position = history.index(question.key) if question.key in history else len(history)
    if position == 0:
        return Reply(notice=t(lang, "notice.first_question"), changed=False)
    target = BY_KEY[history[position - 1]]
    account.asking = Asking(target.key, case_id=case.id)
    reply = Reply(chosen=t(lang, "choice.back"))
    reply.prompt = _prompt(account, case, target, now.date())
    return reply


def _pick_to_edit(account: Account, case: Case, key: str, role: Role, now: datetime) -> Reply:
    lang = account.lang
    if role is Role.BACK or key not in BY_KEY or key not in editable_keys(case):
        _stop_asking(account, case)
        reply = Reply(chosen=t(lang, "choice.back"))
        _proceed(account, case, reply, now)
        return reply
    account.asking = Asking(key, case_id=case.id)
    reply = Reply(chosen=t(lang, f"label.{key}"))
    reply.prompt = _prompt(account, case, BY_KEY[key], now.date())
    return reply


# Prompts ------------------------------------------------------------------------------------
def _label(question: Question, code: str, lang: str) -> str:
    if question.kind is Kind.YESNO:
        return t(lang, f"choice.{code}")
    if question.key == "remedy":
        return t(lang, f"remedy.{code}")
    if question is EDIT_PICK:
        return t(lang, f"label.{code}")
    return t(lang, f"choice.{question.key}.{code}")


def _choices(question: Question, case: Case, lang: str, today: date) -> list[Button]:
    """The buttons under a question, before "keep" and "back" (which depend on the moment)."""
    if question is EDIT_PICK:
        return [Button(k, t(lang, "review.line", label=t(lang, f"label.{k}"),
                            value=display(case, k, lang)))
                for k in editable_keys(case)]
    codes = ("yes", "no") if question.kind is Kind.YESNO else question.options(case, today)
    buttons = [Button(c, _label(question, c, lang)) for c in codes]
    proposed = _proposed_value(question, case, today)
    if proposed is not None:
        label = "✅ " + _short(display_value(case, question.key, proposed, lang))
        buttons.insert(0, Button("", label, Role.PROPOSED))
    if question.key == "remedy" and buttons:
        buttons[0] = Button(buttons[0].value, "⭐ " + buttons[0].label)
        buttons.append(Button("", t(lang, "choice.remedy_compare"), Role.COMPARE))
    if question.key == "rights_ack":
        buttons.append(Button("", t(lang, "choice.rights_ack.details"), Role.DETAILS))
    if question.kind is Kind.COUNT:
        buttons.append(Button("", t(lang, "choice.other_number"), Role.OTHER_NUMBER))
    if question.key == "outcome" and documents.translatable_drawing(case, lang) is not None:
        buttons.append(casefile.translation_button(lang))
    return buttons


def _proposed_value(question: Question, case: Case, today: date) -> Any:
    """The pending proposal for this question, as it would be stored; None when there is none
    or the answer engine refuses it (the question is then asked as usual)."""
    proposal = proposals.pending_for(case, question.key)
    if proposal is None:
        return None
    try:
        # Read, not checked: the case may change before the suggestion is pressed, and
        # pressing it checks it then (``_use_proposal``).
        return proposals.read_value(question, case, proposal, today)
    except ParseError:
        return None


def _prompt(account: Account, case: Case, question: Question, today: date) -> Prompt:
    lang = account.lang
    text = t(lang, f"q.{question.key}", **prompt_params(case, lang))
    if question.key == SAME_DETAILS:
        text = t(lang, "profile.offered", details=profile.summary(case, lang)) + "\n\n" + text
    proposal = proposals.pending_for(case, question.key)
    proposed = _proposed_value(question, case, today)
    if proposal is not None and proposed is not None:
        text += "\n\n" + t(lang, "profile.suggested" if proposal.source == FROM_PROFILE
                            else "prefill.suggested",
                            value=display_value(case, question.key, proposed, lang),
                            source=source_label(proposal, lang))
    buttons = _choices(question, case, lang, today)
    if _asked(account, case) == question.key and question.key in case.answers:
        text += "\n\n" + t(lang, "hint.current_answer", value=display(case, question.key, lang))
        buttons.append(Button("", t(lang, "choice.keep"), Role.KEEP))
    if question is EDIT_PICK or (case.history and question.stage != "followup"):
        buttons.append(Button("", t(lang, "choice.back"), Role.BACK))
    free = question.kind not in {Kind.CHOICE, Kind.YESNO, Kind.ACK} or question.typed_too
    return Prompt(case.id, question.key, text, tuple(buttons), free_text=free,
                  numbers_are_answers=question.kind in NUMERIC_KINDS,
                  several_lines=question.kind in SEVERAL_LINES_KINDS)


def prompt_params(case: Case, lang: str) -> dict[str, Any]:
    amount = case.money("invoice_amount")
    return {
        "debtor": case.text("debtor_name") or t(lang, "word.your_client"),
        "amount": formatting.money(amount, lang, case.jurisdiction) if amount else "",
        "currency": case.currency,
        "next_check": _next_check_text(case, lang),
        "incl_tax": country_word(lang, case.jurisdiction, CountryWord.INCL_TAX_LONG),
        "insolvency": country_word(lang, case.jurisdiction, CountryWord.INSOLVENCY),
        "gazette": country_word(lang, case.jurisdiction, CountryWord.GAZETTE),
        # A French company's number may stand for its name: it is looked up (flows.company_lookup).
        "number_hint": t(lang, "lookup.number_hint") if case.jurisdiction == "fr"
        and case.text("debtor_kind") == "business" else "",
    }


def source_label(proposal: proposals.Proposal, lang: str) -> str:
    """Where a proposal was read: ``facture, données Factur-X``, ``Recherche d'entreprises``…"""
    return t(lang, f"prefill.source.{proposal.source}", detail=proposal.detail).strip()


def display(case: Case, key: str, lang: str) -> str:
    """An answer as the user would say it back: ``1 200,50 €``, ``15 septembre 2026``…"""
    return display_value(case, key, case.answers.get(key), lang)


def display_value(case: Case, key: str, value: Any, lang: str) -> str:
    """A value of question ``key`` (given or proposed) as the user would say it back."""
    question = BY_KEY[key]
    if value is None:
        return "—"
    if question.kind is Kind.COUNT:
        return str(value)  # "2", whichever button or typed number gave it
    if isinstance(value, str) and value in question.offers(case):
        return _label(question, value, lang)  # a button's answer: "none", "unknown"…
    if question.kind is Kind.AMOUNT:
        return formatting.money(Money.from_json(value), lang, case.jurisdiction)
    if question.kind is Kind.DATE:
        if value == "none":
            return _label(question, "none", lang)
        return formatting.day(date.fromisoformat(value), lang, case.jurisdiction)
    if question.kind is Kind.YESNO:
        return t(lang, "choice.yes" if value else "choice.no")
    if question.kind is Kind.RATE:
        return _label(question, "none", lang) if value == "none" else formatting.percent(
            Decimal(value), lang)
    if question.kind is Kind.DAYS:
        return t(lang, "word.days", days=value)
    if question.kind is Kind.PAYMENTS:
        return "; ".join(t(lang, "review.payment", day=formatting.day(
            date.fromisoformat(p["on"]), lang, case.jurisdiction), amount=formatting.money(
            Money(Decimal(p["amount"]), case.currency), lang, case.jurisdiction))
            for p in value) or _label(question, "nothing", lang)
    if question.kind is Kind.ADDRESS:  # typed in several lines, said back on one
        return ", ".join(str(value).split("\n"))
    return str(value)


# What each stage shows ----------------------------------------------------------------------
def _intro(account: Account, case: Case, question: Question, now: datetime) -> list[str]:
    lang = account.lang
    if question.key == "rights_ack":
        return rights_messages(case, lang, now.date())
    if question.key == "remedy":
        return recommendation_messages(case, lang, now.date())
    if question.key == "review":
        return [review_message(case, lang)]
    return []


def _on_enter(account: Account, case: Case, reply: Reply, now: datetime) -> list[str]:
    lang = account.lang
    if case.state == "evidence":
        return casefile.evidence_invitation(case, lang)
    if case.state == "remedy":
        message = documents.checklist_message(case, lang)
        if case.checklist_shown == message:
            return []  # passing through again after a correction: no need to repeat it
        case.checklist_shown = message
        return [message]
    if case.state == "documents":
        # Every letter to the debtor carries the case's link (issued once, kept until revoked).
        debtor_link.issue(case, now)
        jobs = documents.jobs_to_send(case, lang, now.date())
        reply.documents.extend(jobs)
        case.log(now, "documents", remedy=case.text("remedy"), files=[j.filename for j in jobs])
        messages = [documents.sending_advice(case, lang, now.date())]
        documents.record_demand(case, now.date())  # later figures count interest from it
        fire(case, "advance")
        _start_followup(case, now)
        return messages
    return []


def review_message(case: Case, lang: str) -> str:
    lines = [t(lang, "review.title")]
    for invoice in case.invoices()[:-1]:
        lines.append("• " + t(lang, "review.invoice", number=invoice.number,
                              amount=formatting.money(invoice.amount, lang, case.jurisdiction),
                              issued=formatting.day(invoice.issue_date, lang, case.jurisdiction)))
    for key in editable_keys(case):
        lines.append("• " + t(lang, "review.line", label=t(lang, f"label.{key}"),
                              value=display(case, key, lang)))
    lines.append("")
    lines.append(t(lang, "review.hint"))
    return "\n".join(lines)


# Follow-up ----------------------------------------------------------------------------------
def _start_followup(case: Case, now: datetime) -> None:
    """The documents went out: the follow-up of this remedy starts, and says when it checks."""
    followup.start_remedy(case, now)
    followup.note_next_check(case, now.date())


def _next_check_text(case: Case, lang: str) -> str:
    return formatting.day(case.next_check, lang) if case.next_check else ""


def show_standing(account: Account, case: Case, reply: Reply, now: datetime) -> None:
    """After a side turn (a note, the evidence list, a court step recorded…): where the case
    stands and what can be done next, with the buttons of the question it waits on, so that
    the user is never left without a next step."""
    lang = account.lang
    if case.state == "closed":
        reply.messages.append(t(lang, "followup.closed"))
        return
    followup.refresh(account, now)  # the next check as this turn's change makes it
    reply.messages.append(t(lang, "standing.case", case=casefile.title(case, lang),
                            next=casefile.next_step_text(case, lang, now.date(),
                                                         account.asking)))
    if case.state == "followup":
        case.answers.pop("outcome", None)  # asked again: what happened since?
        _proceed(account, case, reply, now)
        return
    reply.prompt = reprompt(account, case, now.date())
    if reply.prompt is None:
        _proceed(account, case, reply, now)


def _waiting_message(account: Account, case: Case) -> str:
    lang = account.lang
    if case.state == "closed":
        return t(lang, "followup.closed")
    return t(lang, "followup.waiting", next_check=_next_check_text(case, lang))


def _idle(account: Account, case: Case, now: datetime) -> Reply:
    """Text while nothing is asked: in follow-up, offer the outcome buttons again."""
    lang = account.lang
    if case.state == "followup":
        case.answers.pop("outcome", None)
        reply = Reply()
        _proceed(account, case, reply, now)
        return reply
    return Reply(messages=[t(lang, "followup.closed")], changed=False)


def _outcome(account: Account, case: Case, value: str, now: datetime, reply: Reply,
             reminder_id: str | None = None) -> None:
    """What happened since the documents went out, told through the ``outcome`` question or
    a reminder's buttons (``reminder_id``): the follow-up records it, the journey moves on."""
    case.log(now, "outcome", outcome=value)
    if value == "partly":
        case.answers.pop("outcome", None)
    _followup_outcome(account, case, followup.apply(account, case, value, reminder_id, now),
                      now, reply)


def _followup_outcome(account: Account, case: Case, result: followup.Outcome, now: datetime,
                      reply: Reply) -> None:
    lang = account.lang
    reply.messages += result.messages
    if result.close is not None or result.escalate or result.ask is not None:
        _stop_asking(account, case)  # what the follow-up asked before is no longer the question
    if result.close is not None:
        fire(case, "close")
        case.closed = Closing(now.date(), result.close)
        debtor_link.case_closed(case)  # the debtor's chat is forgotten, their link dead
        reply.messages.append(followup.closing_message(case, lang, result.close))
        return
    if result.ask is None and not result.escalate:
        # Nothing to ask now (the follow-up comes back when the next step is due): say where
        # the case stands, with what can be done meanwhile.
        if account.active_case == case.id:
            show_standing(account, case, reply, now)
        return
    if account.active_case != case.id:  # a reminder about another case: the answer is for it
        account.active_case = case.id
        reply.messages.append(t(lang, "fu.done.switched", debtor=case.title))
    case.answers.pop("outcome", None)
    if result.ask is not None:
        account.asking = Asking(result.ask, case_id=case.id)
    if result.escalate:
        # A demand sent before the debtor contested does not answer the contest: the reply
        # letter (a formal demand again) stays first among the remedies offered.
        replying = followup.contest_unanswered(case) and case.text("remedy") == Remedy.FORMAL_DEMAND
        if case.text("remedy") and case.text("remedy") not in case.tried and not replying:
            case.tried.append(case.text("remedy"))
        for key in ("remedy", "review"):
            case.answers.pop(key, None)
        if result.next_remedy is not None:
            case.answers["remedy"] = result.next_remedy
            reply.messages.append(t(lang, "fu.done.next_remedy",
                                    remedy=t(lang, f"remedy.{result.next_remedy}")))
        else:
            reply.messages.append(t(lang, "followup.next_step"))
    _proceed(account, case, reply, now)


def reminder_press(account: Account, event: Press, now: datetime) -> Reply:
    """A button under a pushed reminder: ``action.reminder_id`` for one of the user's cases."""
    lang = account.lang
    case = account.case(event.case_id)
    action, _, reminder_id = event.value.partition(".")
    if case is None or case.state == "closed" or action not in followup.reminder_actions(
            case, reminder_id):
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    reply = Reply(chosen=t(lang, f"choice.outcome.{action}"))
    _outcome(account, case, action, now, reply, reminder_id)
    return reply


def _partial_payment(account: Account, case: Case, value: Any, now: datetime,
                     reply: Reply) -> None:
    lang = account.lang
    case.answers.pop("partial_payment", None)
    for payment in value:  # each sum with its day (flows.questions, Kind.PAYMENTS)
        received = Money(Decimal(payment["amount"]), case.currency)
        record_payment(case, received, date.fromisoformat(payment["on"]))
        case.log(now, "payment", amount=str(received.amount), on=payment["on"])
    if case.total_balance().amount <= 0:
        _outcome(account, case, "paid", now, reply)
        return
    reply.messages.append(t(lang, "followup.balance", balance=formatting.money(
        case.total_balance(), lang, case.jurisdiction)))
    reply.messages += followup.after_payment(case, lang, now.date())
    _proceed(account, case, reply, now)


# Commands -----------------------------------------------------------------------------------
def command(account: Account, name: str, arg: str, now: datetime) -> Reply | None:
    """The journey's own commands (/start, /new, /language, /cancel, /back, /resume); None
    for any other."""
    lang = account.lang
    case = account.current
    if name in ("start", "new") and (case is None or case.state == "closed" or name == "new") \
            and limits.cases_full(account):
        return Reply(messages=[t(lang, "limits.cases", count=len(account.cases))],
                     changed=False)
    if name == "start":
        if case is None or case.state == "closed":
            case = profile.open_case(account, now)
            reply = Reply(messages=[t(account.lang, "welcome")])
        else:
            reply = Reply(messages=[t(lang, "welcome_back")])
        _proceed(account, case, reply, now)
        return reply
    if name == "new":
        case = profile.open_case(account, now)
        reply = Reply(messages=[t(lang, "new_case")])
        _proceed(account, case, reply, now)
        return reply
    if name == "language":
        wanted = arg.strip().lower()[:2]
        account.lang = wanted if wanted in LANGUAGES else ("en" if lang == "fr" else "fr")
        reply = Reply(messages=[t(account.lang, "language_set")])
        if account.current is not None:
            _proceed(account, account.current, reply, now)
        return reply
    if name == "cancel":
        if case is not None and _correcting(account, case):
            _stop_asking(account, case)
            reply = Reply(messages=[t(lang, "cancel.correction")])
            _proceed(account, case, reply, now)
            return reply
        if case is None:
            return Reply(messages=[t(lang, "cancel.nothing")], changed=False)
        account.active_case = None
        if case.empty:  # opened and left at its first questions: nothing to set aside
            account.discard_empty_cases()
            return Reply(messages=[t(lang, "cancel.dropped")])
        return Reply(messages=[t(lang, "cancel.done")])
    if name == "back":
        question = current_question(case, account.asking) if case is not None else None
        if case is None or question is None:
            return Reply(messages=[t(lang, "notice.first_question")], changed=False)
        reply = _go_back(account, case, question, now)
        if reply.notice:  # nothing before the first question: ask it again, with its buttons
            reply.messages.append(reply.notice)
            reply.notice = None
            show_standing(account, case, reply, now)
        return reply
    if name == "resume":
        if case is None and account.cases:
            open_cases = [c for c in account.cases if c.state != "closed"]
            if open_cases:
                account.active_case = open_cases[-1].id
                case = open_cases[-1]
        # After a crash swallowed this chat's reply (see ``INTERRUPTED``): an apology, then
        # where the case stands; with no case, what the user sent last cannot be guessed.
        interrupted = arg == INTERRUPTED
        if case is None:
            return Reply(messages=[t(lang, "recovery.resend" if interrupted else "hint.no_case")],
                         changed=False)
        reply = Reply(messages=[t(lang, "recovery.interrupted" if interrupted else "welcome_back")])
        _proceed(account, case, reply, now)
        return reply
    return None
