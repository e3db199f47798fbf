"""What a case keeps about its debtor's side, as plain JSON in ``case.debtor``.

Kept minimal, and erased with the case: the link's token, the debtor's chat and language
(to answer them), what the bot waits for them to type, and their answers — a plan being
discussed, the plan agreed, the acknowledgement (the name typed and when), the dispute.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flows.model import Case


class DebtorSide:
    """A typed view over one case's debtor record (changes write straight through)."""

    def __init__(self, case: Case) -> None:
        if case.debtor is None:
            case.debtor = {}
        self.case = case
        self.data: dict[str, Any] = case.debtor

    @classmethod
    def read(cls, case: Case) -> DebtorSide:
        """A view for reading only: a case without a debtor record is left untouched."""
        if case.debtor is not None:
            return cls(case)
        view = cls.__new__(cls)
        view.case, view.data = case, {}
        return view

    def _text(self, name: str) -> str:
        value = self.data.get(name)
        return value if isinstance(value, str) else ""

    def _record(self, name: str) -> dict[str, Any] | None:
        value = self.data.get(name)
        return value if isinstance(value, dict) else None

    @property
    def token(self) -> str:
        return self._text("token")

    @property
    def chat(self) -> str:
        """The debtor's Telegram chat, once they opened the link there ('' otherwise)."""
        return self._text("chat")

    @property
    def lang(self) -> str:
        return self._text("lang")

    @property
    def awaiting(self) -> str:
        """What the bot waits for the debtor to type: ``ack_name``, ``contest_text`` or ''."""
        return self._text("awaiting")

    @awaiting.setter
    def awaiting(self, value: str) -> None:
        if value:
            self.data["awaiting"] = value
        else:
            self.data.pop("awaiting", None)

    @property
    def proposal(self) -> dict[str, Any] | None:
        """The plan under discussion: ``count``, ``first``, ``interval``, ``by`` (the side that
        proposed it), ``at``, and each side's ``accepted`` time."""
        return self._record("proposal")

    @property
    def agreed(self) -> dict[str, Any] | None:
        """The plan both sides accepted, with both acceptances' times."""
        return self._record("agreed")

    @property
    def acknowledgement(self) -> dict[str, Any] | None:
        """``{"name": typed full name, "at": ISO time, "on": ISO date}``."""
        return self._record("acknowledgement")

    @property
    def acknowledged_on(self) -> date | None:
        found = self.acknowledgement
        return date.fromisoformat(str(found["on"])) if found else None

    @property
    def dispute(self) -> dict[str, Any] | None:
        """``{"reason": code, "text": the debtor's words, "at": ISO time}``."""
        return self._record("dispute")

    def remember_chat(self, chat: str, lang: str) -> None:
        self.data["chat"] = chat
        self.data["lang"] = lang

    def put(self, name: str, value: dict[str, Any] | None) -> None:
        if value is None:
            self.data.pop(name, None)
        else:
            self.data[name] = value


def stamp(now: datetime) -> str:
    """A time as kept in the record: to the second, with its offset."""
    return now.replace(microsecond=0).isoformat()
