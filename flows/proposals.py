"""Answers proposed rather than typed: read from an invoice, or looked up in a register.

A proposal is never an answer until the user says so (``flows.prefill`` shows them for
confirmation). Its value is kept as the user would have typed it, or as a button's code, so
that the one engine reading typed answers (``flows.answers``) parses and checks it too: a
proposal the engine refuses is dropped, and its question is simply asked. Pending proposals
live in ``Case.proposals``; while one waits, its question offers it as the suggested answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.answers import Kind, Question, choice_value, parse_answer
from flows.model import FROM_PROFILE, Case
from flows.questions import BY_KEY, QUESTIONS

# ``Asking.about`` while the proposals are confirmed one by one: each answer then leads to the
# next proposal's question rather than to wherever the journey stands.
ONE_BY_ONE = "proposals"

_ORDER = {question.key: index for index, question in enumerate(QUESTIONS)}


@dataclass(frozen=True)
class Proposal:
    """A proposed answer to the question ``key``; ``source`` names where it was read (a code of
    the catalog's ``prefill.source``), ``detail`` what the source's wording may add (a date)."""

    key: str
    value: str
    source: str
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "value": self.value, "source": self.source,
                "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        return cls(key=str(data["key"]), value=str(data["value"]),
                   source=str(data.get("source", "")), detail=str(data.get("detail", "")))


def in_question_order(proposals: Iterable[Proposal]) -> list[Proposal]:
    """Questions first that others are checked against: the country before the amount, the
    issue date before the due date. Proposals for no known question are left out."""
    known = [p for p in proposals if p.key in BY_KEY]
    return sorted(known, key=lambda p: _ORDER[p.key])


def pending(case: Case) -> list[Proposal]:
    """The proposals still waiting for the user's word, in question order."""
    return in_question_order(Proposal.from_json(p) for p in case.proposals)


def read(case: Case) -> list[Proposal]:
    """The pending proposals read from a file or looked up, confirmed on ``flows.prefill``'s
    screen; those from the user's profile wait for "same as before?" (``flows.profile``)."""
    return [p for p in pending(case) if p.source != FROM_PROFILE]


def pending_for(case: Case, key: str) -> Proposal | None:
    return next((p for p in pending(case) if p.key == key), None)


def keep(case: Case, proposals: Iterable[Proposal]) -> None:
    """Add proposals to those pending; a newer one replaces an older for the same question."""
    merged = {p.key: p for p in pending(case)}
    merged.update({p.key: p for p in proposals})
    case.proposals = [p.to_json() for p in in_question_order(merged.values())]


def settle(case: Case, key: str) -> None:
    """The question was answered (with the proposal or otherwise): no longer proposed."""
    case.proposals = [p for p in case.proposals if p.get("key") != key]


def clear(case: Case) -> None:
    """The confirmation screen is done with: what it listed is no longer proposed (the
    profile's details still are, for their own question)."""
    case.proposals = [p for p in case.proposals if p.get("source") == FROM_PROFILE]


def checked_value(question: Question, case: Case, proposal: Proposal, today: date) -> Any:
    """The stored value the proposal stands for, read and checked exactly as a typed answer
    (``flows.answers.read_answer``) or as a pressed button; ParseError when refused."""
    value = read_value(question, case, proposal, today)
    if question.check is not None:
        question.check(case, value, today)
    return value


def read_value(question: Question, case: Case, proposal: Proposal, today: date) -> Any:
    """The proposal read as its question's value, not yet checked against the case (to show
    it: the check runs when it is taken)."""
    codes = question.offers(case) + (("yes", "no") if question.kind is Kind.YESNO else ())
    if proposal.value in codes:
        return choice_value(question, case, proposal.value)
    return parse_answer(question, case, proposal.value, today)


def next_to_confirm(case: Case) -> str | None:
    """The first pending proposal whose question belongs to the case now (the others wait
    until their question comes up: a remedy's details once the remedy is chosen)."""
    for proposal in read(case):
        question = BY_KEY[proposal.key]
        if not question.asked_only and question.applies(case):
            return proposal.key
    return None
