"""The timeline of a case: every dated next step, computed from the case and what happened.

Nothing here is stored: the timeline is recomputed from the answers, the follow-up facts
(``flows.followup.state``) and the law (``flows.followup.legal``) whenever it is needed, so a
corrected date or a new payment moves every step that depends on it. Reminders are then
reconciled against it (``flows.followup.schedule``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from flows.followup import legal
from flows.followup.plan import covered, instalments, total_paid
from flows.followup.state import FollowUp, has_followup
from flows.law import from_case
from flows.law.dates import add_months
from flows.model import Case
from flows.money import Money
from flows.vocabulary import Remedy

# Product cadences (not law): how long to wait before asking again.
FRIENDLY_EVERY = timedelta(days=7)  # one friendly reminder a week, three at most, then a demand
CHECK_AFTER = timedelta(days=14)  # suspension, recovery of goods, agency: any news?
COURT_CHECK_AFTER = timedelta(days=30)  # courts usually rule on an order for payment within weeks
SUMMONS_CHECK_AFTER = timedelta(days=7)  # weeks from limitation: served or signed yet?
SERVE_NUDGE_AFTER = timedelta(days=7)
AFTER_ENFORCEMENT = timedelta(days=30)
RESUME_AFTER = timedelta(days=3)  # the next step was started but not finished
AGAIN_EVERY = timedelta(days=7)  # a reminder left unanswered is asked again…
AGAIN_MAX = 3  # …three times, then the case waits for the user (or a legal deadline)
SIGNED_CHECK_AFTER = timedelta(days=7)  # has the plan's agreement come back signed?
UNSIGNED_AGAIN = timedelta(days=7)  # not yet: asked again a week later
LIMITATION_WARNINGS = (60, 14)  # days before the limitation expiry
DEADLINE_WARNINGS = (14, 3)  # days before an insolvency deadline
SERVICE_WARNINGS = (30, 7)  # days before an order for payment lapses unserved


class StepKind(StrEnum):
    FRIENDLY_NEXT = "friendly_next"  # send the next, firmer friendly reminder
    ESCALATE = "escalate"  # friendly reminders done: time for the formal demand
    DEMAND_ENDED = "demand_ended"  # the deadline given in the formal demand is over
    INSTALMENT = "instalment"  # an instalment of the payment plan was due
    PLAN_SIGNED = "plan_signed"  # has the plan's agreement come back signed?
    COURT_CHECK = "court_check"  # has the judge ruled on the order for payment?
    SERVE = "serve"  # have the order served by a commissaire de justice
    SERVICE_LAPSES = "service_lapses"  # the order lapses if not served by its last day
    OPPOSITION_ENDED = "opposition_ended"  # no opposition: the order can be enforced
    AFTER_ENFORCEMENT = "after_enforcement"  # the commissaire de justice is enforcing: news?
    CLAIM_DUE = "claim_due"  # the proof of claim must be sent by its last day
    RELIEF = "relief"  # the proof of claim is late: relief from foreclosure is still possible
    REVENDICATION_DUE = "revendication_due"  # claim the goods back by the last day
    REVENDICATION_ANSWER = "revendication_answer"  # no acceptance: apply to the juge-commissaire
    CHECK = "check"  # any news?
    LIMITATION = "limitation"  # the claim will be time-barred: act before
    PROMISE_CHECK = "promise_check"  # the promised payment date has passed: did it come?
    AGAIN = "again"  # the last reminder got no answer: asking again
    RESUME = "resume"  # the next step was started but not finished


# Short codes for reminder ids: an id travels in Telegram's 64-byte callback data.
_CODES = {
    StepKind.FRIENDLY_NEXT: "fr", StepKind.ESCALATE: "esc", StepKind.DEMAND_ENDED: "dem",
    StepKind.INSTALMENT: "inst", StepKind.PLAN_SIGNED: "sign", StepKind.COURT_CHECK: "crt",
    StepKind.SERVE: "srv",
    StepKind.SERVICE_LAPSES: "lapse", StepKind.OPPOSITION_ENDED: "opp",
    StepKind.AFTER_ENFORCEMENT: "enf", StepKind.CLAIM_DUE: "claim", StepKind.RELIEF: "relief",
    StepKind.REVENDICATION_DUE: "rev", StepKind.REVENDICATION_ANSWER: "reva",
    StepKind.CHECK: "chk", StepKind.LIMITATION: "lim", StepKind.PROMISE_CHECK: "prom",
    StepKind.AGAIN: "again", StepKind.RESUME: "res",
}

# The buttons each kind of step offers. "stop" is on every one: one tap silences the case.
PAYMENT = ("paid", "partly", "unpaid", "promised", "tomorrow", "week", "stop")
ACTIONS: dict[StepKind, tuple[str, ...]] = {
    StepKind.FRIENDLY_NEXT: PAYMENT,
    StepKind.ESCALATE: PAYMENT,
    StepKind.DEMAND_ENDED: PAYMENT,
    StepKind.INSTALMENT: PAYMENT,
    StepKind.PLAN_SIGNED: ("signed", "unsigned", "stop"),
    StepKind.CHECK: PAYMENT,
    StepKind.PROMISE_CHECK: PAYMENT,
    StepKind.AGAIN: PAYMENT,
    StepKind.AFTER_ENFORCEMENT: ("paid", "partly", "week", "stop"),
    StepKind.COURT_CHECK: ("granted", "rejected", "paid", "week", "stop"),
    StepKind.SERVE: ("served", "paid", "week", "stop"),
    StepKind.SERVICE_LAPSES: ("served", "paid", "tomorrow", "stop"),
    StepKind.OPPOSITION_ENDED: ("enforced", "opposed", "paid", "partly", "week", "stop"),
    StepKind.CLAIM_DUE: ("declared", "tomorrow", "stop"),
    StepKind.RELIEF: ("declared", "week", "stop"),
    StepKind.REVENDICATION_DUE: ("revendicated", "tomorrow", "stop"),
    StepKind.REVENDICATION_ANSWER: ("paid", "week", "stop"),
    StepKind.LIMITATION: ("unpaid", "paid", "partly", "week", "stop"),
    StepKind.RESUME: ("resume", "week", "stop"),
}
# Legal deadlines: a promise to pay pauses every other reminder of the case, never these.
DEADLINES = frozenset({StepKind.SERVICE_LAPSES, StepKind.CLAIM_DUE, StepKind.RELIEF,
                       StepKind.REVENDICATION_DUE, StepKind.REVENDICATION_ANSWER,
                       StepKind.LIMITATION})


@dataclass(frozen=True)
class Step:
    """One entry of the timeline: the day to act, what kind of step, what to show and offer."""

    id: str
    day: date
    kind: StepKind
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    article: str = ""

    @property
    def actions(self) -> tuple[str, ...]:
        return ACTIONS[self.kind]

    @property
    def deadline(self) -> bool:
        return self.kind in DEADLINES


def _step(kind: StepKind, day: date, suffix: str = "", article: str = "",
          **params: Any) -> Step:
    return Step(f"{_CODES[kind]}{suffix}-{day:%Y%m%d}", day, kind, params, article)


def timeline(case: Case) -> list[Step]:
    """Every next step of an open case whose documents went out, earliest first."""
    if case.state == "closed" or not has_followup(case):
        return []
    fu = FollowUp(case)
    if fu.stopped or fu.started is None:
        return []
    steps: list[Step] = []
    if case.state == "followup":
        steps += _remedy_steps(case, fu, fu.started)
        later = fu.day("later")  # "remind me later" said outside a reminder
        if later is not None:
            steps.append(_step(StepKind.CHECK, later, "L"))
    else:  # the user went back to prepare the next remedy and has not finished
        steps.append(_step(StepKind.RESUME, (fu.day("acted") or fu.started) + RESUME_AFTER))
    steps += _insolvency_steps(case, fu)
    steps += _limitation_steps(case, fu)
    promise = fu.day("promise")
    if promise is not None:
        steps = [s for s in steps if s.deadline or s.day > promise]
        steps.append(_step(StepKind.PROMISE_CHECK, promise + timedelta(days=1), promised=promise))
    steps += _asked_again(fu, steps)
    return sorted(steps, key=lambda s: (s.day, s.id))


def next_step(case: Case, today: date) -> Step | None:
    """The first step on or after ``today`` (for ``/cases`` and the waiting message)."""
    return next((s for s in timeline(case) if s.day >= today), None)


# Per remedy --------------------------------------------------------------------------------
def _remedy_steps(case: Case, fu: FollowUp, started: date) -> list[Step]:
    remedy = fu.remedy
    due_ahead = legal.first_due_ahead(case, started)
    if remedy == Remedy.FRIENDLY_REMINDER and due_ahead is not None:
        # A courtesy reminder before the due date: the next check is the day after it.
        return [_step(StepKind.CHECK, due_ahead + timedelta(days=1))]
    if remedy == Remedy.FRIENDLY_REMINDER:
        return _friendly_steps(case, started)
    if remedy == Remedy.FORMAL_DEMAND:
        end = from_case.demand_deadline(case, started)
        return [_step(StepKind.DEMAND_ENDED, end + timedelta(days=1), deadline=end)]
    if remedy == Remedy.PAYMENT_PLAN:
        return _plan_steps(case, fu)
    if remedy == Remedy.COURT and legal.limitation_close(case, started):
        # A summons to serve or an acknowledgement to sign before the limitation ends: no
        # order for payment to wait for.
        return [_step(StepKind.CHECK, started + SUMMONS_CHECK_AFTER)]
    if remedy == Remedy.COURT and case.jurisdiction == "fr":
        return _order_for_payment_steps(case, fu, started)
    if remedy == Remedy.COURT:
        return [_step(StepKind.CHECK, started + COURT_CHECK_AFTER)]
    if remedy == Remedy.INSOLVENCY_CLAIM:
        return []  # the insolvency deadlines are the whole timeline
    return [_step(StepKind.CHECK, started + CHECK_AFTER)]


def _friendly_steps(case: Case, started: date) -> list[Step]:
    """Three friendly reminders a week apart (counting those sent before the case was opened),
    then the formal demand."""
    sent = min(int(case.text("reminders_sent", "0") or "0") + 1, 3)
    steps = []
    day = started
    for number in range(sent + 1, 4):
        day += FRIENDLY_EVERY
        steps.append(_step(StepKind.FRIENDLY_NEXT, day, str(number), number=number))
    steps.append(_step(StepKind.ESCALATE, day + FRIENDLY_EVERY))
    return steps


def plan_instalments(case: Case, fu: FollowUp) -> list[tuple[int, date, Money, Money]]:
    """Each instalment as (number, due date, amount, still unpaid)."""
    plan = fu.plan
    if plan is None:
        return []
    total = Money.from_json(plan["total"])
    items = instalments(total, int(plan["count"]), date.fromisoformat(plan["first"]),
                        str(plan["interval"]))
    paid_since = total_paid(case).amount - fu.paid_at_start
    cover = covered(items, paid_since)
    return [(i.number, i.due, i.amount, Money(i.amount.amount - cover[i.number], total.currency))
            for i in items]


def _plan_steps(case: Case, fu: FollowUp) -> list[Step]:
    """Each instalment not yet paid, the day after it was due: has it arrived? And until the
    agreement came back signed, a week after it went out (by the first instalment at the
    latest), then every week: has it?"""
    rows = plan_instalments(case, fu)
    steps = [_step(StepKind.INSTALMENT, due + timedelta(days=1), str(number), number=number,
                   count=len(rows), due=due, amount=left)
             for number, due, _amount, left in rows if left.amount > 0]
    started = fu.started
    if steps and started is not None and fu.signed_on is None:
        unsigned = fu.day("unsigned")
        first_due = rows[0][1]
        day = (unsigned + UNSIGNED_AGAIN if unsigned is not None
               else min(started + SIGNED_CHECK_AFTER, max(first_due, started)))
        steps.append(_step(StepKind.PLAN_SIGNED, day, proposed=started))
    return steps


def _order_for_payment_steps(case: Case, fu: FollowUp, started: date) -> list[Step]:
    """France, injonction de payer: ruling, service within 6 months (CPC 1411), opposition
    within 1 month of service (CPC 1416), then enforcement. Since 1 March 2022 the order is
    issued already bearing the enforcement formula (décret 2021-1322): no separate request."""
    granted, served = fu.day("granted"), fu.day("served")
    if granted is None:
        return [_step(StepKind.COURT_CHECK, started + COURT_CHECK_AFTER)]
    if served is None:
        lapse = legal.order_service_deadline(case, granted)
        if lapse is None:
            return []
        steps = [_step(StepKind.SERVE, granted + SERVE_NUDGE_AFTER, last_day=lapse.last_day,
                       article=lapse.article)]
        steps += [_step(StepKind.SERVICE_LAPSES, lapse.last_day - timedelta(days=n), str(n),
                        lapse.article, last_day=lapse.last_day, days=n)
                  for n in SERVICE_WARNINGS]
        return steps
    enforced = fu.day("enforced") or fu.day("opposed")
    if enforced is not None:
        return [_step(StepKind.AFTER_ENFORCEMENT, enforced + AFTER_ENFORCEMENT)]
    opposition = legal.opposition_deadline(case, served)
    if opposition is None:
        return []
    # An opposition period ending on a weekend or holiday runs to the next working day (642).
    enforceable = opposition.ends + timedelta(days=1)
    increase = legal.legal_rate_increase(case, enforceable)
    if increase is None:
        return []
    rise, points = increase
    return [_step(StepKind.OPPOSITION_ENDED, enforceable, article=opposition.article,
                  last_day=opposition.ends, rise_on=rise.last_day, points=points,
                  rise_article=rise.article)]


def _insolvency_steps(case: Case, fu: FollowUp) -> list[Step]:
    if case.flag("insolvency") is not True:
        return []
    steps: list[Step] = []
    claim = legal.proof_of_claim_deadline(case)
    if claim is not None and fu.day("declared") is None:
        steps += [_step(StepKind.CLAIM_DUE, claim.last_day - timedelta(days=n), str(n),
                        claim.article, last_day=claim.last_day, days=n)
                  for n in DEADLINE_WARNINGS]
        relief = legal.relief_deadline(case)
        if relief is not None:
            steps.append(_step(StepKind.RELIEF, claim.ends + timedelta(days=1),
                               article=relief.article, last_day=relief.last_day))
    if case.flag("rot_goods") is True:
        sent = fu.day("revendicated")
        revendication = legal.revendication_deadline(case)
        if sent is None and revendication is not None:
            steps += [_step(StepKind.REVENDICATION_DUE,
                            revendication.last_day - timedelta(days=n), str(n),
                            revendication.article, last_day=revendication.last_day, days=n)
                      for n in DEADLINE_WARNINGS]
        if sent is not None:
            answer = legal.revendication_answer_deadline(case, sent)
            if answer is not None:
                day = add_months(sent, 1) + timedelta(days=1)
                steps.append(_step(StepKind.REVENDICATION_ANSWER, day, article=answer.article,
                                   last_day=answer.last_day))
    return steps


def _limitation_steps(case: Case, fu: FollowUp) -> list[Step]:
    """60 and 14 days before the claim is time-barred. Service of an order for payment
    interrupts limitation (it counts as a court claim, C. civ. 2241): no warning after it."""
    if fu.day("served") is not None:
        return []
    limitation = legal.limitation_deadline(case)
    if limitation is None:
        return []
    return [_step(StepKind.LIMITATION, limitation.last_day - timedelta(days=n), str(n),
                  limitation.article, last_day=limitation.last_day, days=n)
            for n in LIMITATION_WARNINGS]


def _asked_again(fu: FollowUp, steps: list[Step]) -> list[Step]:
    """A reminder that got no answer is asked again a week later, at most AGAIN_MAX times."""
    acted = fu.day("acted")
    sent = sorted((r for r in fu.reminders if r.get("status") == "sent" and r.get("sent_on")
                   and r.get("kind") not in {k.value for k in DEADLINES}),
                  key=lambda r: str(r["sent_on"]))
    if not sent:
        return []
    last = date.fromisoformat(str(sent[-1]["sent_on"]))
    if acted is not None and acted >= last:
        return []
    if any(not s.deadline and s.day > last for s in steps):
        return []  # something else is already coming
    unanswered = [r for r in sent if acted is None or date.fromisoformat(str(r["sent_on"]))
                  > acted]
    if sum(1 for r in unanswered if r.get("kind") == StepKind.AGAIN) >= AGAIN_MAX:
        return []
    return [_step(StepKind.AGAIN, last + AGAIN_EVERY)]
