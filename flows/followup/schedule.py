"""Reminders: when each timeline step is pushed, and their life from pending to sent.

A reminder is a stored record (plain JSON in the case's follow-up) for one timeline step:
``{"id", "kind", "day", "at", "status", ...}``. ``at`` is the UTC instant it is due: the step's
day at the user's hour in the user's time zone. Statuses:

- ``pending``: waiting for ``at``;
- ``sent``: delivered, recorded after Telegram took it (kept so that the step is never pushed
  twice; see ``bot.reminders`` for what a crash in between costs);
- ``failed``: Telegram refused it for good (the user blocked the bot);
- ``cancelled``: the user cancelled it from ``/reminders``.

``refresh`` reconciles the records with the timeline after every change: new steps get a
record, pending records follow their step's date unless the user moved them, records whose
step vanished (paid, stopped, closed) are dropped. A step whose time has already passed when it
first appears gets no reminder: only the bot's own downtime may delay a reminder, never a
newly computed past date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from flows.followup.state import FollowUp
from flows.followup.timeline import Step, timeline
from flows.law import tables
from flows.model import Account, Case
from flows.zones import zone_named

DEFAULT_HOUR = time(9, 0)
# Never at night: nothing is pushed between 21:00 and 08:00 in the user's time zone; a
# reminder that falls due then (say, the bot restarted at 3 a.m.) waits for the user's hour.
DAY_STARTS = time(8, 0)
DAY_ENDS = time(21, 0)
LAST_HOUR = time(20, 30)  # the latest hour a user may choose

PENDING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"


# Time of day, time zone ------------------------------------------------------------------------
def user_zone(account: Account, now: datetime) -> tzinfo:
    """The user's own zone, else the bot's (IMPAYES_TZ, the zone ``now`` is expressed in)."""
    name = account.settings.get("tz")
    zone = zone_named(name) if isinstance(name, str) else None
    return zone or now.tzinfo or UTC


def zone_name(account: Account, now: datetime) -> str:
    zone = user_zone(account, now)
    return str(getattr(zone, "key", None) or zone.tzname(now) or "UTC")


def user_hour(account: Account) -> time:
    value = account.settings.get("remind_at")
    if isinstance(value, str):
        try:
            chosen = time.fromisoformat(value)
        except ValueError:
            return DEFAULT_HOUR
        if DAY_STARTS <= chosen <= LAST_HOUR:
            return chosen
    return DEFAULT_HOUR


def planned_day(case: Case, step: Step) -> date:
    """The step's day, off the public holidays of the case's jurisdiction: a warning counting
    down to a deadline comes the working day before (never after the deadline draws nearer),
    anything else the day after."""
    calendar = tables.holidays(case.jurisdiction)
    day = step.day
    earlier = "days" in step.params  # "N days left before ...": a countdown to a deadline
    while calendar.is_holiday(day):
        day += timedelta(days=-1 if earlier else 1)
    return day


def fire_time(day: date, account: Account, now: datetime) -> datetime:
    """The step's day at the user's hour, in the user's zone (daylight saving included)."""
    return datetime.combine(day, user_hour(account), tzinfo=user_zone(account, now))


def is_night(moment: datetime, zone: tzinfo) -> bool:
    local = moment.astimezone(zone).time()
    return not DAY_STARTS <= local < DAY_ENDS


def deliverable_from(moment: datetime, account: Account, now: datetime) -> datetime:
    """``moment``, or the user's hour on the next morning when ``moment`` is at night."""
    zone = user_zone(account, now)
    if not is_night(moment, zone):
        return moment
    local = moment.astimezone(zone)
    day = local.date() if local.time() < DAY_STARTS else local.date() + timedelta(days=1)
    return datetime.combine(day, user_hour(account), tzinfo=zone)


