"""The "your rights" and "what to do" messages of the journey."""

from __future__ import annotations

from datetime import date

from flows import formatting
from flows.i18n import t
from flows.model import Case
from flows.recommend import ranked_remedies


def rights_message(case: Case, lang: str, today: date) -> str:
    lines = [t(lang, "rights.title")]
    lines.append(t(lang, "rights.balance",
                   balance=formatting.money(case.total_balance(), lang, case.jurisdiction)))
    due = case.day("due_date")
    if due is not None:
        late = (today - due).days
        if late > 0:
            lines.append(t(lang, "rights.late", days=late, due=formatting.day(due, lang)))
        else:
            lines.append(t(lang, "rights.not_yet_due", due=formatting.day(due, lang)))
    return "\n".join(lines)


def recommendation_message(case: Case, lang: str, today: date) -> str:
    best = ranked_remedies(case)[0]
    return t(lang, "recommend.best", remedy=t(lang, f"remedy.{best}"))
