"""After /delete, nothing names the chat on disk: not its folder, and at once (not at the next
start) not the outbox's log nor the reminder index either."""

from __future__ import annotations

from pathlib import Path

from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import save_account
from testing.telegram_harness import TelegramUser
from tests.casefile_bot import casefile_bot
from tests.followup_cases import FORMAL_DEMAND, followed

CHAT, OTHER = 7701, 7702



def to_chat(chat_id: int):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        return call.method == "sendMessage" and call.params.get("chat_id") == chat_id
    return match


def naming(data_dir: Path, chat_id: int) -> list[str]:
    """Every file whose name or content holds the chat id."""
    found = []
    for path in data_dir.rglob("*"):
        if str(chat_id) in path.as_posix() or (
                path.is_file() and str(chat_id).encode() in path.read_bytes()):
            found.append(path.as_posix())
    return found


async def test_after_delete_the_chat_id_leaves_the_outbox_and_reminder_index_at_once(
        api: FakeBotApi, data_dir: Path) -> None:
    for chat_id in (CHAT, OTHER):  # both with reminders pending, so both in the index
        save_account(data_dir, followed(FORMAL_DEMAND, chat_id=str(chat_id)).account)
    user = TelegramUser(api, CHAT)
    async with casefile_bot(api, data_dir):
        await TelegramUser(api, OTHER).say("/reminders")
        await user.say("/reminders")
        assert naming(data_dir, CHAT)
        asked = await user.say("/delete")
        mark = api.mark()
        api.press_button(CHAT, asked.result["message_id"],
                         asked.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        await api.await_for(to_chat(CHAT), since=mark)
        await api.await_for("answerCallbackQuery", since=mark)
        # The bot still runs: nothing on disk names the erased chat any more.
        assert naming(data_dir, CHAT) == []
        assert naming(data_dir, OTHER)  # the other user's traces are untouched
    assert naming(data_dir, CHAT) == []
