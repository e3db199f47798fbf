"""Every storage role on PostgreSQL, so that several bot instances can serve any chat.

The roles and their promises are ``bot.storage.interface``'s; the tables are
``bot/storage/migrations/``'s. One connection pool per process (psycopg 3), in autocommit
mode: a role that writes more than one row opens its own transaction. The chat locks and the
statements made on the event loop for every update have connections of their own
(``ChatSessions``, ``postgres_connections.OwnConnection``): no pool to go through.

- **Accounts**: one row per chat, the account and its envelope as JSONB. A write is one
  transaction: the row upserted (which takes the row's lock, so two writers of one chat
  queue), the reminder index's row for the chat in the same transaction, so that the index is
  never out of step with the account; the COMMIT is the durable point. Usually one statement
  (one round trip): the reminder row only when its instant moved, the debtors' links only
  when they changed or name a debtor chat (``StoredChat.as_stored`` says what the database
  holds; a debtor chat's row is shared between creditors).
- **Blobs**: bytea rows, so that instances need no shared disk; only scratch work (a download
  being screened, an export's zips) uses this machine's disk, under ``scratch_dir``.
- **Reminders**: ``claim_due`` takes due chats with ``FOR UPDATE SKIP LOCKED`` and marks them
  claimed by this instance for a lease: a second instance skips them, and the claims of an
  instance killed mid-delivery lapse after the lease, so its chats are taken over (late
  rather than never). Every write that plans an instant also sends a NOTIFY, so that every
  instance's timer hears of it, not only the writer's.
- **Outbox**: each instance's lines, keyed by its name (``instance_name``): what a crash of
  that instance leaves owed is answered when it starts again. Appends commit without
  waiting for the disk (``synchronous_commit = off``), as the file outbox does not fsync: a
  hint, never an answer.
- **Per-chat lock**: the process's ``asyncio.Lock``, then a session advisory lock on a
  connection of its own, taken in the round trip that also reads the chat's account, and
  used for the chat's reads and writes while held (``ChatSessions``): a text step makes three
  round trips for its chat (lock and read, write, unlock) and no thread hop but the durable
  write's. Waiting for a chat another instance holds blocks, so that wait runs in a thread.
  A killed instance's connection closes and its locks go with it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import json
import logging
import re
import secrets
import shutil
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool

from bot.storage import json_pieces
from bot.storage import postgres_schema as schema
from bot.storage.debtor_index import LinkEntries, entries_of
from bot.storage.interface import StoredChat, Write
from bot.storage.locks import LocalChatLocks
from bot.storage.postgres_connections import (
    CONNECT_TIMEOUT,
    Connection,
    OwnConnection,
    check_idle,
    cut,
)
from bot.storage.postgres_debtors import DebtorRows
from flows.model import Account

log = logging.getLogger("impayes.postgres")

# A claimed chat not released within this time (its instance died) is due again.
CLAIM_LEASE = timedelta(minutes=2)
CLAIM_BATCH = 500  # chats claimed at once, at most
NOTIFY_CHANNEL = "impayes_reminders"
# Connections, per instance: blobs, reminders and reads outside a chat's lock share a pool
# (they run in the adapter's few worker threads); the per-chat locks have their own, one
# connection held by each chat being handled (its reads and writes go through it), so that
# chats holding locks never starve the rest. Two instances stay well within PostgreSQL's
# default of 100 connections.
POOL_SIZE = 10
LOCKED_CHATS = 16  # chats of one instance inside their lock at once; the others wait
SCRATCH = "scratch"


_SAFE_ID = re.compile(r"^-?[0-9A-Za-z_]{1,64}$")  # as the file backend's folder names


def _safe(identifier: str, what: str) -> str:
    if not _SAFE_ID.match(str(identifier)):
        raise ValueError(f"invalid {what} id")
    return str(identifier)


def instance_name(data_dir: Path) -> str:
    """This instance's name among those sharing the database: its host and its own data
    folder, which stay the same when it restarts (so that it finds its outbox again) and
    differ between two instances (docker-compose.yml gives each container a host name)."""
    return f"{socket.gethostname()}:{data_dir.resolve()}"


# Accounts ---------------------------------------------------------------------------------
# The account with its reminder instant (so that a write which leaves it alone skips its row).
LOAD = ("SELECT account, envelope, (SELECT due_at FROM reminders r WHERE r.chat_id = a.chat_id) "
        "FROM accounts a WHERE chat_id = %s")
# One statement, so one transaction and one round trip, for the usual write: the account, and
# its reminder row only if its instant moved (data-modifying WITH clauses all run, once).
SAVE = ("INSERT INTO accounts (chat_id, account, envelope) "
        "VALUES (%(chat)s, %(account)s::jsonb, %(envelope)s::jsonb) "
        "ON CONFLICT (chat_id) DO UPDATE SET account = EXCLUDED.account, "
        "envelope = EXCLUDED.envelope, saved_at = now()")
# A claim under way stays: its holder releases it once done.
PLAN = ("INSERT INTO reminders (chat_id, due_at) VALUES (%(chat)s, %(due)s) "
        "ON CONFLICT (chat_id) DO UPDATE SET due_at = EXCLUDED.due_at")
UNPLAN = "DELETE FROM reminders WHERE chat_id = %(chat)s"
NOTIFY = "SELECT pg_notify(%(channel)s, %(heard)s)"
SAVE_PLANNED = f"WITH saved AS ({SAVE}), planned AS ({PLAN}) {NOTIFY}"
SAVE_UNPLANNED = f"WITH saved AS ({SAVE}) {UNPLAN}"

@dataclass(frozen=True)
class AsStored:
    """``StoredChat.as_stored`` on PostgreSQL: the chat's reminder instant and debtors' links
    as the database holds them (read under the chat's lock, or written)."""

    due_at: datetime | None
    links: LinkEntries


class AccountRows:
    """Accounts: ``accounts`` rows, written with the chat's ``reminders`` row and its debtors'
    links (``postgres_debtors``).

    Within the chat's lock (``ChatSessions``), reads and writes go through the connection that
    holds it: the first read gets the account the lock brought, a write is one statement
    unless the debtors' links changed. Outside it (a look at a chat, a copy), the pool's."""

    def __init__(self, pool: ConnectionPool[Connection], index: ClaimedReminders,
                 blobs: BlobRows, debtors: DebtorRows, sessions: ChatSessions) -> None:
        self.pool = pool
        self.index = index
        self.blobs = blobs
        self.debtors = debtors
        self.sessions = sessions

    def load(self, chat_id: str) -> StoredChat | None:
        _safe(chat_id, "chat")
        session = ChatSession.of(chat_id)
        if session is None:
            with self.pool.connection() as connection:
                row = connection.execute(LOAD, (chat_id,)).fetchone()
            return _chat(*row) if row is not None else None
        ahead, session.read_ahead = session.read_ahead, None
        if ahead is not None:
            stored, account, envelope, due_at = ahead
            if not stored:
                return None
            if account is not None:
                return _chat(account, envelope, due_at)
            # Big: not brought by the lock (on the event loop), read here (off it).
        row = session.connection.execute(LOAD, (chat_id,), prepare=True).fetchone()
        return _chat(*row) if row is not None else None

    def prepare(self, chat: StoredChat, wake_at: datetime | None) -> Write:
        chat_id = _safe(chat.chat_id, "chat")
        # Encoded now: the chat may change after ``prepare`` returns, the write may not.
        account = _json(chat.account.to_json(), json_pieces.is_big(chat.account))
        envelope = _json(chat.envelope_json())
        links = entries_of(chat.account)

        def write() -> None:
            before = chat.as_stored if isinstance(chat.as_stored, AsStored) else None
            plan = before is None or before.due_at != wake_at
            # A debtor chat's row is shared by every creditor whose link it opened: another
            # chat's write may have taken it over or dropped it since this chat's was read,
            # so a chat naming debtor chats writes them every time (as the TinyDB index).
            relink = before is None or before.links != links or bool(links.debtors)
            # What the lock brought is no longer the truth, whoever holds it in this process.
            self.sessions.forget_read_ahead(chat_id)
            session = ChatSession.of(chat_id)
            if session is not None:
                self._write(session.connection, chat_id, account, envelope, wake_at, plan,
                            links if relink else None)
            else:
                with self.pool.connection() as connection:
                    self._write(connection, chat_id, account, envelope, wake_at, plan,
                                links if relink else None)
            chat.as_stored = AsStored(wake_at, links)
            if plan:
                self.index.heard(wake_at)
        return write

    def _write(self, connection: Connection, chat_id: str, account: str, envelope: str,
               wake_at: datetime | None, plan: bool, links: LinkEntries | None) -> None:
        values = {"chat": chat_id, "account": account, "envelope": envelope, "due": wake_at,
                  "heard": wake_at.isoformat() if wake_at is not None else None,
                  "channel": NOTIFY_CHANNEL}
        if links is None:
            query = SAVE if not plan else SAVE_UNPLANNED if wake_at is None else SAVE_PLANNED
            connection.execute(query, values, prepare=True)
            return
        # The links changed (rare): the rows of three tables, one round trip (pipeline mode).
        with connection.pipeline(), connection.transaction():
            connection.execute(SAVE, values)
            self.index.plan_in(connection, chat_id, wake_at)
            self.debtors.write_in(connection, chat_id, links)

    def save(self, chat: StoredChat, wake_at: datetime | None) -> None:
        self.prepare(chat, wake_at)()

    def delete(self, chat_id: str) -> None:
        _safe(chat_id, "chat")
        self.sessions.forget_read_ahead(chat_id)  # the chat its lock read is gone
        with self.pool.connection() as connection, connection.transaction():
            for table in ("accounts", "blobs", "reminders"):
                connection.execute(f"DELETE FROM {table} WHERE chat_id = %s",  # noqa: S608
                                   (chat_id,))
            self.debtors.forget_in(connection, chat_id)
        scratch = self.blobs.chat_scratch(chat_id)
        shutil.rmtree(scratch, ignore_errors=True)
        if scratch.exists():  # never say "erased" when it is not
            raise OSError("the chat's scratch folder could not be erased")

    def chat_ids(self) -> Iterator[str]:
        with self.pool.connection() as connection:
            rows = connection.execute("SELECT chat_id FROM accounts").fetchall()
        yield from (row[0] for row in rows)


def _chat(account: dict[str, Any], envelope: dict[str, Any],
          due_at: datetime | None) -> StoredChat:
    chat = StoredChat.from_json(account, envelope)
    chat.as_stored = AsStored(due_at, entries_of(chat.account))
    return chat


def _json(document: dict[str, Any], in_pieces: bool = False) -> str:
    if in_pieces:  # a big chat: the same text, leaving other threads run meanwhile
        return json_pieces.dumps(document)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _read_big_json_in_pieces(connection: Connection) -> None:
    """The connection's JSON columns decoded by ``json_pieces`` (a big chat's account without
    holding the GIL throughout)."""
    set_json_loads(json_pieces.loads, connection)


# Blobs ------------------------------------------------------------------------------------
class BlobRows:
    """Blobs: ``blobs`` rows; scratch files in this machine's ``scratch_dir``."""

    def __init__(self, pool: ConnectionPool[Connection], scratch_dir: Path) -> None:
        self.pool = pool
        self.scratch_dir = scratch_dir

    def put(self, chat_id: str, case_id: str, name: str, data: bytes) -> None:
        _safe(chat_id, "chat")
        _safe(case_id, "case")
        _check_name(name)
        with self.pool.connection() as connection:
            connection.execute(
                "INSERT INTO blobs (chat_id, case_id, name, content) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (chat_id, case_id, name) DO UPDATE SET "
                "content = EXCLUDED.content, saved_at = now()",
                (chat_id, case_id, name, data))

    def put_file(self, chat_id: str, case_id: str, name: str, source: Path) -> None:
        self.put(chat_id, case_id, name, source.read_bytes())
        source.unlink()
        with contextlib.suppress(OSError):  # the scratch file's own folder, now empty
            source.parent.rmdir()

    def get(self, chat_id: str, case_id: str, name: str) -> bytes | None:
        with self.pool.connection() as connection:
            row = connection.execute(
                "SELECT content FROM blobs WHERE chat_id = %s AND case_id = %s AND name = %s",
                (chat_id, case_id, name)).fetchone()
        return bytes(row[0]) if row is not None else None

    def names(self, chat_id: str, case_id: str) -> list[str]:
        with self.pool.connection() as connection:
            rows = connection.execute(
                "SELECT name FROM blobs WHERE chat_id = %s AND case_id = %s ORDER BY name",
                (chat_id, case_id)).fetchall()
        return [row[0] for row in rows]

    def drop(self, chat_id: str, case_id: str, name: str) -> None:
        _safe(chat_id, "chat")
        _safe(case_id, "case")
        _check_name(name)
        with self.pool.connection() as connection:
            connection.execute(
                "DELETE FROM blobs WHERE chat_id = %s AND case_id = %s AND name = %s",
                (chat_id, case_id, name))

    def scratch(self, chat_id: str, name: str) -> Path:
        folder = self.chat_scratch(chat_id) / secrets.token_hex(8)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / Path(name).name

    def chat_scratch(self, chat_id: str) -> Path:
        return self.scratch_dir / _safe(chat_id, "chat")


def _check_name(name: str) -> None:
    """The same names as the file backend accepts: relative, no ``..``, no hidden part."""
    parts = name.split("/")
    if not all(part and not part.startswith(".") and "\\" not in part and "\0" not in part
               for part in parts):
        raise ValueError("invalid blob name")


# The reminder index -------------------------------------------------------------------------
class ClaimedReminders:
    """The reminder index: ``reminders`` rows, claimed by one instance at a time."""

    def __init__(self, pool: ConnectionPool[Connection], url: str, instance: str) -> None:
        self.pool = pool
        self.url = url
        self.instance = instance
        self._listeners: list[Callable[[datetime], None]] = []
        self._listening: threading.Thread | None = None
        self._listen_connection: Connection | None = None
        self._stopped = threading.Event()

    def open(self, wake_of: Callable[[Account], datetime | None]) -> int:
        """The index is written with every account, in its transaction: it is never lost,
        so there is nothing to rebuild; how many chats have something planned."""
        with self.pool.connection() as connection:
            row = connection.execute("SELECT count(*) FROM reminders").fetchone()
        return int(row[0]) if row is not None else 0

    def plan(self, chat_id: str, when: datetime | None) -> None:
        with self.pool.connection() as connection, connection.transaction():
            self.plan_in(connection, chat_id, when)
        self.heard(when)

    def plan_in(self, connection: Connection, chat_id: str, when: datetime | None) -> None:
        """Plan within the caller's transaction (an account's write)."""
        if when is None:
            connection.execute(UNPLAN, {"chat": chat_id})
            return
        connection.execute(PLAN, {"chat": chat_id, "due": when})
        connection.execute(NOTIFY, {"channel": NOTIFY_CHANNEL, "heard": when.isoformat()})

    def heard(self, when: datetime | None) -> None:
        """Tell this process's listeners at once (other instances hear the NOTIFY)."""
        if when is not None:
            for listener in self._listeners:
                listener(when)

    def next_due(self) -> datetime | None:
        with self.pool.connection() as connection:
            row = connection.execute(
                "SELECT min(due_at) FROM reminders "
                "WHERE claimed_until IS NULL OR claimed_until < now()").fetchone()
        return row[0] if row is not None else None

    def claim_due(self, now: datetime) -> list[str]:
        with self.pool.connection() as connection:
            rows = connection.execute(
                "UPDATE reminders SET claimed_by = %(me)s, claimed_until = now() + %(lease)s "
                "WHERE chat_id IN (SELECT chat_id FROM reminders WHERE due_at <= %(now)s "
                " AND (claimed_until IS NULL OR claimed_until < now()) "
                " ORDER BY due_at LIMIT %(batch)s FOR UPDATE SKIP LOCKED) "
                "RETURNING chat_id",
                {"me": self.instance, "lease": CLAIM_LEASE, "now": now,
                 "batch": CLAIM_BATCH}).fetchall()
        return [row[0] for row in rows]

    def release(self, chat_id: str) -> None:
        with self.pool.connection() as connection:
            connection.execute(
                "UPDATE reminders SET claimed_by = NULL, claimed_until = NULL "
                "WHERE chat_id = %s AND claimed_by = %s", (chat_id, self.instance))

    def watch(self, listener: Callable[[datetime], None]) -> None:
        self._listeners.append(listener)
        if self._listening is None:
            self._listening = threading.Thread(target=self._listen, name="reminders-notify",
                                               daemon=True)
            self._listening.start()

    def _listen(self) -> None:
        """Hear the instants other instances plan (LISTEN/NOTIFY), until ``close``."""
        while not self._stopped.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as connection:
                    self._listen_connection = connection
                    connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stopped.is_set():
                        for notice in connection.notifies(timeout=1.0):
                            with contextlib.suppress(ValueError):
                                for listener in self._listeners:
                                    listener(datetime.fromisoformat(notice.payload))
            except psycopg.Error as error:
                if not self._stopped.is_set():
                    log.warning("reminders: listening failed (%s), again in 5 s",
                                type(error).__name__)
                    self._stopped.wait(5)
            finally:
                self._listen_connection = None

    def close(self) -> None:
        self._stopped.set()
        if self._listening is not None:
            self._listening.join(5)


# The outbox -------------------------------------------------------------------------------
class OutboxRows:
    """The outbox's lines: ``outbox`` rows of this instance, in order.

    Appended on every update, from the event loop: one INSERT on a connection of its own
    whose commits do not wait for the disk (``synchronous_commit = off``), a single round
    trip; tried once more on a new connection if the server cut it (at worst a line written
    twice: a hint, an apology too many). Any failure is an ``OSError`` for ``bot.outbox``,
    which carries on without the log for a while, as when the disk is full."""

    def __init__(self, url: str, instance: str) -> None:
        self.instance = instance
        self.connection = OwnConnection(url, "SET synchronous_commit = off")

    def _run(self, work: Callable[[Connection], Any]) -> Any:
        try:
            return self.connection.run(work)
        except psycopg.Error as error:
            raise OSError(f"outbox: {type(error).__name__}") from error

    def read(self) -> list[str]:
        rows = self._run(lambda connection: connection.execute(
            "SELECT line FROM outbox WHERE instance = %s ORDER BY seq",
            (self.instance,)).fetchall())
        return [row[0] for row in rows]

    def append(self, line: str) -> None:
        self._run(lambda connection: connection.execute(
            "INSERT INTO outbox (instance, line) VALUES (%s, %s)", (self.instance, line),
            prepare=True))

    def rewrite(self, lines: Iterable[str]) -> None:
        rows = [(self.instance, line) for line in lines]

        def replace(connection: Connection) -> None:
            with connection.transaction():
                connection.execute("DELETE FROM outbox WHERE instance = %s", (self.instance,))
                with connection.cursor() as cursor:
                    cursor.executemany("INSERT INTO outbox (instance, line) VALUES (%s, %s)",
                                       rows)
        self._run(replace)

    def close(self) -> None:
        self.connection.close()


# The per-chat lock --------------------------------------------------------------------------
# Accounts stored bigger than this (bytes, compressed) are not read with the lock, on the event
# loop: about a tenth of what json_pieces reads in pieces.
READ_AHEAD_AT_MOST = 32 * 1024
LOCK_AND_READ = "SELECT * FROM chat_lock_and_read(%s, %s)"
UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(%s, 0))"


