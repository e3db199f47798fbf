"""The shared backend (PostgreSQL), on a throwaway server (``testing.pgcluster``, fsync on, as
deployed), next to the embedded default (TinyDB) in the same run.

- **CPU per text step**: the same users typing the same answers to the real bot on each
  backend (``benchmarks.steps.run_bot``); on PostgreSQL the server's CPU time (every process
  of the cluster, from /proc) is added to the bot's, since it is work done for each update.
- **Reply latency at a human pace**: users answering every few seconds, rate limiter on, as
  deployed; p50 and p99 on each backend.
- **Reminders claimed per second** by two processes claiming due chats from one table at
  once (``FOR UPDATE SKIP LOCKED``); then the same with each chat, once claimed, unplanned and
  released one by one as a delivery does. Every chat must be claimed exactly once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from benchmarks import datagen
from benchmarks.pgserver import server
from benchmarks.report import Report
from benchmarks.steps import FLAT_OUT, IMPAYES, START, run_bot
from benchmarks.traffic import Run
from bot.storage.postgres_backend import PostgresStorage
from testing.pgcluster import Cluster

SECTION = "PostgreSQL backend"
DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def postgres(report: Report, quick: bool) -> None:
    with server() as cluster:
        step_cost(report, quick, cluster)
        paced(report, quick, cluster)
        claims(report, quick, cluster)


def step_cost(report: Report, quick: bool, cluster: Cluster) -> None:
    """CPU per text step on each backend, flat out, rounds alternating."""
    users, rounds = (10, 1) if quick else (30, 3)
    steps = len(datagen.typed_script(START)) - 1
    tinydb: list[Run] = []
    postgresql: list[Run] = []
    for _ in range(rounds):
        tinydb.append(run_bot(IMPAYES, users, steps, env=FLAT_OUT))
        postgresql.append(run_bot(IMPAYES, users, steps, env=FLAT_OUT, database=cluster))
    bot = statistics.median(r.cpu_per_update_ms for r in postgresql)
    served = statistics.median(r.server_cpu_per_update_ms for r in postgresql)
    floor = statistics.median(r.cpu_per_update_ms for r in tinydb)
    ratio = statistics.median((r.cpu + r.server_cpu) / f.cpu
                              for r, f in zip(postgresql, tinydb, strict=True))
    section = (f"{SECTION}: text step ({users} users at once, "
               f"{sum(r.updates for r in postgresql)} steps, median of {rounds})")
    report.add(section, "CPU per update: bot + PostgreSQL server (reference: bot on TinyDB)",
               f"{bot + served:.2f} ms", f"{floor:.2f} ms",
               f"{ratio:.2f}× TinyDB (goal ≤ 1.5×)")
    report.add(section, "  of which the bot process", f"{bot:.2f} ms", f"{floor:.2f} ms",
               f"{bot / floor:.2f}×")
    report.add(section, "  of which the server (every process of the cluster)",
               f"{served:.2f} ms", "", "parsing, planning, WAL, fsync at COMMIT")


def paced(report: Report, quick: bool, cluster: Cluster) -> None:
    """Reply latency when users answer at a human pace, as deployed (rate limiter on)."""
    users, think, duration = (100, 5.0, 15.0) if quick else (300, 20.0, 60.0)
    on_tinydb = run_bot(IMPAYES, users, 20, think=think, duration=duration)
    on_postgresql = run_bot(IMPAYES, users, 20, think=think, duration=duration,
                            database=cluster)
    section = (f"{SECTION}: {users} users, each answering every {think:.0f} s "
               f"(rate limiter on)")
    for p in (50, 99):
        report.add(section, f"reply latency p{p} (reference: TinyDB)",
                   f"{on_postgresql.latency_ms(p):.1f} ms", f"{on_tinydb.latency_ms(p):.1f} ms",
                   "goal < 50 ms" if p == 99 else
                   f"{on_postgresql.updates} and {on_tinydb.updates} replies")


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
