"""A case's timeline as an iCalendar file the user can add to their own calendar.

Each step is an all-day event on the day to act, with an alarm at the user's reminder hour, and
a UID that stays the same for the same step: importing an updated file updates the events
instead of duplicating them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

from flows.conversation import DocumentJob
from flows.followup.messages import debtor, describe, step_title
from flows.followup.schedule import user_hour
from flows.followup.timeline import timeline
from flows.i18n import t
from flows.model import Account, Case


def calendar_text(account: Account, case: Case, now: datetime) -> str:
    lang = account.lang
    hour = user_hour(account)
    calendar = Calendar()
    calendar.add("prodid", "-//Impayes//follow-up//" + lang.upper())
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", t(lang, "fu.ics.name", debtor=debtor(case, lang)))
    for step in timeline(case):
        event = Event()
        event.add("uid", f"{case.id}-{step.id}@impayes")
        event.add("dtstamp", now)
        event.add("dtstart", step.day)
        event.add("dtend", step.day + timedelta(days=1))
        event.add("summary", step_title(step, case, lang))
        event.add("description", describe(step, case, lang))
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", step_title(step, case, lang))
        alarm.add("trigger", timedelta(hours=hour.hour, minutes=hour.minute))
        event.add_component(alarm)
        calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


def calendar_job(account: Account, case: Case, now: datetime) -> DocumentJob:
    """The .ics file as a document to send, like the letters (see ``flows.documents.drawing``)."""
    name = f"{t(account.lang, 'fu.ics.filename')}_{_slug(debtor(case, account.lang))}"
    return DocumentJob(kind="calendar", lang=account.lang, case_id=case.id, filename=name,
                       context={"ics": calendar_text(account, case, now)}, formats=("ics",))


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_")[:40] or "case"
