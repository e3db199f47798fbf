"""Telegram's conventions: /privacy, the bot's description per language, commands offered in
private chats only, and "sending a file…" shown for as long as documents are drawn. Over the
real python-telegram-bot stack and the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot, BotCommandScopeAllPrivateChats

from bot import telegram_app
from flows.i18n import t
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import FakeBotApi
from testing.stored import load_account
from testing.telegram_harness import TelegramUser, running_bot

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_privacy_says_what_is_kept_where_how_long_and_how_to_export_or_erase(
        api: FakeBotApi, data_dir: Path, lang: str) -> None:
    user = TelegramUser(api, language_code=lang)
    async with running_bot(api, data_dir, NOW):
        mark = api.mark()
        api.send_text(user.chat_id, "/privacy", language_code=lang)
        answer = await api.await_for("sendMessage", since=mark)
    text = answer.params["text"]
    assert text == t(lang, "privacy.text")
    assert "/export" in text
    assert "/delete" in text
    assert "SHA-256" in text
    assert ("tant que vous ne les effacez pas" if lang == "fr" else "until you erase it") in text
    # Nothing stored for a question about privacy: no case opened. (A case's folder under
    # cases/ appears only with its first file: its absence proved nothing.)
    account = load_account(data_dir, user.chat_id)
    assert account is None or account.cases == []


async def test_description_and_short_description_are_set_per_language(
        api: FakeBotApi, data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW):
        await api.await_for_count(2, "setMyShortDescription", timeout=10)
        bot = Bot(api.token, base_url=api.base_url)
        async with bot:
            french = await bot.get_my_description()  # the default: French
            english = await bot.get_my_description(language_code="en")
            short_fr = await bot.get_my_short_description()
            short_en = await bot.get_my_short_description(language_code="en")
    assert french.description == t("fr", "bot_profile.description")
    assert english.description == t("en", "bot_profile.description")
    assert "Belgique" in french.description
    assert "Belgium" in english.description
    assert short_fr.short_description == t("fr", "bot_profile.short_description")
    assert short_en.short_description == t("en", "bot_profile.short_description")
    # Telegram's limits (the fake Bot API refuses longer ones as Telegram does).
    assert all(call.ok for call in api.calls("setMyDescription") + api.calls(
        "setMyShortDescription"))


async def test_commands_are_offered_in_private_chats_only(api: FakeBotApi,
                                                          data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW):
        await api.await_for_count(2, "setMyCommands", timeout=10)
        bot = Bot(api.token, base_url=api.base_url)
        async with bot:
            private = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
            private_en = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(),
                                                   language_code="en")
            everywhere = await bot.get_my_commands()
    assert {"start", "privacy", "help"} <= {command.command for command in private}
    assert dict((c.command, c.description) for c in private_en)["privacy"] == t(
        "en", "commands.privacy")
    assert everywhere == ()  # groups are offered no menu


async def test_sending_a_file_is_shown_again_while_documents_are_drawn(
        api: FakeBotApi, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Telegram shows the action for five seconds; the bot says it again every few seconds.
    # Here every 50 ms, so that drawing six documents (well over 50 ms) repeats it.
    monkeypatch.setattr(telegram_app, "UPLOAD_ACTION_EVERY", 0.05)
    user = TelegramUser(api)
    async with running_bot(api, data_dir, NOW):
        first = await user.say("/start")
        mark = api.mark()
        await user.play(FRENCH_BUSINESS_CASE, first)
        await api.await_documents(user.chat_id, 6, since=mark, timeout=30)
        await asyncio.sleep(0.2)
        # And it stops once the files are sent.
        count = len(api.calls("sendChatAction"))
        await asyncio.sleep(0.3)
        assert len(api.calls("sendChatAction")) == count
        calls = api.calls()[mark:]
    first_document = next(i for i, call in enumerate(calls)
                          if call.method in ("sendDocument", "sendMediaGroup"))
    actions = [call for call in calls[:first_document] if call.method == "sendChatAction"]
    assert len(actions) >= 2
    assert {call.params["action"] for call in actions} == {"upload_document"}
    assert {str(call.params["chat_id"]) for call in actions} == {str(user.chat_id)}
