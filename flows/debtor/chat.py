"""The debtor's conversation in Telegram, and the creditor's buttons under a proposed plan.

The debtor has no account: the link's token rides in every button (``d:<token>:<choice>``), and
what the bot waits for them to type lives in the case (``DebtorSide.awaiting``). The creditor's
buttons name the case (``c:<case id>:<choice>``). Each function returns an ``Exchange``: the reply
for the debtor and the one for the creditor, in each one's language; the adapter delivers both.
Answers that cannot be taken get the reason and the same question again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flows import formatting
from flows.conversation import Button, Prompt, Reply
from flows.debtor import answers
from flows.debtor import files as debtor_files
from flows.debtor.answers import Answered, DebtorInputError, Side
from flows.debtor.claim import claim_text, claim_view, payment_text
from flows.debtor.link import revoke
from flows.debtor.record import DebtorSide
from flows.i18n import t
from flows.law.messages import Message
from flows.law.render import Renderer
from flows.model import Account, Case
from flows.payment import payment_details_for
from flows.vocabulary import Jurisdiction

DEBTOR = "d"  # callback data prefix of the debtor's buttons
CREDITOR = "c"  # … and of the creditor's buttons about the debtor's answers
MENU = ("pay", "plan", "ack", "contest")
COUNTS = (2, 3, 4, 6, 10, 12)
FIRST_IN_DAYS = (7, 14, 30)


@dataclass
class Exchange:
    """What to show each side; ``documents``: the kinds to draw for both, ``files``: the
    debtor's files the creditor receives (``Answered``)."""

    debtor: Reply | None = None
    creditor: Reply | None = None
    documents: tuple[str, ...] = ()
    files: tuple[dict[str, Any], ...] = ()


def unknown_link(lang: str) -> Reply:
    """A mistyped, unknown, revoked or dead link: one answer for all, telling nothing apart."""
    return Reply(messages=[t(lang, "debtor.link_unknown")], changed=False)


def _say(case: Case, lang: str, messages: list[Message]) -> list[str]:
    say = Renderer(lang, Jurisdiction(case.jurisdiction))
    return [say(message) for message in messages]


def _debtor_prompt(token: str, text: str, buttons: list[tuple[str, str]]) -> Prompt:
    return Prompt(DEBTOR, token, text, tuple(Button(v, label) for v, label in buttons),
                  free_text=False)


def _menu(token: str, lang: str) -> Prompt:
    return _debtor_prompt(token, t(lang, "debtor.menu.question"),
                          [(v, t(lang, f"debtor.menu.{v}")) for v in MENU])


def _plan_choices(prefix: str, key: str, lang: str) -> Prompt:
    buttons = tuple(Button(choice, t(lang, f"debtor.plan.choice.{choice}"))
                    for choice in answers.PLAN_CHOICES)
    return Prompt(prefix, key, t(lang, "debtor.plan.choice_question"), buttons, free_text=False)


def exchange(case: Case, done: Answered, debtor_lang: str, creditor_lang: str) -> Exchange:
    """``done`` said to each side, with the plan buttons where a plan waits for that side."""
    token = DebtorSide.read(case).token
    out = Exchange(documents=done.documents, files=done.files)
    if done.debtor:
        # A plan to answer, else the four answers again (they may pay, or do more).
        to_debtor = (_plan_choices(DEBTOR, token, debtor_lang) if done.debtor_choices
                     else _menu(token, debtor_lang))
        out.debtor = Reply(messages=_say(case, debtor_lang, done.debtor), prompt=to_debtor)
    if done.creditor:
        to_creditor = (_plan_choices(CREDITOR, case.id, creditor_lang)
                       if done.creditor_choices else None)
        out.creditor = Reply(messages=_say(case, creditor_lang, done.creditor),
                             prompt=to_creditor)
    return out


def _refused(case: Case, error: DebtorInputError, lang: str, again: Prompt | None) -> Reply:
    return Reply(messages=_say(case, lang, [error.message()]), prompt=again)


# The debtor's side ---------------------------------------------------------------------------
def open_link(case: Case, chat: str, lang: str, creditor_lang: str, today: date,
              now: datetime) -> Exchange:
    """``/start <token>`` in the debtor's chat: the claim and the four answers."""
    side = DebtorSide(case)
    side.awaiting = ""
    done = answers.opened(case, chat, lang, now)
    out = exchange(case, done, lang, creditor_lang)
    out.debtor = Reply(messages=[t(lang, "debtor.welcome", creditor=case.text("creditor_name")),
                                 claim_text(claim_view(case, today), lang)],
                       prompt=_menu(side.token, lang))
    return out


