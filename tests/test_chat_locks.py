"""Per-chat locks: one chat's updates in order, and no lock kept for every chat ever seen."""

from __future__ import annotations

import asyncio

from bot.storage.locks import LocalChatLocks as ChatLocks


async def test_one_chat_waits_for_its_own_lock_and_other_chats_do_not() -> None:
    locks = ChatLocks()
    order: list[str] = []

    async def update(chat: str, name: str, pause: float) -> None:
        async with locks[chat]:
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(update("1", "a", 0.05), update("1", "b", 0), update("2", "c", 0))
    assert order.index("a out") < order.index("b in")  # same chat: one after the other
    assert order.index("c in") < order.index("a out")  # another chat did not wait


async def test_a_chat_lock_is_forgotten_once_no_update_holds_or_awaits_it() -> None:
    locks = ChatLocks()
    for chat in range(1000):
        async with locks[str(chat)]:
            assert len(locks) == 1
    assert len(locks) == 0
    held = locks["7"]
    async with held:
        assert locks["7"] is held  # still the same lock while in use
