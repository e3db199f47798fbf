"""One turn of the conversation: an event in, the account updated, a ``Reply`` out.

The router above the journey: it sends each event to the part that owns it — the case file
(evidence, notes, several cases, export, erasure), the follow-up (``/reminders``, the buttons
under a pushed reminder), or the journey (the questions of the open case) — and after a
case-file detour lets the journey pick the case up again. Reminders follow every change.
"""

from __future__ import annotations

from datetime import datetime

from flows import (
    casefile,
    company_lookup,
    followup,
    invoice_intake,
    journey,
    prefill,
    settings,
)
from flows.casefile import Detour, Then
from flows.conversation import Command, CompanyFound, Event, Press, Reply, Role, Text, Upload
from flows.debtor.chat import revoke_command
from flows.i18n import catalog, t
from flows.model import Account, Asking
from flows.readable import unreadable


def turn(account: Account, event: Event, now: datetime) -> Reply:
    """Take one user event, update the account, and say what to show."""
    if unreadable(event):
        return Reply(messages=[t(account.lang, "input.unreadable")], changed=False)
    asked = account.asking
    if asked is not None and not _answers(asked, event):
        # The user moved on: their next typed text goes to the question it answers.
        account.asking = None
    if asked is not None and asked.key == casefile.NOTE.key and _is_cancel(event):
        reply = casefile.note_cancelled(account)
    else:
        reply = _dispatch(account, event, now)
    if account.asking != asked:
        reply.changed = True
    if reply.changed:
        followup.refresh(account, now)  # reminders follow every change of a case
    return reply


def _answers(asking: Asking, event: Event) -> bool:
    """Whether the event may answer the question asked, rather than leave it behind. A note and
    a /reminders question are left behind by anything but their answer; the journey's own
    questions and the erasure's confirmation wait until answered (or replaced)."""
    if isinstance(event, CompanyFound):
        return True  # the register's answer to the user's own number: not a move elsewhere
    if asking.key == casefile.NOTE.key:
        return isinstance(event, Text)
    if asking.key == prefill.KEY:
        # The confirmation of proposed answers: a command, a file or another button leaves
        # it behind (the proposals stay, suggested when their questions come up).
        return isinstance(event, Text) or (isinstance(event, Press) and event.key == prefill.KEY)
    if asking.key == settings.EDIT:
        return isinstance(event, Text) or (isinstance(event, Press) and event.key == settings.KEY)
    if asking.key in followup.MENU_QUESTION_KEYS:
        return isinstance(event, Text) or (isinstance(event, Press)
                                           and event.key == followup.MENU_KEY)
    return True


def _is_cancel(event: Event) -> bool:
    return isinstance(event, Command) and event.name.lower() == "cancel"


def _dispatch(account: Account, event: Event, now: datetime) -> Reply:
    if isinstance(event, Upload):
        return invoice_intake.after_upload(account, event, casefile.upload(account, event, now),
                                           now)
    if isinstance(event, Command):
        return _command(account, event, now)
    if isinstance(event, Press):
        return _press(account, event, now)
    if isinstance(event, CompanyFound):
        return company_lookup.found(account, event, now)
    return _text(account, event, now)


def _command(account: Account, event: Command, now: datetime) -> Reply:
    lang = account.lang
    name = event.name.lower()
    if name in casefile.COMMANDS:
        said = casefile.command(account, name, event.arg, now)
        if name in STANDING_AFTER:
            return _with_standing(account, said, now)
        return said
    if name == "help":
        # Features add their commands to the help in their own catalogs (``help_extra.*``).
        extra = [t(lang, key) for key in sorted(catalog(lang)) if key.startswith("help_extra.")]
        return Reply(messages=["\n\n".join([t(lang, "help"), *extra])], changed=False)
    if name == "reminders":
        return followup.overview(account, now)
    if name == settings.COMMAND:
        return settings.menu(account, now)
    if name == "privacy":
        return Reply(messages=[t(lang, "privacy.text")], changed=False)
    if name == "revoke":
        return revoke_command(account, now)
    reply = journey.command(account, name, event.arg, now)
    if reply is None:
        return Reply(messages=[t(lang, "unknown_command")], changed=False)
    return reply


def _press(account: Account, event: Press, now: datetime) -> Reply:
    if event.case_id and account.case(event.case_id) is None:
        # A forged or stale button naming a case this user does not have.
        return Reply(notice=t(account.lang, "casefile.refused.not_yours"), changed=False)
    if event.role is Role.TRANSLATION:
        case = account.case(event.case_id) or account.current
        if case is None:
            return Reply(messages=[t(account.lang, "hint.no_case")], changed=False)
        return _after_detour(account, casefile.translation(account, case), now)
    if event.key in casefile.PRESS_KEYS:
        return _after_detour(account, casefile.press(account, event, now), now)
    if event.key == prefill.KEY:
        return prefill.press(account, event, now)
    if event.key == settings.KEY:
        return settings.press(account, event, now)
    if event.key == followup.REMINDER_KEY:
        return journey.reminder_press(account, event, now)
    if event.key == followup.MENU_KEY:
        return followup.menu_press(account, event.value, now)
    case = account.current
    if case is None:
        return Reply(messages=[t(account.lang, "hint.no_case")], changed=False)
    return journey.press(account, case, event, now)


def _text(account: Account, event: Text, now: datetime) -> Reply:
    if account.asking is not None and account.asking.key == casefile.NOTE.key:
        return _with_standing(account, casefile.note_text(account, account.asking, event, now),
                              now)
    if prefill.waiting(account):
        return prefill.typed(account, event, now)
    if settings.waiting(account):
        return settings.typed(account, event.text, now)
    if followup.awaits_text(account):
        return followup.menu_typed(account, event.text, now)
    case = account.current
    if case is None:
        return Reply(messages=[t(account.lang, "hint.no_case")], changed=False)
    number = company_lookup.number_for_name(account, case, event.text)
    if number is not None:  # a company number where its name was asked
        return company_lookup.number_typed(account, case, number, now)
    return journey.typed(account, case, event, now)


# Commands after which the open case is shown again, with what can be done next.
STANDING_AFTER = ("evidence", "note")


def _with_standing(account: Account, reply: Reply, now: datetime) -> Reply:
    """A case-file reply, then where the open case stands and its next step's buttons; not
    while a note is still awaited (its text is the next thing the user types)."""
    case = account.current
    if case is None or reply.prompt is not None or (
            account.asking is not None and account.asking.key == casefile.NOTE.key):
        return reply
    journey.show_standing(account, case, reply, now)
    return reply


def _after_detour(account: Account, detour: Detour, now: datetime) -> Reply:
    """The case file's reply, then the open case picked up where the case file says."""
    reply = detour.reply
    case = account.current
    if case is None or detour.then is Then.NOTHING:
        return reply
    if detour.then is Then.NEXT_QUESTION:
        journey.proceed(account, case, reply, now)
    else:
        reply.prompt = journey.reprompt(account, case, now.date())
    return reply
