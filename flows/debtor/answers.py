"""The debtor's four answers, and the creditor's replies to a proposed plan.

Each function changes the case (its debtor record, its answers, its chronology) and returns an
``Answered``: what to tell the creditor and the debtor (``Message`` values, rendered later in
each one's own language), the buttons each gets, and whether the plan agreement must now be
drawn for both. Nothing here knows how the answer came in (Telegram or the web page).

- ``propose_plan``: the debtor (or the creditor, counter-proposing) proposes a number of
  instalments and a first date; the other side may accept, counter-propose or refuse.
- ``accept_plan`` / ``refuse_plan``: once both sides accepted the same plan it is agreed: the
  case's remedy becomes the payment plan and the instalment reminders start
  (``flows.followup``), and the agreement names both acceptances with their times.
- ``acknowledge``: the debtor typed their full name and confirmed: the time-stamped
  acknowledgement restarts the limitation period (C. civ. 2240 and 2231; former Belgian C. civ.
  2248; C.c.Q. 2898 and 2903: ``flows.law.common.limitation_from_invoice`` applies it).
- ``contest``: the reason, the debtor's words and their files (``flows.debtor.files``); the
  case becomes a disputed claim, which changes the remedy recommended (``flows.law.remedies``),
  and keeps the files as the debtor's evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from flows.debtor import files as debtor_files
from flows.debtor.link import is_open
from flows.debtor.record import DebtorSide, stamp
from flows.documents.context import plan_table
from flows.evidence import locker
from flows.followup.actions import start_remedy
from flows.followup.plan import INTERVALS, Instalment
from flows.law import InvalidFacts, from_case
from flows.law.messages import Message
from flows.model import Case, new_id
from flows.money import Money
from flows.vocabulary import DISPUTE_POINTS, Remedy

# Product rules, not law: a plan the bot can carry is 2 to 24 instalments (as the creditor's own
# plan question), starting within 60 days.
MIN_INSTALMENTS, MAX_INSTALMENTS = 2, 24
FIRST_WITHIN = timedelta(days=60)
# What a debtor may dispute (the same points the creditor's dispute question asks about).
DISPUTE_REASONS = DISPUTE_POINTS
MAX_DISPUTE_TEXT = 2000
MAX_NAME = 120


class Side(StrEnum):
    DEBTOR = "debtor"
    CREDITOR = "creditor"

    @property
    def other(self) -> Side:
        return Side.CREDITOR if self is Side.DEBTOR else Side.DEBTOR


class DebtorInputError(ValueError):
    """An answer the bot cannot take; ``key`` names the message saying why (``debtor.error.*``)."""

    def __init__(self, key: str, **params: str | int) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> Message:
        return Message.of(f"debtor.error.{self.key}", **self.params)


# The documents both sides get: the agreed plan, and the acknowledgement to sign by hand.
PLAN_AGREEMENT = "plan_agreement"
DEBT_ACKNOWLEDGEMENT = "debt_acknowledgement"
# What the side receiving a proposal can do with it.
PLAN_CHOICES = ("accept", "counter", "refuse")


@dataclass
class Answered:
    """What changed, said to each side. ``*_choices``: the buttons under the last message
    (``PLAN_CHOICES`` when a plan waits for that side's answer). ``documents``: the kinds of
    document both sides now get (the plan agreement; the acknowledgement to sign). ``files``:
    the debtor's files (evidence records) the creditor receives with the message."""

    creditor: list[Message] = field(default_factory=list)
    debtor: list[Message] = field(default_factory=list)
    creditor_choices: tuple[str, ...] = ()
    debtor_choices: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    files: tuple[dict[str, Any], ...] = ()

    @property
    def agreement(self) -> bool:
        """The plan was just agreed."""
        return PLAN_AGREEMENT in self.documents


def _check_open(case: Case) -> None:
    if not is_open(case):
        raise DebtorInputError("closed")


# Opening the link -----------------------------------------------------------------------------
def opened(case: Case, chat: str, lang: str, now: datetime) -> Answered:
    """The debtor opened the link in their Telegram chat: remembered so that the creditor's
    answers reach them; the creditor is told the first time."""
    side = DebtorSide(case)
    first = side.chat != chat
    side.remember_chat(chat, lang)
    if not first:
        return Answered()
    case.log(now, "debtor_opened")
    return Answered(creditor=[Message.of("debtor.to_creditor.opened", debtor=case.title)])


# The plan -------------------------------------------------------------------------------------
def check_plan(count: int, first: date, today: date) -> None:
    """A plan the bot can carry, else ``DebtorInputError``."""
    if not MIN_INSTALMENTS <= count <= MAX_INSTALMENTS:
        raise DebtorInputError("plan_count", low=MIN_INSTALMENTS, high=MAX_INSTALMENTS)
    if first < today:
        raise DebtorInputError("plan_first_past")
    if first > today + FIRST_WITHIN:
        raise DebtorInputError("plan_first_far", days=FIRST_WITHIN.days)


def propose_plan(case: Case, by: Side, count: int, first: date, today: date, now: datetime,
                 interval: str = "monthly") -> Answered:
    """``by`` proposes ``count`` instalments from ``first`` (replacing any proposal pending):
    the other side is asked to accept, counter-propose or refuse."""
    _check_open(case)
    if interval not in INTERVALS:
        raise DebtorInputError("plan_interval")
    check_plan(count, first, today)
    side = DebtorSide(case)
    if side.agreed is not None:
        raise DebtorInputError("plan_already_agreed")
    balance = case.total_balance()
    proposal = {"count": count, "first": first.isoformat(), "interval": interval,
                "total": balance.to_json(), "by": by.value, "at": stamp(now),
                "accepted": {by.value: stamp(now)}}
    side.put("proposal", proposal)
    case.log(now, f"plan_proposed_by_{by.value}", count=count, first=first.isoformat())
    summary = Message.of("debtor.plan.summary", count=count, first=first, total=balance,
                         each=_first_instalment(proposal))
    said = [Message.of(f"debtor.plan.proposed_by_{by.value}", debtor=case.title), summary]
    if by is Side.DEBTOR:
        return Answered(creditor=said, creditor_choices=PLAN_CHOICES,
                        debtor=[Message.of("debtor.plan.sent_to_creditor"), summary])
    return Answered(debtor=said, debtor_choices=PLAN_CHOICES,
                    creditor=[Message.of("debtor.plan.sent_to_debtor"), summary])


def _first_instalment(proposal: dict[str, Any]) -> Money:
    return plan_rows(proposal)[0].amount


def plan_rows(proposal: dict[str, Any]) -> list[Instalment]:
    """The instalments of a proposal, as the agreement prints them."""
    return plan_table(Money.from_json(proposal["total"]), int(proposal["count"]),
                      date.fromisoformat(str(proposal["first"])), str(proposal["interval"]))


def accept_plan(case: Case, by: Side, now: datetime) -> Answered:
    """``by`` accepts the pending plan; when both sides have, it is agreed."""
    _check_open(case)
    side = DebtorSide(case)
    proposal = side.proposal
    if proposal is None:
        raise DebtorInputError("no_plan")
    accepted = dict(proposal.get("accepted", {}))
    if by.value in accepted:
        raise DebtorInputError("plan_waits_other")
    accepted[by.value] = stamp(now)
    agreed = {**proposal, "accepted": accepted}
    side.put("proposal", None)
    side.put("agreed", agreed)
    case.log(now, "plan_agreed", count=agreed["count"], first=agreed["first"])
    # The creditor's plan answers now hold the agreed plan: the follow-up reminds of each
    # instalment, and a missed one leads to the formal demand (flows.followup).
    case.answers["remedy"] = Remedy.PAYMENT_PLAN.value
    case.answers["plan_count"] = str(agreed["count"])
    case.answers["plan_first_date"] = str(agreed["first"])
    case.answers["plan_interval"] = str(agreed["interval"])
    start_remedy(case, now)
    said = [Message.of("debtor.plan.agreed", count=int(agreed["count"]),
                       first=date.fromisoformat(str(agreed["first"])))]
    return Answered(creditor=[*said, Message.of("debtor.plan.agreed_creditor")],
                    debtor=said, documents=(PLAN_AGREEMENT,))


def refuse_plan(case: Case, by: Side, now: datetime) -> Answered:
    """``by`` refuses the pending plan: nothing changes in the claim."""
    _check_open(case)
    side = DebtorSide(case)
    if side.proposal is None:
        raise DebtorInputError("no_plan")
    side.put("proposal", None)
    case.log(now, f"plan_refused_by_{by.value}")
    if by is Side.CREDITOR:
        return Answered(creditor=[Message.of("debtor.plan.refused_you")],
                        debtor=[Message.of("debtor.plan.refused_by_creditor")])
    return Answered(debtor=[Message.of("debtor.plan.refused_you")],
                    creditor=[Message.of("debtor.plan.refused_by_debtor", debtor=case.title)])


# Acknowledgement ------------------------------------------------------------------------------
def check_name(typed: str) -> str:
    """A full name as typed: trimmed, with letters, not too long."""
    name = " ".join(typed.split())
    if len(name) > MAX_NAME:
        raise DebtorInputError("name_long", limit=MAX_NAME)
    if sum(ch.isalpha() for ch in name) < 2 or " " not in name:
        raise DebtorInputError("name")
    return name


def acknowledge(case: Case, typed_name: str, confirmed: bool, today: date,
                now: datetime) -> Answered:
    """The debtor, named ``typed_name``, confirmed owing the balance: recorded with its time;
    the limitation period starts again today, and the creditor is told its new last day."""
    _check_open(case)
    name = check_name(typed_name)
    if not confirmed:
        raise DebtorInputError("not_confirmed")
    side = DebtorSide(case)
    balance = case.total_balance()
    before = _limitation_day(case, today)
    side.put("acknowledgement", {"name": name, "at": stamp(now), "on": today.isoformat(),
                                 "amount": balance.to_json(),
                                 "invoices": [i.number for i in case.invoices()]})
    case.log(now, "debtor_acknowledged", name=name, amount=str(balance.amount))
    after = _limitation_day(case, today)
    article = ACKNOWLEDGEMENT_ARTICLES.get(case.jurisdiction, "")
    to_creditor = [Message.of("debtor.ack.to_creditor", debtor=case.title, name=name,
                              amount=balance, at=stamp(now)[:16].replace("T", " "))]
    if after is not None and after != before:
        to_creditor.append(Message.of("debtor.ack.limitation", last_day=after,
                                      article=article))
    to_creditor.append(Message.of("debtor.ack.signed_is_stronger"))
    return Answered(creditor=to_creditor,
                    debtor=[Message.of("debtor.ack.done", amount=balance, on=today),
                            Message.of("debtor.ack.sign_offer")],
                    documents=(DEBT_ACKNOWLEDGEMENT,))


# Where each jurisdiction's acknowledgement rule is (the law packs apply it).
ACKNOWLEDGEMENT_ARTICLES = {"fr": "C. civ. 2240, 2231", "be": "anc. C. civ. 2248",
                            "qc": "C.c.Q. 2898, 2903"}


def _limitation_day(case: Case, today: date) -> date | None:
    """The earliest last day to act over the case's invoices (None when not computable)."""
    try:
        days = [r.limitation.last_day for r in from_case.rights_for(case, today)]
    except InvalidFacts:
        return None
    return min(days) if days else None


# Dispute ------------------------------------------------------------------------------------
def check_contest(reason: str, text: str) -> str:
    """The debtor's words for ``reason``, trimmed, else ``DebtorInputError``."""
    if reason not in DISPUTE_REASONS:
        raise DebtorInputError("reason")
    words = text.strip()
    if len(words) > MAX_DISPUTE_TEXT:
        raise DebtorInputError("text_long", limit=MAX_DISPUTE_TEXT)
    if not words:
        raise DebtorInputError("text_empty")
    return words


def contest(case: Case, reason: str, text: str, today: date, now: datetime,
            files: list[dict[str, Any]] | None = None) -> Answered:
    """The debtor disputes the claim for ``reason`` in their own words, with ``files`` (records
    of files already screened and kept, ``flows.debtor.files.record``): the case becomes a
    disputed claim, keeps the files as the debtor's evidence, and the creditor is told what is
    now recommended, and why."""
    _check_open(case)
    words = check_contest(reason, text)
    attached = list(files or [])
    if len(attached) > debtor_files.MAX_FILES:
        raise DebtorInputError("files_count", count=debtor_files.MAX_FILES)
    side = DebtorSide(case)
    side.put("dispute", {"reason": reason, "text": words, "at": stamp(now)})
    side.put("proposal", None)  # a plan discussed before no longer stands
    debtor_files.drop_draft(case)
    case.answers["disputed"] = True
    case.answers["dispute_reason"] = reason
    case.log(now, "debtor_contested", reason=reason, text=words)
    for record in attached:
        while locker.find(case, str(record["id"])) is not None:
            record["id"] = new_id()
        locker.keep(case, record)
        case.log(now, "debtor_file", name=record["name"], size=record["size"],
                 sha256=record["sha256"])
    to_creditor = [Message.of("debtor.contest.to_creditor", debtor=case.title,
                              reason=Message.of(f"debtor.reason.{reason}"), text=words)]
    if attached:
        to_creditor.append(Message.of("debtor.contest.files", count=len(attached)))
    advice = from_case.advice_for(case, today) if case.invoices() else None
    if advice is not None:
        first = advice.first
        to_creditor.append(Message.of("debtor.contest.now_recommended",
                                      remedy=Message.of(f"remedy.{first.remedy}"),
                                      why=first.reason))
    return Answered(creditor=to_creditor, debtor=[Message.of("debtor.contest.done")],
                    files=tuple(attached))
