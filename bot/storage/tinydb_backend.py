"""The embedded default: one TinyDB database per chat in the data folder, written atomically.

Layout under the data folder::

    chats/<chat>/chat.json                    the chat's TinyDB database (account, envelope)
    chats/<chat>/cases/<case>/evidence/<sha>  evidence, named by its SHA-256
    chats/<chat>/cases/<case>/documents/<f>   drawn documents
    chats/<chat>/scratch/                     downloads being screened, export zips
    reminders/index.log                       the reminder index (``IndexLog``)
    debtor/index.log                          the debtors' links (``tinydb_debtors``)
    outbox.log                                the outbox (``bot.outbox``)

Every write rewrites the whole chat file (TinyDB's way), so each chat has its own small
database and the cost of saving grows with one user's data, not with all users'. The TinyDB
``Storage`` class below writes atomically: a temporary file, fsync, rename, fsync of the
folder; a crash leaves the old file or the new one, never half of one.

**TinyDB's table API or its storage class.** The file is a TinyDB database that TinyDB itself
opens (two tables, ``account`` and ``envelope``, one document each). The per-update paths
(``load``, ``prepare``) go straight through ``AtomicJSONStorage``: building a ``TinyDB``, its
tables and query caches for one lookup by id, and ``Table.upsert``'s re-reading of the file it
is about to replace, cost a third of a save in ``make bench`` for nothing. The rare path that
reads every chat (rebuilding a lost reminder index) goes through ``TinyDB(...).table(...)``,
where that cost is paid once.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import os
import re
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from bot.files import TEMP_PREFIX, fsync_dir, sweep_temporary, write_atomic
from bot.storage import json_pieces
from bot.storage.debtor_index import entries_of
from bot.storage.interface import StoredChat, Write
from bot.storage.locks import LocalChatLocks
from bot.storage.tinydb_debtors import DebtorLog
from flows.model import Account

_SAFE_ID = re.compile(r"^-?[0-9A-Za-z_]{1,64}$")
ACCOUNT, ENVELOPE = "account", "envelope"  # the chat file's two tables
SCRATCH = "scratch"  # inside the chat's folder: erased with it, swept at startup
_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a torn file behind."""

    def __init__(self, path: str, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return json_pieces.loads(text) if text.strip() else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomic(self.path, encode(data))

    def close(self) -> None:
        pass


def encode(data: dict[str, dict[str, Any]], in_pieces: bool = False) -> bytes:
    """The file's bytes: compact, and readable French (no ``\\u00e9``); ``in_pieces`` for a
    big chat (``json_pieces``: the same text, leaving other threads run meanwhile)."""
    if in_pieces:
        return json_pieces.dumps(data).encode("utf-8")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _safe(identifier: str, what: str) -> str:
    if not _SAFE_ID.match(str(identifier)):
        raise ValueError(f"invalid {what} id")
    return str(identifier)


class Folders:
    """Where a chat's things are, in the data folder (for this backend's roles only)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.chats = root / "chats"

    def chat(self, chat_id: str) -> Path:
        return self.chats / _safe(chat_id, "chat")

    def case(self, chat_id: str, case_id: str) -> Path:
        return self.chat(chat_id) / "cases" / _safe(case_id, "case")

    def file(self, chat_id: str) -> Path:
        return self.chat(chat_id) / "chat.json"

    def blob(self, chat_id: str, case_id: str, name: str) -> Path:
        parts = name.split("/")
        # Relative names inside the case folder only: no "..", no absolute path, no hidden
        # file (temporary files start with a dot).
        if not all(part and not part.startswith(".") and "\\" not in part and "\0" not in part
                   for part in parts):
            raise ValueError("invalid blob name")
        return self.case(chat_id, case_id).joinpath(*parts)

    def chat_ids(self) -> Iterator[str]:
        if not self.chats.is_dir():
            return
        for child in self.chats.iterdir():
            if (child / "chat.json").exists():
                yield child.name

    def accounts_through_tinydb(self) -> Iterator[Account]:
        """Every chat's account, through TinyDB's own table API: for the rare whole-data reads
        (rebuilding a lost index), where its cost is paid once."""
        for chat_id in self.chat_ids():
            account = self.read_with_tinydb(chat_id)
            if account is not None:
                yield account

    def read_with_tinydb(self, chat_id: str) -> Account | None:
        """The chat's account through TinyDB's own table API (for the rare whole-data reads)."""
        with TinyDB(str(self.file(chat_id)), storage=AtomicJSONStorage) as database:
            document = database.table(ACCOUNT).get(doc_id=1)
            envelope = database.table(ENVELOPE).get(doc_id=1)
        if not isinstance(document, dict):
            return None
        return StoredChat.from_json(dict(document), dict(envelope)
                                    if isinstance(envelope, dict) else None).account


# Accounts ---------------------------------------------------------------------------------
class ChatFiles:
    """Accounts: ``chats/<chat>/chat.json``, the account and its envelope; each write keeps
    the reminder index and the debtors' links in step."""

    def __init__(self, folders: Folders, index: IndexLog, debtors: DebtorLog) -> None:
        self.folders = folders
        self.index = index
        self.debtors = debtors

    def load(self, chat_id: str) -> StoredChat | None:
        # Straight through the storage class (see the module's docstring).
        return _chat(AtomicJSONStorage(str(self.folders.file(chat_id))).read())

    def prepare(self, chat: StoredChat, wake_at: datetime | None) -> Write:
        # Each table holds one document: the whole file is written in TinyDB's format through
        # the storage class, without ``Table.upsert`` re-reading what it replaces.
        chat_id = chat.chat_id
        path = self.folders.file(chat_id)
        payload = encode({ACCOUNT: {"1": chat.account.to_json()},
                          ENVELOPE: {"1": chat.envelope_json()}},
                         json_pieces.is_big(chat.account))
        index, debtors, links = self.index, self.debtors, entries_of(chat.account)

        def write() -> None:
            # The index may say earlier than the file, never later: a chat's instant brought
            # forward is written before the file, one pushed back after it. Likewise a debtor's
            # link is indexed before the file holds it, and dropped after.
            old = index.get(chat_id)
            earlier = wake_at is not None and (old is None or wake_at.timestamp() < old)
            if earlier:
                index.plan(chat_id, wake_at)
            debtors.add(links)
            write_atomic(path, payload)
            if not earlier:
                index.plan(chat_id, wake_at)
            debtors.keep_only(chat_id, links)
        return write

    def save(self, chat: StoredChat, wake_at: datetime | None) -> None:
        self.prepare(chat, wake_at)()

    def delete(self, chat_id: str) -> None:
        folder = self.folders.chat(chat_id)
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():  # never say "erased" when it is not
            raise OSError("the chat folder could not be erased")
        self.index.forget(chat_id)
        self.debtors.forget_chat(chat_id)

    def chat_ids(self) -> Iterator[str]:
        return self.folders.chat_ids()


def _chat(data: dict[str, Any] | None) -> StoredChat | None:
    account = (data or {}).get(ACCOUNT, {}).get("1")
    if account is None:
        return None
    envelope = (data or {}).get(ENVELOPE, {}).get("1")
    return StoredChat.from_json(account, envelope)


# Blobs ------------------------------------------------------------------------------------
class CaseFolders:
    """Blobs: files in the case's folder, named as the blob (``documents/x.pdf``)."""

    def __init__(self, folders: Folders) -> None:
        self.folders = folders

    def put(self, chat_id: str, case_id: str, name: str, data: bytes) -> None:
        write_atomic(self.folders.blob(chat_id, case_id, name), data)

    def put_file(self, chat_id: str, case_id: str, name: str, source: Path) -> None:
        target = self.folders.blob(chat_id, case_id, name)
        with source.open("rb") as fh:
            os.fsync(fh.fileno())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        fsync_dir(target.parent)
        with contextlib.suppress(OSError):  # the scratch file's own folder, now empty
            source.parent.rmdir()

    def get(self, chat_id: str, case_id: str, name: str) -> bytes | None:
        try:
            return self.folders.blob(chat_id, case_id, name).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def names(self, chat_id: str, case_id: str) -> list[str]:
        folder = self.folders.case(chat_id, case_id)
        if not folder.is_dir():
            return []
        return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                      if path.is_file() and not path.name.startswith("."))

    def drop(self, chat_id: str, case_id: str, name: str) -> None:
        path = self.folders.blob(chat_id, case_id, name)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        fsync_dir(path.parent)

    def scratch(self, chat_id: str, name: str) -> Path:
        folder = self.folders.chat(chat_id) / SCRATCH / secrets.token_hex(8)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / Path(name).name


