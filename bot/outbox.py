"""The chats owed a reply: what a crash between an update and its reply leaves behind.

Telegram forgets an update once the bot has fetched it and asked for the next ones, which
python-telegram-bot does before handling it; the answer is saved before its reply is shown.
A bot killed in between has the answer but never showed the next question, and the user waits
for a reply that will not come. So every update of a private chat is noted here when it comes
in, before Telegram is told, and noted again once it has been handled and its reply shown; at
the next start, the chats with more of the first than of the second are owed a reply
(``bot.recovery`` sends it).

The lines are kept by the storage's ``OutboxLog`` (``<data>/outbox.log`` on TinyDB, a table on
PostgreSQL), an append-only log of short lines:

- ``+<chat>``: an update for the chat came in;
- ``-<chat>``: one was handled, its reply shown (or it needed none);
- ``~<chat>``: the bot started to answer the chat after a restart (attempts are counted, so
  that a chat whose recovery kills the bot is given up rather than retried forever).

This runs on every update, so it is kept cheap (on TinyDB: one ``os.write`` of a few bytes on
a file descriptor opened once with ``O_APPEND``), no fsync. A killed process's writes are already in
the kernel's page cache and survive it; a machine crash may lose the last lines, and with them
only this hint, never an answer (answers are saved with fsync before any reply). A last line
without its newline (torn) is ignored. At startup the log is read, then rewritten (atomically)
with only what is still owed; it is rewritten the same way when it grows past ``ROTATE_AT``.

All methods are called from the event loop's thread (python-telegram-bot's update queue, its
update processor, the handlers), so no lock is needed.
"""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable

from bot.storage.interface import OutboxLog

log = logging.getLogger("impayes.outbox")

RETRY_AFTER = 30.0  # seconds before a log that could not be written is tried again
ROTATE_AT = 256 * 1024  # bytes appended before the log is rewritten with what is still owed


