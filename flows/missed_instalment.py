"""A payment plan's missed instalment, as the follow-up recorded it when the user said it was
not paid: what the formal demand that follows cites (the plan, signed or not, the instalment,
its acceleration clause and the notice it requires) and the delay it gives.

Kept in the case's follow-up record (``case.followup["missed"]``) from the missed instalment
until a remedy other than that formal demand starts. Read here, without the follow-up package,
by the law bridge (``flows.law.from_case``: the demand's delay) and the documents.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from flows.model import Case
from flows.money import Money

KEY = "missed"


@dataclass(frozen=True)
class MissedInstalment:
    number: int
    due: date
    amount: Money  # what was left unpaid of it
    count: int  # instalments in the plan
    total: Money  # what the plan spread
    interval: str
    proposed_on: date  # the day the plan's letter and agreement went out
    signed_on: date | None  # the day the agreement was signed; None: no signed copy came back
    online: bool  # agreed through the debtor's link rather than signed on paper
    notice_days: int  # the acceleration clause: days after a formal demand left unanswered
    waived: bool  # the plan waived penalties and indemnity if kept (they now fall due again)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(due=self.due.isoformat(), amount=self.amount.to_json(),
                    total=self.total.to_json(), proposed_on=self.proposed_on.isoformat(),
                    signed_on=self.signed_on.isoformat() if self.signed_on else None)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MissedInstalment:
        signed = data.get("signed_on")
        return cls(number=int(data["number"]), due=date.fromisoformat(data["due"]),
                   amount=Money.from_json(data["amount"]), count=int(data["count"]),
                   total=Money.from_json(data["total"]), interval=str(data["interval"]),
                   proposed_on=date.fromisoformat(data["proposed_on"]),
                   signed_on=date.fromisoformat(signed) if isinstance(signed, str) else None,
                   online=bool(data.get("online")),
                   notice_days=int(data["notice_days"]), waived=bool(data.get("waived")))


def missed_instalment(case: Case) -> MissedInstalment | None:
    data = (case.followup or {}).get(KEY)
    return MissedInstalment.from_json(data) if isinstance(data, dict) else None
