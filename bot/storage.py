"""Storage: one TinyDB file per chat, written atomically.

Every write rewrites the whole file (TinyDB's way), so each chat has its own small file and the
cost of saving grows with one user's data, not with all users'. A write goes to a temporary
file, is fsynced, then renamed over the old one: a crash leaves either the old or the new
file, never half of one. The interface is deliberately narrow (load, save, delete, list) so that
a PostgreSQL store can replace this one module.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from flows.files import write_atomic
from flows.model import Account

_SAFE_ID = re.compile(r"^-?[0-9A-Za-z_]{1,64}$")


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a torn file behind."""

    def __init__(self, path: str, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return json.loads(text) if text.strip() else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        write_atomic(self.path, payload.encode("utf-8"))

    def close(self) -> None:
        pass



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

    def _db(self, chat_id: str) -> TinyDB:
        return TinyDB(str(self.chat_dir(chat_id) / "chat.json"), storage=AtomicJSONStorage)

    def load(self, chat_id: str) -> Account | None:
        # The one document of the one table, read through TinyDB's storage: a Table and its
        # query cache would be built and dropped on every update for a single lookup by id.
        data = self._db(chat_id).storage.read()
        document = (data or {}).get(self.TABLE, {}).get("1")
        return Account.from_json(document) if document is not None else None

    def save(self, account: Account) -> None:
        """Durably store the whole account in one atomic write.

        The file holds one table with one document, the account, so the whole file is written
        straight through TinyDB's storage: ``Table.upsert`` would first read and parse the file
        it is about to replace, a third of the cost of a save for nothing.
        """
        self._db(account.chat_id).storage.write({self.TABLE: {"1": account.to_json()}})

    def delete(self, chat_id: str) -> None:
        """Erase everything held for this chat, files included."""
        shutil.rmtree(self.chat_dir(chat_id), ignore_errors=True)

    def chat_ids(self) -> Iterator[str]:
        for child in self.chats.iterdir():
            if (child / "chat.json").exists():
                yield child.name
