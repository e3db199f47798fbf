"""What a user can type that once broke the bot: odd time zones, long emoji names, characters
that cannot be stored. Each is answered with a clear message and nothing breaks afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.i18n import t
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import load_account, save_account
from testing.telegram_harness import TelegramUser, running_bot
from tests.followup_cases import FORMAL_DEMAND, followed

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
CHAT = 7301



def followed_chat(data_dir: Path, chat_id: int = CHAT, lang: str = "en") -> None:
    """A chat on disk whose formal demand has gone out (it has reminders)."""
    d = followed(FORMAL_DEMAND, lang=lang, chat_id=str(chat_id))
    save_account(data_dir, d.account)


def text_to(chat_id: int, *needles: str):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        text = str(call.params.get("text") or "")
        return (call.method == "sendMessage" and call.params.get("chat_id") == chat_id
                and all(n in text for n in needles))
    return match


@pytest.mark.parametrize("zone", ["Europe", "A" * 300, "../../etc/passwd", "Europe/"])
async def test_a_time_zone_that_is_a_folder_or_too_long_is_a_friendly_error(
        api: FakeBotApi, data_dir: Path, zone: str) -> None:
    followed_chat(data_dir)
    user = TelegramUser(api, CHAT, "en")
    async with running_bot(api, data_dir, NOW):
        await user.say("/reminders")
        await user.press("rm", "tz")
        mark = api.mark()
        api.send_text(CHAT, zone, language_code="en")
        await api.await_for(text_to(CHAT, "I don't know this time zone"), since=mark)
        # The zone was not taken, and the chat still works: a real zone is accepted next.
        mark = api.mark()
        api.send_text(CHAT, "America/Toronto", language_code="en")
        await api.await_for(text_to(CHAT, "America/Toronto"), since=mark)
    assert t("en", "error.internal") not in TelegramUser(api, CHAT).texts()
    account = load_account(data_dir, str(CHAT))
    assert account is not None
    assert account.settings["tz"] == "America/Toronto"


async def test_cases_with_long_emoji_names_are_listed_within_telegrams_utf16_limit(
        api: FakeBotApi, data_dir: Path) -> None:
    d = followed(FORMAL_DEMAND, lang="en", chat_id=str(CHAT))
    base = d.account.cases[0]
    # Fifteen debtors named with 150 emoji each: about 3 500 characters in Python, but every
    # emoji is two UTF-16 units, the unit Telegram counts its 4 096 in.
    d.account.cases = [replace(base, id=f"case{n:02d}",
                               answers={**base.answers, "debtor_name": f"{n} " + "😀" * 150})
                       for n in range(15)]
    save_account(data_dir, d.account)
    user = TelegramUser(api, CHAT, "en")
    async with running_bot(api, data_dir, NOW):
        mark = api.mark()
        await user.say("/cases")
        shown = [str(c.params["text"]) for c in api.calls()[mark:] if c.method == "sendMessage"
                 if c.params.get("chat_id") == CHAT]
    assert t("en", "error.internal") not in shown
    listed = "\n".join(shown)
    for n in range(15):
        assert f"{n} " + "😀" * 150 in listed  # no name cut in half between two messages
    assert all(len(text.encode("utf-16-le")) // 2 <= 4096 for text in shown)


async def test_a_lone_surrogate_is_refused_at_input_and_never_stored(
        api: FakeBotApi, data_dir: Path) -> None:
    followed_chat(data_dir)
    user = TelegramUser(api, CHAT, "en")
    async with running_bot(api, data_dir, NOW):
        mark = api.mark()
        api.send_text(CHAT, "/note", language_code="en")
        await api.await_for(text_to(CHAT, "Type your note"), since=mark)
        mark = api.mark()
        # JSON may carry a lone surrogate ("\\ud800"), which no UTF-8 file can hold.
        api.send_text(CHAT, "Called the debtor \ud800 today", language_code="en")
        await api.await_for(text_to(CHAT, t("en", "input.unreadable")), since=mark)
        mark = api.mark()
        api.send_text(CHAT, "Called the debtor today", language_code="en")
        await api.await_for(text_to(CHAT, "Note added to the chronology"), since=mark)
    assert t("en", "error.internal") not in user.texts()
    account = load_account(data_dir, str(CHAT))
    assert account is not None
    notes = [e["params"]["text"] for e in account.cases[0].events if e["kind"] == "note"]
    assert notes == ["Called the debtor today"]