# The reminder index -------------------------------------------------------------------------
class IndexLog:
    """chat → the earliest instant (epoch seconds) it may have a reminder due.

    An append-only log of ``chat epoch`` lines (``-`` for nothing planned), the last line for
    a chat wins: a change costs one short fsynced line, whatever the number of users; the log
    is compacted (rewritten atomically) at startup and when it grows to several times the
    number of chats. A heap of (instant, chat) in memory answers "what is due" without reading
    a chat file; one process serves the data folder, so a claim is a set in memory.
    """

    def __init__(self, path: Path, folders: Folders) -> None:
        self.path = path
        self.folders = folders
        self.entries: dict[str, int] = {}
        self._lines = 0
        self._heap: list[tuple[int, str]] = []
        self._claimed: set[str] = set()
        self._listeners: list[Callable[[datetime], None]] = []
        self._lock = threading.Lock()  # saves run in worker threads

    def open(self, wake_of: Callable[[Account], datetime | None]) -> int:
        if not self._load():
            self._rebuild(wake_of)
        self.compact()
        with self._lock:
            self._heap = [(when, chat) for chat, when in self.entries.items()]
            heapq.heapify(self._heap)
            return len(self.entries)

    def _load(self) -> bool:
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

    def _rebuild(self, wake_of: Callable[[Account], datetime | None]) -> None:
        """Read every chat once (only when the index was lost), through TinyDB's table API."""
        entries = {}
        for account in self.folders.accounts_through_tinydb():
            wake = wake_of(account)
            if wake is not None:
                entries[account.chat_id] = int(wake.timestamp())
        with self._lock:
            self.entries = entries

    def get(self, chat_id: str) -> int | None:
        return self.entries.get(chat_id)

    def plan(self, chat_id: str, when: datetime | None) -> None:
        # Rounded down: the hint may be a little early, never late.
        value = int(when.timestamp()) if when is not None else None
        with self._lock:
            if self.entries.get(chat_id) == value:
                return
            if value is None:
                del self.entries[chat_id]
            else:
                self.entries[chat_id] = value
                heapq.heappush(self._heap, (value, chat_id))
            self._append(f"{chat_id} {value if value is not None else '-'}\n")
            crowded = self._lines > 4 * len(self.entries) + 1000
        if crowded:
            self.compact()
        if when is not None:
            for listener in self._listeners:
                listener(when)

    def forget(self, chat_id: str) -> None:
        """An erased chat: out of the index, and out of its earlier lines at once."""
        self.plan(chat_id, None)
        self.compact()

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, _FLAGS, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._lines += 1

    def compact(self) -> None:
        """Rewrite the log with one line per chat (atomically: temp file, fsync, rename)."""
        with self._lock:
            payload = "".join(f"{chat} {when}\n" for chat, when in self.entries.items())
            write_atomic(self.path, payload.encode("ascii"))
            self._lines = len(self.entries)

    def _top(self) -> tuple[int, str] | None:
        """The heap's first live entry (superseded and claimed ones dropped); under the lock."""
        while self._heap:
            when, chat_id = self._heap[0]
            if self.entries.get(chat_id) == when and chat_id not in self._claimed:
                return when, chat_id
            heapq.heappop(self._heap)
        return None

    def next_due(self) -> datetime | None:
        with self._lock:
            top = self._top()
        return datetime.fromtimestamp(top[0], UTC) if top is not None else None

    def claim_due(self, now: datetime) -> list[str]:
        limit = now.timestamp()
        claimed: list[str] = []
        with self._lock:
            while (top := self._top()) is not None and top[0] <= limit:
                heapq.heappop(self._heap)
                self._claimed.add(top[1])
                claimed.append(top[1])
        return claimed

    def release(self, chat_id: str) -> None:
        with self._lock:
            self._claimed.discard(chat_id)
            current = self.entries.get(chat_id)
            if current is not None:  # back on the heap whatever happened to the delivery
                heapq.heappush(self._heap, (current, chat_id))

    def watch(self, listener: Callable[[datetime], None]) -> None:
        self._listeners.append(listener)


