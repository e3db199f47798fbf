"""Every storage role on PostgreSQL, so that several bot instances can serve any chat.

The roles and their promises are ``bot.storage.interface``'s; the tables are
``bot/storage/migrations/``'s. One connection pool per process (psycopg 3), in autocommit
mode: a role that writes more than one row opens its own transaction.

- **Accounts**: one row per chat, the account and its envelope as JSONB. A write is one
  transaction: the row upserted (which takes the row's lock, so two writers of one chat
  queue), the reminder index's row for the chat in the same transaction, so that the index is
  never out of step with the account; the COMMIT is the durable point.
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
  connection held while the chat's work runs (taken in a thread of its own, since waiting for
  another instance blocks). A killed instance's connection closes and its locks go with it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import re
import secrets
import shutil
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool

from bot.storage import json_pieces
from bot.storage import postgres_schema as schema
from bot.storage.debtor_index import entries_of
from bot.storage.interface import StoredChat, Write
from bot.storage.locks import LocalChatLocks
from bot.storage.postgres_debtors import DebtorRows
from flows.model import Account

log = logging.getLogger("impayes.postgres")

# A claimed chat not released within this time (its instance died) is due again.
CLAIM_LEASE = timedelta(minutes=2)
CLAIM_BATCH = 500  # chats claimed at once, at most
NOTIFY_CHANNEL = "impayes_reminders"
# Connections, per instance: the loads, writes and blobs share a pool (they run in the
# adapter's few worker threads); the per-chat locks have their own, one connection held by
# each chat being handled, so that chats holding locks never starve the writes they wait
# for. Two instances stay well within PostgreSQL's default of 100 connections.
POOL_SIZE = 10
LOCKED_CHATS = 16  # chats of one instance inside their lock at once; the others wait
SCRATCH = "scratch"
CONNECT_TIMEOUT = 30  # seconds to reach the database at start before giving up
Connection = psycopg.Connection[Any]


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
class AccountRows:
    """Accounts: ``accounts`` rows, written with the chat's ``reminders`` row and its debtors'
    links (``postgres_debtors``)."""

    def __init__(self, pool: ConnectionPool[Connection], index: ClaimedReminders,
                 blobs: BlobRows, debtors: DebtorRows) -> None:
        self.pool = pool
        self.index = index
        self.blobs = blobs
        self.debtors = debtors

    def load(self, chat_id: str) -> StoredChat | None:
        with self.pool.connection() as connection:
            row = connection.execute(
                "SELECT account, envelope FROM accounts WHERE chat_id = %s",
                (_safe(chat_id, "chat"),)).fetchone()
        return StoredChat.from_json(row[0], row[1]) if row is not None else None

    def prepare(self, chat: StoredChat, wake_at: datetime | None) -> Write:
        chat_id = _safe(chat.chat_id, "chat")
        # Encoded now: the chat may change after ``prepare`` returns, the write may not.
        big = json_pieces.records(chat.account) > json_pieces.BIG_RECORDS
        account = _json(chat.account.to_json(), big)
        envelope = _json(chat.envelope_json())
        links = entries_of(chat.account)

        def write() -> None:
            # One round trip for the whole transaction (pipeline mode), not one a statement.
            with (self.pool.connection() as connection, connection.pipeline(),
                  connection.transaction()):
                connection.execute(
                    "INSERT INTO accounts (chat_id, account, envelope) "
                    "VALUES (%s, %s::jsonb, %s::jsonb) "
                    "ON CONFLICT (chat_id) DO UPDATE SET account = EXCLUDED.account, "
                    "envelope = EXCLUDED.envelope, saved_at = now()",
                    (chat_id, account, envelope))
                self.index.plan_in(connection, chat_id, wake_at)
                self.debtors.write_in(connection, chat_id, links)
            self.index.heard(wake_at)
        return write

    def save(self, chat: StoredChat, wake_at: datetime | None) -> None:
        self.prepare(chat, wake_at)()

    def delete(self, chat_id: str) -> None:
        _safe(chat_id, "chat")
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
            connection.execute("DELETE FROM reminders WHERE chat_id = %s", (chat_id,))
            return
        # A claim under way stays: its holder releases it once done.
        connection.execute(
            "INSERT INTO reminders (chat_id, due_at) VALUES (%s, %s) "
            "ON CONFLICT (chat_id) DO UPDATE SET due_at = EXCLUDED.due_at",
            (chat_id, when))
        connection.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, when.isoformat()))

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
    trip. Any failure is an ``OSError`` for ``bot.outbox``, which carries on without the log
    for a while, as when the disk is full."""

    def __init__(self, url: str, instance: str) -> None:
        self.url = url
        self.instance = instance
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def _run(self, work: Callable[[Connection], Any]) -> Any:
        with self._lock:
            try:
                if self._connection is None or self._connection.closed:
                    self._connection = psycopg.connect(self.url, autocommit=True,
                                                       connect_timeout=CONNECT_TIMEOUT)
                    self._connection.execute("SET synchronous_commit = off")
                return work(self._connection)
            except psycopg.Error as error:
                self._close()
                raise OSError(f"outbox: {type(error).__name__}") from error

    def read(self) -> list[str]:
        rows = self._run(lambda connection: connection.execute(
            "SELECT line FROM outbox WHERE instance = %s ORDER BY seq",
            (self.instance,)).fetchall())
        return [row[0] for row in rows]

    def append(self, line: str) -> None:
        self._run(lambda connection: connection.execute(
            "INSERT INTO outbox (instance, line) VALUES (%s, %s)", (self.instance, line)))

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
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# The per-chat lock --------------------------------------------------------------------------
class AdvisoryChatLocks:
    """``async with locks[chat_id]``: this process's lock, then the database's, for the chat.

    Waiting for a chat another instance holds blocks a thread (``pg_advisory_lock``), so the
    waits run in threads of their own, as many as connections in the locks' pool; the
    process's ``asyncio.Lock`` comes first, so one instance waits once per chat."""

    def __init__(self, url: str) -> None:
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            url, min_size=1, max_size=LOCKED_CHATS, kwargs={"autocommit": True},
            name="impayes-locks", open=False)
        self.local = LocalChatLocks()
        self.threads = concurrent.futures.ThreadPoolExecutor(LOCKED_CHATS, "chat-lock")
        self._slots: asyncio.Semaphore | None = None

    def open(self) -> None:
        self.pool.open(wait=True, timeout=CONNECT_TIMEOUT)

    def __getitem__(self, chat_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self._held(chat_id)

    @contextlib.asynccontextmanager
    async def _held(self, chat_id: str) -> AsyncIterator[None]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(LOCKED_CHATS)
        async with self.local[chat_id], self._slots:
            loop = asyncio.get_running_loop()
            taking = loop.run_in_executor(self.threads, self._take, chat_id)
            try:
                connection = await asyncio.shield(taking)
            except asyncio.CancelledError:
                # Cancelled while waiting: give the lock back once the thread has it.
                taking.add_done_callback(lambda done: self._give_back_later(done, chat_id))
                raise
            try:
                yield
            finally:
                await loop.run_in_executor(self.threads, self._give_back, connection, chat_id)

    def _take(self, chat_id: str) -> Connection:
        connection = self.pool.getconn()
        try:
            connection.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (chat_id,))
        except BaseException:
            self.pool.putconn(connection)
            raise
        return connection

    def _give_back(self, connection: Connection, chat_id: str) -> None:
        try:
            connection.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))",
                               (chat_id,))
        finally:
            self.pool.putconn(connection)

    def _give_back_later(self, done: asyncio.Future[Connection], chat_id: str) -> None:
        if not done.cancelled() and done.exception() is None:
            self.threads.submit(self._give_back, done.result(), chat_id)

    def close(self) -> None:
        self.threads.shutdown(wait=True)
        self.pool.close()


# The whole backend --------------------------------------------------------------------------
class PostgresStorage:
    """Every role on one database (``IMPAYES_DATABASE_URL``); the schema brought up to date
    when opened."""

    def __init__(self, url: str, scratch_dir: Path | str, instance: str | None = None,
                 pool_size: int = POOL_SIZE) -> None:
        self.instance = instance or instance_name(Path(scratch_dir))
        self.scratch_dir = Path(scratch_dir) / SCRATCH
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            url, min_size=1, max_size=pool_size, kwargs={"autocommit": True},
            configure=_read_big_json_in_pieces, name="impayes", open=False)
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
        self.debtor_tokens = DebtorRows(self.pool)
        self.accounts = AccountRows(self.pool, self.reminders, self.blobs, self.debtor_tokens)
        self.outbox = OutboxRows(url, self.instance)
        self.locks = AdvisoryChatLocks(url)
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
        self.locks.close()
        self.pool.close()
