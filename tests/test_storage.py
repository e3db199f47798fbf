"""The TinyDB storage's files: one per chat, atomic writes, nothing torn by a crash."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from tinydb import TinyDB

from bot import files
from bot.storage import AtomicJSONStorage, StoredChat, TinyDBStorage
from flows.model import Account


def sample_account(chat_id: str = "42") -> Account:
    account = Account.new(chat_id, "fr")
    case = account.open_new_case(datetime(2026, 11, 23, 10, 0))
    case.answers.update({"debtor_name": "Société Générale d'Été {{ x }}",
                         "invoice_amount": {"amount": "1200.50", "currency": "EUR"}})
    return account


def test_saved_account_reads_back_identical(tmp_path: Path) -> None:
    store = TinyDBStorage(tmp_path).accounts
    account = sample_account()
    store.save(StoredChat(account), None)
    loaded = store.load("42")
    assert loaded is not None
    assert loaded.account.to_json() == account.to_json()


def test_each_chat_has_its_own_file_with_readable_french(tmp_path: Path) -> None:
    store = TinyDBStorage(tmp_path).accounts
    store.save(StoredChat(sample_account("1")), None)
    store.save(StoredChat(sample_account("2")), None)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("chat.json"))
    assert files == ["chats/1/chat.json", "chats/2/chat.json"]
    assert "Société Générale d'Été" in (tmp_path / "chats/1/chat.json").read_text("utf-8")


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = TinyDBStorage(tmp_path).accounts
    account = sample_account()
    store.save(StoredChat(account), None)
    before = (tmp_path / "chats/42/chat.json").read_bytes()

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", crash)
    account.lang = "en"
    with pytest.raises(OSError, match="disk full"):
        store.save(StoredChat(account), None)
    assert (tmp_path / "chats/42/chat.json").read_bytes() == before
    json.loads(before)
    assert not list((tmp_path / "chats/42").glob(".tmp-*"))


def test_delete_erases_every_file_of_the_chat(tmp_path: Path) -> None:
    storage = TinyDBStorage(tmp_path)
    storage.accounts.save(StoredChat(sample_account()), None)
    storage.blobs.put("42", "abcd1234", "documents/x.pdf", b"%PDF")
    storage.accounts.delete("42")
    assert not (tmp_path / "chats" / "42").exists()
    assert storage.accounts.load("42") is None


@pytest.mark.parametrize("chat_id", ["../etc", "a/b", "", "x" * 100])
def test_unsafe_chat_ids_never_reach_the_filesystem(tmp_path: Path, chat_id: str) -> None:
    with pytest.raises(ValueError, match="invalid chat id"):
        TinyDBStorage(tmp_path).accounts.load(chat_id)


def test_a_new_chats_folders_are_made_durable_up_to_the_existing_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TinyDBStorage(tmp_path).accounts
    store.save(StoredChat(sample_account("1")), None)  # chats/ exists
    synced: list[Path] = []
    real = files.fsync_dir

    def spy(folder: Path) -> None:
        synced.append(folder)
        real(folder)

    monkeypatch.setattr(files, "fsync_dir", spy)
    store.save(StoredChat(sample_account("77")), None)
    # chats/77 is new: its entry in chats/ is synced, then chat.json's in chats/77 (the other
    # indexes' folders are theirs: not counted here).
    chats = [folder for folder in synced if folder.is_relative_to(tmp_path / "chats")]
    assert chats == [tmp_path / "chats", tmp_path / "chats" / "77"]
    synced.clear()
    store.save(StoredChat(sample_account("77")), None)
    chats = [folder for folder in synced if folder.is_relative_to(tmp_path / "chats")]
    assert chats == [tmp_path / "chats" / "77"]  # an existing folder: only the rename


def test_the_chat_file_is_a_tinydb_database_tinydb_itself_reads(tmp_path: Path) -> None:
    store = TinyDBStorage(tmp_path).accounts
    account = sample_account("42")
    store.save(StoredChat(account), None)
    with TinyDB(str(tmp_path / "chats/42/chat.json"), storage=AtomicJSONStorage) as database:
        document = database.table("account").get(doc_id=1)
    assert isinstance(document, dict)
    assert Account.from_json(dict(document)).to_json() == account.to_json()
