"""Reminders on Telegram: know when something is due, push it, remember it was pushed.

What the reminders say and when they are due is decided in ``flows.followup``; this module
only keeps time and talks to Telegram.

**Where reminders live.** In each chat's own file, with its cases (``bot.storage``): a save
costs one user's data, never all users'. To find what is due without reading every chat file
at startup, a compact **index** maps each chat to the earliest instant it may have something
to push (``<data>/reminders/index.log``). It is an append-only log of ``chat_id epoch`` lines
(``-`` for nothing planned), the last line for a chat wins: a change costs one short appended
line, whatever the number of users; the log is compacted (rewritten atomically) at startup and
when it grows to several times the number of chats. The index is a hint, never the truth: it
may say *earlier* than the chat file (the scheduler then wakes for nothing), never later. For
that, a save that brings a chat's time forward writes the index line *before* the chat file,
and one that pushes it back writes it *after*: a crash between the two leaves an early hint.
A missing index is rebuilt from the chat files (slow, once).

**Timer.** A heap of (instant, chat) from the index, and one JobQueue job armed for the
earliest instant (re-armed at least hourly, so a clock change or a lost wake-up costs at most
an hour). 20 000 pending reminders are not 20 000 scheduler jobs: memory and startup stay
proportional to the number of chats with something planned, read from one small file.

**At least once, at most once per run.** A reminder is marked ``sent`` in the chat file only
after Telegram has taken it, in one durable save for the chat's batch. A reminder whose time
passed while the bot was down is still ``pending`` and goes out at startup; once ``sent`` is on
disk, no restart sends it again. If the process dies between Telegram's answer and that save,
the next process sends it again: a crash can cost one duplicate, never a lost reminder (a rare
duplicate is better than a forgotten deadline). Marking it *before* sending would turn that
into a possible loss, and a durable "sending" mark would only double the writes without
avoiding the duplicate, since nobody can tell whether Telegram got the message. Within one
run, the chat's lock serialises deliveries, and reminders sent but not yet durably recorded
(the save failed) are remembered in memory, so the same run never sends one twice.

**Rate.** Every Bot API call goes through PTB's ``AIORateLimiter`` (30 messages a second
overall by default, ``IMPAYES_SEND_RATE``; a 429 is retried after Telegram's delay), and
reminders pace themselves at two thirds of that so that answers to users typing at that moment
still get through. Nothing is dropped: a reminder Telegram refuses for a while is retried
later; one refused for good (the user blocked the bot) is marked ``failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from aiolimiter import AsyncLimiter
from apscheduler.jobstores.base import JobLookupError
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, CallbackContext, Job, JobQueue

from bot.files import write_atomic
from bot.storage import ChatStore, Write
from bot.telegram_view import bubbles, keyboard
from flows import followup
from flows.conversation import Reply
from flows.model import Account

log = logging.getLogger("impayes.reminders")

REMINDER_SHARE = 2 / 3  # of the send rate, for reminders; the rest for live answers
MAX_SLEEP = timedelta(hours=1)
RETRY_AFTER_ERROR = timedelta(minutes=5)
CONCURRENT_CHATS = 32
Clock = Callable[[], datetime]


class Locks(Protocol):
    """The adapter's per-chat locks (``bot.telegram_app.ChatLocks``)."""

    def __getitem__(self, chat_id: str) -> asyncio.Lock: ...


def rate_limiter(rate: float) -> AIORateLimiter:
    """Every Bot API call within ``rate`` messages a second (0: no limit), 429s retried."""
    return AIORateLimiter(overall_max_rate=rate, overall_time_period=1 if rate else 0,
                          max_retries=3)


