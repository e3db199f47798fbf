"""The chat store the bot uses until it moves onto ``bot.storage``'s roles (one file a chat).

Every write rewrites the whole file (TinyDB's way), so each chat has its own small file and the
cost of saving grows with one user's data, not with all users'. A write goes to a temporary
file, is fsynced, then renamed over the old one: a crash leaves either the old or the new
file, never half of one. The interface is deliberately narrow (load, save, delete, list) so that
a PostgreSQL store can replace this one module.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from tinydb import TinyDB

from bot.files import write_atomic
from bot.storage.interface import Write
from bot.storage.tinydb_backend import AtomicJSONStorage, encode
from flows.model import Account

_SAFE_ID = re.compile(r"^-?[0-9A-Za-z_]{1,64}$")




class ChatStore:
    """Accounts on disk: ``<data_dir>/chats/<chat_id>/chat.json`` plus that chat's files."""

    TABLE = "account"

    def __init__(self, data_dir: Path | str) -> None:
        self.root = Path(data_dir)
        self.chats = self.root / "chats"
        self.chats.mkdir(parents=True, exist_ok=True)

    def chat_dir(self, chat_id: str) -> Path:
        if not _SAFE_ID.match(str(chat_id)):
            raise ValueError("invalid chat id")
        return self.chats / str(chat_id)

    def case_dir(self, chat_id: str, case_id: str) -> Path:
        if not _SAFE_ID.match(case_id):
            raise ValueError("invalid case id")
        return self.chat_dir(chat_id) / "cases" / case_id

    def file(self, chat_id: str) -> Path:
        return self.chat_dir(chat_id) / "chat.json"

    def db(self, chat_id: str) -> TinyDB:
        """The chat's file as a TinyDB database (what ``load`` and ``save`` read and write)."""
        return TinyDB(str(self.file(chat_id)), storage=AtomicJSONStorage)

    def load(self, chat_id: str) -> Account | None:
        # The one document of the one table, read through TinyDB's storage class (without
        # building a TinyDB, its Table and query cache on every update for one lookup by id).
        data = AtomicJSONStorage(str(self.file(chat_id))).read()
        document = (data or {}).get(self.TABLE, {}).get("1")
        return Account.from_json(document) if document is not None else None

    def save(self, account: Account) -> None:
        """Durably store the whole account in one atomic write."""
        self.prepare(account)()

    def prepare(self, account: Account) -> Write:
        """Take the account's state now; the returned call writes it durably (the part that
        waits on the disk, which the Telegram adapter runs off the event loop).

        The file holds one table with one document, the account, so the whole file is written
        straight through TinyDB's storage format: ``Table.upsert`` would first read and parse
        the file it is about to replace, a third of the cost of a save for nothing.
        """
        path, payload = self.file(account.chat_id), encode({self.TABLE: {"1": account.to_json()}})

        def write() -> None:
            write_atomic(path, payload)
        return write

    def delete(self, chat_id: str) -> None:
        """Erase everything held for this chat, files included."""
        shutil.rmtree(self.chat_dir(chat_id), ignore_errors=True)

    def chat_ids(self) -> Iterator[str]:
        for child in self.chats.iterdir():
            if (child / "chat.json").exists():
                yield child.name
