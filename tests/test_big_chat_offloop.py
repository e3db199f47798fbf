"""A chat at the limits of what one user may keep (``flows.limits``) is loaded and saved without
holding up anyone else: while its messages are handled, another chat's replies keep coming.
Over the real Telegram stack and the fake Bot API; progress is counted, never timed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from flows import limits
from flows.i18n import t
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import load_account, save_account
from tests.casefile_bot import NOW, casefile_bot
from tests.followup_cases import FORMAL_DEMAND, followed

BIG, SMALL = 8201, 8202
# Another chat's turns done while the big chat's one message is handled: each is a whole round
# trip (the message, its turn, its reply). With the big chat's JSON read and written on the
# event loop, the other chat got at most a couple in, during the disk write.
ENOUGH_TURNS = 5
MOST_TURNS = 200  # a bound, so that a big chat never answering still ends the test
NOTE_ADDED = t("en", "casefile.note.added").split("{")[0]  # "📝 Note added to the chronology"


def seed_big_chat(data_dir: Path) -> None:
    """Every case a user may open, each with all its files and two notes short of the most."""
    account = followed(FORMAL_DEMAND, lang="en", chat_id=str(BIG)).account
    base = account.cases[0]
    for n in range(limits.MAX_NOTES_PER_CASE - 2):
        base.log(NOW, "note", text=f"call {n}: the client says the payment is on its way")
    base.evidence = [
        {"id": f"f{n}", "name": f"scan {n}.pdf", "mime": "application/pdf", "size": 1000,
         "sha256": f"{n:064x}", "received_at": NOW.isoformat(), "stored_as": "",
         "caption": "", "proves": None} for n in range(limits.MAX_FILES_PER_CASE)]
    account.cases = [replace(base, id=f"case{n:03d}") for n in range(limits.MAX_CASES)]
    account.active_case = account.cases[-1].id
    save_account(data_dir, account)


def to(chat_id: int) -> Callable[[ApiCall], bool]:
    return lambda call: call.method == "sendMessage" and call.params.get("chat_id") == chat_id


def note_added(call: ApiCall) -> bool:
    return to(BIG)(call) and str(call.params.get("text", "")).startswith(NOTE_ADDED)


async def test_another_chat_keeps_getting_replies_while_a_chat_at_the_limits_is_saved(
        api: FakeBotApi, data_dir: Path) -> None:
    seed_big_chat(data_dir)
    async with casefile_bot(api, data_dir, NOW):
        mark = api.mark()
        api.send_text(SMALL, "/help", language_code="en")  # the other chat, once known
        await api.await_for(to(SMALL), since=mark)
        for note in ("first call of the day", "second call of the day"):
            big_mark = api.mark()
            api.send_text(BIG, f"/note {note}", language_code="en")  # loaded, then saved
            turns = 0
            while not any(note_added(call) for call in api.calls()[big_mark:]) \
                    and turns < MOST_TURNS:
                mark = api.mark()
                api.send_text(SMALL, "/help", language_code="en")
                await api.await_for(to(SMALL), since=mark, timeout=60)
                turns += 1
            await api.await_for(note_added, since=big_mark, timeout=120)
            assert turns >= ENOUGH_TURNS, f"only {turns} replies to the other chat meanwhile"
    account = load_account(data_dir, BIG)
    assert account is not None
    notes = [e["params"]["text"] for e in account.cases[-1].events if e["kind"] == "note"]
    assert notes[-2:] == ["first call of the day", "second call of the day"]  # both kept
    assert len(notes) == limits.MAX_NOTES_PER_CASE
