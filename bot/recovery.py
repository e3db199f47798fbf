"""After a crash: answer the chats the last run left without a reply, sweep what it left.

**Noting what is owed** (``bot.outbox``). python-telegram-bot puts each update it fetches into
its update queue, then confirms it to Telegram with the next ``getUpdates``; the queue here
notes the update's chat in the outbox as it goes in, so nothing Telegram will not send again
escapes the note. The update processor notes it again once handled (its reply shown, or none
needed). An update still under way when the bot stops cleanly is not noted as handled either:
it too is answered at the next start.

**Answering at startup.** In the background, so that polling starts at once: for each chat
owed a reply, under that chat's lock, the turn for ``Command("resume", INTERRUPTED)`` runs and
its reply is shown (an apology, then where the case stands; with documents still to draw, those
too, see ``flows.pending``). Updates Telegram had not yet been told were received come again
now; they go first (the bot asks how many are waiting and lets them in), so that the apology
never shows a question the user's redelivered answer is about to move past. A chat shown any
reply meanwhile is owed nothing more. A chat whose answer was started ``MAX_ATTEMPTS`` times
already (each start killed) is given up: the bot must not die on it at every start.

**Sweeping.** Interrupted atomic writes leave temporary files, interrupted evidence downloads
and exports never sent leave scratch files; older than this process, nothing will ever use
them, so a background thread has the storage remove them at startup (``Storage.sweep``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import SimpleUpdateProcessor

from bot import redact
from bot.outbox import Outbox
from bot.storage import Storage
from flows.conversation import INTERRUPTED, Command

log = logging.getLogger("impayes.recovery")

# This process's start, near enough: taken when the Telegram adapter imports this module, before
# the bot writes anything, and again in a process forked after that (the tests' launcher,
# testing/forkserver.py, forks bots from a process that imported it). A temporary file older
# than this belongs to a dead process.
STARTED_AT = time.time()


def _started_now() -> None:
    global STARTED_AT  # the one value a fork must renew
    STARTED_AT = time.time()


os.register_at_fork(after_in_child=_started_now)
MAX_ATTEMPTS = 3
CONCURRENT_CHATS = 8  # chats answered at once at startup (as many as Bot API connections)
LET_IN_TIMEOUT = 15.0  # seconds to wait for the updates Telegram holds to come in, at most
POLL = 0.02


def private_chat(update: object) -> str | None:
    """The chat id of an update from a private chat (the only ones the bot converses in)."""
    if isinstance(update, Update):
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            return str(chat.id)
    return None


class ReceivedUpdates(asyncio.Queue[object]):
    """python-telegram-bot's update queue, noting each private chat's update in the outbox
    as it comes in (the updater confirms an update to Telegram only after putting it here)."""

    def __init__(self, outbox: Outbox) -> None:
        super().__init__()
        self.outbox = outbox
        self.updates = 0  # updates of any chat put in so far

    def put_nowait(self, item: object) -> None:
        if isinstance(item, Update):
            self.updates += 1
            chat_id = private_chat(item)
            if chat_id is not None:
                self.outbox.came_in(chat_id)
        super().put_nowait(item)


class AnsweredUpdates(SimpleUpdateProcessor):
    """Runs each update as python-telegram-bot does, then notes it handled in the outbox."""

    def __init__(self, max_concurrent_updates: int, outbox: Outbox) -> None:
        super().__init__(max_concurrent_updates)
        self.outbox = outbox

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Handler errors are caught inside (the error handler tells the user something went
        # wrong); a cancellation (the bot stopping mid-reply) leaves the update owed.
        try:
            await coroutine
        except asyncio.CancelledError:
            raise
        except Exception:
            self._handled(update)
            raise
        self._handled(update)

    def _handled(self, update: object) -> None:
        chat_id = private_chat(update)
        if chat_id is not None:
            self.outbox.handled(chat_id)


class Recovery:
    """The startup step: open the outbox, answer what it says is owed, sweep leftovers."""

    def __init__(self, adapter: Any, queue: ReceivedUpdates | None = None) -> None:
        self.adapter = adapter  # bot.telegram_app.TelegramAdapter (which imports this module)
        self.outbox: Outbox = adapter.outbox
        self.queue = queue
        self.owed: dict[str, int] = {}
        self.task: asyncio.Task[None] | None = None
        self.sweeper: threading.Thread | None = None
        self.answered = 0  # chats shown their reply by this recovery

    def start(self, bot: Bot) -> None:
        """Before polling starts: read the outbox (quick), then answer in the background."""
        self.owed = self.outbox.open()
        storage = self.adapter.assistant.storage
        self.sweeper = threading.Thread(target=sweep, args=(storage, STARTED_AT),
                                        name="sweep-temporary", daemon=True)
        self.sweeper.start()
        if self.owed:
            log.info("recovery: %d chats owed a reply", len(self.owed))
            self.task = asyncio.create_task(self.run(bot), name="recovery")

    async def run(self, bot: Bot) -> None:
        await self._let_waiting_updates_in(bot)
        gate = asyncio.Semaphore(CONCURRENT_CHATS)

        async def one(chat_id: str, attempts: int) -> None:
            async with gate:
                await self.recover(bot, chat_id, attempts)

        await asyncio.gather(*(one(chat, n) for chat, n in self.owed.items()))
        log.info("recovery: %d chats answered", self.answered)

    async def _let_waiting_updates_in(self, bot: Bot) -> None:
        """Wait until the updates Telegram holds now have come in (some may be the very
        answers whose reply was lost, not yet confirmed when the bot died)."""
        if self.queue is None:
            return
        try:
            waiting = (await bot.get_webhook_info()).pending_update_count
        except TelegramError as error:
            log.info("recovery: pending updates unknown (%s)", type(error).__name__)
            return
        await _until(lambda: self.queue is not None and self.queue.updates >= waiting)

    async def recover(self, bot: Bot, chat_id: str, attempts: int) -> None:
        outbox = self.outbox
        if attempts >= MAX_ATTEMPTS:
            log.warning("recovery: chat %s given up after %d attempts", chat_id, attempts)
            outbox.settle(chat_id)
            return
        # This chat's updates that came in since the start go first: if one is answered,
        # the chat is owed nothing more; if it was already handled, it shows nothing.
        await _until(lambda: outbox.in_flight(chat_id) <= 0)
        async with self.adapter.locks[chat_id]:
            if chat_id not in outbox.inherited:
                return  # shown a reply meanwhile
            outbox.attempt(chat_id)
            try:
                decided = await self.adapter.decide(chat_id, Command("resume", INTERRUPTED))
                if decided is not None:
                    await asyncio.to_thread(decided.commit)
                    await self.adapter.show(bot, int(chat_id), decided.reply)
            except Forbidden:
                log.info("recovery: chat %s blocked the bot", chat_id)
            except Exception as error:
                # Still owed: the chat's next reply settles it, or the next start retries.
                log.error("recovery: chat %s failed: %s\n%s", chat_id, type(error).__name__,
                          redact.stack_of(error))
                return
            else:
                self.answered += 1
            outbox.settle(chat_id)

    async def stop(self) -> None:
        """The application stops: what is not answered yet stays owed for the next start."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def close(self) -> None:
        self.outbox.close()


async def _until(condition: Any, timeout: float = LET_IN_TIMEOUT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(POLL)


def sweep(storage: Storage, older_than: float) -> int:
    """Have the storage remove what interrupted work left; logs only how many."""
    try:
        # Temporary files of atomic writes, evidence downloads cut short, and export zips a
        # crash kept from being sent and discarded (a copy of everything held on the user).
        removed = storage.sweep(older_than)
    except Exception as error:  # a disk's or a database's refusal: swept at the next start
        log.warning("temporary files not swept: %s", type(error).__name__)
        return 0
    log.info("temporary files swept: %d", removed)
    return removed
