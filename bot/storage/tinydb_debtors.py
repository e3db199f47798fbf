"""The index of debtors' links in the data folder: ``<data>/debtor/index.log``.

An append-only log, like the reminder index: ``T <hash> <chat> <case>`` (or ``T <hash> -``
when a token died), ``D <debtor chat> <chat> <case>`` (or ``D <debtor chat> -``); the last
line for a key wins; compacted (rewritten atomically) when first read and when it grows. An
account's write appends what it adds *before* the chat file is written and what it removes
*after*, so that a crash leaves at worst an entry too many, which the lookup checks against the
account and ignores. A lost log is rebuilt from the chat files, once. Read when first needed,
then answered from memory: one process serves a data folder.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from bot.files import write_atomic
from bot.storage.debtor_index import LinkEntries, Where, token_key
from flows.debtor import link

# The log's earlier name, when the bot kept it beside the storage: replaced by this one
# (rebuilt from the chat files once), then removed, so that no stale copy stays behind.
LEGACY = "links.log"
_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


class Entries:
    """One kind of entry (``T`` tokens, ``D`` debtor chats): key → where, and which keys each
    creditor chat owns, so that a write compares one chat's entries, not everybody's."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.where: dict[str, Where] = {}
        self.owned: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self.where)

    def set(self, key: str, where: Where | None) -> bool:
        """Whether anything changed."""
        old = self.where.get(key)
        if old == where:
            return False
        if old is not None:
            keys = self.owned[old[0]]
            keys.discard(key)
            if not keys:
                del self.owned[old[0]]
            del self.where[key]
        if where is not None:
            self.where[key] = where
            self.owned.setdefault(where[0], set()).add(key)
        return True

    def line(self, key: str) -> str:
        where = self.where.get(key)
        return f"{self.kind} {key} {where[0]} {where[1]}\n" if where else f"{self.kind} {key} -\n"


class DebtorLog:
    """token hash → (chat, case), debtor chat → (chat, case); see the module's docstring."""

    def __init__(self, path: Path, every_account: Callable[[], Iterator[LinkEntries]]) -> None:
        self.path = path
        self.every_account = every_account  # for a rebuild: each chat's entries
        self.tokens, self.debtors = Entries("T"), Entries("D")
        self._lines = 0
        self._loaded = False
        self._lock = threading.RLock()  # writes run in worker threads

    # Reading ---------------------------------------------------------------------------------
    def find(self, token: str) -> Where | None:
        if not link.looks_like_token(token):
            return None
        with self._lock:
            self._load()
            return self.tokens.where.get(token_key(token))

    def debtor(self, debtor_chat: str) -> Where | None:
        with self._lock:
            self._load()
            return self.debtors.where.get(str(debtor_chat))

    def _load(self) -> None:
        """Under the lock: the log read (or rebuilt) once, then compacted. A rebuilt index is
        written even when empty: the file says that it was built."""
        if self._loaded:
            return
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            for entries in self.every_account():
                self._take(entries)
        else:
            for line in text.split("\n")[:-1]:  # a last line without newline: torn by a crash
                kind, key, *where = line.split(" ")
                table = self.tokens if kind == "T" else self.debtors if kind == "D" else None
                if table is not None and key:
                    table.set(key, (where[0], where[1]) if len(where) == 2 else None)
        self._loaded = True
        self._compact()
        (self.path.parent / LEGACY).unlink(missing_ok=True)

    def _take(self, entries: LinkEntries) -> list[str]:
        """Under the lock: set these entries; the log lines of what changed."""
        return [table.line(key)
                for table, wanted in ((self.tokens, entries.tokens),
                                      (self.debtors, entries.debtors))
                for key, where in wanted.items() if table.set(key, where)]

    # Writing (``ChatFiles``: around the account's write, and when erasing it) -----------------
    def add(self, entries: LinkEntries) -> None:
        """Before the account's write: what it adds."""
        with self._lock:
            self._load()
            self._append(self._take(entries))

    def keep_only(self, chat_id: str, entries: LinkEntries) -> None:
        """After the account's write: the chat's entries it no longer holds go."""
        with self._lock:
            self._load()
            lines = [table.line(key)
                     for table, wanted in ((self.tokens, entries.tokens),
                                           (self.debtors, entries.debtors))
                     for key in sorted(table.owned.get(chat_id, set()) - wanted.keys())
                     if table.set(key, None)]
            self._append(lines)

    def forget_chat(self, chat_id: str) -> None:
        """The chat was erased: its links, and its own entry as a debtor, go from the file at
        once (compacted: no line of the erased chat stays)."""
        with self._lock:
            self._load()
            self.keep_only(chat_id, LinkEntries())
            self.debtors.set(chat_id, None)
            self._compact()

    def _append(self, lines: list[str]) -> None:
        """Under the lock: the lines written and fsynced (a change costs one short write)."""
        if not lines:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, _FLAGS, 0o600)
        try:
            os.write(fd, "".join(lines).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._lines += len(lines)
        if self._lines > 4 * (len(self.tokens) + len(self.debtors)) + 1000:
            self._compact()

    def _compact(self) -> None:
        """Under the lock: one line per live entry, written atomically."""
        payload = "".join(table.line(key) for table in (self.tokens, self.debtors)
                          for key in table.where)
        write_atomic(self.path, payload.encode("ascii"))
        self._lines = len(self.tokens) + len(self.debtors)
