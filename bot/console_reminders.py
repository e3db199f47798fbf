"""Reminders in the console chat: the schedule Telegram follows, shown in the terminal.

What is due, and when, is ``flows.followup``'s, as on Telegram (``bot.reminders``). At start,
whatever is due is shown before the first prompt; then a timer thread sleeps until the chat's
next instant (woken earlier when a turn plans a sooner one, through the storage's reminder
index) and shows what fell due while the user is typing. A reminder is marked ``sent`` in one
durable save *after* it was printed, as Telegram's are after Telegram took them: shown once, and
never again after a restart.

One chat, two threads (the user's input, this timer): every turn and every delivery holds the
console's one lock, so that a reminder never lands in the middle of a reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.service import Assistant
from flows import followup
from flows.conversation import Reply

MAX_SLEEP = timedelta(hours=1)  # as on Telegram: a clock change costs at most this much
# Never sooner than this, even when the schedule says "now" and nothing is due (no spinning).
MIN_SLEEP = timedelta(seconds=1)
# A test's clock file (``Settings.clock_moves_by_jumps``) may jump ahead at any moment: the
# timer looks again this often instead of sleeping until what the clock said.
JUMPING_CLOCK_LOOK = timedelta(seconds=0.1)


def _nothing() -> None:
    pass


class ConsoleReminders:
    def __init__(self, assistant: Assistant, chat_id: str, show: Callable[[Reply], None],
                 lock: threading.Lock, clock_jumps: bool = False) -> None:
        self.assistant = assistant
        self.chat_id = chat_id
        self.show = show  # prints a reply (and remembers its buttons), under ``lock``
        self.lock = lock
        self.sleeps = (JUMPING_CLOCK_LOOK, JUMPING_CLOCK_LOOK) if clock_jumps else (
            MIN_SLEEP, MAX_SLEEP)
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        assistant.storage.reminders.watch(self._planned)

    def deliver_due(self, before: Callable[[], None] = _nothing,
                    after: Callable[[], None] = _nothing) -> int:
        """Show every reminder due now and mark them sent, durably; how many were shown."""
        with self.lock:
            chat = self.assistant.load(self.chat_id)
            if chat is None:
                return 0
            account, now = chat.account, self.assistant.clock()
            batch = followup.due(account, now)
            if batch:
                before()
            for case, record in batch:
                self.show(followup.reminder_reply(account, case, record, now))
                followup.mark_sent(record, account, self.assistant.clock())
            if batch:
                followup.refresh(account, self.assistant.clock())
                self.assistant.save(chat)  # after showing: never a lost one
                after()
            return len(batch)

    def idle(self) -> bool:
        """Not watching the clock yet."""
        return self._thread is None

    def start(self, before: Callable[[], None], after: Callable[[], None]) -> None:
        """Watch the clock in the background. Reminders falling due now come while the user
        is asked for input: ``before`` runs before they are shown (off the prompt's line),
        ``after`` once they were (to ask again), both under the lock."""
        def watch() -> None:
            while True:
                self._wake.wait(self._seconds_to_next())
                self._wake.clear()
                if self._stopped:
                    return
                self.deliver_due(before, after)
        self._thread = threading.Thread(target=watch, name="console-reminders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    def _seconds_to_next(self) -> float:
        chat = self.assistant.load(self.chat_id)
        now = self.assistant.clock()
        wake = followup.next_wakeup(chat.account, now) if chat is not None else None
        shortest, longest = (sleep.total_seconds() for sleep in self.sleeps)
        if wake is None:
            return longest
        return min(max((wake - now).total_seconds(), shortest), longest)

    def _planned(self, _when: datetime) -> None:
        """A turn planned an instant (any chat sharing the storage): look again now."""
        self._wake.set()
