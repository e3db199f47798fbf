"""Reminders on Telegram: know when something is due, push it, remember it was pushed.

What the reminders say and when they are due is decided in ``flows.followup``; this module
only keeps time and talks to Telegram.

**Where reminders live.** In each chat's account, with its cases: a save costs one user's data,
never all users'. To find what is due without reading every chat, the storage keeps a
**reminder index** (``bot.storage``'s ``ReminderIndex``: a log file on TinyDB, a table on
PostgreSQL) mapping each chat to the earliest instant it may have something to push, written
with every save of the chat (``Assistant.prepare`` gives it the instant). The index is a hint,
never the truth: it may say *earlier* than the chat (the scheduler then wakes for nothing),
never later. A lost index is rebuilt from the accounts (slow, once).

**Timer.** One JobQueue job armed for the earliest instant the index holds (re-armed at least
hourly, so a clock change or a lost wake-up costs at most an hour, and whenever a save plans
an earlier one). When it fires, the due chats are *claimed* (each by exactly one caller, across
every instance sharing the storage), delivered under the chat's lock, then released.

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
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from apscheduler.jobstores.base import JobLookupError
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, CallbackContext, Job, JobQueue

from bot.service import Assistant
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


def rate_limiter(rate: float) -> AIORateLimiter:
    """Every Bot API call within ``rate`` messages a second (0: no limit), 429s retried."""
    return AIORateLimiter(overall_max_rate=rate, overall_time_period=1 if rate else 0,
                          max_retries=3)


class ReminderService:
    def __init__(self, assistant: Assistant, rate: float) -> None:
        self.assistant = assistant
        self.index = assistant.storage.reminders
        self.locks = assistant.storage.locks
        self.clock = assistant.clock
        # Sent in this run but not yet durably recorded (the save after them failed).
        self._unsaved: set[tuple[str, str, str]] = set()
        self.limiter = AsyncLimiter(rate * REMINDER_SHARE, 1) if rate else None
        self.bot: Bot | None = None
        self.job_queue: JobQueue[Any] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._job: Job[Any] | None = None
        self._armed_for: float | None = None
        self._run_lock = asyncio.Lock()
        self.index.watch(self._planned)

    def wake_of(self, account: Account) -> datetime | None:
        return followup.next_wakeup(account, self.clock())

    async def start(self, bot: Bot, job_queue: JobQueue[Any] | None) -> None:
        """At startup: open the index (or rebuild it) and arm the timer; what fell due while
        the bot was down goes out at once."""
        self.bot, self.job_queue = bot, job_queue
        self.loop = asyncio.get_running_loop()
        planned = await asyncio.to_thread(self.index.open, self.wake_of)
        log.info("reminders: %d chats with something planned", planned)
        self.arm()

    def stop(self) -> None:
        if self._job is not None:
            # PTB stops the JobQueue before post_stop runs, and its scheduler has already
            # dropped the job: removing it again raised and turned a clean stop into a crash.
            with contextlib.suppress(JobLookupError):
                self._job.schedule_removal()
            self._job = None

    # Timer -------------------------------------------------------------------------------------
    def _planned(self, when: datetime) -> None:
        """A chat's instant was planned (from any thread): wake earlier if needed."""
        armed_for = self._armed_for
        sooner = armed_for is None or when.timestamp() < armed_for
        if sooner and self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.arm)

    def arm(self) -> None:
        """(Re)arm the one JobQueue job for the earliest planned instant."""
        if self.job_queue is None:
            return
        first = self.index.next_due()
        now = self.clock().timestamp()
        delay = MAX_SLEEP.total_seconds() if first is None else first.timestamp() - now
        delay = min(max(delay, 0.0), MAX_SLEEP.total_seconds())
        if self._job is not None:
            # A job that has fired is already out of the scheduler, though its tick may not
            # have run yet (a busy loop): removing it again raised, and the timer died.
            with contextlib.suppress(JobLookupError):
                self._job.schedule_removal()
        self._armed_for = now + delay
        self._job = self.job_queue.run_once(self._tick, when=delay, name="reminders")

    async def _tick(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if self._job is context.job:  # else a newer job was armed since: it stays armed
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
            chats = await asyncio.to_thread(self.index.claim_due, self.clock())
            if not chats:
                return 0
            gate = asyncio.Semaphore(CONCURRENT_CHATS)

            async def one(chat_id: str) -> int:
                async with gate:
                    return await self.deliver(chat_id)

            sent = await asyncio.gather(*(one(chat_id) for chat_id in chats))
            return sum(sent)

    async def deliver(self, chat_id: str) -> int:
        """Push the due reminders of one claimed chat, holding that chat's lock (no answer of
        the user is handled in the middle), then release the claim."""
        try:
            async with self.locks[chat_id]:
                try:
                    return await self._deliver(chat_id)
                except Exception:
                    log.exception("reminders for chat %s failed", chat_id)
                    # Tried again a little later (an earlier hint than the truth, never later).
                    self.index.plan(chat_id, self.clock() + RETRY_AFTER_ERROR)
                    return 0
        finally:
            self.index.release(chat_id)

    async def _deliver(self, chat_id: str) -> int:
        now = self.clock()
        chat = await asyncio.to_thread(self.assistant.load, chat_id)
        if chat is None or not chat_id.lstrip("-").isdigit():
            self.index.plan(chat_id, None)  # deleted, or a console user: nothing to push
            return 0
        account = chat.account
        batch = followup.due(account, now)
        if not batch:
            # Night: wait for the morning; or nothing left.
            self.index.plan(chat_id, self.wake_of(account))
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
        await asyncio.to_thread(self.assistant.save, chat)  # after sending: never a lost one
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
