"""A case belongs to one person: the bot works in private chats only, and a button counts only
when pressed by the user it was shown to. In a group every member shared one account: one
member exported another's case, and a third confirmed the second's /delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.i18n import t
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import settle
from tests.casefile_bot import FileSendingUser, account_json, casefile_bot

GROUP = -4242
ALICE, BOB = 9101, 9102



def to_chat(chat_id: int):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        return call.method == "sendMessage" and call.params.get("chat_id") == chat_id
    return match


@pytest.mark.parametrize("command", ["/start", "/export", "/delete", "/cases"])
async def test_in_a_group_the_bot_says_it_works_in_private_only_and_keeps_nothing(
        api: FakeBotApi, data_dir: Path, command: str) -> None:
    async with casefile_bot(api, data_dir):
        mark = api.mark()
        api.send_text(GROUP, command, user_id=ALICE, language_code="en")
        answer = await api.await_for(to_chat(GROUP), since=mark)
        api.send_text(GROUP, "ACME", user_id=BOB, language_code="en")  # no reply to chatter
        await settle(0.5)
    assert answer.params["text"] == t("en", "private.only")
    assert [c for c in api.calls()[mark:] if c.method == "sendMessage"] == [answer]
    assert [c for c in api.calls()[mark:] if c.method in {"sendDocument", "sendMediaGroup"}] == []
    assert not (data_dir / "chats" / str(GROUP)).exists()


async def test_a_delete_confirmation_counts_only_from_the_user_who_asked(
        api: FakeBotApi, data_dir: Path) -> None:
    alice = FileSendingUser(api, chat_id=ALICE, language_code="en")
    async with casefile_bot(api, data_dir):
        await alice.start_case(until="debtor_name")
        asked = await alice.say("/delete")
        data = asked.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        # Someone else's press on Alice's confirmation (as a group member could) erases nothing.
        api.press_button(ALICE, asked.result["message_id"], data, user_id=BOB)
        await settle(1.0)
        assert account_json(data_dir, ALICE)["cases"]
        mark = api.mark()
        api.press_button(ALICE, asked.result["message_id"], data)
        await api.await_for(to_chat(ALICE), since=mark)
    assert not (data_dir / "chats" / str(ALICE)).exists()
