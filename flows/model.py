"""The case file: who is owed what by whom, and where the conversation stands.

A ``Case`` is one debtor with one or more invoices. An ``Account`` is everything held for one
chat: the language, the cases, which case is open. Both serialise to plain JSON (amounts and
dates as strings) so that storage never sees a float or a Python object.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flows.money import Money

# The state a new case starts in; the journey machine owns the full list.
INITIAL_STATE = "start"

# The answers that describe one invoice; the others describe the whole case. ``paid_amount``
# is a sum received on a day not given (cases stored before payments had dates); ``payments``
# are the sums received with their dates, ``[{"on": "2025-06-30", "amount": "1000.00"}]`` in the
# case's currency.
INVOICE_KEYS = ("invoice_number", "invoice_amount", "issue_date", "due_date", "paid_amount",
                "payments", "completion_date")

# The user's own details, the same in every case: asked once, offered again in each new case
# (``flows.profile``) and editable in /settings. Kept in ``Account.profile`` as the answers
# were stored.
PROFILE_KEYS = ("creditor_name", "creditor_address", "creditor_id", "signatory",
                "creditor_contact", "payment_details", "city", "creditor_is_person",
                "creditor_profession", "creditor_nationality", "creditor_birth")
# The ``source`` of a proposed answer (``Case.proposals``) taken from the profile.
FROM_PROFILE = "profile"


@dataclass(frozen=True)
class Received:
    """A sum the debtor paid, on a known day."""

    day: date
    amount: Money

    def to_json(self) -> dict[str, str]:
        return {"on": self.day.isoformat(), "amount": str(self.amount.amount)}

    @classmethod
    def from_json(cls, data: dict[str, Any], currency: str) -> Received:
        return cls(date.fromisoformat(data["on"]), Money(Decimal(data["amount"]), currency))


@dataclass(frozen=True)
class Invoice:
    number: str
    amount: Money
    issue_date: date
    due_date: date | None  # None: no due date was agreed
    undated: Money  # received on a day not given
    payments: tuple[Received, ...] = ()  # received on known days, oldest first
    completed: date | None = None  # works completed, services performed or goods delivered

    @property
    def paid(self) -> Money:
        """Everything received, dated or not."""
        total = self.undated
        for payment in self.payments:
            total = total + payment.amount
        return total

    @property
    def balance(self) -> Money:
        return Money(self.amount.amount - self.paid.amount, self.amount.currency)

    @classmethod
    def from_answers(cls, answers: dict[str, Any], currency: str) -> Invoice | None:
        """The invoice described by these answers, or None while it is incomplete."""
        if not all(k in answers for k in ("invoice_number", "invoice_amount", "issue_date")):
            return None
        due = answers.get("due_date")
        paid = answers.get("paid_amount")
        amount = Money.from_json(answers["invoice_amount"])
        payments = answers.get("payments")
        completed = answers.get("completion_date")
        return cls(
            number=str(answers["invoice_number"]),
            amount=amount,
            issue_date=date.fromisoformat(answers["issue_date"]),
            due_date=date.fromisoformat(due) if isinstance(due, str) and due != "none" else None,
            undated=Money.from_json(paid) if isinstance(paid, dict) else Money.zero(currency),
            payments=tuple(sorted(
                (Received.from_json(p, amount.currency)
                 for p in (payments if isinstance(payments, list) else [])),
                key=lambda p: p.day)),
            completed=date.fromisoformat(completed) if isinstance(completed, str) else None,
        )


@dataclass(frozen=True)
class Demand:
    """The first formal demand drawn up for the case: interest that waits for a demand runs
    from it (``flows.documents.figures.record_demand``)."""

    sent_on: date
    remedy: str

    def to_json(self) -> dict[str, str]:
        return {"sent_on": self.sent_on.isoformat(), "remedy": self.remedy}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Demand:
        return cls(sent_on=date.fromisoformat(str(data["sent_on"])),
                   remedy=str(data.get("remedy", "")))


@dataclass(frozen=True)
class Closing:
    """When and why the case was closed: ``paid`` or ``abandoned``."""

    on: date
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"on": self.on.isoformat(), "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Closing:
        return cls(on=date.fromisoformat(str(data["on"])), reason=str(data.get("reason", "")))


# What ``Case.extra`` held before it became typed fields (the same names, the same JSON).
_EXTRA_FIELDS = ("evidence", "followup", "demand", "ranking", "tried", "closed", "next_check",
                 "checklist_shown", "evidence_invited")


def _typed_from_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """A case stored with ``extra``: its keys become fields. Flags of what the bot waited for
    were moved to ``Account.asking`` first (``_asking_before_the_slot``); nothing else was
    ever kept there."""
    return {key: extra[key] for key in _EXTRA_FIELDS if key in extra}


def new_id() -> str:
    return secrets.token_hex(4)


@dataclass(eq=False)  # eq=False: the journey machine must tell two identical cases apart
class Case:
    id: str
    created_at: str
    state: str = INITIAL_STATE
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    return_to_review: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    # Invoices already entered, each a dict of INVOICE_KEYS answers; the one being entered
    # (or the only one) lives in ``answers`` like any other answer.
    more_invoices: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)  # ``flows.evidence.locker``
    followup: dict[str, Any] | None = None  # the follow-up's record, ``flows.followup.state``
    demand: Demand | None = None
    ranking: list[str] = field(default_factory=list)  # the remedies, in the order last shown
    tried: list[str] = field(default_factory=list)  # remedies already tried, in that order
    closed: Closing | None = None
    next_check: date | None = None  # the day of the next follow-up step, shown in messages
    checklist_shown: str = ""  # the evidence checklist as last shown: not repeated unchanged
    evidence_invited: bool = False  # the invitation to send files was shown
    # The debtor's side: the link's token and what the debtor answered (``flows.debtor``),
    # erased with the case.
    debtor: dict[str, Any] | None = None
    # Answers read from an invoice or looked up, not yet confirmed (``flows.proposals``).
    proposals: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def new(cls, now: datetime) -> Case:
        return cls(id=new_id(), created_at=now.isoformat())

    # Typed views over the stored answers -------------------------------------------------
    def answered(self, key: str) -> bool:
        return key in self.answers

    def text(self, key: str, default: str = "") -> str:
        value = self.answers.get(key, default)
        return str(value)

    def money(self, key: str) -> Money | None:
        value = self.answers.get(key)
        return Money.from_json(value) if isinstance(value, dict) else None

    def day(self, key: str) -> date | None:
        value = self.answers.get(key)
        return date.fromisoformat(value) if isinstance(value, str) else None

    def flag(self, key: str) -> bool | None:
        value = self.answers.get(key)
        return value if isinstance(value, bool) else None

    def number(self, key: str) -> Decimal | None:
        value = self.answers.get(key)
        return Decimal(value) if isinstance(value, str) and value else None

    def invoices(self) -> list[Invoice]:
        """Every invoice of the case, in the order entered."""
        found = [Invoice.from_answers(a, self.currency) for a in self.more_invoices]
        found.append(Invoice.from_answers(self.answers, self.currency))
        return [i for i in found if i is not None]

    def total_balance(self) -> Money:
        total = Money.zero(self.currency)
        for invoice in self.invoices():
            total = total + invoice.balance
        return total

    def file_away_invoice(self) -> None:
        """The invoice being entered is complete: keep it aside and ask for the next one."""
        self.more_invoices.append({k: self.answers.pop(k) for k in INVOICE_KEYS
                                   if k in self.answers})
        self.history = [k for k in self.history if k not in INVOICE_KEYS]

    @property
    def empty(self) -> bool:
        """Nothing in it: no answer, no file, no note, no document (a case opened and left
        at its first question)."""
        return not (self.answers or self.more_invoices or self.evidence or self.events
                    or self.documents or self.followup or self.debtor)

    @property
    def jurisdiction(self) -> str:
        return self.text("jurisdiction", "fr")

    @property
    def currency(self) -> str:
        return "CAD" if self.jurisdiction == "qc" else "EUR"

    @property
    def title(self) -> str:
        return self.text("debtor_name") or self.id

    def log(self, now: datetime, kind: str, **params: Any) -> None:
        """Add an entry to the case chronology."""
        self.events.append({"at": now.isoformat(), "kind": kind, "params": params})

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "state": self.state,
            "answers": self.answers,
            "history": self.history,
            "return_to_review": self.return_to_review,
            "events": self.events,
            "documents": self.documents,
            "more_invoices": self.more_invoices,
            "evidence": self.evidence,
            "followup": self.followup,
            "demand": self.demand.to_json() if self.demand else None,
            "ranking": self.ranking,
            "tried": self.tried,
            "closed": self.closed.to_json() if self.closed else None,
            "next_check": self.next_check.isoformat() if self.next_check else None,
            "checklist_shown": self.checklist_shown,
            "evidence_invited": self.evidence_invited,
            "debtor": self.debtor,
            "proposals": self.proposals,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Case:
        if "extra" in data:  # stored before the typed fields: they were keys of ``extra``
            data = {**data, **_typed_from_extra(data["extra"])}
        demand, closed, next_check = data.get("demand"), data.get("closed"), data.get("next_check")
        return cls(
            id=data["id"],
            created_at=data["created_at"],
            state=data.get("state", INITIAL_STATE),
            answers=dict(data.get("answers", {})),
            history=list(data.get("history", [])),
            return_to_review=bool(data.get("return_to_review", False)),
            events=list(data.get("events", [])),
            documents=list(data.get("documents", [])),
            more_invoices=list(data.get("more_invoices", [])),
            evidence=list(data.get("evidence", [])),
            followup=dict(data["followup"]) if isinstance(data.get("followup"), dict) else None,
            demand=Demand.from_json(demand) if isinstance(demand, dict) else None,
            ranking=[str(code) for code in data.get("ranking", [])],
            tried=[str(code) for code in data.get("tried", [])],
            closed=Closing.from_json(closed) if isinstance(closed, dict) else None,
            next_check=date.fromisoformat(next_check) if isinstance(next_check, str) else None,
            checklist_shown=str(data.get("checklist_shown") or ""),
            evidence_invited=bool(data.get("evidence_invited", False)),
            debtor=dict(data["debtor"]) if isinstance(data.get("debtor"), dict) else None,
            proposals=[dict(p) for p in data.get("proposals", []) if isinstance(p, dict)],
        )


@dataclass(frozen=True)
class Asking:
    """What the bot waits for from this chat, when it is more than the next question the open
    case needs: an answer the user went back to or chose to correct, a question the follow-up
    asked (a promised date, a part payment), or a side question (a note, the reminder hour, a
    time zone, a reminder's new day, the erasure's confirmation). ``key`` names the question,
    ``case_id`` the case it is about, ``about`` what it points to (the reminder being moved, the
    erasure's one-time token), ``asked_at`` when it was asked, where that matters."""

    key: str
    case_id: str = ""
    about: str = ""
    asked_at: str = ""

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "case_id": self.case_id, "about": self.about,
                "asked_at": self.asked_at}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Asking:
        return cls(key=str(data["key"]), case_id=str(data.get("case_id", "")),
                   about=str(data.get("about", "")), asked_at=str(data.get("asked_at", "")))