# The outbox -------------------------------------------------------------------------------
class OutboxFile:
    """The outbox's lines in ``<data>/outbox.log``: appended with one ``os.write`` on a
    descriptor opened once with ``O_APPEND``, no fsync (``bot.outbox`` says why)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def read(self) -> list[str]:
        try:
            text = self.path.read_bytes().decode("ascii", "replace")
        except FileNotFoundError:
            return []
        return text.split("\n")[:-1]  # a last line without its newline was torn by a crash

    def append(self, line: str) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, _FLAGS, 0o600)
        os.write(self._fd, f"{line}\n".encode("ascii"))

    def rewrite(self, lines: Iterable[str]) -> None:
        write_atomic(self.path, "".join(f"{line}\n" for line in lines).encode("ascii"))
        self.close()
        self._fd = os.open(self.path, _FLAGS, 0o600)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# The whole backend --------------------------------------------------------------------------
class TinyDBStorage:
    """Every role on the data folder (``make run``'s storage: nothing else to install)."""

    def __init__(self, data_dir: Path | str) -> None:
        self.root = Path(data_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        folders = Folders(self.root)
        self.reminders = IndexLog(self.root / "reminders" / "index.log", folders)
        self.debtor_tokens = DebtorLog(
            self.root / "debtor" / "index.log",
            lambda: map(entries_of, folders.accounts_through_tinydb()))
        self.accounts = ChatFiles(folders, self.reminders, self.debtor_tokens)
        self.blobs = CaseFolders(folders)
        self.outbox = OutboxFile(self.root / "outbox.log")
        self.locks = LocalChatLocks()

    def sweep(self, older_than: float) -> int:
        # Temporary files of atomic writes, and whatever scratch files (downloads cut short,
        # export zips a crash kept from being sent and discarded) interrupted work left.
        # (Versions before the scratch space downloaded into the case's evidence folder under
        # ``.incoming-`` names and built exports in the chat's ``exports`` folder.)
        return sweep_temporary(self.root, older_than, prefixes=(TEMP_PREFIX, ".incoming-"),
                               folders=(SCRATCH, "exports"))

    def close(self) -> None:
        self.outbox.close()
