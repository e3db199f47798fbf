"""What only a shared backend must do: two instances on one PostgreSQL database.

The roles' common promises are checked on every backend by tests/test_storage_contract.py;
here, two ``PostgresStorage`` objects on one database stand for two bot processes.
"""

from __future__ import annotations

import asyncio
import os
import resource
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import StoredChat
from bot.storage.postgres_backend import PostgresStorage
from flows.model import Account

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def two(pg_url: str, tmp_path: Path) -> Iterator[tuple[PostgresStorage, PostgresStorage]]:
    first = PostgresStorage(pg_url, tmp_path / "a", instance="a")
    second = PostgresStorage(pg_url, tmp_path / "b", instance="b")
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_what_one_instance_writes_the_other_reads(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    account = Account.new("42", "fr")
    account.open_new_case(NOW).answers["debtor_name"] = "Dupont SARL"
    a.accounts.save(StoredChat(account, seen_updates=[9]), None)
    a.blobs.put("42", account.cases[0].id, "documents/mise_en_demeure.pdf", b"%PDF")
    loaded = b.accounts.load("42")
    assert loaded is not None
    assert loaded.account.cases[0].answers["debtor_name"] == "Dupont SARL"
    assert loaded.seen_updates == [9]  # a redelivered update is known to either instance
    assert b.blobs.get("42", account.cases[0].id, "documents/mise_en_demeure.pdf") == b"%PDF"
    b.accounts.delete("42")
    assert a.accounts.load("42") is None


def test_an_instance_hears_the_reminders_another_plans(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    heard: list[datetime] = []
    arrived = threading.Event()

    def listener(when: datetime) -> None:
        heard.append(when)
        arrived.set()

    a.reminders.watch(listener)
    for _ in range(50):  # the listening connection starts in the background
        b.reminders.plan("7", NOW + timedelta(hours=3))
        if arrived.wait(0.1):
            break
    assert heard[0] == NOW + timedelta(hours=3)


def test_a_dead_instances_claims_lapse_and_a_live_one_takes_them_over(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    a.reminders.plan("1", NOW)
    a.reminders.plan("2", NOW)
    assert sorted(a.reminders.claim_due(NOW)) == ["1", "2"]
    assert b.reminders.claim_due(NOW) == []  # a holds them
    a.reminders.release("1")  # a delivered chat 1 ... and died before releasing chat 2
    assert b.reminders.claim_due(NOW) == ["1"]
    # Two minutes later (the lease), b takes chat 2 over: late rather than never.
    with b.pool.connection() as connection:
        connection.execute("UPDATE reminders SET claimed_until = now() - interval '1 second' "
                           "WHERE chat_id = '2'")
    assert b.reminders.claim_due(NOW) == ["2"]
    a.reminders.release("2")  # a's late release does not free b's claim
    assert a.reminders.claim_due(NOW) == []


def test_a_release_by_another_instance_does_not_free_a_claim(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    a.reminders.plan("5", NOW)
    assert a.reminders.claim_due(NOW) == ["5"]
    b.reminders.release("5")
    assert b.reminders.claim_due(NOW) == []


async def test_one_chats_lock_is_held_across_instances(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    order: list[str] = []

    async def work(storage: PostgresStorage, chat_id: str, name: str, pause: float) -> None:
        async with storage.locks[chat_id]:
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    first = asyncio.create_task(work(a, "42", "a", 0.3))
    await asyncio.sleep(0.1)  # a holds the chat
    await asyncio.gather(first, work(b, "42", "b", 0), work(b, "43", "other chat", 0))
    assert order.index("a out") < order.index("b in")
    assert order.index("other chat in") < order.index("a out")


def test_each_instance_keeps_its_own_outbox(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    a.outbox.append("+42")
    b.outbox.append("+43")
    b.outbox.rewrite(["~43", "+43"])
    assert a.outbox.read() == ["+42"]
    assert b.outbox.read() == ["~43", "+43"]


def test_a_killed_instances_chat_lock_is_released_with_its_connection(
        pg_url: str, tmp_path: Path) -> None:
    a = PostgresStorage(pg_url, tmp_path / "a", instance="a")
    b = PostgresStorage(pg_url, tmp_path / "b", instance="b")
    try:
        taken = a.locks._take("42")  # as in the middle of a's handling of chat 42
        with b.pool.connection() as connection:
            held = connection.execute("SELECT pg_try_advisory_lock(hashtextextended('42', 0))")
            assert held.fetchone() == (False,)
        taken.close()  # the process dies: its connection closes
        with b.pool.connection() as connection:
            # The server ends that session as soon as it sees the socket closed.
            for _ in range(100):
                free = connection.execute(
                    "SELECT pg_try_advisory_lock(hashtextextended('42', 0))").fetchone()
                if free == (True,):
                    break
                time.sleep(0.05)
            assert free == (True,)
            connection.execute("SELECT pg_advisory_unlock(hashtextextended('42', 0))")
    finally:
        a.close()
        b.close()


async def test_a_chat_read_under_its_lock_sees_what_the_last_holder_wrote(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    """The lock and the account come in one round trip: the account is read only once the
    lock is held, never as it was before another instance's write."""
    a, b = two
    a.accounts.save(StoredChat(Account.new("42", "fr")), None)

    async def writer() -> None:
        async with a.locks["42"]:
            chat = a.accounts.load("42")
            assert chat is not None
            chat.account.open_new_case(NOW).answers["debtor_name"] = "Dupont SARL"
            await asyncio.sleep(0.3)  # b asks for the chat meanwhile, and waits
            a.accounts.save(chat, NOW + timedelta(days=8))

    async def reader() -> StoredChat | None:
        await asyncio.sleep(0.1)
        async with b.locks["42"]:
            return b.accounts.load("42")

    _, seen = await asyncio.gather(writer(), reader())
    assert seen is not None
    assert seen.account.cases[0].answers["debtor_name"] == "Dupont SARL"
    assert b.reminders.next_due() == NOW + timedelta(days=8)


async def test_a_write_that_keeps_the_reminder_instant_keeps_its_row_and_claim(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, b = two
    a.accounts.save(StoredChat(Account.new("7", "fr")), NOW)
    assert a.reminders.claim_due(NOW) == ["7"]  # a delivers, under the chat's lock
    async with a.locks["7"]:
        chat = a.accounts.load("7")
        assert chat is not None
        chat.seen_updates.append(12)
        a.accounts.save(chat, NOW)  # the same instant: its row is left alone
        assert b.reminders.claim_due(NOW) == []  # still a's claim
        chat = a.accounts.load("7")
        assert chat is not None
        assert chat.seen_updates == [12]
        a.accounts.save(chat, None)  # nothing planned any more
    a.reminders.release("7")
    assert b.reminders.next_due() is None
    assert b.reminders.claim_due(NOW + timedelta(days=1)) == []


async def test_a_write_the_lock_does_not_see_still_reaches_its_next_read(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    """The lock reads the account ahead; a write of the chat from a thread that does not know
    the lock is held (``run_in_executor`` does not carry it) must not leave that read stale."""
    a, _ = two
    a.accounts.save(StoredChat(Account.new("42", "fr")), None)
    async with a.locks["42"]:
        await asyncio.get_running_loop().run_in_executor(
            None, a.accounts.save, StoredChat(Account.new("42", "en")), None)
        seen = a.accounts.load("42")
    assert seen is not None
    assert seen.account.lang == "en"


async def test_a_chat_erased_within_its_lock_is_not_read_back(
        two: tuple[PostgresStorage, PostgresStorage]) -> None:
    a, _ = two
    a.accounts.save(StoredChat(Account.new("42", "fr")), None)
    async with a.locks["42"]:
        a.accounts.delete("42")  # /delete confirmed, before anything read the chat
        assert a.accounts.load("42") is None


async def test_a_busy_process_with_descriptors_past_1023_still_serves_a_chat(
        pg_url: str, tmp_path: Path) -> None:
    """A busy bot (webhook sockets, downloads, screening pipes; Docker allows far more than
    1024 open files) gets connections numbered past 1023, where ``select`` refuses to look:
    such a connection is still checked, and the chat's lock still taken."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("this system allows fewer than 1200 open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    padding = []
    try:
        while not padding or padding[-1] < 1100:
            padding.append(os.open(os.devnull, os.O_RDONLY))
        storage = PostgresStorage(pg_url, tmp_path / "a", instance="a")
        try:
            async with storage.locks["42"]:
                assert storage.locks.held["42"].connection.fileno() > 1023
                storage.accounts.save(StoredChat(Account.new("42", "fr")), None)
            async with storage.locks["42"]:
                chat = storage.accounts.load("42")
            assert chat is not None
            assert chat.account.lang == "fr"
        finally:
            storage.close()
    finally:
        for descriptor in padding:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
