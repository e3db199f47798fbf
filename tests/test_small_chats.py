"""Which chats run their turn on the event loop (``Assistant.small``): those seen small lately,
and only as many as ``SMALL_KEPT``, so that a bot up for months does not remember every chat."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot import service
from bot.service import Assistant
from bot.storage import StoredChat, TinyDBStorage, json_pieces
from flows.conversation import Command
from flows.model import Account, Case

NOW = datetime.fromisoformat("2026-11-23T10:00:00+01:00")


def test_only_the_chats_seen_small_lately_are_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "SMALL_KEPT", 3)
    assistant = Assistant(TinyDBStorage(tmp_path), lambda: NOW)
    for chat_id in ("1", "2", "3"):
        assistant.handle(chat_id, Command("start"), "fr")
    assert [assistant.small(c) for c in ("1", "2", "3")] == [True, True, True]
    assistant.handle("1", Command("start"))  # seen again: now the most recent
    assistant.handle("4", Command("start"), "fr")
    # "2", seen longest ago, is forgotten: its next turn runs in a thread, as after a restart.
    assert [assistant.small(c) for c in ("1", "2", "3", "4")] == [True, False, True, True]
    assistant.handle("2", Command("start"))
    assert assistant.small("2")
    assert not assistant.small("3")


def test_a_big_chat_is_not_small(tmp_path: Path) -> None:
    storage = TinyDBStorage(tmp_path)
    account = Account.new("8301", "fr")
    account.cases = [Case(id="case1", created_at="2026-11-23T10:00:00+01:00")]
    account.cases[0].events = [{"at": "2026-11-23T10:00:00+01:00", "kind": "note",
                                "params": {"text": f"appel n° {n}"}}
                               for n in range(json_pieces.BIG_RECORDS + 1)]
    storage.accounts.save(StoredChat(account), None)
    assistant = Assistant(storage, lambda: NOW)
    assistant.handle("8301", Command("start"))
    assert not assistant.small("8301")
    assistant.handle("8302", Command("start"), "fr")
    assert assistant.small("8302")
