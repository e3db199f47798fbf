"""What the bot asks of its storage: a few roles, each a ``typing.Protocol``, two backends.

The embedded default (``bot.storage.tinydb_backend``) keeps one TinyDB file per chat under the
data folder; the shared one (PostgreSQL) keeps the same things in a database so that several
instances can serve any chat. Nothing outside a backend knows where or how things are kept: no
path, no SQL. Everything is keyed by chat id (a string of digits, or a console user's name).

Calls are synchronous and thread-safe: the adapter runs the ones that wait on a disk or a
network (committing a write, drawing on blobs, delivering reminders) in worker threads with
``asyncio.to_thread``, and a small chat's per-update load on the event loop itself (for TinyDB
one small file read, cheaper than a hop to a thread). A big chat's load and encoding run in a
worker thread, and a backend makes and reads a big chat's JSON in pieces (``json_pieces``), so
that thread leaves the event loop running (one ``json.dumps`` holds the GIL throughout). The
per-chat lock is the one asynchronous role, since it is held across awaits.

The roles, and what each promises (``tests/test_storage_contract.py`` checks every backend):

- ``Accounts``: a chat's account and its envelope (``StoredChat``), read whole and written
  whole. ``prepare`` snapshots the chat at once and returns the write; the write is durable
  when it returns (TinyDB: fsync and rename; PostgreSQL: COMMIT). The reply to an update is
  shown only after its write returned. The chat's next reminder instant (``wake_at``) is
  written with it, so that the reminder index never says *later* than the account.
- ``Blobs``: the bytes a case holds (evidence under ``evidence/<sha256>``, drawn documents
  under ``documents/<file name>``), by chat, case and a relative name; plus local scratch
  space for what must pass through a file (a download being screened, an export's zips).
- ``ReminderIndex``: which chats may have a reminder due, and when. ``claim_due`` hands each
  due chat to exactly one caller, across every instance sharing the storage, until that caller
  ``release``\\ s it (or dies: a backend may let a claim lapse after a lease, so that a killed
  instance's chats are taken over). The claimer then, under the chat's lock, reloads the
  account, sends what ``flows.followup`` says is due, and marks it sent in one durable write
  (claim, send, mark sent): a reminder is sent twice only if an instance dies between Telegram's
  answer and that write.
- ``OutboxLog``: the lines of ``bot.outbox`` (which chats are owed a reply after a crash).
- ``ChatLocks``: ``async with locks[chat_id]:`` serialises everything done for one chat (an
  update's turn, a reminder's delivery, the recovery's answer). In one process an
  ``asyncio.Lock``; shared between instances, also a database lock (an advisory lock) taken
  inside the asyncio one.
- ``DebtorTokens``: which creditor chat and case a debtor's link opens (by its token), and
  which one a debtor's own Telegram chat answers, for every instance sharing the storage.
  Written by ``Accounts`` from the account itself (``bot.storage.debtor_index``: the live
  links and the debtor chats that opened them), in step with each write, and erased with the
  chat; a hint to check against the account, which stays the truth.
- Seen updates live in the envelope: the ids of the Telegram updates already answered are
  written in the same durable write as the answer itself, so a redelivered update is
  recognised exactly when its answer was kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from flows.model import Account

Write = Callable[[], None]  # a prepared write: durable once it returns
SEEN_UPDATES_KEPT = 64  # Telegram redelivers recent updates only: the last ids are enough


@dataclass(eq=False)
class StoredChat:
    """Everything kept for one chat: the account (the conversation's state, ``flows.model``)
    and the envelope around it, the service's own bookkeeping, no part of the conversation:
    the Telegram update ids already answered and the documents a turn asked for and not yet
    drawn and sent (``flows.pending``'s records)."""

    account: Account
    seen_updates: list[int] = field(default_factory=list)
    pending_documents: list[dict[str, Any]] = field(default_factory=list)
    # The backend's own note of what it read or last wrote for this chat, so that a write
    # leaves alone what it would not change (PostgreSQL: the reminder instant and the debtors'
    # links as stored); None: unknown, everything is written. No part of the chat.
    as_stored: Any = field(default=None, repr=False)

    @property
    def chat_id(self) -> str:
        return self.account.chat_id

    def envelope_json(self) -> dict[str, Any]:
        return {"seen_updates": self.seen_updates, "pending_documents": self.pending_documents}

    @classmethod
    def from_json(cls, account: dict[str, Any], envelope: dict[str, Any] | None) -> StoredChat:
        """The chat from its stored account and envelope. Before the envelope existed, its
        bookkeeping sat inside the account: read from there (the next write moves it)."""
        source = envelope if envelope is not None else account
        return cls(Account.from_json(account),
                   seen_updates=[int(u) for u in source.get("seen_updates", [])],
                   pending_documents=list(source.get("pending_documents", [])))


class Accounts(Protocol):
    def load(self, chat_id: str) -> StoredChat | None:
        """The chat as last written; None if nothing is held for it."""

    def prepare(self, chat: StoredChat, wake_at: datetime | None) -> Write:
        """Snapshot ``chat`` now (later changes to it are not written) and return the call
        that writes it, and ``wake_at`` (its earliest reminder, None: none planned) into the
        reminder index, durably. Raises ``OSError`` (TinyDB) or the driver's error when the
        storage refuses the write; the previous state is then intact."""

    def save(self, chat: StoredChat, wake_at: datetime | None) -> None:
        """``prepare(chat, wake_at)()``."""

    def delete(self, chat_id: str) -> None:
        """Erase everything held for the chat: account, envelope, blobs, scratch files, its
        reminder index entry. Raises if anything could not be erased (never say "erased"
        when it is not)."""

    def chat_ids(self) -> Iterator[str]:
        """Every chat with an account (order unspecified)."""


class Blobs(Protocol):
    def put(self, chat_id: str, case_id: str, name: str, data: bytes) -> None:
        """Keep ``data`` as ``name`` (``documents/x.pdf``, ``evidence/<sha256>``) in the case,
        durably, replacing what had that name."""

    def put_file(self, chat_id: str, case_id: str, name: str, source: Path) -> None:
        """The same for a scratch file (``scratch``), which is moved in (gone afterwards)."""

    def get(self, chat_id: str, case_id: str, name: str) -> bytes | None:
        """The bytes kept as ``name`` in the case; None if there are none."""

    def names(self, chat_id: str, case_id: str) -> list[str]:
        """Every name kept in the case, sorted (``documents/…``, ``evidence/…``, …)."""

    def drop(self, chat_id: str, case_id: str, name: str) -> None:
        """Forget ``name`` in the case, durably; nothing to do when nothing has that name."""

    def scratch(self, chat_id: str, name: str) -> Path:
        """A local path (not yet a file) for work under way for this chat: a download being
        screened, an export's zip named ``name``. Unique to this call. Erased with the chat;
        what a crash leaves there is removed by ``Storage.sweep``."""


class ReminderIndex(Protocol):
    def open(self, wake_of: Callable[[Account], datetime | None]) -> int:
        """At startup: load the index (rebuilding it from the accounts with ``wake_of`` if it
        was lost); how many chats have something planned."""

    def plan(self, chat_id: str, when: datetime | None) -> None:
        """The chat's earliest instant moved (nothing saved: say, a reminder waits for the
        morning). ``Accounts.prepare`` does this itself for a written account."""

    def next_due(self) -> datetime | None:
        """The earliest instant any chat has planned and nobody has claimed; None: nothing."""

    def claim_due(self, now: datetime) -> list[str]:
        """The chats due at or before ``now``, each now claimed by this caller: no other
        caller, in any instance, gets it until it is released."""

    def release(self, chat_id: str) -> None:
        """Done with a claimed chat (its new instant, if any, was planned by the write)."""

    def watch(self, listener: Callable[[datetime], None]) -> None:
        """Call ``listener`` (from any thread) when this process plans an instant, so that a
        sleeping timer wakes earlier if needed."""


class OutboxLog(Protocol):
    def read(self) -> list[str]:
        """The whole lines the last run left (a torn last line is dropped)."""

    def append(self, line: str) -> None:
        """Add one line, cheaply (no fsync: a hint, never an answer). Raises ``OSError``."""

    def rewrite(self, lines: Iterable[str]) -> None:
        """Replace the log with these lines, atomically. Raises ``OSError``."""

    def close(self) -> None: ...


class DebtorTokens(Protocol):
    def find(self, token: str) -> tuple[str, str] | None:
        """The (creditor chat, case) whose live link ``token`` may be; None for a token that
        is unknown, revoked, closed or not even shaped like one. Only a hash of each token
        is kept."""

    def debtor(self, debtor_chat: str) -> tuple[str, str] | None:
        """The (creditor chat, case) whose live link this debtor's chat opened, if any."""


class ChatLocks(Protocol):
    def __getitem__(self, chat_id: str) -> AbstractAsyncContextManager[Any]:
        """``async with locks[chat_id]:`` — one holder per chat at a time."""


class Storage(Protocol):
    """One backend: its roles, and the housekeeping a start does."""

    @property
    def accounts(self) -> Accounts: ...
    @property
    def blobs(self) -> Blobs: ...
    @property
    def reminders(self) -> ReminderIndex: ...
    @property
    def outbox(self) -> OutboxLog: ...
    @property
    def locks(self) -> ChatLocks: ...
    @property
    def debtor_tokens(self) -> DebtorTokens: ...

    def sweep(self, older_than: float) -> int:
        """Remove scratch files last touched before ``older_than`` (epoch seconds): what
        interrupted work left. How many were removed."""

    def close(self) -> None: ...
