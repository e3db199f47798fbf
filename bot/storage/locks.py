"""Per-chat locks within one process: one chat's work in order, other chats never held up."""

from __future__ import annotations

import asyncio
import weakref


class LocalChatLocks:
    """One ``asyncio.Lock`` per chat, made when first needed and forgotten when no task holds
    or awaits it (a plain dict kept a lock for every chat ever seen, for the life of the
    process). Enough when one process serves the storage (TinyDB); a shared backend takes a
    database lock inside it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())

    def __getitem__(self, chat_id: str) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock

    def __len__(self) -> int:
        return len(self._locks)
