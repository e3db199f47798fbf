"""What the user does with a reminder: paid, partly paid, still unpaid, later, a promise, stop,
giving up; /reminders; the calendar file. Driven through the turn API like a user."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.files import write_all
from flows import followup
from flows.conversation import Command, Press
from flows.documents.drawing import draw
from flows.followup.messages import describe
from flows.followup.timeline import StepKind, timeline
from flows.model import Asking
from flows.turn import turn
from testing.driver import plain
from tests.followup_cases import (
    COURT,
    FORMAL_DEMAND,
    NOW,
    PAYMENT_PLAN,
    followed,
    press_reminder,
    reminder,
    reminders,
    to_question,
)

UTC = ZoneInfo("UTC")


def pending_kinds(d: object) -> list[str]:
    return [r["kind"] for r in reminders(d) if r["status"] == "pending"]  # type: ignore[arg-type]


def test_paid_on_an_instalment_reminder_marks_that_instalment_paid() -> None:
    d = followed(PAYMENT_PLAN)
    first = reminder(d, "instalment")
    d.now = datetime(2026, 12, 16, 9, 5, tzinfo=NOW.tzinfo)
    press_reminder(d, "paid", first)
    shown = plain("\n".join(d.last.messages))
    assert "Échéance 1 enregistrée" in shown
    assert "800,34 €" in shown  # 1 200,50 − 400,16
    assert d.case.state == "followup"
    left = [s.params["amount"].amount for s in followup.timeline(d.case)
            if s.kind is StepKind.INSTALMENT]
    assert d.case.total_balance().amount == sum(left)
    numbers = [s.params["number"] for s in followup.timeline(d.case)
               if s.kind is StepKind.INSTALMENT]
    assert numbers == [2, 3]
    assert first not in reminders(d)


def test_last_instalment_paid_closes_the_case_with_lessons() -> None:
    d = followed(PAYMENT_PLAN)
    for number in (1, 2, 3):
        press_reminder(d, "paid", reminder(d, "instalment"))
        assert d.case.state == ("closed" if number == 3 else "followup")
    shown = plain("\n".join(d.last.messages))
    assert "Bravo" in shown
    assert "acompte" in shown
    assert pending_kinds(d) == []


def test_missed_instalment_leads_to_a_formal_demand_for_the_whole_balance() -> None:
    d = followed(PAYMENT_PLAN)
    press_reminder(d, "unpaid", reminder(d, "instalment"))
    shown = plain("\n".join(d.last.messages))
    assert "déchéance du terme" in shown
    assert "1 200,50 €" in shown
    assert d.case.answers["remedy"] == "formal_demand"
    # The delay is the one the plan's acceleration clause requires: not asked again.
    assert d.prompt.key == "review"
    d.press("generate")
    assert d.last.documents[0].kind == "plan_default_demand"
    assert pending_kinds(d)[0] == "demand_ended"


def test_still_unpaid_after_the_demand_opens_the_court_step() -> None:
    d = followed(FORMAL_DEMAND)
    d.now = datetime(2026, 12, 2, 9, 0, tzinfo=NOW.tzinfo)
    press_reminder(d, "unpaid", reminder(d, "demand_ended"))
    assert d.case.answers["remedy"] == "court"
    assert "étape suivante" in plain(d.text_of_last())
    to_question(d, "review")  # the court documents' own details (flows.documents.catalog) first
    # Until the court step is finished, the bot offers to carry on a few days later.
    assert pending_kinds(d)[0] == "resume"


def test_partly_paid_asks_the_amount_then_shows_balance_interest_and_next_step() -> None:
    d = followed(FORMAL_DEMAND)
    d.now = datetime(2026, 12, 2, 9, 0, tzinfo=NOW.tzinfo)
    press_reminder(d, "partly", reminder(d, "demand_ended"))
    assert d.prompt.key == "partial_payment"
    d.say("500")
    shown = plain(d.text_of_last())
    assert "Reste dû : 700,50 €" in shown
    assert "Intérêts de retard à ce jour" in shown
    assert "Prochaine étape" in shown


def test_remind_me_tomorrow_moves_the_reminder_to_tomorrow_at_the_users_hour() -> None:
    d = followed(FORMAL_DEMAND)
    d.now = datetime(2026, 12, 2, 9, 0, tzinfo=NOW.tzinfo)
    record = reminder(d, "demand_ended")
    record["status"] = "sent"
    press_reminder(d, "tomorrow", record)
    moved = reminder(d, "demand_ended")
    assert moved["status"] == "pending"
    assert datetime.fromisoformat(moved["at"]) == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert "demain" in d.last.messages[0]


def test_a_promise_pauses_the_case_until_the_day_after_then_asks() -> None:
    d = followed(FORMAL_DEMAND)
    press_reminder(d, "promised", reminder(d, "demand_ended"))
    assert d.prompt.key == "promise_date"
    d.say("hier")  # not a date: asked again
    assert d.prompt.key == "promise_date"
    d.say("10/12/2026")
    assert "10 décembre 2026" in plain(d.last.messages[0])
    pending = [r for r in reminders(d) if r["status"] == "pending"]
    assert pending[0]["kind"] == "promise_check"
    assert pending[0]["day"] == "2026-12-11"
    assert "demand_ended" not in [r["kind"] for r in pending]


def test_a_promise_date_in_the_past_is_refused() -> None:
    d = followed(FORMAL_DEMAND)
    press_reminder(d, "promised", reminder(d, "demand_ended"))
    d.say("01/11/2026")
    assert "déjà passée" in d.last.messages[0]
    assert d.prompt.key == "promise_date"


def test_stop_ends_the_case_reminders_and_reminders_command_turns_them_back_on() -> None:
    d = followed(FORMAL_DEMAND)
    press_reminder(d, "stop", reminder(d, "demand_ended"))
    assert pending_kinds(d) == []
    assert "/reminders" in d.last.messages[0]
    menu = d.command("reminders")
    assert menu.prompt is not None
    resume = [b for b in menu.prompt.buttons if b.value.startswith("resume.")]
    assert len(resume) == 1
    d._record(turn(d.account, Press("", "rm", resume[0].value), d.now))
    assert "demand_ended" in pending_kinds(d)


def test_giving_up_asks_for_confirmation_then_closes_with_lessons() -> None:
    d = followed(FORMAL_DEMAND)
    d.say("du nouveau ?")  # idle text in follow-up: the outcome question is offered again
    assert d.prompt.key == "outcome"
    assert "abandon" in [b.value for b in d.prompt.buttons]
    d.press("abandon")
    assert d.prompt.key == "abandon_confirm"
    d.press("yes")
    assert d.case.state == "closed"
    shown = plain("\n".join(d.last.messages))
    assert "clos" in shown
    assert "TVA" in shown  # recovering the VAT on an irrecoverable invoice
    assert "L441-9" in shown  # no late-payment rate was stated on the invoice
    assert pending_kinds(d) == []


def test_lessons_are_drawn_from_the_case() -> None:
    d = followed(FORMAL_DEMAND)
    d.case.answers["ev_contract"] = False
    text = "\n".join(followup.lessons(d.case, "en"))
    assert "signed quote" in text
    assert "39 days" in text  # the case started 39 days after the due date
    assert "deliverables" in text  # services: keep them until paid


def test_a_button_under_a_reminder_for_another_case_answers_for_that_case() -> None:
    d = followed(FORMAL_DEMAND)
    first = d.case
    record = reminder(d, "demand_ended")
    d.command("new")
    assert d.case is not first
    press_reminder(d, "partly", record, case_id=first.id)
    assert d.account.active_case == first.id
    assert d.prompt.key == "partial_payment"
    assert "ACME" in d.last.messages[0]


def test_a_reminder_answered_once_cannot_be_answered_twice() -> None:
    d = followed(FORMAL_DEMAND)
    record = reminder(d, "demand_ended")
    press_reminder(d, "week", record)
    again = press_reminder(d, "paid", record)
    assert again.notice is not None
    assert d.case.state == "followup"


def test_a_forged_reminder_button_for_an_unknown_case_changes_nothing() -> None:
    d = followed(FORMAL_DEMAND)
    before = d.account.to_json()
    reply = press_reminder(d, "paid", reminder(d, "demand_ended"), case_id="deadbeef")
    assert reply.notice is not None
    assert d.account.to_json() == before


def test_reminders_command_lists_upcoming_reminders_per_case() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    menu = d.command("reminders")
    assert menu.prompt is not None
    text = plain(menu.prompt.text)
    assert "sent at 09:00, time zone Europe/Paris" in text
    assert ("2 December 2026 09:00 — Formal demand: time to pay ended 1 December 2026 "
            "(ACME Rénovation SARL)") in text
    assert "Time-barred on 15 September 2031" in text


@pytest.mark.parametrize(("lang", "labels", "line"), [
    ("fr", ["1. 2 déc.", "2. 17 juil. 2031", "3. 1er sept. 2031"], "1. 2 décembre 2026 09:00"),
    ("en", ["1. 2 Dec", "2. 17 Jul 2031", "3. 1 Sept 2031"], "1. 2 December 2026 09:00"),
])
def test_reminder_buttons_name_the_day_in_words_short_for_a_phone(
        lang: str, labels: list[str], line: str) -> None:
    d = followed(FORMAL_DEMAND, lang=lang)
    menu = d.command("reminders").prompt
    assert menu is not None
    assert line in plain(menu.text)
    # This year's days without the year, later ones with it; the number ties a button to a line.
    assert [b.label for b in menu.buttons if b.value.startswith("pick.")] == labels


def test_a_reminder_button_shows_the_users_own_day_not_the_servers() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    d.command("reminders")
    d._record(turn(d.account, Press("", "rm", "tz.quebec"), d.now))
    d._record(turn(d.account, Press("", "rm", "hour.2030"), d.now))
    # 20:30 in Montreal on 2 December is already 3 December in UTC.
    assert datetime.fromisoformat(reminder(d, "demand_ended")["at"]) == datetime(
        2026, 12, 3, 1, 30, tzinfo=UTC)
    menu = d.command("reminders").prompt
    assert menu is not None
    assert "1. 2 December 2026 20:30" in plain(menu.text)
    assert menu.buttons[0].label == "1. 2 Dec"


def test_a_reminder_can_be_moved_to_a_typed_date_or_cancelled_from_the_list() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    record = reminder(d, "demand_ended")
    target = f"{d.case.id}.{record['id']}"
    d._record(turn(d.account, Press("", "rm", f"pick.{target}"), d.now))
    assert "Move it or cancel it?" in d.prompt.text
    d._record(turn(d.account, Press("", "rm", f"date.{target}"), d.now))
    d.say("20/12/2026")
    assert "20 December 2026 09:00" in d.last.messages[0]
    assert datetime.fromisoformat(reminder(d, "demand_ended")["at"]) == datetime(
        2026, 12, 20, 8, 0, tzinfo=UTC)
    d._record(turn(d.account, Press("", "rm", f"cancel.{target}"), d.now))
    assert "demand_ended" not in pending_kinds(d)
    assert reminder(d, "demand_ended")["status"] == "cancelled"


def test_changing_the_hour_and_time_zone_moves_every_pending_reminder() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    d.command("reminders")
    d._record(turn(d.account, Press("", "rm", "hour"), d.now))
    d.say("7:00")  # at night: refused, asked again
    assert "between 08:00 and 20:30" in d.last.messages[0]
    d.say("18h30")
    assert datetime.fromisoformat(reminder(d, "demand_ended")["at"]) == datetime(
        2026, 12, 2, 17, 30, tzinfo=UTC)
    d._record(turn(d.account, Press("", "rm", "tz.quebec"), d.now))
    assert datetime.fromisoformat(reminder(d, "demand_ended")["at"]) == datetime(
        2026, 12, 2, 23, 30, tzinfo=UTC)  # 18:30 in Montreal
    d._record(turn(d.account, Press("", "rm", "tz"), d.now))
    d.say("Mars/Olympus_Mons")
    assert "don't know this time zone" in d.last.messages[0]


def test_the_timeline_as_a_calendar_file(tmp_path: Path) -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    d.command("reminders")
    reply = d._record(turn(d.account, Press("", "rm", "ics"), d.now))
    assert [j.kind for j in reply.documents] == ["calendar"]
    paths = write_all(tmp_path, draw(reply.documents[0]))
    assert [p.suffix for p in paths] == [".ics"]
    calendar = Calendar.from_ical(paths[0].read_bytes())
    events = [e for e in calendar.walk("VEVENT")]
    assert [e.decoded("dtstart") for e in events] == [
        date(2026, 12, 2), date(2031, 7, 17), date(2031, 9, 1)]
    assert str(events[0]["summary"]) == (
        "Formal demand: time to pay ended 1 December 2026 (ACME Rénovation SARL)")
    assert str(events[0]["uid"]).startswith(d.case.id)
    alarm = events[0].walk("VALARM")[0]
    assert alarm.decoded("trigger") == timedelta(hours=9)


def test_the_reminder_speaks_the_users_language_with_the_figures() -> None:
    d = followed(PAYMENT_PLAN, lang="en")
    reply = followup.reminder_reply(d.account, d.case, reminder(d, "instalment"), NOW)
    assert reply.prompt is not None
    text = plain(reply.prompt.text)
    assert "ACME Rénovation SARL — still due: €1,200.50" in text
    assert "Instalment 1 of 3 (€400.16) was due on 15 December 2026" in text
    labels = [b.label for b in reply.prompt.buttons]
    assert labels[:3] == ["✅ Paid", "💶 Partly paid", "⏭️ Still unpaid → next step"]
    assert "🔕 Stop reminders for this case" in labels


def test_order_granted_and_served_dates_are_asked_and_set_the_deadlines() -> None:
    d = followed(COURT, lang="en")
    press_reminder(d, "granted", reminder(d, "court_check"))
    assert d.prompt.key == "granted_date"
    d.press("today")
    assert "by 23 May 2027" in d.last.messages[0]  # 6 months (CPC 1411)
    press_reminder(d, "served", reminder(d, "serve"))
    d.say(date(2026, 11, 23).strftime("%d/%m/%Y"))
    assert "oppose until 23 December 2026 (CPC 1416)" in plain(d.last.messages[0])
    assert pending_kinds(d) == ["opposition_ended"]


def test_leaving_a_reminders_question_unanswered_does_not_capture_later_answers() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    d._record(turn(d.account, Press("", "rm", "hour"), d.now))
    saved = type(d.account).from_json(d.account.to_json())  # what the store holds
    assert saved.asking == Asking("remind_hour")
    reply = turn(saved, Command("reminders"), d.now)
    assert reply.changed  # the question was dropped, and that is saved
    assert saved.asking is None


def test_a_deadline_reminder_moved_earlier_still_comes_on_its_own_day() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    record = reminder(d, "limitation", 1)  # 14 days before the claim is time-barred
    target = f"{d.case.id}.{record['id']}"
    d._record(turn(d.account, Press("", "rm", f"week.{target}"), d.now))
    moved = reminder(d, "limitation", 0)
    assert moved["day"] == "2031-09-01"
    assert moved["at"].startswith("2026-11-30")
    sent_at = datetime(2026, 11, 30, 9, 0, tzinfo=NOW.tzinfo)
    followup.mark_sent(moved, d.account, sent_at)
    followup.refresh(d.account, sent_at)
    again = next(r for r in reminders(d) if r["day"] == "2031-09-01")
    assert again["status"] == "pending"
    assert datetime.fromisoformat(again["at"]) == datetime(2031, 9, 1, 7, 0, tzinfo=UTC)


def test_the_limitation_reminder_names_the_acts_that_interrupt_it() -> None:
    # The same acts as the rights' details (C. civ. 2240, 2241, 2244), not "only a court claim".
    d = followed(FORMAL_DEMAND, lang="fr")
    step = next(s for s in timeline(d.case) if s.kind is StepKind.LIMITATION)
    text = describe(step, d.case, "fr")
    for part in ("paiement partiel", "demande de délai", "signification de l'ordonnance",
                 "acte d'exécution forcée", "C. civ. 2240"):
        assert part in text
    assert "{acts}" not in describe(step, d.case, "en")


def test_the_end_of_the_opposition_period_announces_the_five_point_increase() -> None:
    # Served 23 Nov 2026; opposition until 23 Dec (CPC 1416); enforceable from 24 Dec; two
    # months later, 24 Feb 2027, the legal rate rises by 5 points (CMF L313-3).

    d = followed(COURT, lang="en")
    press_reminder(d, "granted", reminder(d, "court_check"))
    d.press("today")
    press_reminder(d, "served", reminder(d, "serve"))
    d.say(date(2026, 11, 23).strftime("%d/%m/%Y"))
    step = next(s for s in timeline(d.case) if s.kind is StepKind.OPPOSITION_ENDED)
    assert step.day == date(2026, 12, 24)
    text = describe(step, d.case, "en")
    assert "by 24 February 2027" in text
    assert "rises by 5 points (C. monét. fin. L313-3)" in text
    assert "majoré de 5 points" in describe(step, d.case, "fr")


def test_a_reminder_moved_to_a_past_day_is_refused_and_stays_where_it_was() -> None:
    d = followed(FORMAL_DEMAND, lang="en")
    record = reminder(d, "demand_ended")
    before = record["at"]
    target = f"{d.case.id}.{record['id']}"
    d._record(turn(d.account, Press("", "rm", f"date.{target}"), d.now))
    d.say("01/11/2026")  # checked by the answer engine against the user's own today
    assert d.last.messages == ["That moment has already passed. Type a date to come."]
    assert reminder(d, "demand_ended")["at"] == before
    assert d.account.asking == Asking("move_date", case_id=d.case.id, about=record["id"])
    d.say("20/12/2026")  # the second chance
    assert "20 December 2026 09:00" in d.last.messages[0]
