"""What the follow-up does when the user answers: a reminder's button, or the journey's
``outcome`` question (the same actions, so both paths behave alike).

``apply`` changes only the follow-up record and the payments, and says what the journey must do
next (close the case, move to the next remedy, ask a question); the journey owns the state
machine and does it. That keeps this module free of the machine and the journey free of the
follow-up's details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flows import formatting
from flows.debtor.record import DebtorSide
from flows.demand_first import THEN
from flows.followup import legal
from flows.followup.messages import after_payment, debtor, find_step
from flows.followup.plan import record_payment
from flows.followup.schedule import fire_time, move, user_zone
from flows.followup.state import FollowUp
from flows.followup.timeline import ACTIONS, UNSIGNED_AGAIN, Step, StepKind
from flows.i18n import t
from flows.law.from_case import ACCELERATION_NOTICE_DAYS
from flows.missed_instalment import KEY as MISSED
from flows.missed_instalment import MissedInstalment
from flows.model import Account, Case
from flows.money import Money
from flows.vocabulary import Remedy

# What "Still unpaid → next step" opens after each remedy: the usual escalation.
LADDER: dict[str, str] = {
    Remedy.FRIENDLY_REMINDER: Remedy.FORMAL_DEMAND,
    Remedy.PAYMENT_PLAN: Remedy.FORMAL_DEMAND,  # acceleration: demand the whole balance
    # A formal demand came before the suspension (flows.demand_first): the court is next.
    Remedy.SUSPENSION: Remedy.COURT,
    Remedy.RETENTION_OF_TITLE: Remedy.FORMAL_DEMAND,
    Remedy.FORMAL_DEMAND: Remedy.COURT,
    Remedy.COLLECTION_AGENCY: Remedy.COURT,
}
# Follow-up questions (declared in flows.questions) and the action that asks each.
ASKS = {"promised": "promise_date", "granted": "granted_date", "served": "served_date",
        "abandon": "abandon_confirm", "partly": "partial_payment", "signed": "plan_signed_date"}
QUESTION_KEYS = ("promise_date", "granted_date", "served_date", "abandon_confirm",
                 "plan_signed_date")
# Facts recorded as of today by a single tap.
TODAY_FACTS = ("enforced", "opposed", "declared", "revendicated")
SNOOZE = {"tomorrow": timedelta(days=1), "week": timedelta(days=7), "later": timedelta(days=7),
          "month": timedelta(days=30)}


@dataclass
class Outcome:
    """What the journey should do after the follow-up handled an action."""

    messages: list[str] = field(default_factory=list)
    close: str | None = None  # "paid" or "abandoned"
    escalate: bool = False  # still unpaid: leave the follow-up for the next remedy
    next_remedy: str | None = None  # with escalate: the remedy to open (None: let the user pick)
    ask: str | None = None  # a follow-up question now waits for an answer


def local_today(account: Account, now: datetime) -> date:
    return now.astimezone(user_zone(account, now)).date()


def reminder_actions(case: Case, reminder_id: str) -> tuple[str, ...]:
    """The buttons still valid under a reminder already pushed (none once it was answered)."""
    record = FollowUp.read(case).reminder(reminder_id)
    if record is None or record.get("answered"):
        return ()
    step = find_step(case, reminder_id)
    if step is not None:
        return step.actions
    try:  # its step has moved on since (an "asked again" step is replaced by the next one)
        return ACTIONS[StepKind(str(record.get("kind")))]
    except ValueError:
        return ()


def outcome_choices(case: Case) -> tuple[str, ...]:
    """What the user may report about the case: the usual answers, plus whatever its current
    step allows (the order was granted or served, the claim was sent…), and giving up."""
    fu = FollowUp.read(case)
    extra: list[str] = []
    if fu.remedy == Remedy.COURT and case.jurisdiction == "fr":
        if fu.day("granted") is None:
            extra += ["granted", "rejected"]
        elif fu.day("served") is None:
            extra.append("served")
        elif fu.day("enforced") is None and fu.day("opposed") is None:
            extra += ["enforced", "opposed"]
    if case.flag("insolvency") is True and fu.day("declared") is None:
        extra.append("declared")
    if case.flag("insolvency") is True and case.flag("rot_goods") is True \
            and fu.day("revendicated") is None:
        extra.append("revendicated")
    return (*extra, "paid", "partly", "unpaid", "promised", "later", "abandon")


def contest_unanswered(case: Case) -> bool:
    """The debtor contested from their page and no letter has answered it since: the next step
    is the reply letter the recommendation puts first, not the next rung (a court)."""
    kinds = [(e.get("kind"), (e.get("params") or {}).get("remedy")) for e in case.events]
    contested = [i for i, (kind, _) in enumerate(kinds) if kind == "debtor_contested"]
    if not contested:
        return False
    return not any(kind == "documents" and remedy == Remedy.FORMAL_DEMAND
                   for kind, remedy in kinds[contested[-1]:])


def next_remedy(case: Case, step_kind: str | None = None) -> str | None:
    """The remedy "Still unpaid → next step" opens; None when the user must choose."""
    if case.flag("insolvency") is True:
        return None  # collective proceedings: the proof of claim is the route, nothing else
    if step_kind == StepKind.LIMITATION:
        return Remedy.COURT  # only a court claim stops the clock (C. civ. 2241)
    if contest_unanswered(case):
        return None  # the recommendation starts with the reply letter: the user picks from it
    current = FollowUp.read(case).remedy or case.text("remedy")
    if current == Remedy.FORMAL_DEMAND and case.text(THEN) == Remedy.SUSPENSION:
        return Remedy.SUSPENSION  # the demand was drafted first for it: now the notice
    return LADDER.get(current)


def apply(account: Account, case: Case, action: str, reminder_id: str | None,
          now: datetime) -> Outcome:
    """Carry out ``action`` on the case (pressed under reminder ``reminder_id``, if any)."""
    lang = account.lang
    fu = FollowUp(case)
    today = local_today(account, now)
    record = fu.reminder(reminder_id) if reminder_id else None
    step = find_step(case, reminder_id) if reminder_id else None
    if record is not None:
        record["answered"] = action
    out = Outcome()
    if action in SNOOZE:
        # Not an answer: the step stays open, so an unanswered step is still asked again.
        when = fire_time(today + SNOOZE[action], account, now)
        if record is not None:
            move(record, when)
        else:
            fu.set_day("later", when.date())
        key = "fu.done.tomorrow" if action == "tomorrow" else "fu.done.later"
        out.messages.append(t(lang, key, when=formatting.day(when.date(), lang)))
        return out
    fu.set_day("acted", today)
    if action == "stop":
        fu.stopped = True
        out.messages.append(t(lang, "fu.done.stop", debtor=debtor(case, lang)))
    elif action == "paid":
        _paid(case, lang, step, now, today, out)
    elif action == "unsigned":
        fu.set_day("unsigned", today)  # asked again a week later (flows.followup.timeline)
        out.messages.append(t(lang, "fu.done.unsigned", debtor=debtor(case, lang),
                              again=formatting.day(today + UNSIGNED_AGAIN, lang)))
    elif action == "unpaid":
        out.escalate = True
        kind = step.kind if step else (record or {}).get("kind")
        out.next_remedy = next_remedy(case, str(kind) if kind else None)
        if step is not None and step.kind is StepKind.INSTALMENT:
            missed = record_missed(fu, step)
            balance = formatting.money(case.total_balance(), lang, case.jurisdiction)
            if missed.signed_on is not None:
                out.messages.append(t(lang, "fu.done.acceleration", number=missed.number,
                                      days=missed.notice_days, balance=balance))
            else:  # no signed copy: the acceleration clause cannot be relied on
                out.messages.append(t(lang, "fu.done.acceleration_unsigned",
                                      number=missed.number, days=missed.notice_days,
                                      balance=balance, debtor=debtor(case, lang)))
    elif action == "rejected":
        out.escalate = True
        out.messages.append(t(lang, "fu.done.rejected"))
    elif action in ASKS:
        out.ask = ASKS[action]
    elif action in TODAY_FACTS:
        fu.set_day(action, today)
        out.messages.append(t(lang, f"fu.done.{action}", debtor=debtor(case, lang),
                              when=formatting.day(today, lang)))
    return out


def agreed_online(case: Case) -> date | None:
    """The day this very plan was agreed through the debtor's link (the later of the two
    acceptances, flows.debtor.answers): an agreement as binding as the signed copy."""
    agreed = DebtorSide.read(case).agreed
    if agreed is None:
        return None
    wanted = (case.text("plan_count"), case.text("plan_first_date"), case.text("plan_interval"))
    if tuple(str(agreed.get(k)) for k in ("count", "first", "interval")) != wanted:
        return None
    accepted = [datetime.fromisoformat(str(at)) for at in agreed.get("accepted", {}).values()]
    return max(accepted).date() if len(accepted) == 2 else None


def record_missed(fu: FollowUp, step: Step) -> MissedInstalment:
    """Keep what the formal demand after a missed instalment cites: the plan (signed or not),
    the instalment, and the notice its acceleration clause requires."""
    plan = fu.plan or {}
    missed = MissedInstalment(
        number=int(step.params["number"]), due=step.params["due"], amount=step.params["amount"],
        count=int(plan.get("count", step.params["count"])),
        total=Money.from_json(plan["total"]) if "total" in plan else step.params["amount"],
        interval=str(plan.get("interval", "monthly")),
        proposed_on=fu.started or step.params["due"], signed_on=fu.signed_on,
        online="agreed_online" in plan and fu.day("signed") is None,
        notice_days=int(plan.get("notice_days", ACCELERATION_NOTICE_DAYS)),
        waived=bool(plan.get("waived")))
    fu.data[MISSED] = missed.to_json()
    return missed


def _paid(case: Case, lang: str, step: Any, now: datetime, today: date, out: Outcome) -> None:
    if step is not None and step.kind is StepKind.INSTALMENT:
        left: Money = step.params["amount"]
        record_payment(case, left, today)
        case.log(now, "payment", amount=str(left.amount), instalment=step.params["number"])
        if case.total_balance().amount > 0:
            out.messages.append(t(lang, "fu.done.instalment_paid", number=step.params["number"],
                                  balance=formatting.money(case.total_balance(), lang,
                                                           case.jurisdiction)))
            out.messages += after_payment(case, lang, today)
            return
    else:
        record_payment(case, case.total_balance(), today)
    out.close = "paid"


def on_answer(account: Account, case: Case, key: str, value: Any, now: datetime) -> Outcome:
    """The user answered a follow-up question (a date, a confirmation)."""
    lang = account.lang
    fu = FollowUp(case)
    today = local_today(account, now)
    out = Outcome()
    if key == "abandon_confirm":
        if value is True:
            out.close = "abandoned"
        else:
            out.messages.append(t(lang, "fu.done.kept_open"))
        return out
    day = today if value == "today" else date.fromisoformat(str(value))
    shown = formatting.day(day, lang, case.jurisdiction)
    if key == "plan_signed_date":
        fu.set_day("signed", day)
        fu.set_day("unsigned", None)
        out.messages.append(t(lang, "fu.done.signed", debtor=debtor(case, lang), signed=shown))
    elif key == "promise_date":
        fu.set_day("promise", day)
        out.messages.append(t(lang, "fu.done.promised", debtor=debtor(case, lang), promised=shown,
                              check=formatting.day(day + timedelta(days=1), lang)))
    elif key == "granted_date":
        fu.set_day("granted", day)
        lapse = legal.order_service_deadline(case, day)
        out.messages.append(t(lang, "fu.done.granted", granted=shown, article=_article(lapse),
                              last_day=_day(lapse, lang)))
    elif key == "served_date":
        fu.set_day("served", day)
        opposition = legal.opposition_deadline(case, day)
        out.messages.append(t(lang, "fu.done.served", debtor=debtor(case, lang), served=shown,
                              article=_article(opposition), last_day=_day(opposition, lang)))
    return out


def _article(deadline: legal.LegalDeadline | None) -> str:
    return deadline.article if deadline else ""


def _day(deadline: legal.LegalDeadline | None, lang: str) -> str:
    return formatting.day(deadline.last_day, lang) if deadline else "—"


def start_remedy(case: Case, now: datetime) -> None:
    """The documents of the chosen remedy went out: the follow-up of that remedy starts."""
    fu = FollowUp(case)
    remedy = case.text("remedy")
    plan = None
    if remedy == Remedy.PAYMENT_PLAN and case.answered("plan_first_date"):
        plan = {"count": int(case.text("plan_count", "3") or "3"),
                "first": case.text("plan_first_date"),
                "interval": case.text("plan_interval", "monthly"),
                "total": case.total_balance().to_json(),
                # What the agreement says, for the letter if an instalment is missed.
                "notice_days": ACCELERATION_NOTICE_DAYS,
                "waived": case.flag("plan_waive") is True}
        online = agreed_online(case)
        if online is not None:  # accepted by both sides through the debtor's link
            plan["agreed_online"] = online.isoformat()
    paid = sum((i.paid.amount for i in case.invoices()), start=Money.zero().amount)
    if remedy == case.text(THEN):
        case.answers.pop(THEN)  # the remedy the demand was drafted first for is under way
    fu.start_remedy(remedy, now.date(), paid, plan)
    fu.stopped = False
