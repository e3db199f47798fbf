"""``/reminders``: every upcoming reminder per case, to move or cancel; the reminder hour and
time zone; the timeline as a calendar file; reminders of a stopped case turned back on."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flows import formatting
from flows.answers import Kind, Question, read_answer
from flows.conversation import Button, Prompt, Reply
from flows.followup.actions import SNOOZE, local_today
from flows.followup.ics import calendar_job
from flows.followup.messages import debtor, find_step, step_title
from flows.followup.schedule import (
    CANCELLED,
    DAY_STARTS,
    LAST_HOUR,
    fire_time,
    move,
    pending,
    user_hour,
    user_zone,
    zone_name,
)
from flows.followup.state import FollowUp, has_followup
from flows.followup.timeline import timeline
from flows.i18n import t
from flows.model import Account, Asking, Case
from flows.parsing import ParseError

MENU_KEY = "rm"
NO_CASE = ""  # the menu is about every case, not one (an empty case id, like /cases)
HOURS = ("08:00", "09:00", "10:00", "12:00", "14:00", "17:00", "19:00")
ZONES = {"paris": "Europe/Paris", "brussels": "Europe/Brussels", "quebec": "America/Toronto"}
MAX_BUTTONS = 10


def _within_reminder_hours(value: Any, _today: date) -> None:
    if not DAY_STARTS <= time.fromisoformat(value) <= LAST_HOUR:
        raise ParseError("error.hour")


def _today_or_later(value: Any, today: date) -> None:
    if date.fromisoformat(value) < today:
        raise ParseError("error.date_past")


# Side questions (waited for in ``Account.asking``) the menu asks when a button is not enough,
# read and checked by the one answer engine (``flows.answers.read_answer``).
REMIND_HOUR = Question("remind_hour", "reminders", Kind.HOUR, check_alone=_within_reminder_hours,
                       errors=(("error.hour", "fu.menu.bad_hour"),))
TIME_ZONE = Question("time_zone", "reminders", Kind.ZONE,
                     errors=(("error.zone", "fu.menu.bad_zone"),))
# One reminder's new day, in the user's own calendar (the check gets the user's local today).
MOVE_DATE = Question("move_date", "reminders", Kind.DATE, check_alone=_today_or_later,
                     errors=(("error.date_past", "fu.menu.date_past"),))
QUESTION_KEYS = (REMIND_HOUR.key, TIME_ZONE.key, MOVE_DATE.key)


def _open_cases(account: Account) -> list[Case]:
    return [c for c in account.cases if c.state != "closed" and has_followup(c)]


def _when(account: Account, moment: datetime, now: datetime) -> str:
    local = moment.astimezone(user_zone(account, now))
    return f"{formatting.day(local.date(), account.lang)} {local:%H:%M}"


def _title(case: Case, record: dict[str, Any], lang: str) -> str:
    step = find_step(case, str(record.get("id")))
    return step_title(step, case, lang) if step else t(lang, "fu.title.again",
                                                          debtor=debtor(case, lang))


def overview(account: Account, now: datetime) -> Reply:
    """The list, with a button per reminder and the settings."""
    lang = account.lang
    lines = [t(lang, "fu.menu.title", hour=f"{user_hour(account):%H:%M}",
               zone=zone_name(account, now))]
    buttons: list[Button] = []
    listed = 0
    waiting = pending(account)
    today = local_today(account, now)
    cases = _open_cases(account)
    for case in cases:
        lines += ["", t(lang, "fu.menu.case", debtor=debtor(case, lang),
                        balance=formatting.money(case.total_balance(), lang, case.jurisdiction))]
        if FollowUp(case).stopped:
            lines.append(t(lang, "fu.menu.stopped"))
            buttons.append(Button(f"resume.{case.id}",
                                  t(lang, "fu.menu.resume", debtor=debtor(case, lang))))
            continue
        records = [r for c, r in waiting if c is case]
        if not records:
            lines.append(t(lang, "fu.menu.nothing"))
        for record in records:
            listed += 1
            at = datetime.fromisoformat(str(record["at"]))
            lines.append(f"{listed}. {_when(account, at, now)} — {_title(case, record, lang)}")
            if listed <= MAX_BUTTONS:
                day = at.astimezone(user_zone(account, now)).date()  # the day the line shows
                buttons.append(Button(f"pick.{case.id}.{record['id']}",
                                      f"{listed}. {formatting.short_day(day, lang, today)}"))
    if not cases:
        lines += ["", t(lang, "fu.menu.none")]
    buttons.append(Button("hour", t(lang, "fu.menu.hour_button",
                                    hour=f"{user_hour(account):%H:%M}")))
    buttons.append(Button("tz", t(lang, "fu.menu.zone_button", zone=zone_name(account, now))))
    if any(timeline(c) for c in cases):
        buttons.append(Button("ics", t(lang, "fu.menu.ics_button")))
    return Reply(prompt=Prompt(NO_CASE, MENU_KEY, "\n".join(lines), tuple(buttons),
                               free_text=False), changed=False)


def press(account: Account, value: str, now: datetime) -> Reply:
    """A button of the ``/reminders`` menu."""
    lang = account.lang
    if awaits_text(account):
        account.asking = None
    action, _, rest = value.partition(".")
    case_id, _, reminder_id = rest.partition(".")
    if action == "list":
        return overview(account, now)
    if action == "hour":
        if case_id:
            return _set_hour(account, f"{case_id[:2]}:{case_id[2:]}", now)
        account.asking = Asking(REMIND_HOUR.key)
        buttons = tuple(Button(f"hour.{h.replace(':', '')}", h) for h in HOURS)
        return Reply(prompt=Prompt(NO_CASE, MENU_KEY, t(lang, "fu.menu.ask_hour"), buttons))
    if action == "tz":
        if case_id in ZONES:
            return _set_zone(account, ZONES[case_id], now)
        account.asking = Asking(TIME_ZONE.key)
        buttons = tuple(Button(f"tz.{code}", t(lang, f"fu.menu.zone.{code}")) for code in ZONES)
        return Reply(prompt=Prompt(NO_CASE, MENU_KEY, t(lang, "fu.menu.ask_zone"), buttons))
    if action == "ics":
        jobs = [calendar_job(account, c, now) for c in _open_cases(account) if timeline(c)]
        return Reply(messages=[t(lang, "fu.menu.ics_sent")], documents=jobs, changed=False)
    case = account.case(case_id)
    if case is None:
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    if action == "resume":
        FollowUp(case).stopped = False
        return Reply(messages=[t(lang, "fu.menu.resumed", debtor=debtor(case, lang))],
                     chosen=t(lang, "fu.menu.resume", debtor=debtor(case, lang)))
    record = FollowUp(case).reminder(reminder_id) if has_followup(case) else None
    if record is None or record.get("status") != "pending":
        return Reply(notice=t(lang, "notice.stale"), changed=False)
    target = f"{case.id}.{reminder_id}"
    if action == "pick":
        at = datetime.fromisoformat(str(record["at"]))
        text = t(lang, "fu.menu.picked", when=_when(account, at, now),
                 what=_title(case, record, lang))
        buttons = (*(Button(f"{code}.{target}", t(lang, f"choice.outcome.{code}"))
                     for code in ("tomorrow", "week", "month")),
                   Button(f"date.{target}", t(lang, "fu.menu.type_date")),
                   Button(f"cancel.{target}", t(lang, "fu.menu.cancel")),
                   Button("list", t(lang, "choice.back")))
        return Reply(prompt=Prompt(NO_CASE, MENU_KEY, text, buttons, free_text=False),
                     changed=False)
    if action in SNOOZE:
        when = fire_time(local_today(account, now) + SNOOZE[action], account, now)
        move(record, when)
        return Reply(messages=[t(lang, "fu.menu.moved", when=_when(account, when, now))],
                     chosen=t(lang, f"choice.outcome.{action}"))
    if action == "date":
        account.asking = Asking(MOVE_DATE.key, case_id=case.id, about=reminder_id)
        return Reply(messages=[t(lang, "fu.menu.ask_date")])
    if action == "cancel":
        record["status"] = CANCELLED
        return Reply(messages=[t(lang, "fu.menu.cancelled")], chosen=t(lang, "fu.menu.cancel"))
    return Reply(notice=t(lang, "notice.stale"), changed=False)


def awaits_text(account: Account) -> bool:
    """Whether the next typed text answers a question of this menu."""
    return account.asking is not None and account.asking.key in QUESTION_KEYS


def typed(account: Account, text: str, now: datetime) -> Reply:
    """Typed answer to a menu question: a new date for a reminder, an hour, a time zone."""
    lang = account.lang
    asking = account.asking
    assert asking is not None
    if asking.key == REMIND_HOUR.key:
        return _set_hour(account, text, now)
    if asking.key == TIME_ZONE.key:
        return _set_zone(account, text, now)
    found = account.case(asking.case_id)
    record = (FollowUp(found).reminder(asking.about)
              if found is not None and has_followup(found) else None)
    if record is None:
        account.asking = None
        return Reply(notice=t(lang, "notice.stale"))
    try:
        day = date.fromisoformat(read_answer(MOVE_DATE, None, text, local_today(account, now)))
    except ParseError as error:
        return Reply(messages=[t(lang, MOVE_DATE.error_key(error), **error.params)],
                     changed=False)
    when = fire_time(day, account, now)
    if when < now:  # today, but the reminder hour has gone by: the date is fine, the moment not
        return Reply(messages=[t(lang, "fu.menu.date_past")], changed=False)
    move(record, when)
    account.asking = None
    return Reply(messages=[t(lang, "fu.menu.moved", when=_when(account, when, now))])


def _set_hour(account: Account, text: str, now: datetime) -> Reply:
    lang = account.lang
    try:
        chosen = read_answer(REMIND_HOUR, None, text, now.date())
    except ParseError as error:
        return Reply(messages=[t(lang, REMIND_HOUR.error_key(error), first=f"{DAY_STARTS:%H:%M}",
                                 last=f"{LAST_HOUR:%H:%M}")], changed=False)
    account.settings["remind_at"] = chosen
    if awaits_text(account):
        account.asking = None
    return Reply(messages=[t(lang, "fu.menu.hour_set", hour=chosen)], chosen=chosen)


def _set_zone(account: Account, text: str, now: datetime) -> Reply:
    lang = account.lang
    try:
        name = read_answer(TIME_ZONE, None, text, now.date())
    except ParseError as error:
        return Reply(messages=[t(lang, TIME_ZONE.error_key(error))], changed=False)
    zone = ZoneInfo(name)
    account.settings["tz"] = name
    if awaits_text(account):
        account.asking = None
    return Reply(messages=[t(lang, "fu.menu.zone_set", zone=name,
                             now=f"{now.astimezone(zone):%H:%M}")], chosen=name)
