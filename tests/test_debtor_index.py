"""The index of debtors' links as each backend keeps it (the shared promises:
tests/test_storage_contract.py): never a token, only its hash; found again after a restart,
rebuilt when lost; shared by every instance on one database."""

from __future__ import annotations

from pathlib import Path

from bot.storage import StoredChat, TinyDBStorage
from bot.storage.debtor_index import token_key
from bot.storage.postgres_backend import PostgresStorage
from flows.debtor import answers, link
from flows.model import Account
from tests.followup_cases import FORMAL_DEMAND, NOW, followed


def creditor(chat_id: str = "1001") -> Account:
    return followed(FORMAL_DEMAND, chat_id=chat_id).account


# TinyDB: <data>/debtor/index.log --------------------------------------------------------------
def test_the_log_holds_hashes_and_is_read_again_after_a_restart(tmp_path: Path) -> None:
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    answers.opened(account.cases[0], "2002", "en", NOW)
    TinyDBStorage(tmp_path).accounts.save(StoredChat(account), None)
    written = (tmp_path / "debtor" / "index.log").read_text("ascii")
    assert token not in written
    assert token_key(token) in written
    again = TinyDBStorage(tmp_path)
    assert again.debtor_tokens.find(token) == ("1001", account.cases[0].id)
    assert again.debtor_tokens.debtor("2002") == ("1001", account.cases[0].id)


def test_a_lost_log_is_rebuilt_from_the_chat_files(tmp_path: Path) -> None:
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    TinyDBStorage(tmp_path).accounts.save(StoredChat(account), None)
    (tmp_path / "debtor" / "index.log").unlink()  # say, restored from a backup without it
    again = TinyDBStorage(tmp_path)
    assert again.debtor_tokens.find(token) == ("1001", account.cases[0].id)
    assert (tmp_path / "debtor" / "index.log").exists()  # written back


def test_an_erased_chat_leaves_no_line_in_the_log(tmp_path: Path) -> None:
    storage = TinyDBStorage(tmp_path)
    kept, erased = creditor("1001"), creditor("1002")
    link.issue(kept.cases[0], NOW)
    link.issue(erased.cases[0], NOW)
    for account in (kept, erased):
        storage.accounts.save(StoredChat(account), None)
    storage.accounts.delete("1002")
    written = (tmp_path / "debtor" / "index.log").read_text("ascii")
    assert " 1002 " not in written
    assert " 1001 " in written


def test_a_torn_last_line_is_ignored(tmp_path: Path) -> None:
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    TinyDBStorage(tmp_path).accounts.save(StoredChat(account), None)
    with (tmp_path / "debtor" / "index.log").open("a", encoding="ascii") as log:
        log.write(f"T {token_key(token)} -")  # a removal cut short: no newline
    assert TinyDBStorage(tmp_path).debtor_tokens.find(token) == ("1001", account.cases[0].id)


# PostgreSQL: debtor_tokens and debtor_chats ---------------------------------------------------
def test_a_link_issued_through_one_instance_opens_through_another(
        pg_url: str, tmp_path: Path) -> None:
    a = PostgresStorage(pg_url, tmp_path / "a", instance="a")
    b = PostgresStorage(pg_url, tmp_path / "b", instance="b")
    try:
        account = creditor()
        case = account.cases[0]
        token = link.issue(case, NOW)
        a.accounts.save(StoredChat(account), None)
        assert b.debtor_tokens.find(token) == ("1001", case.id)
        answers.opened(case, "2002", "fr", NOW)
        b.accounts.save(StoredChat(account), None)
        assert a.debtor_tokens.debtor("2002") == ("1001", case.id)
        link.revoke(case, NOW)
        b.accounts.save(StoredChat(account), None)
        assert a.debtor_tokens.find(token) is None  # no instance keeps a stale copy
        assert a.debtor_tokens.debtor("2002") is None
        with a.pool.connection() as connection:
            link.issue(case, NOW)
            a.accounts.save(StoredChat(account), None)
            rows = connection.execute("SELECT token_hash FROM debtor_tokens").fetchall()
            assert rows == [(token_key(link.live(case)),)]  # the hash, never the token
    finally:
        a.close()
        b.close()


def test_accounts_written_before_the_index_existed_are_indexed_at_the_next_start(
        pg_url: str, tmp_path: Path) -> None:
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    first = PostgresStorage(pg_url, tmp_path, instance="a")
    try:
        first.accounts.save(StoredChat(account), None)
        with first.pool.connection() as connection:
            # As a database migrated before 0002_debtor_links.sql: rows, but no index yet.
            connection.execute("DELETE FROM debtor_tokens")
            connection.execute("INSERT INTO debtor_links_rebuild VALUES (true)")
        assert first.debtor_tokens.find(token) is None
    finally:
        first.close()
    started = PostgresStorage(pg_url, tmp_path, instance="a")
    try:
        assert started.debtor_tokens.find(token) == ("1001", account.cases[0].id)
        assert started.debtor_tokens.rebuild_if_pending() == 0  # once only
    finally:
        started.close()


def test_the_log_the_bot_kept_before_is_replaced_and_removed(tmp_path: Path) -> None:
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    TinyDBStorage(tmp_path).accounts.save(StoredChat(account), None)
    (tmp_path / "debtor" / "index.log").unlink()
    legacy = tmp_path / "debtor" / "links.log"  # hashes of an older version's index
    legacy.write_text("T 0123456789abcdef0123456789abcdef 1001 old\n", "ascii")
    assert TinyDBStorage(tmp_path).debtor_tokens.find(token) == ("1001", account.cases[0].id)
    assert not legacy.exists()