def debtor_press(case: Case, choice: str, lang: str, creditor_lang: str, today: date,
                 now: datetime) -> Exchange:
    """A button under one of the debtor's messages."""
    side = DebtorSide(case)
    token = side.token
    side.awaiting = ""
    name, _, rest = choice.partition(".")
    try:
        if name == "menu":
            return Exchange(debtor=Reply(messages=[claim_text(claim_view(case, today), lang)],
                                         prompt=_menu(token, lang)))
        if name == "pay":
            return Exchange(debtor=Reply(messages=[_how_to_pay(case, lang, today)],
                                         prompt=_menu(token, lang)))
        if name in {"plan", "counter"}:
            return Exchange(debtor=Reply(prompt=_count_prompt(DEBTOR, token, lang)))
        if name == "n":
            return Exchange(debtor=Reply(prompt=_first_prompt(DEBTOR, token, int(rest), lang,
                                                              today)))
        if name == "f":
            count, first = _count_and_first(rest)
            done = answers.propose_plan(case, Side.DEBTOR, count, first, today, now)
            return exchange(case, done, lang, creditor_lang)
        if name == "accept":
            return exchange(case, answers.accept_plan(case, Side.DEBTOR, now), lang,
                             creditor_lang)
        if name == "refuse":
            return exchange(case, answers.refuse_plan(case, Side.DEBTOR, now), lang,
                             creditor_lang)
        if name == "ack":
            side.awaiting = "ack_name"
            return Exchange(debtor=Reply(messages=[t(lang, "debtor.ack.ask_name")]))
        if name == "ackyes":
            pending = str(side.data.pop("ack_pending", ""))
            done = answers.acknowledge(case, pending, True, today, now)
            return exchange(case, done, lang, creditor_lang)
        if name == "ackno":
            side.data.pop("ack_pending", None)
            return Exchange(debtor=Reply(messages=[t(lang, "debtor.ack.cancelled")],
                                         prompt=_menu(token, lang)))
        if name == "contest":
            return Exchange(debtor=Reply(prompt=_reason_prompt(token, lang)))
        if name == "done":
            found = debtor_files.draft(case)
            if found is None:
                raise ValueError("no objection waits")
            done = answers.contest(case, str(found["reason"]), str(found["text"]), today, now,
                                   debtor_files.draft_files(case))
            return exchange(case, done, lang, creditor_lang)
        if name == "r" and rest in answers.DISPUTE_REASONS:
            side.data["contest_reason"] = rest
            side.awaiting = "contest_text"
            return Exchange(debtor=Reply(messages=[t(lang, "debtor.contest.ask_text")]))
    except DebtorInputError as error:
        return Exchange(debtor=_refused(case, error, lang, _menu(token, lang)))
    except ValueError:  # a forged or garbled button
        pass
    return Exchange(debtor=Reply(messages=[t(lang, "debtor.stale")], prompt=_menu(token, lang)))


def debtor_typed(case: Case, text: str, lang: str, creditor_lang: str, today: date,
                 now: datetime) -> Exchange:
    """What the debtor typed, for the question the bot asked them (a name, their reasons)."""
    side = DebtorSide(case)
    token = side.token
    if side.awaiting == "ack_name":
        try:
            name = answers.check_name(text)
        except DebtorInputError as error:  # asked again: the same question waits
            return Exchange(debtor=_refused(case, error, lang, None))
        side.awaiting = ""
        side.data["ack_pending"] = name
        statement = t(lang, "debtor.ack.statement", name=name,
                      creditor=case.text("creditor_name"),
                      amount=Renderer(lang, Jurisdiction(case.jurisdiction)).value(
                          case.total_balance()),
                      invoices=", ".join(i.number for i in case.invoices()),
                      count=len(case.invoices()))
        return Exchange(debtor=Reply(prompt=_debtor_prompt(token, statement, [
            ("ackyes", t(lang, "debtor.ack.confirm")), ("ackno", t(lang, "debtor.ack.cancel"))])))
    if side.awaiting == "contest_text":
        reason = str(side.data.get("contest_reason", "other"))
        try:
            words = answers.check_contest(reason, text)
        except DebtorInputError as error:
            return Exchange(debtor=_refused(case, error, lang, None))
        # Files may follow: the objection waits, kept, until the debtor presses Done.
        side.awaiting = "contest_files"
        side.data.pop("contest_reason", None)
        debtor_files.start_draft(case, reason, words)
        return Exchange(debtor=Reply(prompt=_files_prompt(token, lang, "debtor.files.ask")))
    if debtor_files.draft(case) is not None:
        return Exchange(debtor=Reply(prompt=_files_prompt(token, lang, "debtor.files.waiting")))
    return Exchange(debtor=Reply(messages=[t(lang, "debtor.use_buttons")],
                                 prompt=_menu(token, lang)))


