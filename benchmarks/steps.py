"""Cost of a step, and what 1 000 users get: the bot process against the floor.

A *text step* is one typed answer of the journey (a name, an amount, a date, "oui", a choice by
its number…) and the bot's reply: the answer is parsed, checked, saved durably, and the next
question is sent with its keyboard. The floor is the same message answered by a bare
python-telegram-bot echo bot (``benchmarks/echo_bot.py``): receiving an update and sending one
message, with nothing else. Both run as their own process on the same fake Bot API, driven by
the same simulated users; only the bot process's CPU time is counted.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import datagen, pgserver
from benchmarks.report import Report
from benchmarks.traffic import Run, drive, is_message, is_question, start_process, stop_process
from testing.fakebot import FakeBotApi
from testing.pgcluster import Cluster

ECHO = ("benchmarks.echo_bot",)
CANNED = ("benchmarks.canned_bot",)
IMPAYES = ("bot", "telegram")
# CPU per update is measured flat out: the rate limiter that keeps the deployed bot under
# Telegram's 30 messages a second would make both bots wait, and batch updates differently.
FLAT_OUT = {"IMPAYES_SEND_RATE": "0"}
# The echo bot sending through our HTTP client instead of python-telegram-bot's default one.
SAME_CLIENT = {"ECHO_CLIENT": "aiohttp"}
START = "debtor_name"  # users are placed at the first typed question of the journey


def _pin(pid: int) -> None:
    """Bot on one CPU, the fake server and the users on the other, for steadier figures."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) >= 2:
        os.sched_setaffinity(pid, {cpus[-1]})
        os.sched_setaffinity(0, set(cpus[:-1]))


def _unpin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))


def run_bot(module: Sequence[str], users: int, steps: int, warmup: int = 1,
            think: float | None = None, duration: float | None = None, seed: int = 7,
            env: dict[str, str] | None = None, database: Cluster | None = None) -> Run:
    """Start the bot, let ``users`` users each type ``steps`` answers, stop it. With a
    ``database`` server, the users' chats are copied into a new database on it, the bot runs
    on it (``IMPAYES_DATABASE_URL``), and the server's CPU time is measured too."""
    script = datagen.typed_script(START)
    assert steps + warmup <= len(script), "the journey has fewer typed answers than that"
    texts = script[:steps + warmup]
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder, FakeBotApi() as api:
        data = Path(folder)
        chats = datagen.populate(data, [datagen.journey_until(START)], users)
        env = dict(env or {})
        server = None
        if database is not None:
            env["IMPAYES_DATABASE_URL"] = pgserver.database_from(database, data, datagen.NOW)
            server = pgserver.server_cpu(database)
        process, _ = start_process(api, module, data, data / "bot.log", datagen.NOW, **env)
        _pin(process.pid)
        rng = random.Random(seed)
        pause = (lambda: rng.expovariate(1 / think)) if think else None
        try:
            return asyncio.run(drive(api, process.pid, dict.fromkeys(chats, texts),
                                     is_message if module == ECHO else is_question,
                                     warmup=warmup, think=pause, duration=duration,
                                     server=server))
        finally:
            _unpin()
            stop_process(process)


def step_cost(report: Report, quick: bool) -> None:
    """CPU per text step: the echo bot, our adapter with canned replies, the real bot."""
    users, rounds = (10, 1) if quick else (30, 3)
    steps = len(datagen.typed_script(START)) - 1
    runs: dict[str, list[Run]] = {"echo": [], "echo_aiohttp": [], "canned": [], "ours": []}
    for _ in range(rounds):  # alternating, so that a slow minute of the machine hits them all
        runs["echo"].append(run_bot(ECHO, users, steps))
        runs["echo_aiohttp"].append(run_bot(ECHO, users, steps, env=SAME_CLIENT))
        runs["canned"].append(run_bot(CANNED, users, steps, env=FLAT_OUT))
        runs["ours"].append(run_bot(IMPAYES, users, steps, env=FLAT_OUT))

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs[name])

    def paired(name: str, floor_name: str) -> float:
        """The ratio within each round, then the median: steadier on a shared machine."""
        return statistics.median(r.cpu_per_update_ms / f.cpu_per_update_ms
                                 for r, f in zip(runs[name], runs[floor_name], strict=True))

    cpu, floor = med("ours", "cpu_per_update_ms"), med("echo", "cpu_per_update_ms")
    same_floor = med("echo_aiohttp", "cpu_per_update_ms")
    canned = med("canned", "cpu_per_update_ms")
    count = sum(r.updates for r in runs["ours"])
    section = f"Text step ({users} users at once, {count} steps, median of {rounds})"
    report.add(section, "CPU per update, bot process", f"{cpu:.2f} ms", f"{floor:.2f} ms",
               f"{paired('ours', 'echo'):.2f}× the bare echo bot (goal ≤ 1.5×)")
    report.add(section, "  the echo bot on our HTTP client (aiohttp)", f"{cpu:.2f} ms",
               f"{same_floor:.2f} ms", f"{paired('ours', 'echo_aiohttp'):.2f}×, like for like")
    report.add(section, "  same replies, canned (no file, no turn, no save)", f"{canned:.2f} ms",
               f"{same_floor:.2f} ms", f"{paired('canned', 'echo_aiohttp'):.2f}×: our keyboards "
               f"and {med('ours', 'messages_per_update'):.2f} messages a step")
    report.add(section, "  our own work (load, turn, durable save)", f"{cpu - canned:.2f} ms", "",
               f"real bot ÷ canned: {paired('ours', 'canned'):.2f}×")
    wall, wall_floor = med("ours", "wall_per_update_ms"), med("echo", "wall_per_update_ms")
    report.add(section, "wall time per update", f"{wall:.2f} ms", f"{wall_floor:.2f} ms",
               f"{wall / wall_floor:.2f}×")
    one = run_bot(IMPAYES, 1, steps, env=FLAT_OUT)
    one_floor = run_bot(ECHO, 1, steps)
    report.add(section, "reply latency p50, one user alone", f"{one.latency_ms(50):.1f} ms",
               f"{one_floor.latency_ms(50):.1f} ms", "ours includes two fsyncs")


def throughput(report: Report, quick: bool) -> None:
    """1 000 users answering as fast as the bot replies (saturation), then at a human pace."""
    users = 1000
    steps = 1 if quick else 3
    section = "1 000 users"
    ours = run_bot(IMPAYES, users, steps, env=FLAT_OUT)
    floor = run_bot(ECHO, users, steps)
    report.add(section, "sustained updates per second, no pause between answers",
               f"{ours.per_second:.0f}/s", f"{floor.per_second:.0f}/s",
               f"{ours.updates} updates; rate limiter off")
    for p in (50, 95, 99):
        report.add(section, f"  reply latency p{p} at that load",
                   f"{ours.latency_ms(p):.0f} ms", f"{floor.latency_ms(p):.0f} ms")
    think = 60.0
    paced = run_bot(IMPAYES, users, 20, think=think, duration=15 if quick else 40)
    report.add(section, f"as deployed, each user answering every {think:.0f} s: latency "
               "p50 / p95 / p99",
               f"{paced.latency_ms(50):.0f} / {paced.latency_ms(95):.0f} / "
               f"{paced.latency_ms(99):.0f} ms", "",
               f"{paced.per_second:.0f} updates/s; rate limiter at 30 messages/s")
