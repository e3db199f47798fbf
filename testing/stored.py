"""A chat's stored state, written or read as the bot does (the data folder's TinyDB storage):
for tests that set up a chat before the bot starts, or check what it kept."""

from __future__ import annotations

from pathlib import Path

from bot.storage import StoredChat, TinyDBStorage
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
