"""The chats owed a reply: what a crash between an update and its reply leaves behind.

Telegram forgets an update once the bot has fetched it and asked for the next ones, which
python-telegram-bot does before handling it; the answer is saved before its reply is shown.
A bot killed in between has the answer but never showed the next question, and the user waits
for a reply that will not come. So every update of a private chat is noted here when it comes
in, before Telegram is told, and noted again once it has been handled and its reply shown; at
the next start, the chats with more of the first than of the second are owed a reply
(``bot.recovery`` sends it).

``<data>/outbox.log`` is an append-only log of short lines:

- ``+<chat>``: an update for the chat came in;
- ``-<chat>``: one was handled, its reply shown (or it needed none);
- ``~<chat>``: the bot started to answer the chat after a restart (attempts are counted, so
  that a chat whose recovery kills the bot is given up rather than retried forever).

This runs on every update, so it is kept cheap: one ``os.write`` of a few bytes on a file
descriptor opened once with ``O_APPEND``, no fsync. A killed process's writes are already in
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
import os
import time
from collections.abc import Callable
from pathlib import Path

from bot.files import write_atomic

log = logging.getLogger("impayes.outbox")

RETRY_AFTER = 30.0  # seconds before a log that could not be written is tried again
ROTATE_AT = 256 * 1024  # bytes appended before the log is rewritten with what is still owed
_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


class Outbox:
    def __init__(self, path: Path, rotate_at: int = ROTATE_AT) -> None:
        self.path = Path(path)
        self.rotate_at = rotate_at
        self.owed: dict[str, int] = {}  # chat → updates come in and not yet handled
        self.attempts: dict[str, int] = {}  # chat → answers started after a restart
        self.inherited: dict[str, int] = {}  # what the last run left owed, until settled
        self.received = 0  # updates noted in this run
        self.forgotten: dict[str, int] = {}  # erased chat → its updates still being handled
        self._fd: int | None = None
        self._written = 0
        self._retry_at: float | None = None  # set while the log cannot be written (disk full)

    # Startup ---------------------------------------------------------------------------------
    def open(self) -> dict[str, int]:
        """Read the log left by the last run and start a new one; the chats owed a reply,
        each with the number of answers already attempted after a restart."""
        try:
            text = self.path.read_bytes().decode("ascii", "replace")
        except FileNotFoundError:
            text = ""
        owed: dict[str, int] = {}
        attempts: dict[str, int] = {}
        # A last line without its newline was torn by a crash: only whole lines count.
        for line in text.split("\n")[:-1]:
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
        self._try(self._rewrite)
        return {chat: self.attempts.get(chat, 0) for chat in owed}

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # Every update ----------------------------------------------------------------------------
    def came_in(self, chat_id: str) -> None:
        """An update for ``chat_id`` came in (before Telegram is told it was received)."""
        self.owed[chat_id] = self.owed.get(chat_id, 0) + 1
        self.received += 1
        self._append(f"+{chat_id}\n")

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
        self._append(f"-{chat_id}\n")

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
        self._append(f"~{chat_id}\n")

    def settle(self, chat_id: str) -> None:
        """Nothing the last run left is owed to the chat any more (answered, or given up)."""
        count = self.inherited.pop(chat_id, 0)
        if count:
            self._drop(chat_id, count)
            self._append(f"-{chat_id}\n" * count)

    def forget(self, chat_id: str) -> None:
        """The chat erased everything (/delete): its id leaves the log now, not at the next
        start, and the updates of it still being handled are not noted handled later."""
        in_flight = self.in_flight(chat_id)
        for table in (self.owed, self.attempts, self.inherited):
            table.pop(chat_id, None)
        if in_flight > 0:
            self.forgotten[chat_id] = in_flight
        if self._fd is not None:
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
        if self._fd is None:
            return  # not opened (an adapter built without the recovery, in some tests)
        if not self._try(lambda: self._write(line)):
            return
        if self._written > self.rotate_at:
            self._try(self._rewrite)

    def _write(self, line: str) -> None:
        assert self._fd is not None
        self._written += os.write(self._fd, line.encode("ascii"))

    def _try(self, write: Callable[[], None]) -> bool:
        """Run a write of the log; if the disk refuses it (full, read-only), say so once and
        carry on without the log, trying again later: the bot must start and answer anyway,
        only the hint a crash would need is lost meanwhile."""
        try:
            write()
        except OSError as error:
            if self._retry_at is None:
                log.warning("outbox %s cannot be written (%s): the bot answers, but a reply "
                            "a crash swallows now will not be sent again at the next start",
                            self.path, errno.errorcode.get(error.errno or 0, "OSError"))
            self._retry_at = time.monotonic() + RETRY_AFTER
            return False
        if self._retry_at is not None:
            log.info("outbox %s written again", self.path)
            self._retry_at = None
        return True

    def _rewrite(self) -> None:
        """Replace the log with only what is still owed, then append to the new file."""
        lines = [f"~{chat}\n" * self.attempts.get(chat, 0) + f"+{chat}\n" * count
                 for chat, count in self.owed.items()]
        write_atomic(self.path, "".join(lines).encode("ascii"))
        self.close()
        self._fd = os.open(self.path, _FLAGS, 0o600)
        self._written = 0
