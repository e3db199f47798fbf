"""Accounts stored by an earlier version still load, and the conversation goes on from them.

``stored/account_before_asking.json`` is a chat file's account as the bot wrote it before the one
"what the bot is waiting for" slot (``Account.asking``): then, the reminders menu's pending
question sat in ``settings["awaiting"]``, a note in ``settings["note_for"]``, the erasure's
confirmation in ``settings["erase"]``, and in each case an answer being corrected in
``revisit``, a follow-up's question in ``extra["followup"]["awaiting"]`` and a part payment in
``extra["awaiting_partial"]``. That one was waiting for a reminder's new day. What else a
case kept in ``extra`` (its evidence, follow-up, demand…) became typed fields of ``Case``.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flows.conversation import ERASE, Command, Press, Text
from flows.model import Account, Asking, Closing, Demand
from flows.turn import turn

STORED = Path(__file__).parent / "stored"
NOW = datetime.fromisoformat("2026-12-03T18:00:00+00:00")  # the day the file was written


@pytest.fixture
def stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((STORED / "account_before_asking.json").read_text("utf-8"))
    return data


def reminder(account: Account, reminder_id: str) -> dict[str, Any]:
    case = account.cases[0]
    found: dict[str, Any] = next(r for r in case.followup["reminders"]
                                 if r["id"] == reminder_id)
    return found


def test_a_reminders_question_stored_in_the_settings_is_still_waited_for(
        stored: dict[str, Any]) -> None:
    account = Account.from_json(stored)
    [case] = account.cases
    assert account.asking == Asking("move_date", case_id=case.id, about="dem-20261212")
    assert account.settings == {}  # the old flag is gone, not kept beside the slot
    reply = turn(account, Text("20/12/2026"), NOW)
    assert reply.messages == ["Rappel déplacé au 20 décembre 2026 09:00."]
    assert reminder(account, "dem-20261212")["at"].startswith("2026-12-20T09:00")
    assert account.asking is None


def test_an_account_saved_again_keeps_only_the_slot(stored: dict[str, Any]) -> None:
    saved = Account.from_json(stored).to_json()
    assert saved["asking"] == {"key": "move_date", "case_id": stored["cases"][0]["id"],
                               "about": "dem-20261212", "asked_at": ""}
    assert "awaiting" not in saved["settings"]
    assert Account.from_json(saved).to_json() == saved
    [before], [after] = stored["cases"], saved["cases"]
    assert before.pop("revisit") is None
    extra = before.pop("extra")
    assert {key: after.pop(key) for key in extra} == extra  # the same values, as fields now
    assert after == {**before, "tried": [], "closed": None, "debtor": None,
                     "proposals": []}  # the rest read back as it was


def test_what_a_case_kept_in_extra_is_read_into_typed_fields(stored: dict[str, Any]) -> None:
    [case] = Account.from_json(stored).cases
    assert case.demand == Demand(date(2026, 12, 3), "formal_demand")
    assert case.next_check == date(2026, 12, 12)
    assert [record["name"] for record in case.evidence] == ["devis signé.pdf"]
    assert case.evidence[0]["proves"] == "contract"
    assert case.followup is not None
    assert case.followup["remedy"] == "formal_demand"
    assert case.ranking[0] == "formal_demand"
    assert case.evidence_invited is True
    assert case.checklist_shown.startswith("📋 Les preuves à conserver pour votre dossier :")
    assert (case.tried, case.closed) == ([], None)


def test_a_note_asked_for_before_is_still_taken_as_the_note(stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    case_id = data["cases"][0]["id"]
    data["settings"] = {"note_for": case_id, "tz": "Europe/Paris"}
    account = Account.from_json(data)
    assert account.asking == Asking("note", case_id=case_id)
    assert account.settings == {"tz": "Europe/Paris"}
    turn(account, Text("Rappelé le client, il promet un virement."), NOW)
    assert account.cases[0].events[-1]["kind"] == "note"
    assert account.cases[0].events[-1]["params"]["text"] == (
        "Rappelé le client, il promet un virement.")


def test_a_reminder_hour_asked_for_before_is_still_taken_as_the_hour(
        stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    data["settings"] = {"awaiting": {"what": "hour"}}
    account = Account.from_json(data)
    assert account.asking == Asking("remind_hour")
    turn(account, Text("9h30"), NOW)
    assert account.settings == {"remind_at": "09:30"}


def test_an_erasure_confirmed_before_still_erases_within_its_window(
        stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    asked_at = NOW - timedelta(minutes=5)
    data["settings"] = {"erase": {"token": "a1b2c3d4", "asked_at": asked_at.isoformat()}}
    account = Account.from_json(data)
    assert account.asking == Asking("erase_confirm", about="a1b2c3d4",
                                    asked_at=asked_at.isoformat())
    assert turn(account, Press("", "erase", "a1b2c3d4"), NOW).action == ERASE


def test_stored_note_wins_over_other_waits_as_typed_text_went_to_it(
        stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    case_id = data["cases"][0]["id"]
    data["settings"]["note_for"] = case_id  # beside the reminders question
    account = Account.from_json(data)
    assert account.asking == Asking("note", case_id=case_id)
    assert turn(account, Command("cancel"), NOW).messages == ["Aucune note ajoutée."]


def test_a_follow_up_question_stored_in_the_case_is_still_asked(stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    data["settings"] = {}
    data["cases"][0]["extra"]["followup"]["awaiting"] = "promise_date"
    account = Account.from_json(data)
    [case] = account.cases
    assert account.asking == Asking("promise_date", case_id=case.id)
    assert "awaiting" not in case.followup
    reply = turn(account, Text("18/12/2026"), NOW)
    assert ("C'est noté : ACME Rénovation SARL a promis de payer au plus tard le 18 décembre "
            "2026") in reply.messages[0]
    assert case.followup["promise"] == "2026-12-18"
    assert account.asking is None


def test_a_part_payment_asked_for_before_is_still_taken_as_the_amount(
        stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    data["settings"] = {}
    data["cases"][0]["extra"]["awaiting_partial"] = True
    account = Account.from_json(data)
    [case] = account.cases
    assert account.asking == Asking("partial_payment", case_id=case.id)
    turn(account, Text("200"), NOW)
    assert str(case.total_balance().amount) == "1000.50"  # 1 200,50 - 200


def test_an_answer_being_corrected_is_still_the_one_asked(stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    data["settings"] = {}
    data["cases"][0]["revisit"] = "debtor_name"
    account = Account.from_json(data)
    [case] = account.cases
    assert account.asking == Asking("debtor_name", case_id=case.id)
    reply = turn(account, Text("ACME Rénovation SAS"), NOW)
    assert case.answers["debtor_name"] == "ACME Rénovation SAS"
    assert account.asking is None
    assert reply.prompt is not None


def test_a_closed_case_keeps_when_and_why_it_closed_and_what_was_tried(
        stored: dict[str, Any]) -> None:
    data = copy.deepcopy(stored)
    extra = data["cases"][0]["extra"]
    extra["closed"] = {"on": "2027-01-04", "reason": "paid"}
    extra["tried"] = ["friendly_reminder", "formal_demand"]
    [case] = Account.from_json(data).cases
    assert case.closed == Closing(date(2027, 1, 4), "paid")
    assert case.tried == ["friendly_reminder", "formal_demand"]