def _stored_before_the_slot(data: dict[str, Any]) -> bool:
    settings = data.get("settings", {})
    return any(key in settings for key in ("note_for", "awaiting", "erase")) or any(
        "revisit" in case or "extra" in case for case in data.get("cases", []))


def _asking_before_the_slot(data: dict[str, Any]) -> Asking | None:
    """What an account stored before ``Account.asking`` was waiting for, its old flags removed.

    Seven flags said it then: in the settings, a note (``note_for``), a /reminders question
    (``awaiting``), the erasure's confirmation (``erase``); in a case, an answer to correct
    (``revisit``), a follow-up's question (``extra.followup.awaiting``), a part payment
    (``extra.awaiting_partial``), and ``extra.snoozed``, which nothing set any more. Typed text
    went to a note first, then to a /reminders question, then to the open case: that order
    decides when several were set. A case left in the background loses its pending question.
    """
    settings = data.setdefault("settings", {})
    note_for, awaiting, erase = (settings.pop(k, None) for k in ("note_for", "awaiting", "erase"))
    in_case: dict[str, Asking] = {}
    for case in data.get("cases", []):
        extra = case.setdefault("extra", {})  # the slot came before the typed fields
        followup = extra.get("followup")
        asked = followup.pop("awaiting", None) if isinstance(followup, dict) else None
        partial = extra.pop("awaiting_partial", None)
        extra.pop("snoozed", None)
        revisit = case.pop("revisit", None)
        key = revisit or asked or ("partial_payment" if partial else None)
        if key:
            in_case[case["id"]] = Asking(str(key), case_id=case["id"])
    if note_for:
        return Asking("note", case_id=str(note_for))
    if isinstance(awaiting, dict):
        what = awaiting.get("what")
        if what in {"hour", "tz"}:
            return Asking("remind_hour" if what == "hour" else "time_zone")
        if what == "move":
            return Asking("move_date", case_id=str(awaiting.get("case", "")),
                          about=str(awaiting.get("rid", "")))
    if data.get("active_case") in in_case:
        return in_case[data["active_case"]]
    if isinstance(erase, dict):
        return Asking("erase_confirm", about=str(erase.get("token", "")),
                      asked_at=str(erase.get("asked_at", "")))
    return None


