"""Users on disk, written through the real storage, as many as a benchmark needs.

A few template accounts are driven through the real journey (``flows.turn.turn``); each
simulated user is a copy with its own chat id and case id, saved through the bot's
``Assistant`` and TinyDB storage so the files are exactly what the bot writes. Generation
skips fsync (a benchmark's scratch data need not survive a power cut) and is otherwise the
production path.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

from bot.service import Assistant
from bot.storage import StoredChat, TinyDBStorage
from flows.model import Account, new_id
from testing.driver import FRENCH_BUSINESS_CASE, Driver

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
FIRST_CHAT = 100_000


def journey_until(key: str | None, lang: str = "fr") -> Account:
    """An account whose case waits on question ``key`` (None: the whole journey, documents
    decided, now in follow-up)."""
    driver = Driver(lang=lang, now=NOW)
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE, until=key)
    return driver.account


def typed_script(start: str, stop: str = "review") -> list[str]:
    """What a user types, answer by answer, from question ``start`` to just before ``stop``:
    choices by their number, yes/no in words, the rest as in the scripted case."""
    driver = Driver(now=NOW)
    driver.command("start")
    texts: list[str] = []
    for key, step in FRENCH_BUSINESS_CASE:
        if key == stop:
            break
        if key == start or texts:
            prompt = driver.prompt
            assert prompt.key == key, (prompt.key, key)
            if step.startswith("press:"):
                value = step.removeprefix("press:")
                if value in {"yes", "no"}:
                    texts.append("oui" if value == "yes" else "non")
                else:
                    texts.append(str([b.value for b in prompt.buttons].index(value) + 1))
            else:
                texts.append(step)
        driver.answer(step)
    return texts


def clone(template: Account, chat_id: int) -> Account:
    data = json.loads(json.dumps(template.to_json()))
    data["chat_id"] = str(chat_id)
    for case in data["cases"]:
        old, case["id"] = case["id"], new_id()
        if data["active_case"] == old:
            data["active_case"] = case["id"]
    return Account.from_json(data)


@contextlib.contextmanager
def _no_fsync() -> Iterator[None]:
    with mock.patch.object(os, "fsync", return_value=None):
        yield


def populate(data_dir: Path, templates: list[Account], count: int,
             first_chat: int = FIRST_CHAT) -> list[int]:
    """Write ``count`` users cycling over the templates (each save keeps the reminder index
    in step, as the running bot's do); return their chat ids."""
    storage = TinyDBStorage(data_dir)
    assistant = Assistant(storage, lambda: NOW)
    chats = list(range(first_chat, first_chat + count))
    try:
        with _no_fsync():
            for n, chat_id in enumerate(chats):
                assistant.save(StoredChat(clone(templates[n % len(templates)], chat_id)))
    finally:
        storage.close()
    return chats


def pending_reminders(account: Account) -> int:
    """Reminders waiting to be sent in the account's cases (issue 5's follow-up)."""
    count = 0
    for case in account.cases:
        followup = case.followup or {}
        count += sum(1 for r in followup.get("reminders", []) if r.get("status") == "pending")
    return count


def mixed_templates() -> list[Account]:
    """Users spread along the journey, as a live bot's would be."""
    keys = ["jurisdiction", "debtor_name", "issue_date", "supply", "rights_ack", "ev_delivery",
            "remedy", "creditor_address", "review", None]
    return [journey_until(key, lang) for key in keys for lang in ("fr", "en")]
