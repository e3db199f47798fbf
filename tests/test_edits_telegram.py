"""An edited message is never an answer: the bot says how to change an answer instead, and asks
Telegram only for the updates it handles. Over the real stack and the fake Bot API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.i18n import t
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import load_account
from testing.telegram_harness import TelegramUser, question_key, running_bot, settle

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))



def stored_answers(data_dir: Path, chat_id: int) -> list[dict[str, object]]:
    """The answers of each case of the chat, as stored on disk."""
    account = load_account(data_dir, str(chat_id))
    assert account is not None
    return [case.answers for case in account.cases]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_an_edited_answer_is_not_taken_and_the_user_is_told_how_to_change_it(
        api: FakeBotApi, data_dir: Path, lang: str) -> None:
    user = TelegramUser(api, language_code=lang)
    async with running_bot(api, data_dir, NOW):
        start = api.send_text(user.chat_id, "/start", language_code=lang)
        first = await user.next_question(0)
        await user.press("jurisdiction", "fr")
        await user.press("debtor_kind", "business")
        mark = api.mark()
        sent = api.send_text(user.chat_id, "ACME Rénovation SARL", language_code=lang)
        asked = await user.next_question(mark)
        assert question_key(asked) == "invoice_number"
        # The user edits the name they gave: not the invoice number, not a new name.
        mark = api.mark()
        api.edit_text(user.chat_id, sent["message"]["message_id"], "Bidule SARL")
        hint = await api.await_for(lambda call: _text_to(call, user.chat_id), since=mark)
        assert hint.params["text"] == t(lang, "edit.not_an_answer")
        assert "↩️" in hint.params["text"]
        assert "✏️" in hint.params["text"]
        # Editing the /start message does not start anything again.
        mark = api.mark()
        api.edit_text(user.chat_id, start["message"]["message_id"], "/new")
        await api.await_for(lambda call: _text_to(call, user.chat_id), since=mark)
        await settle(0.5)
        assert not [c for c in api.calls()[mark:] if question_key(c)]
    answers = stored_answers(data_dir, user.chat_id)
    assert len(answers) == 1
    assert answers[0]["debtor_name"] == "ACME Rénovation SARL"
    assert "invoice_number" not in answers[0]
    assert question_key(first) == "jurisdiction"


async def test_the_bot_asks_only_for_the_updates_it_handles(api: FakeBotApi,
                                                             data_dir: Path) -> None:
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        await user.say("/start")
    assert api.allowed_updates == ["message", "edited_message", "callback_query"]


def _text_to(call: ApiCall, chat_id: int) -> bool:
    return call.method == "sendMessage" and str(call.params.get("chat_id")) == str(chat_id)
