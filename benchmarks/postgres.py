"""The shared backend (PostgreSQL), on a throwaway server (``testing.pgcluster``, fsync on, as
deployed).

- **Reminders claimed per second** by two processes claiming due chats from one table at
  once (``FOR UPDATE SKIP LOCKED``); then the same with each chat, once claimed, unplanned and
  released one by one as a delivery does. Every chat must be claimed exactly once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from benchmarks.report import Report
from bot.storage import PostgresStorage
from testing.pgcluster import Cluster, find_binaries

SECTION = "PostgreSQL backend"
DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@contextmanager
def server() -> Iterator[Cluster]:
    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("PostgreSQL server binaries not found: install Debian's postgresql")
    with Cluster(binaries, durable=True) as cluster:
        yield cluster


def postgres(report: Report, quick: bool) -> None:
    with server() as cluster:
        claims(report, quick, cluster)


def _claimer(url: str, instance: str, deliver: bool,
             start: multiprocessing.synchronize.Event,
             results: multiprocessing.Queue[list[str]]) -> None:
    storage = PostgresStorage(url, tempfile.gettempdir(), instance=instance)
    claimed: list[str] = []
    try:
        start.wait()
        while batch := storage.reminders.claim_due(DUE + timedelta(days=1)):
            claimed += batch
            if deliver:  # as after a delivery: nothing more planned, the claim released
                for chat_id in batch:
                    storage.reminders.plan(chat_id, None)
                    storage.reminders.release(chat_id)
    finally:
        storage.close()
        results.put(claimed)


def claims(report: Report, quick: bool, cluster: Cluster) -> None:
    chats = 5000 if quick else 20000
    for deliver, figure in ((False, "due chats claimed per second, two processes"),
                            (True, "  claimed, then unplanned and released one by one")):
        every, split, elapsed = _race(cluster, chats, deliver)
        twice = len(every) - len(set(every))
        report.add(f"{SECTION}: reminders", figure, f"{len(every) / elapsed:.0f}/s", "",
                   f"{chats} chats due; claimed {len(set(every))}, twice {twice}; "
                   f"split {split[0]}/{split[1]}")
        if twice or len(set(every)) != chats:
            raise AssertionError(f"claims: {twice} twice, {chats - len(set(every))} never")


def _race(cluster: Cluster, chats: int, deliver: bool) -> tuple[list[str], list[int], float]:
    """Two processes claiming ``chats`` due chats from a new database at once."""
    url = cluster.new_database()
    storage = PostgresStorage(url, tempfile.gettempdir(), instance="setup")
    try:
        with storage.pool.connection() as connection, connection.cursor() as cursor:
            cursor.executemany("INSERT INTO reminders (chat_id, due_at) VALUES (%s, %s)",
                               [(str(n), DUE + timedelta(seconds=n % 600))
                                for n in range(chats)])
    finally:
        storage.close()
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_claimer, args=(url, f"bench{n}", deliver, start,
                                                      results))
               for n in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(3)  # both connected and waiting
    began = time.perf_counter()
    start.set()
    claimed = [results.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join(30)
    return [chat for mine in claimed for chat in mine], [len(mine) for mine in claimed], elapsed
