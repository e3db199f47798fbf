"""The PostgreSQL server restarts under a running bot: the next update is served.

A restart (an operator's, an upgrade, a failover) cuts every connection the bot holds. The
bot must not hand out those dead connections for ever: the pool checks each one as it is
taken, the chat locks' connections and the outbox's are dropped and made again on their first
failure. The server here is a throwaway of the test's own (``testing.pgcluster``), restarted
with ``pg_ctl`` while the bot process runs on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import StoredChat
from bot.storage.postgres_backend import PostgresStorage
from flows.model import Account
from testing.fakebot import FakeBotApi
from testing.pgcluster import Cluster
from testing.stored import Place
from tests.conftest import throwaway_cluster
from tests.test_recovery import ProcessUser, answers_on_disk, start, stop


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A server for this test alone: restarting the session's would cut other tests'."""
    with throwaway_cluster() as cluster:
        yield cluster


async def test_every_role_works_again_after_the_server_restarts(
        own_cluster: Cluster, tmp_path: Path, now: datetime) -> None:
    storage = PostgresStorage(own_cluster.new_database(), tmp_path, instance="a")
    try:
        async with storage.locks["42"]:  # every lock connection idle, then cut
            storage.accounts.save(StoredChat(Account.new("42", "fr")), None)
        storage.outbox.append("+42")
        own_cluster.restart()
        async with storage.locks["42"]:
            chat = storage.accounts.load("42")
            assert chat is not None
            chat.seen_updates.append(7)
            storage.accounts.save(chat, now + timedelta(days=8))
        storage.outbox.append("-42")
        assert storage.outbox.read() == ["+42", "-42"]
        assert storage.reminders.next_due() == now + timedelta(days=8)
        storage.blobs.put("42", "c1", "documents/a.pdf", b"%PDF")
        assert storage.blobs.get("42", "c1", "documents/a.pdf") == b"%PDF"
        reread = storage.accounts.load("42")
        assert reread is not None
        assert reread.seen_updates == [7]
    finally:
        storage.close()


@pytest.mark.slow(seconds=3)
def test_the_bot_answers_the_next_update_after_the_database_restarts(
        own_cluster: Cluster, api: FakeBotApi, data_dir: Path, tmp_path: Path,
        now: datetime) -> None:
    place = Place(data_dir, own_cluster.new_database())
    user = ProcessUser(api, 6301)
    process = start(api, place, tmp_path / "bot.log", now)
    try:
        shown = user.play_until("debtor_name")
        own_cluster.restart()
        mark = api.mark()
        user.answer(shown, "ACME Rénovation SARL")
        assert user.next_question(mark).params["text"]  # the next question, asked
    finally:
        stop(process)
    assert answers_on_disk(place, user.chat_id)["debtor_name"] == "ACME Rénovation SARL"
    assert process.returncode == 0
