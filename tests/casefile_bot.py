"""Helpers for the case-file tests on Telegram: the real application, a user who sends files."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.telegram_app import build_application
from testing.driver import FRENCH_BUSINESS_CASE
from testing.fakebot import ApiCall, FakeBotApi
from testing.telegram_harness import TelegramUser, question_key, settings_for

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
PDF = b"%PDF-1.7\n% devis signe le 2 mars 2026\n" + bytes(range(256)) * 20
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF bon de livraison " + bytes(range(256)) * 30


@asynccontextmanager
async def casefile_bot(api: FakeBotApi, data_dir: Path, now: datetime | None = NOW,
                       **settings: Any) -> AsyncIterator[Any]:
    """The application as `python -m bot telegram` builds it, with some settings changed."""
    application = build_application(dataclasses.replace(settings_for(api, data_dir, now),
                                                        **settings))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


class FileSendingUser(TelegramUser):
    """A Telegram user who also sends files and reads the bot's toasts."""

    def _to_me(self, call: ApiCall) -> bool:
        return call.method == "sendMessage" and str(call.params.get("chat_id")) == str(
            self.chat_id)

    async def start_case(self, until: str = "ev_contract") -> ApiCall:
        first = await self.say("/start")
        return await self.play(FRENCH_BUSINESS_CASE, first, until=until)

    async def send_file(self, name: str, data: bytes, mime: str) -> ApiCall:
        """Send a document the bot keeps; returns its question: what does it prove?"""
        mark = self.api.mark()
        self.api.send_document(self.chat_id, name, data, mime)
        return await self.next_question(mark)

    async def send_refused_file(self, name: str, data: bytes, mime: str) -> ApiCall:
        """Send a document the bot will not keep; returns its answer."""
        mark = self.api.mark()
        self.api.send_document(self.chat_id, name, data, mime)
        return await self.api.await_for(self._to_me, since=mark, timeout=20)

    async def send_photo(self, data: bytes) -> tuple[dict[str, Any], ApiCall]:
        mark = self.api.mark()
        update = self.api.send_photo(self.chat_id, data)
        return update, await self.next_question(mark)

    async def command(self, text: str) -> ApiCall:
        """A command whose answer may carry no question (/note, /export…)."""
        mark = self.api.mark()
        self.api.send_text(self.chat_id, text, language_code=self.language_code)
        return await self.api.await_for(self._to_me, since=mark, timeout=20)

    async def tap(self, data: str) -> ApiCall:
        """Tap a button carrying ``data`` under the bot's last message (forged or not);
        returns the bot's answer to the tap (its toast)."""
        mark = self.api.mark()
        message_id = max(m.message_id for m in self.api.messages_to(self.chat_id))
        self.api.press_button(self.chat_id, message_id, data)
        return await self.api.await_for("answerCallbackQuery", since=mark, timeout=20)

    async def tap_label(self, label: str, question: bool = True) -> ApiCall:
        """Tap a button of the last keyboard by its label; returns the bot's next question
        (or, with ``question=False``, its next message)."""
        mark = self.api.mark()
        self.api.press_button_labelled(self.chat_id, label)
        if question:
            return await self.next_question(mark)
        return await self.api.await_for(self._to_me, since=mark, timeout=20)


def account_json(data_dir: Path, chat_id: int) -> dict[str, Any]:
    raw = json.loads((data_dir / "chats" / str(chat_id) / "chat.json").read_text("utf-8"))
    return dict(raw["account"]["1"])


def buttons(call: ApiCall) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", [])
            for b in row]


__all__ = ["NOW", "PDF", "PHOTO", "FileSendingUser", "account_json", "buttons",
           "casefile_bot", "question_key"]
