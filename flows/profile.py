"""The user's own details, asked once: name, address, registration, signatory, contact, how to
be paid, the town letters are dated from.

Whatever the user answers to those questions, in any case, is kept in ``Account.profile``
(``remember``). A new case gets them as proposed answers (``offer``, source ``FROM_PROFILE``);
when its documents' details come up, one question lists them, "same as before?"
(``flows.questions.SAME_DETAILS``): "same" keeps every one the case needs (``accept``),
"change" asks each question as usual with the earlier answer as the suggested one. /settings
edits them (``flows.settings``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flows import proposals
from flows.answers import Kind, Question
from flows.i18n import t
from flows.model import FROM_PROFILE, PROFILE_KEYS, Account, Case
from flows.parsing import ParseError
from flows.proposals import Proposal
from flows.questions import BY_KEY


def open_case(account: Account, now: datetime) -> Case:
    """A new case, with the details kept so far offered; the cases opened and left empty are
    forgotten first."""
    account.discard_empty_cases()
    case = account.open_new_case(now)
    offer(account, case)
    return case


def remember(account: Account, key: str, value: Any) -> None:
    """An answer of the user's own details: the one offered in the next cases."""
    if key in PROFILE_KEYS:
        account.profile[key] = value


def offer(account: Account, case: Case) -> None:
    """A new case: the details kept so far, proposed for its questions."""
    proposals.keep(case, [Proposal(key, as_typed(account.profile[key]), FROM_PROFILE)
                          for key in PROFILE_KEYS if key in account.profile])


def replace_offer(account: Account, case: Case, key: str) -> None:
    """The detail was changed in /settings: a case still offering the earlier one offers the
    new one."""
    waiting = proposals.pending_for(case, key)
    if waiting is not None and waiting.source == FROM_PROFILE and key in account.profile:
        proposals.keep(case, [Proposal(key, as_typed(account.profile[key]), FROM_PROFILE)])


def as_typed(value: Any) -> str:
    """A stored answer as the user would type it again (a yes/no as its button's code)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def offered(case: Case) -> list[Proposal]:
    """The details from before that this case asks now and has not answered."""
    return [p for p in proposals.pending(case)
            if p.source == FROM_PROFILE and p.key not in case.answers
            and BY_KEY[p.key].applies(case)]


def accept(case: Case, today: date, keep: Callable[[Question, Any], None]) -> list[str]:
    """"Same as before": each detail the case asks is read and checked as a typed answer
    against this case, then kept with ``keep``, in question order (one may open another: being
    a natural person asks for the occupation). Returns the keys of those the case refuses (a
    French SIREN for a Belgian case), dropped so that their question is asked."""
    refused: list[str] = []
    while waiting := offered(case):
        proposal = waiting[0]
        question = BY_KEY[proposal.key]
        try:
            value = proposals.checked_value(question, case, proposal, today)
        except ParseError:
            refused.append(proposal.key)
        else:
            keep(question, value)
        proposals.settle(case, proposal.key)
    return refused


def summary(case: Case, lang: str) -> str:
    """The details offered, one a line, as the user gave them."""
    return "\n".join("• " + t(lang, "review.line", label=t(lang, f"label.{p.key}"),
                              value=shown(BY_KEY[p.key], p.value, lang))
                     for p in offered(case))


def shown(question: Question, typed: str, lang: str) -> str:
    """A detail as the user reads it back: a button's label for a code ("Myself"), the
    lines of an address on one line."""
    if question.kind is Kind.YESNO:
        return t(lang, f"choice.{typed}")
    if typed in question.choices:
        return t(lang, f"choice.{question.key}.{typed}")
    return typed.replace("\n", ", ")