# The index ------------------------------------------------------------------------------------
class ReminderIndex:
    """chat id → the earliest instant (epoch seconds) that chat may have a reminder due."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "reminders" / "index.log"
        self.entries: dict[str, int] = {}
        self.listeners: list[Callable[[str, int], None]] = []
        self._lines = 0
        self._lock = threading.Lock()  # saves run in worker threads

    def load(self) -> bool:
        """Read the log; False when there is none (the caller rebuilds it)."""
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            return False
        entries: dict[str, int] = {}
        lines = 0
        # Only whole lines count: a last line without its newline was torn by a crash (the
        # save it came with rewrites the hint anyway, and startup compacts the log).
        for line in text.split("\n")[:-1]:
            chat_id, _, when = line.partition(" ")
            if not chat_id or not when:
                continue
            lines += 1
            if when == "-":
                entries.pop(chat_id, None)
            elif when.isdigit():
                entries[chat_id] = int(when)
        with self._lock:
            self.entries, self._lines = entries, lines
        return True

    def rebuild(self, store: ChatStore, clock: Clock) -> None:
        """Read every chat file once (only when the index was lost)."""
        now = clock()
        entries = {}
        for chat_id in store.chat_ids():
            account = store.load(chat_id)
            wake = followup.next_wakeup(account, now) if account else None
            if wake is not None:
                entries[chat_id] = int(wake.timestamp())
        with self._lock:
            self.entries = entries
        self.compact()

    def get(self, chat_id: str) -> int | None:
        return self.entries.get(chat_id)

    def set(self, chat_id: str, when: datetime | None) -> None:
        # Rounded down: the hint may be a little early, never late.
        value = int(when.timestamp()) if when is not None else None
        with self._lock:
            if self.entries.get(chat_id) == value:
                return
            if value is None:
                del self.entries[chat_id]
            else:
                self.entries[chat_id] = value
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="ascii") as fh:
                fh.write(f"{chat_id} {value if value is not None else '-'}\n")
                fh.flush()
                os.fsync(fh.fileno())
            self._lines += 1
            crowded = self._lines > 4 * len(self.entries) + 1000
        if crowded:
            self.compact()
        if value is not None:
            for listener in self.listeners:
                listener(chat_id, value)

    def compact(self) -> None:
        """Rewrite the log with one line per chat (atomically: temp file, fsync, rename)."""
        with self._lock:
            payload = "".join(f"{chat} {when}\n" for chat, when in self.entries.items())
            write_atomic(self.path, payload.encode("ascii"))
            self._lines = len(self.entries)


class ReminderStore(ChatStore):
    """The chat store, keeping the reminder index in step with every save."""

    def __init__(self, data_dir: Path | str, index: ReminderIndex, clock: Clock) -> None:
        super().__init__(data_dir)
        self.index = index
        self.clock = clock

    def prepare(self, account: Account) -> Write:
        chat_id, wake = account.chat_id, followup.next_wakeup(account, self.clock())
        write_file = super().prepare(account)

        def write() -> None:
            old = self.index.get(chat_id)
            earlier = wake is not None and (old is None or wake.timestamp() < old)
            if earlier:
                self.index.set(chat_id, wake)  # before the file: never a late hint
            write_file()
            if not earlier:
                self.index.set(chat_id, wake)
        return write

    def delete(self, chat_id: str) -> None:
        super().delete(chat_id)
        self.index.set(chat_id, None)
        # The log still names the chat in its earlier lines: rewritten without it at once.
        self.index.compact()

    def note(self, account: Account) -> None:
        """Nothing to save, but the next wake-up moved (say, a reminder waits for morning)."""
        self.index.set(account.chat_id, followup.next_wakeup(account, self.clock()))


# The scheduler ---------------------------------------------------------------------------------
class ReminderService:
    def __init__(self, store: ReminderStore, locks: Locks, rate: float) -> None:
        self.store = store
        self.index = store.index
        self.clock = store.clock
        self.locks = locks
        # Sent in this run but not yet durably recorded (the save after them failed).
        self._unsaved: set[tuple[str, str, str]] = set()
        self.limiter = AsyncLimiter(rate * REMINDER_SHARE, 1) if rate else None
        self.bot: Bot | None = None
        self.job_queue: JobQueue[Any] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._heap: list[tuple[int, str]] = []
        self._heap_lock = threading.Lock()
        self._job: Job[Any] | None = None
        self._armed_for: int | None = None
        self._run_lock = asyncio.Lock()
        self.index.listeners.append(self._on_index)

    async def start(self, bot: Bot, job_queue: JobQueue[Any] | None) -> None:
        """At startup: read the index (or rebuild it) and arm the timer; what fell due while
        the bot was down goes out at once."""
        self.bot, self.job_queue = bot, job_queue
        self.loop = asyncio.get_running_loop()
        if await asyncio.to_thread(self.index.load):
            await asyncio.to_thread(self.index.compact)
        else:
            await asyncio.to_thread(self.index.rebuild, self.store, self.clock)
        with self._heap_lock:
            self._heap = [(when, chat) for chat, when in self.index.entries.items()]
            heapq.heapify(self._heap)
        log.info("reminders: %d chats with something planned", len(self._heap))
        self.arm()

    def stop(self) -> None:
        if self._job is not None:
            # PTB stops the JobQueue before post_stop runs, and its scheduler has already
            # dropped the job: removing it again raised and turned a clean stop into a crash.
            with contextlib.suppress(JobLookupError):
                self._job.schedule_removal()
            self._job = None

    # Timer -------------------------------------------------------------------------------------
    def _on_index(self, chat_id: str, when: int) -> None:
        """The index changed (from any thread): remember, and wake earlier if needed."""
        with self._heap_lock:
            heapq.heappush(self._heap, (when, chat_id))
            sooner = self._armed_for is None or when < self._armed_for
        if sooner and self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.arm)

    def arm(self) -> None:
        """(Re)arm the one JobQueue job for the earliest planned instant."""
        if self.job_queue is None:
            return
        with self._heap_lock:
            while self._heap and self.index.get(self._heap[0][1]) != self._heap[0][0]:
                heapq.heappop(self._heap)  # superseded by a later line for the same chat
            first = self._heap[0][0] if self._heap else None
        now = self.clock().timestamp()
        delay = MAX_SLEEP.total_seconds() if first is None else first - now
        delay = min(max(delay, 0.0), MAX_SLEEP.total_seconds())
        if self._job is not None:
            self._job.schedule_removal()
        self._armed_for = int(now + delay)
        self._job = self.job_queue.run_once(self._tick, when=delay, name="reminders")

    async def _tick(self, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        self._job = None
        self._armed_for = None
        try:
            await self.run_due()
        finally:
            self.arm()

    # Delivery ----------------------------------------------------------------------------------
    async def run_due(self) -> int:
        """Push every reminder due now; how many went out."""
        async with self._run_lock:
            now = int(self.clock().timestamp())
            chats: list[str] = []
            with self._heap_lock:
                while self._heap and self._heap[0][0] <= now:
                    when, chat_id = heapq.heappop(self._heap)
                    if self.index.get(chat_id) == when and chat_id not in chats:
                        chats.append(chat_id)
            if not chats:
                return 0
            gate = asyncio.Semaphore(CONCURRENT_CHATS)

            async def one(chat_id: str) -> int:
                async with gate:
                    return await self.deliver(chat_id)

            sent = await asyncio.gather(*(one(chat_id) for chat_id in chats))
            return sum(sent)

    async def deliver(self, chat_id: str) -> int:
        """Push the due reminders of one chat, holding that chat's lock (no answer of the
        user is handled in the middle)."""
        async with self.locks[chat_id]:
            try:
                return await self._deliver(chat_id)
            except Exception:
                log.exception("reminders for chat %s failed", chat_id)
                when = self.clock() + RETRY_AFTER_ERROR
                self._on_index(chat_id, int(when.timestamp()))
                return 0
            finally:
                current = self.index.get(chat_id)
                if current is not None:  # keep the chat on the heap whatever happened
                    self._on_index(chat_id, current)

    async def _deliver(self, chat_id: str) -> int:
        now = self.clock()
        account = await asyncio.to_thread(self.store.load, chat_id)
        if account is None or not chat_id.lstrip("-").isdigit():
            self.index.set(chat_id, None)  # deleted, or a console user: nothing to push
            return 0
        batch = followup.due(account, now)
        if not batch:
            self.store.note(account)  # night: wait for the morning; or nothing left
            return 0
        sent = 0
        keys = []
        for case, record in batch:
            key = (chat_id, case.id, str(record["id"]))
            keys.append(key)
            if key in self._unsaved:  # sent earlier in this run; only its record was lost
                followup.mark_sent(record, account, self.clock())
                continue
            reply = followup.reminder_reply(account, case, record, now)
            delivered, retry_at = await self._send(int(chat_id), reply)
            if delivered:
                self._unsaved.add(key)
                followup.mark_sent(record, account, self.clock())
                sent += 1
            else:
                followup.mark_failed(record, now, retry_at)
        followup.refresh(account, self.clock())
        await asyncio.to_thread(self.store.save, account)  # after sending: never a lost one
        self._unsaved.difference_update(keys)
        log.info("reminders: %d pushed to chat %s", sent, chat_id)
        return sent

    async def _send(self, chat_id: int, reply: Reply) -> tuple[bool, datetime | None]:
        """Send one reminder: (True, None) when it went out, else (False, when to retry),
        None meaning never."""
        assert self.bot is not None
        chunks, question = bubbles(reply)  # as the adapter shows a reply: one bubble if it can
        try:
            for chunk in chunks:
                await self._paced(self.bot.send_message(chat_id, chunk))
            if reply.prompt is not None and question is not None:
                await self._paced(self.bot.send_message(chat_id, question,
                                                        reply_markup=keyboard(reply.prompt)))
        except Forbidden:
            return False, None  # blocked by the user: no point in trying again
        except BadRequest as error:
            log.warning("reminder to chat %s refused: %s", chat_id, error.message)
            return False, None
        except RetryAfter as error:
            seconds = error.retry_after
            delay = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
            return False, self.clock() + max(delay, timedelta(seconds=1))
        except TelegramError as error:
            log.warning("reminder to chat %s not sent: %s", chat_id, type(error).__name__)
            return False, self.clock() + RETRY_AFTER_ERROR
        return True, None

    async def _paced(self, call: Any) -> Any:
        if self.limiter is None:
            return await call
        async with self.limiter:
            return await call
