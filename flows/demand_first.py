"""Before any court document the chat asks whether a formal demand was sent, and when.

With a date, that demand is the one the figures count from (``from_case.demand_date``) and the
court documents follow. Without one, the formal demand is drafted first and the chat says why
(``flows.law.before_court``): the court route comes back once its delay has run out. Weeks
before the limitation ends there is no time for a demand: the summons goes first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.i18n import t
from flows.law.before_court import demand_first_reasons
from flows.law.from_case import advice_for, case_facts
from flows.law.messages import Listing, Message
from flows.law.remedy_compare import limitation_close
from flows.law.render import Renderer
from flows.model import Case
from flows.vocabulary import Jurisdiction, Remedy

KEY = "demand_before_court"


def asks(case: Case) -> bool:
    """Court chosen, and no formal demand drawn up by the bot yet (none on record)."""
    return (case.text("remedy") == Remedy.COURT and case.demand is None
            and case.flag("insolvency") is not True)


def on_answer(case: Case, value: Any, today: date, lang: str) -> list[str]:
    """The answer to ``demand_before_court``: a date is kept; "none" turns to the demand."""
    if value != "none":
        return []
    advice = advice_for(case, today)
    facts = case_facts(case)
    if advice is None or facts is None:
        return []
    say = Renderer(lang, Jurisdiction(case.jurisdiction))
    if limitation_close(advice.rights, today):
        return [t(lang, "before_court.no_time", last_day=say.value(advice.rights.limitation_date))]
    # Asked again if the user comes back to the court route before a demand is on record.
    case.answers.pop(KEY, None)
    case.answers["remedy"] = Remedy.FORMAL_DEMAND.value
    case.answers.pop("review", None)
    reasons = demand_first_reasons(facts, advice.rights, today)
    return [say(Message.of("law.before_court.demand_first", reasons=Listing(reasons)))]