def debtor_file(case: Case, kept: dict[str, Any] | None, refusal: tuple[str, str] | None,
                lang: str) -> Exchange:
    """A file the debtor sent while their objection waits for Done: ``kept`` (its record, now
    with the objection) or ``refusal`` (code, detail); either way, more may come."""
    token = DebtorSide.read(case).token
    if debtor_files.draft(case) is None:
        return Exchange(debtor=Reply(messages=[t(lang, "debtor.files.not_now")],
                                     prompt=_menu(token, lang)))
    if refusal is not None:
        said = debtor_files.refusal_text(lang, *refusal)
    elif kept is not None and debtor_files.add_to_draft(case, kept):
        said = t(lang, "debtor.files.received", name=kept["name"],
                 count=len(debtor_files.draft_files(case)), most=debtor_files.MAX_FILES)
    else:
        said = t(lang, "debtor.files.already")
    return Exchange(debtor=Reply(messages=[said],
                                 prompt=_files_prompt(token, lang, "debtor.files.more")))


def _files_prompt(token: str, lang: str, key: str) -> Prompt:
    return _debtor_prompt(token, t(lang, key, count=debtor_files.MAX_FILES,
                                   mb=debtor_files.MAX_FILE_BYTES // debtor_files.MB),
                          [("done", t(lang, "debtor.files.done"))])


# The creditor's side -------------------------------------------------------------------------
def creditor_press(case: Case, choice: str, lang: str, debtor_lang: str, today: date,
                   now: datetime) -> Exchange:
    """A button under a plan the debtor proposed: accept, counter-propose, refuse."""
    name, _, rest = choice.partition(".")
    try:
        if name == "accept":
            return exchange(case, answers.accept_plan(case, Side.CREDITOR, now), debtor_lang,
                             lang)
        if name == "refuse":
            return exchange(case, answers.refuse_plan(case, Side.CREDITOR, now), debtor_lang,
                             lang)
        if name == "counter":
            return Exchange(creditor=Reply(prompt=_count_prompt(CREDITOR, case.id, lang)))
        if name == "n":
            return Exchange(creditor=Reply(prompt=_first_prompt(CREDITOR, case.id, int(rest),
                                                                lang, today)))
        if name == "f":
            count, first = _count_and_first(rest)
            done = answers.propose_plan(case, Side.CREDITOR, count, first, today, now)
            return exchange(case, done, debtor_lang, lang)
    except DebtorInputError as error:
        return Exchange(creditor=_refused(case, error, lang, None))
    except ValueError:
        pass
    return Exchange(creditor=Reply(messages=[t(lang, "debtor.stale")]))


# Questions -----------------------------------------------------------------------------------
def _count_prompt(prefix: str, key: str, lang: str) -> Prompt:
    return Prompt(prefix, key, t(lang, "debtor.plan.ask_count"),
                  tuple(Button(f"n.{n}", str(n)) for n in COUNTS), free_text=False)


def _first_prompt(prefix: str, key: str, count: int, lang: str, today: date) -> Prompt:
    if count not in COUNTS:
        raise ValueError(count)
    days = [today + timedelta(days=n) for n in FIRST_IN_DAYS]
    return Prompt(prefix, key, t(lang, "debtor.plan.ask_first", count=count),
                  tuple(Button(f"f.{count}.{day:%Y%m%d}", formatting.short_day(day, lang, today))
                        for day in days), free_text=False)


def _count_and_first(rest: str) -> tuple[int, date]:
    count, _, day = rest.partition(".")
    return int(count), datetime.strptime(day, "%Y%m%d").date()


def _reason_prompt(token: str, lang: str) -> Prompt:
    return _debtor_prompt(token, t(lang, "debtor.contest.ask_reason"),
                          [(f"r.{r}", t(lang, f"debtor.reason.{r}"))
                           for r in answers.DISPUTE_REASONS])


def _how_to_pay(case: Case, lang: str, today: date) -> str:
    view = claim_view(case, today)
    say = Renderer(lang, Jurisdiction(case.jurisdiction))
    details = payment_text(case).strip()
    # The reference the letters print (RF, the Belgian structured communication; in Quebec the
    # invoice numbers), so that the creditor's bank statement says which case was paid.
    reference = payment_details_for(case.id, case.jurisdiction, view.creditor, details,
                                    [item.number for item in view.invoices]).reference
    return t(lang, "debtor.pay.text", total=say.value(view.total),
             principal=say.value(view.principal), creditor=view.creditor,
             details=details or t(lang, "debtor.pay.no_details"), reference=reference)


# The creditor's /revoke ------------------------------------------------------------------------
def revoke_command(account: Account, now: datetime) -> Reply:
    """``/revoke``: the open case's debtor link stops working at once."""
    lang = account.lang
    case = account.current
    if case is None:
        return Reply(messages=[t(lang, "debtor.revoke.no_case")], changed=False)
    if not revoke(case, now):
        return Reply(messages=[t(lang, "debtor.revoke.none")], changed=False)
    return Reply(messages=[t(lang, "debtor.revoke.done", debtor=case.title)])
