"""What the follow-up remembers about a case, kept as plain JSON in ``case.followup``.

The facts the user reported since the documents went out (the order was granted, served, the
client promised to pay on a date…), and the case's reminders. The timeline is computed from
these facts and the case's answers every time, so nothing here duplicates the journey.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flows.missed_instalment import KEY as MISSED
from flows.model import Case

# Facts reported under one remedy (cleared when the next remedy's documents go out), and
# facts about the case itself (an insolvency claim filed stays filed whatever comes next).
REMEDY_FACTS = ("started", "granted", "served", "enforced", "promise", "acted", "rejected",
                "opposed", "later", "signed", "unsigned")


class FollowUp:
    """A typed view over one case's follow-up record (changes write straight through)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        if case.followup is None:
            case.followup = {}
        self.data: dict[str, Any] = case.followup

    @classmethod
    def read(cls, case: Case) -> FollowUp:
        """A view for reading only: a case without a follow-up record is left untouched."""
        if case.followup is not None:
            return cls(case)
        view = cls.__new__(cls)
        view.case, view.data = case, {}
        return view

    # Dated facts -------------------------------------------------------------------------
    def day(self, name: str) -> date | None:
        value = self.data.get(name)
        return date.fromisoformat(value) if isinstance(value, str) else None

    def set_day(self, name: str, value: date | None) -> None:
        if value is None:
            self.data.pop(name, None)
        else:
            self.data[name] = value.isoformat()

    @property
    def started(self) -> date | None:
        """When the documents of the current remedy went out."""
        return self.day("started")

    @property
    def remedy(self) -> str:
        return str(self.data.get("remedy", ""))

    @property
    def stopped(self) -> bool:
        return bool(self.data.get("stopped"))

    @stopped.setter
    def stopped(self, value: bool) -> None:
        if value:
            self.data["stopped"] = True
        else:
            self.data.pop("stopped", None)

    @property
    def paid_at_start(self) -> Decimal:
        return Decimal(str(self.data.get("paid_at_start", "0")))

    @property
    def plan(self) -> dict[str, Any] | None:
        plan = self.data.get("plan")
        return plan if isinstance(plan, dict) else None

    @property
    def signed_on(self) -> date | None:
        """The day the plan's agreement was signed, as the user said, else the day both sides
        accepted it through the debtor's link."""
        online = (self.plan or {}).get("agreed_online")
        return self.day("signed") or (date.fromisoformat(online) if isinstance(online, str)
                                      else None)

    @property
    def reminders(self) -> list[dict[str, Any]]:
        found = self.data.get("reminders")
        return found if isinstance(found, list) else []

    def reminder(self, reminder_id: str) -> dict[str, Any] | None:
        return next((r for r in self.reminders if r.get("id") == reminder_id), None)

    def start_remedy(self, remedy: str, today: date, paid: Decimal,
                     plan: dict[str, Any] | None) -> None:
        """The documents of a remedy went out today: what happened under the previous one
        (court dates, a promise) no longer drives the timeline; sent reminders are kept."""
        for name in REMEDY_FACTS:
            self.data.pop(name, None)
        self.data.pop("plan", None)
        if remedy != "formal_demand":
            # A missed instalment is cited by the formal demand that follows it, and only there.
            self.data.pop(MISSED, None)
        self.data["remedy"] = remedy
        self.data["paid_at_start"] = str(paid)
        self.set_day("started", today)
        self.set_day("acted", today)
        if plan is not None:
            self.data["plan"] = plan


def has_followup(case: Case) -> bool:
    return case.followup is not None and "started" in case.followup
