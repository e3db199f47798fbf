"""Before any court document, and before a notice suspending the services, the chat asks
whether a formal demand was sent, and when.

With a date, that demand is the one the figures count from (``from_case.demand_date``) and the
documents follow (the suspension notice names it). Without one, the formal demand is drafted
first and the chat says why (``flows.law.before_court``): the court route, or the suspension,
comes back once its delay has run out (``THEN``). Weeks before the limitation ends there is no
time for a demand: the summons goes first.

A suspension comes after a formal demand left unanswered: the demand, by registered letter,
proves good faith and warns that the services will be suspended (the seed on suspension of
services; France C. civ. 1219-1220 and 1344, Belgium the exception of non-performance of the
Civil Code's Book 5, Quebec C.c.Q. 1591 and 1594-1595), and a judge checks that the suspension
was proportionate.
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
# The remedy the formal demand drafted first was for: it comes back after the demand's delay
# (``flows.followup.actions.next_remedy``).
THEN = "demand_then"
_NEEDS_DEMAND = (Remedy.COURT, Remedy.SUSPENSION)


def asks(case: Case) -> bool:
    """Court or suspension chosen, and no formal demand drawn up by the bot yet."""
    return (case.text("remedy") in _NEEDS_DEMAND and case.demand is None
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
    wanted = case.text("remedy")
    if wanted == Remedy.COURT and limitation_close(advice.rights, today):
        return [t(lang, "before_court.no_time", last_day=say.value(advice.rights.limitation_date))]
    # Asked again if the user comes back to the court route before a demand is on record.
    case.answers.pop(KEY, None)
    case.answers["remedy"] = Remedy.FORMAL_DEMAND.value
    case.answers[THEN] = wanted
    case.answers.pop("review", None)
    if wanted == Remedy.SUSPENSION:
        return [say(Message.of("law.before_suspension.demand_first",
                               ground=Message.of(f"law.before_suspension.{case.jurisdiction}")))]
    reasons = demand_first_reasons(facts, advice.rights, today)
    return [say(Message.of("law.before_court.demand_first", reasons=Listing(reasons)))]
