"""A chat's stored state, written or read as the bot does (the data folder's TinyDB storage):
for tests that set up a chat before the bot starts, or check what it kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.storage import Storage, StoredChat, TinyDBStorage, open_storage
from flows.model import Account


def save_account(data_dir: Path, account: Account) -> None:
    """Keep ``account`` (with an empty envelope) as the chat's stored state."""
    storage = TinyDBStorage(data_dir)
    try:
        storage.accounts.save(StoredChat(account), None)
    finally:
        storage.close()


def load_chat(data_dir: Path, chat_id: str | int) -> StoredChat | None:
    storage = TinyDBStorage(data_dir)
    try:
        return storage.accounts.load(str(chat_id))
    finally:
        storage.close()


def load_account(data_dir: Path, chat_id: str | int) -> Account | None:
    chat = load_chat(data_dir, chat_id)
    return chat.account if chat is not None else None


@dataclass(frozen=True)
class Place:
    """Where a test's bot keeps things: its data folder, and the database when it runs on
    PostgreSQL (the ``place`` fixture gives one per backend)."""

    data_dir: Path
    database_url: str | None = None

    @property
    def backend(self) -> str:
        return "postgresql" if self.database_url else "tinydb"

    def open(self) -> Storage:
        """The storage the bot opens with these settings (``open_storage``)."""
        return open_storage(self.data_dir, self.database_url)

    def env(self) -> dict[str, str]:
        """The environment a bot process needs to use this place."""
        return {"IMPAYES_DATABASE_URL": self.database_url} if self.database_url else {}

    def load_account(self, chat_id: str | int) -> Account | None:
        storage = self.open()
        try:
            chat = storage.accounts.load(str(chat_id))
        finally:
            storage.close()
        return chat.account if chat is not None else None
