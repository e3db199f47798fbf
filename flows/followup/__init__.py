"""Follow-up that never forgets: the timeline of a case, its reminders, and closing it.

Pure, like the rest of ``flows``: the bot's scheduler (``bot.reminders``) asks ``due`` what to
push, sends ``reminder_reply``, and records ``mark_sent`` / ``mark_failed`` after it; the
turn (``flows.turn``) calls ``refresh`` after every change so that reminders always follow the case.

- ``timeline(case)`` / ``next_step(case, today)``: the dated next steps (``Step``: day, kind,
  what to do, which buttons).
- ``refresh(account, now)``: reminders reconciled with the timelines; ``due``,
  ``next_wakeup``, ``pending``: what to push and when.
- ``reminder_reply(account, case, reminder, now)``: the pushed message with its buttons.
- ``overview`` / ``menu_press`` / ``menu_typed``: the ``/reminders`` command.
- ``calendar_text`` / ``calendar_job``: the timeline as an ``.ics`` file.
- ``closing_message``: the end of a case and the lessons drawn from it.
"""

from __future__ import annotations

from datetime import date, datetime

from flows.followup.actions import (
    QUESTION_KEYS,
    Outcome,
    apply,
    contest_unanswered,
    local_today,
    next_remedy,
    on_answer,
    reminder_actions,
    start_remedy,
)
from flows.followup.ics import calendar_job, calendar_text
from flows.followup.menu import MENU_KEY, awaits_text, overview
from flows.followup.menu import QUESTION_KEYS as MENU_QUESTION_KEYS
from flows.followup.menu import press as menu_press
from flows.followup.menu import typed as menu_typed
from flows.followup.messages import (
    REMINDER_KEY,
    after_payment,
    closing_message,
    lessons,
    reminder_reply,
)
from flows.followup.schedule import (
    due,
    mark_failed,
    mark_sent,
    next_wakeup,
    pending,
)
from flows.followup.schedule import refresh as _refresh
from flows.followup.timeline import Step, StepKind, next_step, timeline
from flows.model import Account, Case


def refresh(account: Account, now: datetime) -> None:
    """Reminders follow the timelines; the journey's "next check" shows the next step's day."""
    _refresh(account, now)
    today = local_today(account, now)
    for case in account.cases:
        note_next_check(case, today)


def note_next_check(case: Case, today: date) -> None:
    """Keep the day of the case's next step where the journey's messages read it."""
    step = next_step(case, today)
    if step is not None:
        case.next_check = step.day
    else:
        case.next_check = None


__all__ = [
    "MENU_KEY",
    "MENU_QUESTION_KEYS",
    "QUESTION_KEYS",
    "REMINDER_KEY",
    "Outcome",
    "Step",
    "StepKind",
    "after_payment",
    "apply",
    "awaits_text",
    "calendar_job",
    "calendar_text",
    "closing_message",
    "contest_unanswered",
    "due",
    "lessons",
    "local_today",
    "mark_failed",
    "mark_sent",
    "menu_press",
    "menu_typed",
    "next_remedy",
    "next_step",
    "next_wakeup",
    "note_next_check",
    "on_answer",
    "overview",
    "pending",
    "refresh",
    "reminder_actions",
    "reminder_reply",
    "start_remedy",
    "timeline",
]