def _instant(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# Reconciling with the timeline -----------------------------------------------------------------
def refresh(account: Account, now: datetime) -> None:
    """Bring every case's reminders in line with its timeline (pure; call after any change)."""
    for case in account.cases:
        if case.followup is not None:
            reconcile(account, case, timeline(case), now)


def reconcile(account: Account, case: Case, steps: list[Step], now: datetime) -> None:
    fu = FollowUp(case)
    acted = fu.data.get("acted", "")
    wanted = {step.id: step for step in steps}
    kept: list[dict[str, Any]] = []
    for record in fu.reminders:
        step = wanted.pop(str(record.get("id")), None)
        status = record.get("status")
        if step is None and status == SENT and str(record.get("sent_on", "")) >= acted:
            kept.append(record)  # unanswered since: counts for asking again
        elif step is None:
            continue  # paid, stopped, closed, or the date it hung on changed
        elif status == PENDING:
            if not record.get("moved"):
                record["at"] = _utc(fire_time(planned_day(case, step), account, now))
            record["day"] = step.day.isoformat()
            kept.append(record)
        else:
            kept.append(record)  # sent or failed: remembered so it is never pushed again
    for step in wanted.values():
        at = fire_time(planned_day(case, step), account, now)
        if at >= now:
            kept.append({"id": step.id, "kind": step.kind.value, "day": step.day.isoformat(),
                         "at": _utc(at), "status": PENDING})
    fu.data["reminders"] = sorted(kept, key=lambda r: str(r.get("at", "")))
    if not fu.data["reminders"]:
        del fu.data["reminders"]


# What is due, and when to wake up ----------------------------------------------------------------
def pending(account: Account) -> list[tuple[Case, dict[str, Any]]]:
    """Every reminder still to send, with its case, earliest first."""
    found = [(case, record) for case in account.cases if case.state != "closed"
             for record in (case.followup or {}).get("reminders", [])
             if record.get("status") == PENDING]
    return sorted(found, key=lambda pair: _instant(pair[1]["at"]))


def due(account: Account, now: datetime) -> list[tuple[Case, dict[str, Any]]]:
    """Reminders to push now: their time has come and it is daytime for the user."""
    if is_night(now, user_zone(account, now)):
        return []
    return [(case, record) for case, record in pending(account)
            if _instant(record["at"]) <= now]


def next_wakeup(account: Account, now: datetime) -> datetime | None:
    """The earliest instant one of this account's reminders may be pushed (never later than
    the truth: the scheduler may wake for nothing, never sleep through a reminder)."""
    times = [deliverable_from(max(_instant(record["at"]), now), account, now)
             for _case, record in pending(account)]
    return min(times) if times else None


def mark_sent(record: dict[str, Any], account: Account, now: datetime) -> None:
    sent_on = now.astimezone(user_zone(account, now)).date().isoformat()
    record.pop("answered", None)
    if record.get("moved") and str(record.get("day", "")) > sent_on:
        # Moved ahead of its step's day from /reminders: an extra, early reminder. The
        # step's own one (a legal deadline, say) still comes on its day.
        record["status"] = PENDING
        record["early_on"] = sent_on
        del record["moved"]
        return
    record["status"] = SENT
    record["sent_at"] = _utc(now)
    record["sent_on"] = sent_on


def mark_failed(record: dict[str, Any], now: datetime, retry_at: datetime | None) -> None:
    """Telegram did not take it: try again at ``retry_at``, or never (None: blocked)."""
    if retry_at is None:
        record["status"] = FAILED
        record["failed_at"] = _utc(now)
    else:
        record["status"] = PENDING
        record["at"] = _utc(retry_at)
        record["moved"] = True


def move(record: dict[str, Any], to: datetime) -> None:
    """The user moved the reminder (``Remind me later``, or from ``/reminders``)."""
    record["status"] = PENDING
    record["at"] = _utc(to)
    record["moved"] = True


def find(account: Account, case_id: str, reminder_id: str) -> tuple[Case, dict[str, Any]] | None:
    case = account.case(case_id)
    if case is None:
        return None
    record = FollowUp(case).reminder(reminder_id) if case.followup is not None else None
    return (case, record) if record is not None else None
