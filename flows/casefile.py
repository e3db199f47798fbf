"""The case file: evidence sent to the bot, notes, several cases, export and erasure.

``flows.turn`` hands it what is about the case file: the commands ``/evidence``, ``/documents``,
``/note``, ``/cases``, ``/export``, ``/delete``, the files the user sends (``Upload``), the note
typed after ``/note``, and the buttons these offer. Where the journey should pick the open case
up afterwards, the reply says so (``Detour``) instead of calling the journey. Nothing a button
carries is trusted: the case it names must be one of this user's cases (the account is found
from the chat, never from the button), and what it points to must exist now.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from babel.numbers import format_decimal

from flows import formatting, limits, profile
from flows.answers import Kind, Question, read_answer
from flows.conversation import (
    ERASE,
    EXPORT,
    Button,
    DocumentFile,
    Press,
    Prompt,
    Redraw,
    Reply,
    Role,
    Text,
    Upload,
)
from flows.debtor import files as debtor_files
from flows.documents.catalog import translatable_drawing, translation_jobs
from flows.evidence import locker, screening
from flows.followup.messages import step_title
from flows.followup.timeline import next_step
from flows.i18n import catalog, t
from flows.law import InvalidFacts
from flows.law.from_case import rights_for
from flows.model import Account, Asking, Case, new_id
from flows.money import Money
from flows.parsing import ParseError, clean_text
from flows.questions import current_question

COMMANDS = ("evidence", "documents", "note", "cases", "export", "delete")
TAG = "evtag"  # "<case>:evtag:<evidence id>.<checklist code>": what a file proves
SWITCH = "cases"  # ":cases:<case id>" opens that case, ":cases:new" a new one
CONFIRM_ERASE = "erase"  # ":erase:<token>" erases everything, ":erase:no" keeps it
PRESS_KEYS = (TAG, SWITCH, CONFIRM_ERASE)
TRANSLATION = "translation"  # under /documents: the letters translated for the user
# Side questions (waited for in ``Account.asking``): the note after /note, and the erasure's
# confirmation, a one-time button valid for ERASE_WINDOW.
NOTE = Question("note", "casefile", Kind.NOTE, max_length=2000,
                errors=(("error.text_empty", "casefile.note.ask"),
                        ("error.too_long", "casefile.note.too_long")))
ERASE_CONFIRM = Question("erase_confirm", "casefile", Kind.CHOICE)
ERASE_WINDOW = timedelta(minutes=15)  # an older confirmation button no longer erases


class Then(Enum):
    """What the journey does after a case-file reply (the case file never calls it itself)."""

    NOTHING = "nothing"
    NEXT_QUESTION = "next"  # ask whatever the open case needs next, moving on if it can
    SAME_QUESTION = "same"  # ask again the question the open case waits on


@dataclass
class Detour:
    """A case-file reply, flagged with how the journey picks the open case up after it."""

    reply: Reply
    then: Then = Then.NOTHING


def command(account: Account, name: str, arg: str, now: datetime) -> Reply:
    """One of ``COMMANDS``."""
    lang = account.lang
    if name == "cases":
        return cases_reply(account, now)
    if name == "export":
        return Reply(messages=[t(lang, "casefile.export.preparing")], changed=False,
                     action=EXPORT)
    if name == "delete":
        return _ask_to_erase(account, now)
    case = account.current
    if case is None:
        return Reply(messages=[t(lang, "hint.no_case")], changed=False)
    if name == "evidence":
        return _evidence_overview(account, case)
    if name == "documents":
        return documents_again(account, case)
    if arg.strip():
        return _add_note(account, case, arg, now)
    account.asking = Asking(NOTE.key, case_id=case.id)
    return Reply(prompt=_note_prompt(case, t(lang, "casefile.note.ask", case=title(case, lang))))


def press(account: Account, event: Press, now: datetime) -> Detour:
    """A button with one of ``PRESS_KEYS`` (its case, if it names one, is the user's)."""
    case = account.case(event.case_id)
    if event.key == TAG:
        if case is None:
            return Detour(Reply(notice=t(account.lang, "casefile.refused.not_yours"),
                                changed=False))
        return _tag(account, case, event.value, now)
    if event.key == SWITCH:
        return _switch(account, event.value, now)
    return Detour(_confirm_erase(account, event.value, now))


# Documents ----------------------------------------------------------------------------------
def documents_again(account: Account, case: Case) -> Reply:
    """/documents: the files of the case's last drawing, sent again as they were (a letter
    already sent must stay the letter that was sent: nothing is redrawn with today's figures);
    documents whose drawing failed are drawn now (the service knows them: ``Redraw``)."""
    lang = account.lang
    redraw = Redraw(case.id, t(lang, "documents_retry.drawing", case=title(case, lang)))
    # What the case sent (or is to send): the translations drawn for the user are not letters.
    drawn = [r for r in case.documents if r.get("name") and r.get("created_at")
             and not r.get("translation")]
    if not drawn:
        return Reply(messages=[t(lang, "casefile.documents.none", case=title(case, lang))],
                     changed=False, redraw=redraw)
    last = max(r["created_at"] for r in drawn)
    names = list(dict.fromkeys(r["name"] for r in drawn if r["created_at"] == last))
    message = t(lang, "casefile.documents.again", case=title(case, lang), count=len(names),
                date=_day(last, lang))
    earlier = len({r["name"] for r in drawn}) - len(names)
    if earlier > 0:
        message += "\n" + t(lang, "casefile.documents.earlier", count=earlier)
    reply = Reply(messages=[message], files=[DocumentFile(case.id, name) for name in names],
                  changed=False, redraw=redraw)
    if translatable_drawing(case, lang) is not None:
        reply.prompt = Prompt(case.id, TRANSLATION, t(lang, "documents.translation.offer"),
                              (translation_button(lang),), free_text=False)
    return reply


def translation_button(lang: str) -> Button:
    """The letters drawn in the law's language, in the chat's for the user to read."""
    return Button("", t(lang, "documents.translation.button"), Role.TRANSLATION)


def translation(account: Account, case: Case) -> Detour:
    """The letters of the case's last drawing, in the chat's language, as of the day they were
    drawn: a translation for the user to read, marked as such; the case goes on where it was."""
    lang = account.lang
    drawn_on = translatable_drawing(case, lang)
    if drawn_on is None:
        return Detour(Reply(notice=t(lang, "notice.stale"), changed=False))
    return Detour(Reply(messages=[t(lang, "documents.translation.drawing")],
                        documents=translation_jobs(case, lang, drawn_on)),
                  Then.SAME_QUESTION if case is account.current else Then.NOTHING)


# Evidence -----------------------------------------------------------------------------------
def upload(account: Account, event: Upload, now: datetime) -> Reply:
    """A file or photo the adapter screened and kept (or refused)."""
    lang = account.lang
    if event.refused:
        return Reply(messages=[refusal_message(lang, event.refused, event.detail)],
                     changed=False)
    case = account.case(event.case_id)
    if case is None or not event.sha256:
        return Reply(messages=[refusal_message(lang, "no_case")], changed=False)
    name = screening.clean_name(event.file_name)
    known = locker.find_by_hash(case, event.sha256)
    if known is not None:
        reply = Reply(messages=[t(lang, "casefile.evidence.duplicate", name=known["name"],
                                  date=_day(known["received_at"], lang))], changed=False)
        if known.get("proves") is None:
            reply.prompt = _tag_prompt(account, case, known)
        return reply
    record: dict[str, Any] = {
        "id": _fresh_id(case), "name": name, "mime": event.mime_type or "",
        "size": event.size, "sha256": event.sha256, "received_at": now.isoformat(),
        "stored_as": event.stored_as, "caption": clean_text(event.caption)[:500],
        "proves": None,
    }
    locker.keep(case, record)
    case.log(now, "evidence", name=name, size=event.size, sha256=event.sha256)
    reply = Reply(messages=[t(lang, "casefile.evidence.received", case=title(case, lang),
                              name=name, size=human_size(event.size, lang),
                              date=formatting.day(now.date(), lang), time=now.strftime("%H:%M"),
                              sha=event.sha256)])
    reply.prompt = _tag_prompt(account, case, record)
    return reply


def _fresh_id(case: Case) -> str:
    while True:
        candidate = new_id()
        if locker.find(case, candidate) is None:
            return candidate


def _tag_prompt(account: Account, case: Case, record: dict[str, Any]) -> Prompt:
    lang = account.lang
    codes = [*locker.checklist_codes(case), locker.OTHER]
    buttons = tuple(Button(f"{record['id']}.{code}", item_label(lang, code)) for code in codes)
    return Prompt(case.id, TAG, t(lang, "casefile.evidence.which", name=record["name"]),
                  buttons, free_text=False)


def _tag(account: Account, case: Case, value: str, now: datetime) -> Detour:
    lang = account.lang
    evidence_id, _, code = value.partition(".")
    record = locker.find(case, evidence_id)
    if record is None or code not in (*locker.checklist_codes(case), locker.OTHER):
        return Detour(Reply(notice=t(lang, "notice.stale"), changed=False))
    record["proves"] = code  # the record is the one stored in the case
    reply = Reply(chosen=item_label(lang, code))
    if code == locker.OTHER:
        reply.messages.append(t(lang, "casefile.evidence.tagged_other", name=record["name"]))
    else:
        reply.messages.append(t(lang, "casefile.evidence.tagged", name=record["name"],
                                item=item_label(lang, code)))
    # A file proving an item answers the question about it: no need to ask "do you have…".
    key = locker.question_for(code, case) if code != locker.OTHER else None
    answered = key is not None and case.answers.get(key) is not True
    if key is not None and answered:
        case.answers[key] = True
        if key not in case.history:
            case.history.append(key)
    if case is not account.current:
        return Detour(reply)
    waiting = locker.untagged(case)
    if waiting:
        reply.prompt = _tag_prompt(account, case, waiting[0])
        return Detour(reply)
    return Detour(reply, Then.NEXT_QUESTION if answered else Then.SAME_QUESTION)


def _evidence_overview(account: Account, case: Case) -> Reply:
    lang = account.lang
    items, loose = locker.inventory(case)
    lines = [t(lang, "casefile.evidence.title", case=title(case, lang))]
    for item in items:
        label = item_label(lang, item.code, long=True)
        if item.proven:
            lines.append(t(lang, "casefile.evidence.proven", item=label))
        elif item.held:
            lines.append(t(lang, "casefile.evidence.said_held", item=label))
        elif item.held is False:
            lines.append(t(lang, "casefile.evidence.missing", item=label))
        else:
            lines.append(t(lang, "casefile.evidence.unknown", item=label))
        lines += [_file_line(record, lang) for record in item.files]
    if loose:
        lines += ["", t(lang, "casefile.evidence.loose")]
        lines += [_file_line(record, lang) for record in loose]
    from_debtor = debtor_files.kept(case)
    if from_debtor:
        lines += ["", t(lang, "casefile.evidence.from_debtor")]
        lines += [_file_line(record, lang) for record in from_debtor]
    if not locker.files(case):
        lines += ["", t(lang, "casefile.evidence.empty")]
    lines += ["", t(lang, "casefile.evidence.how")]
    reply = Reply(messages=["\n".join(lines)], changed=False)
    waiting = locker.untagged(case)
    if waiting:
        reply.prompt = _tag_prompt(account, case, waiting[0])
    return reply


def _file_line(record: dict[str, Any], lang: str) -> str:
    return t(lang, "casefile.evidence.file_line", name=record["name"],
             size=human_size(int(record.get("size", 0)), lang),
             date=_short_day(record["received_at"]))


def evidence_invitation(case: Case, lang: str) -> list[str]:
    """Shown once when the evidence stage opens: files can be sent right now."""
    if case.evidence_invited:
        return []
    case.evidence_invited = True
    return [t(lang, "casefile.evidence.invite")]


def refusal_message(lang: str, code: str, detail: str = "") -> str:
    key = f"casefile.evidence.refused.{code}"
    if key not in catalog("en"):
        key = "casefile.evidence.refused.unreadable"
    size = human_size(int(detail), lang) if detail.isdigit() else ""
    return t(lang, key, name=detail, size=size)


# Notes ----------------------------------------------------------------------------------------
def _note_prompt(case: Case, text: str) -> Prompt:
    """The note asked for: free text, in as many lines as the user likes."""
    return Prompt(case.id, NOTE.key, text, several_lines=True)


def note_cancelled(account: Account) -> Reply:
    return Reply(messages=[t(account.lang, "casefile.note.cancelled")])


def note_text(account: Account, asking: Asking, event: Text, now: datetime) -> Reply:
    """The text typed after /note: the note, added to the case's chronology."""
    account.asking = None
    case = account.case(asking.case_id)
    if case is None:
        return Reply(messages=[t(account.lang, "hint.no_case")])
    return _add_note(account, case, event.text, now)


def _add_note(account: Account, case: Case, raw: str, now: datetime) -> Reply:
    lang = account.lang
    try:
        text = read_answer(NOTE, case, raw, now.date())
    except ParseError as error:  # empty or too long: the note is asked for again
        account.asking = Asking(NOTE.key, case_id=case.id)
        return Reply(prompt=_note_prompt(case, t(lang, NOTE.error_key(error),
                                                 case=title(case, lang), **error.params)))
    if limits.notes_full(case):
        return Reply(messages=[t(lang, "limits.notes", count=limits.MAX_NOTES_PER_CASE)],
                     changed=False)
    case.log(now, "note", text=text)
    return Reply(messages=[t(lang, "casefile.note.added", case=title(case, lang),
                             date=formatting.day(now.date(), lang),
                             time=now.strftime("%H:%M"))])


# Several cases --------------------------------------------------------------------------------
def cases_reply(account: Account, now: datetime) -> Reply:
    """Every case with its balance and next step, and a button to open each."""
    lang = account.lang
    # A case just opened, with nothing in it yet, is no case to pick or to come back to.
    listed = [case for case in account.cases if not case.empty]
    if not listed:
        return Reply(messages=[t(lang, "casefile.cases.none")], changed=False)
    lines = [t(lang, "casefile.cases.title", count=len(listed))]
    buttons = []
    for number, case in enumerate(listed, start=1):
        lines.append(case_line(case, number, lang, now.date(), account.asking,
                               current=case.id == account.active_case))
        buttons.append(Button(case.id, t(lang, "casefile.cases.button", number=number,
                                         case=_short(title(case, lang)))))
    buttons.append(Button("new", t(lang, "casefile.cases.new_button")))
    prompt = Prompt("", SWITCH, t(lang, "casefile.cases.pick"), tuple(buttons), free_text=False)
    return Reply(messages=["\n".join(lines)], prompt=prompt, changed=False)


def case_line(case: Case, number: int, lang: str, today: date, asking: Asking | None,
              current: bool) -> str:
    invoices = case.invoices()
    step = next_step_text(case, lang, today, asking)
    owed = balance_today(case, today) if invoices and case.state != "closed" else None
    if owed is not None:
        principal, total = owed
        balance = formatting.money(principal, lang, case.jurisdiction)
        if total.amount > principal.amount:
            balance = t(lang, "casefile.cases.with_interest", balance=balance,
                        total=formatting.money(total, lang, case.jurisdiction))
        line = t(lang, "casefile.cases.line", number=number, case=title(case, lang),
                 invoices=t(lang, "casefile.cases.invoices", count=len(invoices)),
                 balance=balance, next=step)
    else:
        line = t(lang, "casefile.cases.line_empty", number=number, case=title(case, lang),
                 next=step)
    return t(lang, "casefile.cases.current", line=line) if current else line


def balance_today(case: Case, today: date) -> tuple[Money, Money]:
    """What the debtor still owes today: the unpaid principal, and with it the late interest
    and recovery indemnity, both computed invoice by invoice by the legal engine."""
    principal = case.total_balance()
    try:
        rights = rights_for(case, today)
    except (InvalidFacts, KeyError, ValueError):
        return principal, principal  # facts the engine cannot use yet: the principal alone
    total = Money.zero(case.currency)
    for invoice in rights:
        total = total + invoice.total
    return principal, max(total, principal, key=lambda m: m.amount)


def next_step_text(case: Case, lang: str, today: date, asking: Asking | None) -> str:
    """The case's next step in a few words."""
    if case.state == "closed":
        return t(lang, "casefile.next.closed")
    if case.state == "followup":
        step = next_step(case, today)
        if step is not None:
            return t(lang, "casefile.next.step", date=formatting.day(step.day, lang),
                     step=step_title(step, case, lang))
        return t(lang, "casefile.next.followup")
    question = current_question(case, asking)
    stage = question.stage if question is not None else case.state
    return t(lang, f"casefile.next.stage.{stage}")


def _switch(account: Account, value: str, now: datetime) -> Detour:
    lang = account.lang
    if value == "new":
        if limits.cases_full(account):
            return Detour(Reply(messages=[t(lang, "limits.cases", count=len(account.cases))],
                                changed=False))
        profile.open_case(account, now)
        return Detour(Reply(chosen=t(lang, "casefile.cases.new_button"),
                            messages=[t(lang, "new_case")]), Then.NEXT_QUESTION)
    target = account.case(value)
    if target is None:
        return Detour(Reply(notice=t(lang, "casefile.refused.not_yours"), changed=False))
    account.active_case = target.id
    reply = Reply(chosen=title(target, lang),
                  messages=[t(lang, "casefile.cases.switched", case=title(target, lang))])
    return Detour(reply, Then.NEXT_QUESTION)


# Erasure --------------------------------------------------------------------------------------
def _ask_to_erase(account: Account, now: datetime) -> Reply:
    lang = account.lang
    token = secrets.token_hex(4)
    account.asking = Asking(ERASE_CONFIRM.key, about=token, asked_at=now.isoformat())
    prompt = Prompt("", CONFIRM_ERASE, t(lang, "casefile.delete.confirm"),
                    (Button(token, t(lang, "casefile.delete.yes")),
                     Button("no", t(lang, "casefile.delete.no"))), free_text=False)
    return Reply(messages=[t(lang, "casefile.delete.warning", count=len(account.cases))],
                 prompt=prompt)


def _confirm_erase(account: Account, value: str, now: datetime) -> Reply:
    lang = account.lang
    pending = account.asking if account.asking and account.asking.key == ERASE_CONFIRM.key \
        else None
    if value == "no":
        if pending is not None:
            account.asking = None
        return Reply(chosen=t(lang, "casefile.delete.no"),
                     messages=[t(lang, "casefile.delete.kept")])
    fresh = (pending is not None and secrets.compare_digest(pending.about, value)
             and now - datetime.fromisoformat(pending.asked_at) <= ERASE_WINDOW)
    if not fresh:
        return Reply(notice=t(lang, "casefile.delete.expired"), changed=False)
    return Reply(chosen=t(lang, "casefile.delete.yes"),
                 messages=[t(lang, "casefile.delete.done")], action=ERASE)


# Wording helpers ------------------------------------------------------------------------------
def title(case: Case, lang: str) -> str:
    """The case as the user knows it: the debtor's name, or when it was opened."""
    name = case.text("debtor_name")
    if name:
        return name
    return t(lang, "casefile.cases.untitled", date=_day(case.created_at, lang))


def item_label(lang: str, code: str, long: bool = False) -> str:
    """A checklist item: short for a button, long in the overview."""
    keys = ([f"checklist.item.{code}", f"casefile.item.{code}"] if long
            else [f"casefile.item.{code}", f"checklist.item.{code}"])
    for key in keys:
        if key in catalog(lang) or key in catalog("en"):
            return t(lang, key)
    return code


def human_size(size: int, lang: str) -> str:
    """``240 Ko`` / ``1,5 Mo`` in French, ``240 KB`` / ``1.5 MB`` in English."""
    if size < 1024:
        return t(lang, "casefile.size.bytes", n=size)
    if size < screening.MB:
        return t(lang, "casefile.size.kb", n=(size + 512) // 1024)
    megabytes = (Decimal(size) / screening.MB).quantize(Decimal("0.1"))
    return t(lang, "casefile.size.mb",
             n=format_decimal(megabytes, format="#,##0.#", locale=formatting.locale_for(lang)))


def _day(stamp: str, lang: str) -> str:
    return formatting.day(datetime.fromisoformat(stamp).date(), lang)


def _short_day(stamp: str) -> str:
    return datetime.fromisoformat(stamp).strftime("%d/%m/%Y")


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
