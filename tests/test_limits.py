"""What one user can pile up is bounded, with a clear message: cases, notes, evidence files.
Each chat's file stays small enough to load and save quickly, whatever one user does."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flows import limits
from flows.i18n import t
from flows.model import Account
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import load_account, save_account
from tests.casefile_bot import PDF, casefile_bot
from tests.followup_cases import FORMAL_DEMAND, followed

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
CHAT = 8101



def seeded(data_dir: Path) -> Account:
    account = followed(FORMAL_DEMAND, lang="en", chat_id=str(CHAT)).account
    save_account(data_dir, account)
    return account


def stored(data_dir: Path) -> Account:
    account = load_account(data_dir, str(CHAT))
    assert account is not None
    return account


async def answer_to(api: FakeBotApi, text: str) -> str:
    mark = api.mark()
    api.send_text(CHAT, text, language_code="en")
    call: ApiCall = await api.await_for(lambda c: c.method == "sendMessage"
                                        and c.params.get("chat_id") == CHAT, since=mark)
    return str(call.params["text"])


async def test_no_new_case_past_the_most_one_user_may_keep(api: FakeBotApi,
                                                           data_dir: Path) -> None:
    account = seeded(data_dir)
    base = account.cases[0]
    account.cases = [replace(base, id=f"case{n:03d}") for n in range(limits.MAX_CASES)]
    save_account(data_dir, account)
    async with casefile_bot(api, data_dir, NOW):
        shown = await answer_to(api, "/new")
    assert shown == t("en", "limits.cases", count=limits.MAX_CASES)
    assert len(stored(data_dir).cases) == limits.MAX_CASES


async def test_no_note_past_the_most_one_case_may_hold(api: FakeBotApi, data_dir: Path) -> None:
    account = seeded(data_dir)
    for n in range(limits.MAX_NOTES_PER_CASE):
        account.cases[0].log(NOW, "note", text=f"call {n}")
    save_account(data_dir, account)
    async with casefile_bot(api, data_dir, NOW):
        shown = await answer_to(api, "/note one more call")
    assert shown == t("en", "limits.notes", count=limits.MAX_NOTES_PER_CASE)
    notes = [e for e in stored(data_dir).cases[0].events if e["kind"] == "note"]
    assert len(notes) == limits.MAX_NOTES_PER_CASE


async def test_no_file_past_the_most_one_case_may_hold_and_nothing_downloaded(
        api: FakeBotApi, data_dir: Path) -> None:
    account = seeded(data_dir)
    account.cases[0].evidence = [
        {"id": f"f{n}", "name": f"scan {n}.pdf", "mime": "application/pdf", "size": 1000,
         "sha256": f"{n:064x}", "received_at": NOW.isoformat(), "stored_as": "",
         "caption": "", "proves": None} for n in range(limits.MAX_FILES_PER_CASE)]
    save_account(data_dir, account)
    async with casefile_bot(api, data_dir, NOW):
        mark = api.mark()
        api.send_document(CHAT, "devis.pdf", PDF, "application/pdf")
        call = await api.await_for(lambda c: c.method == "sendMessage"
                                   and c.params.get("chat_id") == CHAT, since=mark)
    assert "the most I can keep for one case" in call.params["text"]
    assert api.calls("getFile") == []
    assert len(stored(data_dir).cases[0].evidence) == limits.MAX_FILES_PER_CASE
