"""Which chat and case a debtor's link opens, without reading every chat on each request.

The truth is in the creditor's chat file (``flows.debtor.link``: the case holds its token);
this index only says where to look. It maps a hash of each live token to (creditor chat, case),
and each debtor chat that opened a link in Telegram to the same, so that what the debtor types
finds the case. Tokens themselves are never written here: only the first 32 hex digits of
their SHA-256, so the index file leaks no working link.

Like the reminders' index (``bot.reminders``) it is an append-only log, ``<data>/debtor/
links.log``: ``T <hash> <chat> <case>`` (or ``T <hash> -`` when a token died), ``D <debtor
chat> <chat> <case>`` (or ``D <debtor chat> -``); the last line for a key wins, the log is
compacted when read at startup and when it grows. A line is appended *before* the chat file
is written when it adds an entry, and *after* when it removes one, so a crash leaves at worst
an entry too many — which the lookup then checks against the chat file and ignores. A lost
log is rebuilt from the chat files, once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from bot.files import write_atomic
from bot.storage.debtor_index import Where, entries_of, token_key
from bot.storage.interface import Accounts
from flows.debtor import link
from flows.model import Account


class DebtorLinks:
    """token → (chat, case), and debtor chat → (chat, case); see the module's docstring."""

    def __init__(self, data_dir: Path | str) -> None:
        self.path = Path(data_dir) / "debtor" / "links.log"
        self.tokens: dict[str, Where] = {}
        self.debtors: dict[str, Where] = {}
        self._lines = 0
        self._lock = threading.Lock()  # saves run in worker threads

    # Reading -------------------------------------------------------------------------------
    def load(self, accounts: Accounts) -> None:
        """Read the log (compacting it), or rebuild it from the chat files when there is none."""
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            self.rebuild(accounts)
            return
        tokens: dict[str, Where] = {}
        debtors: dict[str, Where] = {}
        for line in text.split("\n")[:-1]:  # a last line without newline was torn by a crash
            kind, key, *where = line.split(" ")
            table = tokens if kind == "T" else debtors if kind == "D" else None
            if table is None or not key:
                continue
            if len(where) == 2:
                table[key] = (where[0], where[1])
            else:
                table.pop(key, None)
        with self._lock:
            self.tokens, self.debtors = tokens, debtors
        self.compact()

    def rebuild(self, accounts: Accounts) -> None:
        tokens: dict[str, Where] = {}
        debtors: dict[str, Where] = {}
        for chat_id in accounts.chat_ids():
            chat = accounts.load(chat_id)
            if chat is not None:
                owned = entries_of(chat.account)
                tokens.update(owned.tokens)
                debtors.update(owned.debtors)
        with self._lock:
            self.tokens, self.debtors = tokens, debtors
        self.compact()

    def find(self, token: str) -> Where | None:
        """Where ``token`` may lead (to check against the chat file: the index is a hint)."""
        if not link.looks_like_token(token):
            return None
        return self.tokens.get(token_key(token))

    def debtor(self, chat_id: str) -> Where | None:
        """The case a debtor's chat opened a link for, if any."""
        return self.debtors.get(chat_id)

    # Writing -------------------------------------------------------------------------------
    def saving(self, account: Account, write: Callable[[], None]) -> Callable[[], None]:
        """``write`` (the account's durable save) wrapped so that the index follows it."""
        owned = entries_of(account)
        tokens, debtors = owned.tokens, owned.debtors

        def write_with_index() -> None:
            self._apply(account.chat_id, tokens, debtors, adding=True)
            write()
            self._apply(account.chat_id, tokens, debtors, adding=False)
        return write_with_index

    def forget_chat(self, chat_id: str) -> None:
        """The chat was erased: its links and its debtors' entries go at once."""
        self._apply(chat_id, {}, {}, adding=False)
        with self._lock:
            self.debtors.pop(chat_id, None)  # the erased chat may itself have been a debtor
        self.compact()

    def _apply(self, chat_id: str, tokens: dict[str, Where], debtors: dict[str, Where],
               adding: bool) -> None:
        lines: list[str] = []
        with self._lock:
            for kind, table, wanted in (("T", self.tokens, tokens), ("D", self.debtors, debtors)):
                if adding:
                    for key, where in wanted.items():
                        if table.get(key) != where:
                            table[key] = where
                            lines.append(f"{kind} {key} {where[0]} {where[1]}\n")
                else:
                    for key in [k for k, where in table.items()
                                if where[0] == chat_id and k not in wanted]:
                        del table[key]
                        lines.append(f"{kind} {key} -\n")
            if not lines:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="ascii") as fh:
                fh.write("".join(lines))
                fh.flush()
                os.fsync(fh.fileno())
            self._lines += len(lines)
            crowded = self._lines > 4 * (len(self.tokens) + len(self.debtors)) + 1000
        if crowded:
            self.compact()

    def compact(self) -> None:
        """Rewrite the log with one line per live entry (atomically)."""
        with self._lock:
            payload = "".join(
                [f"T {key} {chat} {case}\n" for key, (chat, case) in self.tokens.items()]
                + [f"D {key} {chat} {case}\n" for key, (chat, case) in self.debtors.items()])
            write_atomic(self.path, payload.encode("ascii"))
            self._lines = len(self.tokens) + len(self.debtors)