class Outbox:
    def __init__(self, lines: OutboxLog, rotate_at: int = ROTATE_AT) -> None:
        self.lines = lines
        self.rotate_at = rotate_at
        self.owed: dict[str, int] = {}  # chat → updates come in and not yet handled
        self.attempts: dict[str, int] = {}  # chat → answers started after a restart
        self.inherited: dict[str, int] = {}  # what the last run left owed, until settled
        self.received = 0  # updates noted in this run
        self.forgotten: dict[str, int] = {}  # erased chat → its updates still being handled
        self._opened = False
        self._written = 0
        self._retry_at: float | None = None  # set while the log cannot be written (disk full)

    # Startup ---------------------------------------------------------------------------------
    def open(self) -> dict[str, int]:
        """Read the log left by the last run and start a new one; the chats owed a reply,
        each with the number of answers already attempted after a restart."""
        owed: dict[str, int] = {}
        attempts: dict[str, int] = {}
        # Only whole lines come back: a line a crash tore is dropped by the log itself.
        for line in self.lines.read():
            mark, chat_id = line[:1], line[1:]
            if not chat_id or not chat_id.lstrip("-").isdigit():
                continue  # damaged (a machine crash may leave zeros): this hint is lost
            if mark == "+":
                owed[chat_id] = owed.get(chat_id, 0) + 1
            elif mark == "-" and chat_id in owed:
                owed[chat_id] -= 1
                if owed[chat_id] <= 0:
                    del owed[chat_id]
                    attempts.pop(chat_id, None)
            elif mark == "~":
                attempts[chat_id] = attempts.get(chat_id, 0) + 1
        self.owed = owed
        self.attempts = {chat: n for chat, n in attempts.items() if chat in owed}
        self.inherited = dict(owed)
        self._opened = True
        self._try(self._rewrite)
        return {chat: self.attempts.get(chat, 0) for chat in owed}

    def close(self) -> None:
        self._opened = False
        self.lines.close()

    # Every update ----------------------------------------------------------------------------
    def came_in(self, chat_id: str) -> None:
        """An update for ``chat_id`` came in (before Telegram is told it was received)."""
        self.owed[chat_id] = self.owed.get(chat_id, 0) + 1
        self.received += 1
        self._append(f"+{chat_id}")

    def handled(self, chat_id: str) -> None:
        """An update for ``chat_id`` was handled: its reply, if any, has been shown."""
        pending = self.forgotten.get(chat_id)
        if pending is not None:  # erased: its id is written nowhere again
            if pending > 1:
                self.forgotten[chat_id] = pending - 1
            else:
                del self.forgotten[chat_id]
            return
        self._drop(chat_id, 1)
        self._append(f"-{chat_id}")

    def replied(self, chat_id: str) -> None:
        """The chat was shown a reply: whatever the last run left owed to it is settled."""
        if chat_id in self.inherited:
            self.settle(chat_id)

    # Recovery ---------------------------------------------------------------------------------
    def in_flight(self, chat_id: str) -> int:
        """Updates of this run for the chat, come in and not yet handled."""
        return self.owed.get(chat_id, 0) - self.inherited.get(chat_id, 0)

    def attempt(self, chat_id: str) -> None:
        """An answer to a chat the last run left owed is about to be sent."""
        self.attempts[chat_id] = self.attempts.get(chat_id, 0) + 1
        self._append(f"~{chat_id}")

    def settle(self, chat_id: str) -> None:
        """Nothing the last run left is owed to the chat any more (answered, or given up)."""
        count = self.inherited.pop(chat_id, 0)
        if count:
            self._drop(chat_id, count)
            for _ in range(count):
                self._append(f"-{chat_id}")

    def forget(self, chat_id: str) -> None:
        """The chat erased everything (/delete): its id leaves the log now, not at the next
        start, and the updates of it still being handled are not noted handled later."""
        in_flight = self.in_flight(chat_id)
        for table in (self.owed, self.attempts, self.inherited):
            table.pop(chat_id, None)
        if in_flight > 0:
            self.forgotten[chat_id] = in_flight
        if self._opened:
            self._try(self._rewrite)

    # The file ---------------------------------------------------------------------------------
    def _drop(self, chat_id: str, count: int) -> None:
        left = self.owed.get(chat_id, 0) - count
        if left > 0:
            self.owed[chat_id] = left
        else:
            self.owed.pop(chat_id, None)
            self.attempts.pop(chat_id, None)

    def _append(self, line: str) -> None:
        if self._retry_at is not None and (time.monotonic() < self._retry_at
                                           or not self._try(self._rewrite)):
            return  # the disk is still full: this hint is lost, never an answer
        if not self._opened:
            return  # not opened (an adapter built without the recovery, in some tests)
        if not self._try(lambda: self._write(line)):
            return
        if self._written > self.rotate_at:
            self._try(self._rewrite)

    def _write(self, line: str) -> None:
        self.lines.append(line)
        self._written += len(line) + 1

    def _try(self, write: Callable[[], None]) -> bool:
        """Run a write of the log; if the disk refuses it (full, read-only), say so once and
        carry on without the log, trying again later: the bot must start and answer anyway,
        only the hint a crash would need is lost meanwhile."""
        try:
            write()
        except OSError as error:
            if self._retry_at is None:
                log.warning("outbox cannot be written (%s): the bot answers, but a reply "
                            "a crash swallows now will not be sent again at the next start",
                            errno.errorcode.get(error.errno or 0, "OSError"))
            self._retry_at = time.monotonic() + RETRY_AFTER
            return False
        if self._retry_at is not None:
            log.info("outbox written again")
            self._retry_at = None
        return True

    def _rewrite(self) -> None:
        """Replace the log with only what is still owed, then append to the new one."""
        self.lines.rewrite([line for chat, count in self.owed.items()
                            for line in [f"~{chat}"] * self.attempts.get(chat, 0)
                            + [f"+{chat}"] * count])
        self._written = 0