def _profile_from(cases: list[Case]) -> dict[str, Any]:
    """An account stored before the profile: the user's details as the latest case that has
    them gave them."""
    for case in reversed(cases):
        if case.answered("creditor_name"):
            return {key: case.answers[key] for key in PROFILE_KEYS if key in case.answers}
    return {}


@dataclass(eq=False)
class Account:
    chat_id: str
    lang: str
    cases: list[Case] = field(default_factory=list)
    active_case: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    asking: Asking | None = None  # the question the next answer is for, when it is not simply
    # the next one the open case needs
    # The user's own details (``PROFILE_KEYS``), offered again in every new case.
    profile: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, chat_id: str, lang: str) -> Account:
        return cls(chat_id=chat_id, lang=lang)

    def case(self, case_id: str | None) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    @property
    def current(self) -> Case | None:
        return self.case(self.active_case)

    def open_new_case(self, now: datetime) -> Case:
        case = Case.new(now)
        self.cases.append(case)
        self.active_case = case.id
        return case

    def discard_empty_cases(self) -> None:
        """Forget the cases opened and left with nothing in them (``Case.empty``): /cancel
        then /start must not leave an untitled case behind in /cases."""
        self.cases = [c for c in self.cases if not (c.empty and c.state != "closed")]
        if self.current is None:
            self.active_case = None

    def to_json(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "lang": self.lang,
            "active_case": self.active_case,
            "settings": self.settings,
            "asking": self.asking.to_json() if self.asking is not None else None,
            "profile": self.profile,
            "cases": [c.to_json() for c in self.cases],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        asking = Asking.from_json(data["asking"]) if data.get("asking") else None
        if _stored_before_the_slot(data):  # what the old flags were waiting for
            data = copy.deepcopy(data)
            asking = _asking_before_the_slot(data) or asking
        settings = dict(data.get("settings", {}))
        cases = [Case.from_json(c) for c in data.get("cases", [])]
        profile = data.get("profile")
        return cls(
            chat_id=str(data["chat_id"]),
            lang=data.get("lang", "fr"),
            cases=cases,
            active_case=data.get("active_case"),
            settings=settings,
            asking=asking,
            profile=dict(profile) if isinstance(profile, dict) else _profile_from(cases),
        )
