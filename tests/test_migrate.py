"""``python -m bot migrate``: a data folder into a PostgreSQL database and back, as an operator
moving from one instance to several (and back) would run it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import __main__ as commands
from bot.config import shown_url
from bot.storage import StoredChat, TinyDBStorage, postgres_backend
from bot.storage.postgres_backend import PostgresStorage
from flows.followup import next_wakeup
from flows.model import Account
from testing.pgcluster import Cluster
from tests.followup_cases import FORMAL_DEMAND, NOW, followed

PDF = b"%PDF-1.7 mise en demeure"
PHOTO = b"\xff\xd8\xff\xe0 a photo of the delivery note"


def seed(folder: Path) -> tuple[StoredChat, str]:
    """Three chats in a data folder: one whose formal demand went out (a reminder planned,
    a drawn document and a piece of evidence), two just started."""
    storage = TinyDBStorage(folder)
    followed_chat = StoredChat(followed(FORMAL_DEMAND).account, seen_updates=[501, 502])
    followed_chat.account.chat_id = "6001"
    case_id = followed_chat.account.cases[0].id
    storage.blobs.put("6001", case_id, "documents/mise_en_demeure.pdf", PDF)
    storage.blobs.put("6001", case_id, "evidence/3f2a", PHOTO)
    storage.accounts.save(followed_chat, next_wakeup(followed_chat.account, NOW))
    for chat_id in ("6002", "6003"):
        storage.accounts.save(StoredChat(Account.new(chat_id, "en")), None)
    storage.close()
    return followed_chat, case_id


def migrate(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            data_dir: Path, *args: str) -> str:
    monkeypatch.setenv("IMPAYES_DATA_DIR", str(data_dir))
    monkeypatch.setenv("IMPAYES_NOW", NOW.replace(tzinfo=None).isoformat())
    code = commands.main(["migrate", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_data_folder_goes_into_a_database_and_comes_back(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    written, case_id = seed(folder)

    out = migrate(monkeypatch, capsys, folder, "--to", pg_url)
    assert "3 chats (0 unchanged), 2 files (0 unchanged), 1 chats with reminders planned" in out

    database = PostgresStorage(pg_url, tmp_path / "instance", instance="check")
    try:
        assert sorted(database.accounts.chat_ids()) == ["6001", "6002", "6003"]
        loaded = database.accounts.load("6001")
        assert loaded is not None
        assert loaded.account.to_json() == written.account.to_json()
        assert loaded.seen_updates == [501, 502]
        assert database.blobs.get("6001", case_id, "documents/mise_en_demeure.pdf") == PDF
        assert database.blobs.get("6001", case_id, "evidence/3f2a") == PHOTO
        # The formal demand's check is planned in the database's index, as in the folder's.
        due = next_wakeup(written.account, NOW)
        assert due is not None
        assert database.reminders.claim_due(due - timedelta(seconds=1)) == []
        assert database.reminders.claim_due(due) == ["6001"]
        database.reminders.release("6001")
    finally:
        database.close()

    again = migrate(monkeypatch, capsys, folder, "--to", pg_url)
    assert "0 chats (3 unchanged), 0 files (2 unchanged), 1 chats with reminders planned" in again

    back = tmp_path / "back"
    out = migrate(monkeypatch, capsys, tmp_path / "unused", "--from", pg_url, "--to", str(back))
    assert "3 chats (0 unchanged), 2 files (0 unchanged)" in out
    assert (back / "chats" / "6001" / "cases" / case_id / "documents"
            / "mise_en_demeure.pdf").read_bytes() == PDF
    returned = TinyDBStorage(back)
    try:
        chat = returned.accounts.load("6001")
        assert chat is not None
        assert chat.account.to_json() == written.account.to_json()
        assert sorted(returned.accounts.chat_ids()) == ["6001", "6002", "6003"]
        assert returned.reminders.open(lambda _account: None) == 1
    finally:
        returned.close()


def test_a_chat_changed_since_is_copied_again(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    seed(folder)
    migrate(monkeypatch, capsys, folder, "--to", pg_url)
    storage = TinyDBStorage(folder)
    chat = storage.accounts.load("6002")
    assert chat is not None
    chat.account.lang = "fr"
    storage.accounts.save(chat, None)
    storage.close()
    out = migrate(monkeypatch, capsys, folder, "--to", pg_url)
    assert "1 chats (2 unchanged)" in out


def test_the_password_is_never_printed_and_a_copy_onto_itself_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert shown_url("postgresql://impayes:s3cr3t@db:5432/impayes") == (
        "postgresql://impayes:***@db:5432/impayes")
    assert shown_url("postgresql://impayes@/impayes?host=/run") == (
        "postgresql://impayes@/impayes?host=/run")
    monkeypatch.setenv("IMPAYES_DATA_DIR", str(tmp_path))
    assert commands.main(["migrate", "--to", str(tmp_path)]) == 1
    assert "--to names the storage it would copy from" in capsys.readouterr().err
    monkeypatch.delenv("IMPAYES_DATABASE_URL", raising=False)
    assert commands.main(["migrate"]) == 1
    assert "IMPAYES_DATABASE_URL is not set" in capsys.readouterr().err


def test_inside_a_deployment_the_target_is_the_instances_own_database(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``docker compose run bot1 python -m bot migrate --from /import``: no URL to type."""
    imported = tmp_path / "import"
    written, _ = seed(imported)
    monkeypatch.setenv("IMPAYES_DATABASE_URL", pg_url)
    out = migrate(monkeypatch, capsys, tmp_path / "instance", "--from", str(imported))
    assert f"from {imported}" in out
    assert "3 chats (0 unchanged)" in out
    database = PostgresStorage(pg_url, tmp_path / "check", instance="check")
    try:
        loaded = database.accounts.load("6001")
        assert loaded is not None
        assert loaded.account.to_json() == written.account.to_json()
    finally:
        database.close()


def test_a_database_that_cannot_be_reached_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        pg_cluster: Cluster) -> None:
    monkeypatch.setenv("IMPAYES_DATA_DIR", str(tmp_path))
    missing = pg_cluster.url("no_such_database").replace("impayes@", "impayes:s3cr3t@")
    monkeypatch.setattr(postgres_backend, "CONNECT_TIMEOUT", 2)
    assert commands.main(["migrate", "--to", missing]) == 1
    err = capsys.readouterr().err
    assert "the database refused or could not be reached" in err
    assert "s3cr3t" not in err