class ChatSession:
    """A chat's lock, held by this process: the connection whose session holds the chat's
    advisory lock, which the chat's reads and writes use while it is held (no other
    connection needed, no other round trip), and the account read with the lock, for the
    first ``load``. Known to the code running inside ``async with locks[chat]`` (and the
    threads it starts with ``asyncio.to_thread``) through a context variable."""

    def __init__(self, chat_id: str, connection: Connection,
                 read_ahead: tuple[Any, ...] | None = None) -> None:
        self.chat_id = chat_id
        self.connection = connection
        # (stored?, account or None if big, envelope, due_at), until the first load takes it.
        self.read_ahead = read_ahead
        self.held = True

    @staticmethod
    def of(chat_id: str) -> ChatSession | None:
        """The session holding ``chat_id``'s lock, if the caller runs within it."""
        session = _HOLDING.get()
        if session is not None and session.held and session.chat_id == chat_id:
            return session
        return None


_HOLDING: contextvars.ContextVar[ChatSession | None] = contextvars.ContextVar(
    "impayes_chat_session", default=None)


class ChatSessions:
    """``async with locks[chat_id]``: this process's lock, then the database's, for the chat.

    The database's is a session advisory lock on one of this process's lock connections
    (kept idle between chats, at most ``LOCKED_CHATS`` of them), tried on the event loop in
    the round trip that also reads the chat (``chat_lock_and_read``, migration 0003) and given
    back in one more when the chat's work is done. Only when another instance holds the chat
    does the wait (``pg_advisory_lock``, which blocks) run in a thread of its own; a
    connection that fails (the server restarted) is dropped and a new one made, in a thread.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.local = LocalChatLocks()
        self.threads = concurrent.futures.ThreadPoolExecutor(LOCKED_CHATS, "chat-lock")
        self.held: dict[str, ChatSession] = {}  # chat → its session, while held
        self._idle: list[Connection] = []
        self._idle_lock = threading.Lock()
        self._slots: asyncio.Semaphore | None = None

    def open(self) -> None:
        self._put(self._connect())

    def _connect(self) -> Connection:
        connection = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        _read_big_json_in_pieces(connection)
        return connection

    def __getitem__(self, chat_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self._held(chat_id)

    @contextlib.asynccontextmanager
    async def _held(self, chat_id: str) -> AsyncIterator[None]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(LOCKED_CHATS)
        async with self.local[chat_id], self._slots:
            session = self._try(chat_id) or await self._wait(chat_id)
            holding = _HOLDING.set(session)
            self.held[chat_id] = session
            try:
                yield
            finally:
                del self.held[chat_id]
                _HOLDING.reset(holding)
                session.held = False
                self._give_back(session.connection, chat_id)

    def forget_read_ahead(self, chat_id: str) -> None:
        """The chat is being written: what its lock read is stale (a write from a thread the
        session is not known to, say, would otherwise leave it for the session's next read)."""
        session = self.held.get(chat_id)
        if session is not None:
            session.read_ahead = None

    def _try(self, chat_id: str) -> ChatSession | None:
        """The chat's lock and account from an idle connection, if the lock is free."""
        with self._idle_lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            return None
        if cut(connection):  # by a restart of the server: a new one is made
            connection.close()
            return None
        try:
            row = connection.execute(LOCK_AND_READ, (chat_id, READ_AHEAD_AT_MOST),
                                     prepare=True).fetchone()
        except psycopg.Error:
            connection.close()  # lost (say, the server restarted): a new one is made
            return None
        if row is None or not row[0]:
            self._put(connection)  # another instance has the chat: wait for it
            return None
        return ChatSession(chat_id, connection, tuple(row[1:]))

    async def _wait(self, chat_id: str) -> ChatSession:
        loop = asyncio.get_running_loop()
        taking = loop.run_in_executor(self.threads, self._take, chat_id)
        try:
            connection = await asyncio.shield(taking)
        except asyncio.CancelledError:
            # Cancelled while waiting: give the lock back once the thread has it.
            taking.add_done_callback(lambda done: self._give_back_later(done, chat_id))
            raise
        return ChatSession(chat_id, connection)

    def _take(self, chat_id: str) -> Connection:
        """A connection holding the chat's lock, waiting as long as another holds it."""
        with self._idle_lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None or cut(connection):
            if connection is not None:
                connection.close()
            connection = self._connect()
        try:
            connection.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (chat_id,))
        except psycopg.OperationalError:
            connection.close()  # lost: once more on a new connection
            connection = self._connect()
            connection.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (chat_id,))
        except BaseException:
            self._put(connection)
            raise
        return connection

    def _give_back(self, connection: Connection, chat_id: str) -> None:
        try:
            connection.execute(UNLOCK, (chat_id,), prepare=True)
        except psycopg.Error:
            connection.close()  # its session ends, and its locks with it
            return
        self._put(connection)

    def _put(self, connection: Connection) -> None:
        if connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
            connection.close()
            return
        with self._idle_lock:
            self._idle.append(connection)

    def _give_back_later(self, done: asyncio.Future[Connection], chat_id: str) -> None:
        if not done.cancelled() and done.exception() is None:
            self.threads.submit(self._give_back, done.result(), chat_id)

    def close(self) -> None:
        self.threads.shutdown(wait=True)
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


