"""Run the real Telegram application against the fake Bot API, and talk to it as a user."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.telegram_app import ALLOWED_UPDATES, build_application
from testing.fakebot import ApiCall, FakeBotApi

PARIS = ZoneInfo("Europe/Paris")


def settings_for(api: FakeBotApi, data_dir: Path, now: datetime | None) -> Settings:
    return Settings(token=api.token, base_url=api.base_url, base_file_url=api.base_file_url,
                    data_dir=data_dir, tz=PARIS, webhook_secret=None, fixed_now=now)


@asynccontextmanager
async def running_bot(api: FakeBotApi, data_dir: Path, now: datetime | None = None,
                      **settings: Any) -> AsyncIterator[Any]:
    """The application as `python -m bot telegram` builds it, polling the fake server;
    ``settings`` replace those of the same name (the outside sources' addresses…)."""
    application = build_application(replace(settings_for(api, data_dir, now), **settings))
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1,
                                            allowed_updates=ALLOWED_UPDATES)
    try:
        yield application
    finally:
        # In run_polling's order, hooks included (the outbox is closed in post_shutdown).
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def question_key(call: ApiCall) -> str | None:
    """The journey question a sendMessage asks, read from its keyboard's callback data."""
    markup = call.params.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or []
    for row in rows:
        for button in row:
            data = button.get("callback_data") or ""
            if data.count(":") >= 2:
                return str(data.split(":")[1])
    return None


class TelegramUser:
    """A user in a private chat with the bot, typing and tapping buttons."""

    def __init__(self, api: FakeBotApi, chat_id: int = 5001, language_code: str = "fr") -> None:
        self.api = api
        self.chat_id = chat_id
        self.language_code = language_code

    def _is_question(self, call: ApiCall) -> bool:
        same_chat = str(call.params.get("chat_id")) == str(self.chat_id)
        return call.method == "sendMessage" and same_chat and question_key(call) is not None

    async def next_question(self, since: int, timeout: float = 20.0) -> ApiCall:
        return await self.api.await_for(self._is_question, timeout=timeout, since=since)

    async def say(self, text: str) -> ApiCall:
        mark = self.api.mark()
        self.api.send_text(self.chat_id, text, language_code=self.language_code)
        return await self.next_question(mark)

    async def press(self, key: str, value: str) -> ApiCall:
        """Tap the button for `value` under the question `key` (the last one asking it)."""
        mark = self.api.mark()
        for _, data, message_id in self.api.last_keyboard(self.chat_id):
            if data is not None and data.split(":")[1:] == [key, value]:
                self.api.press_button(self.chat_id, message_id, data)
                break
        else:
            shown = self.api.last_keyboard(self.chat_id)
            raise AssertionError(f"no button {key}:{value} in {shown}")
        return await self.next_question(mark)

    async def play(self, script: list[tuple[str, str]], first: ApiCall,
                   until: str | None = None) -> ApiCall:
        """Answer the scripted questions, checking each is the one the bot asks."""
        current = first
        for key, step in script:
            if key == until:
                break
            assert question_key(current) == key, (key, question_key(current),
                                                  current.params.get("text"))
            if step.startswith("press:"):
                current = await self.press(key, step.removeprefix("press:"))
            else:
                current = await self.say(step)
        return current

    def texts(self) -> list[str]:
        return [m.text for m in self.api.messages_to(self.chat_id)]

    def saw(self, text: str) -> bool:
        """Whether ``text`` reached the user, alone or as the part of a message before the
        question it leads to (the adapter sends the two as one message)."""
        return any(m == text or m.startswith(text + "\n\n") or m.endswith("\n\n" + text)
                   or ("\n\n" + text + "\n\n") in m for m in self.texts())


async def settle(seconds: float = 0.2) -> None:
    """Give the bot a moment to finish side calls (keyboard edits) after its last message."""
    await asyncio.sleep(seconds)
