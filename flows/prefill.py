"""The confirmation screen: answers read from an invoice or looked up, shown before any is kept.

``propose`` is the one way in for every source (the invoice read by ``flows.invoice_reading``,
a company register's record): each value goes through the same answer engine as a typed
answer, those it refuses are dropped (their question is simply asked), those equal to the
current answer are left out, and the rest are listed with their source. The user accepts them
all with one button, or confirms them one by one: each is then asked as its usual question,
with the proposal as the suggested answer (``flows.journey``). Nothing is taken silently.

While the screen waits, ``Account.asking`` holds ``KEY`` for the case; anything but its answer
(a command, another file, another button) leaves it behind, the proposals staying pending as
each question's suggested answer.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime

from flows import journey, proposals
from flows.conversation import Button, Press, Prompt, Reply, Text
from flows.i18n import t
from flows.model import Account, Asking, Case
from flows.parsing import ParseError
from flows.proposals import Proposal
from flows.questions import BY_KEY

KEY = "prefill"
ACCEPT_ALL = "all"
ONE_BY_ONE = "one"
_WORDS = {ACCEPT_ALL: {"1", "tout accepter", "accepter", "tout", "accept all", "accept", "all",
                       "oui", "yes", "ok"},
          ONE_BY_ONE: {"2", "corriger", "corriger une par une", "une par une", "correct",
                       "one by one", "correct one by one"}}


def propose(account: Account, case: Case, offered: Iterable[Proposal],
            now: datetime) -> Reply | None:
    """Show these proposals (with any still pending) for confirmation; None when none is
    left to confirm, every one being refused by its question or equal to the answer given."""
    fresh = _acceptable(case, proposals.in_question_order(offered), now)
    if not fresh:
        return None
    proposals.keep(case, fresh)
    return screen(account, case, now)


def screen(account: Account, case: Case, now: datetime) -> Reply | None:
    """The list of pending proposals and the two buttons; None when nothing is pending."""
    lang = account.lang
    shown = _acceptable(case, proposals.read(case), now)
    if not shown:
        proposals.clear(case)
        return None
    account.asking = Asking(KEY, case_id=case.id)
    scratch = _scratch(case)
    lines = [t(lang, "prefill.title", count=len(shown))]
    for proposal in shown:
        question = BY_KEY[proposal.key]
        value = proposals.checked_value(question, scratch, proposal, now.date())
        scratch.answers[proposal.key] = value
        shown_value = journey.display_value(scratch, proposal.key, value, lang)
        line = t(lang, "prefill.line", label=t(lang, f"label.{proposal.key}"),
                 value=shown_value.replace("\n", ", "),
                 source=journey.source_label(proposal, lang))
        if proposal.key in case.answers:
            line += " " + t(lang, "prefill.replaces",
                            value=journey.display(case, proposal.key, lang))
        lines.append("• " + line)
    prompt = Prompt(case.id, KEY, t(lang, "prefill.ask"),
                    (Button(ACCEPT_ALL, t(lang, "prefill.accept_all")),
                     Button(ONE_BY_ONE, t(lang, "prefill.one_by_one"))), free_text=False)
    return Reply(messages=["\n".join(lines)], prompt=prompt)


def waiting(account: Account) -> bool:
    """Whether the screen is the question the next answer is for."""
    return account.asking is not None and account.asking.key == KEY


def press(account: Account, event: Press, now: datetime) -> Reply:
    """A button of the screen."""
    lang = account.lang
    case = account.case(event.case_id)
    asking = account.asking
    if case is None or asking is None or (asking.key, asking.case_id) != (KEY, case.id) \
            or event.value not in (ACCEPT_ALL, ONE_BY_ONE):
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    account.asking = None
    if event.value == ACCEPT_ALL:
        return _accept_all(account, case, now)
    reply = Reply(chosen=t(lang, "prefill.one_by_one"))
    key = proposals.next_to_confirm(case)
    if key is not None:
        account.asking = Asking(key, case_id=case.id, about=proposals.ONE_BY_ONE)
    journey.proceed(account, case, reply, now)
    return reply


def typed(account: Account, event: Text, now: datetime) -> Reply:
    """Text while the screen waits: one of its buttons named or numbered, else asked again."""
    asking = account.asking
    case = account.case(asking.case_id) if asking is not None else None
    if case is None:
        account.asking = None
        return Reply(messages=[t(account.lang, "hint.no_case")])
    said = event.text.strip().lower().rstrip(".!")
    for value, words in _WORDS.items():
        if said in words:
            return press(account, Press(case.id, KEY, value), now)
    reply = screen(account, case, now)
    if reply is None:  # nothing left to confirm: the text answers the case's own question
        account.asking = None
        return journey.typed(account, case, event, now)
    reply.messages.insert(0, t(account.lang, "error.use_buttons"))
    return reply


def _accept_all(account: Account, case: Case, now: datetime) -> Reply:
    """Every pending proposal becomes the answer, checked again as it is kept; one the engine
    now refuses is said, and its question asked."""
    lang = account.lang
    reply = Reply(chosen=t(lang, "prefill.accept_all"))
    kept = 0
    for proposal in proposals.read(case):
        question = BY_KEY[proposal.key]
        try:
            value = proposals.checked_value(question, case, proposal, now.date())
        except ParseError:
            label = t(lang, f"label.{question.key}")
            reply.messages.append(t(lang, "prefill.refused", label=label))
            continue
        journey.store_answer(account, case, question, value, reply)
        kept += 1
    proposals.clear(case)
    reply.messages.insert(0, t(lang, "prefill.accepted", count=kept))
    journey.proceed(account, case, reply, now)
    return reply


def _acceptable(case: Case, offered: list[Proposal], now: datetime) -> list[Proposal]:
    """Those the answer engine takes, each checked after the ones before it as if they were
    answered (the due date after the issue date proposed with it), and not already the answer."""
    scratch = _scratch(case)
    found = []
    for proposal in offered:
        question = BY_KEY[proposal.key]
        try:
            value = proposals.checked_value(question, scratch, proposal, now.date())
        except ParseError:
            continue
        if case.answers.get(proposal.key) == value:
            continue
        scratch.answers[proposal.key] = value
        found.append(proposal)
    return found


def _scratch(case: Case) -> Case:
    """A copy of the case to check proposals against, never stored."""
    return copy.deepcopy(case)