# The whole backend --------------------------------------------------------------------------
class PostgresStorage:
    """Every role on one database (``IMPAYES_DATABASE_URL``); the schema brought up to date
    when opened."""

    def __init__(self, url: str, scratch_dir: Path | str, instance: str | None = None,
                 pool_size: int = POOL_SIZE) -> None:
        self.instance = instance or instance_name(Path(scratch_dir))
        self.scratch_dir = Path(scratch_dir) / SCRATCH
        # Each connection is checked as it is taken: one the server cut (a restart) is
        # replaced, not handed out broken (``postgres_connections``).
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            url, min_size=1, max_size=pool_size, kwargs={"autocommit": True},
            configure=_read_big_json_in_pieces, check=check_idle, name="impayes", open=False)
        try:
            self.pool.open(wait=True, timeout=CONNECT_TIMEOUT)
            with self.pool.connection() as connection:
                applied = schema.migrate(connection)
        except BaseException:
            self.pool.close()
            raise
        if applied:
            log.info("postgres: schema migrations applied: %s", ", ".join(applied))
        self.reminders = ClaimedReminders(self.pool, url, self.instance)
        self.blobs = BlobRows(self.pool, self.scratch_dir)
        self.debtor_tokens = DebtorRows(self.pool, url)
        self.locks = ChatSessions(url)
        self.accounts = AccountRows(self.pool, self.reminders, self.blobs, self.debtor_tokens,
                                    self.locks)
        self.outbox = OutboxRows(url, self.instance)
        try:
            self.debtor_tokens.rebuild_if_pending()
            self.locks.open()
        except BaseException:
            self.close()
            raise

    def sweep(self, older_than: float) -> int:
        """Scratch files older than ``older_than``: everything there is work under way, so
        what this process did not start was left by an interrupted one."""
        removed = 0
        for path in self.scratch_dir.rglob("*") if self.scratch_dir.is_dir() else ():
            with contextlib.suppress(FileNotFoundError):
                if path.is_file() and path.stat().st_mtime < older_than:
                    path.unlink()
                    removed += 1
        return removed

    def close(self) -> None:
        self.reminders.close()
        self.outbox.close()
        self.debtor_tokens.close()
        self.locks.close()
        self.pool.close()
