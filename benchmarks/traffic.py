"""Simulated users typing to a bot process through the fake Bot API, and what it cost.

Each user sends one message, waits for the bot's reply, then sends the next (a closed loop):
with many users the bot always has work, so the run shows what it sustains. The bot's CPU time
is read from /proc before and after, so only the bot's own work is counted, not the fake
server's nor the driver's.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import cpu_seconds, percentile
from testing.bot_process import bot_env
from testing.fakebot import ApiCall, FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
ReplyTest = Callable[[ApiCall], bool]


def is_question(call: ApiCall) -> bool:
    """Our bot's reply to a step: the next question, which always carries its keyboard."""
    return call.method == "sendMessage" and "reply_markup" in call.params


def is_message(call: ApiCall) -> bool:
    """The echo bot's reply: any message."""
    return call.method == "sendMessage"


class Replies:
    """Watches every call the fake records, once and in order, and wakes the user it answers."""

    def __init__(self, api: FakeBotApi, is_reply: ReplyTest) -> None:
        self.api = api
        self.is_reply = is_reply
        self.waiting: dict[int, asyncio.Future[ApiCall]] = {}
        self._task: asyncio.Task[Any] | None = None

    def _see(self, call: ApiCall) -> bool:
        if call.ok and self.is_reply(call):
            future = self.waiting.pop(int(call.params["chat_id"]), None)
            if future is not None and not future.done():
                future.set_result(call)
        return False  # never "found": the wait below goes on for the whole run

    def expect(self, chat_id: int) -> asyncio.Future[ApiCall]:
        future: asyncio.Future[ApiCall] = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = future
        return future

    async def __aenter__(self) -> Replies:
        self._task = asyncio.create_task(
            self.api.await_for_count(1, self._see, timeout=24 * 3600, since=self.api.mark()))
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@dataclass
class Run:
    updates: int
    wall: float  # seconds from the first message to the last reply
    cpu: float  # bot process CPU seconds over the same span
    latencies: list[float]  # seconds from sending to the reply, per update
    messages: int = 0  # sendMessage calls the bot made meanwhile
    server_cpu: float = 0.0  # the database server's CPU seconds over the same span, if any

    @property
    def messages_per_update(self) -> float:
        return self.messages / self.updates

    @property
    def cpu_per_update_ms(self) -> float:
        return self.cpu / self.updates * 1000

    @property
    def server_cpu_per_update_ms(self) -> float:
        return self.server_cpu / self.updates * 1000

    @property
    def wall_per_update_ms(self) -> float:
        return self.wall / self.updates * 1000

    @property
    def per_second(self) -> float:
        return self.updates / self.wall

    def latency_ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000


async def _user(api: FakeBotApi, replies: Replies, chat_id: int, texts: Sequence[str],
                latencies: list[float], timeout: float, think: Callable[[], float] | None = None,
                until: float | None = None) -> None:
    for text in texts:
        if think is not None:
            pause = think()
            if until is not None:
                pause = min(pause, until - time.monotonic())
            await asyncio.sleep(max(pause, 0.0))
        if until is not None and time.monotonic() >= until:
            return
        future = replies.expect(chat_id)
        sent = time.time()
        api.send_text(chat_id, text, language_code="fr")
        call = await asyncio.wait_for(future, timeout)
        latencies.append(call.at - sent)


async def drive(api: FakeBotApi, pid: int, scripts: dict[int, Sequence[str]],
                is_reply: ReplyTest, warmup: int = 1, timeout: float = 300,
                think: Callable[[], float] | None = None, duration: float | None = None,
                server: Callable[[], float] | None = None) -> Run:
    """Play every user's script at once; measure after each user's first ``warmup`` steps.

    ``think`` gives the seconds a user takes before each answer (none: answer at once);
    with ``duration``, users send nothing more once that many seconds have passed;
    ``server`` reads a database server's CPU seconds, measured over the same span."""
    server = server or (lambda: 0.0)
    async with Replies(api, is_reply) as replies:
        warm: list[float] = []
        await asyncio.gather(*(_user(api, replies, chat, texts[:warmup], warm, timeout)
                               for chat, texts in scripts.items()))
        latencies: list[float] = []
        mark = api.mark()
        cpu0, server0, wall0 = cpu_seconds(pid), server(), time.perf_counter()
        until = time.monotonic() + duration if duration is not None else None
        await asyncio.gather(*(_user(api, replies, chat, texts[warmup:], latencies, timeout,
                                     think, until)
                               for chat, texts in scripts.items()))
        wall, cpu = time.perf_counter() - wall0, cpu_seconds(pid) - cpu0
        server_cpu = server() - server0
    messages = sum(1 for call in api.calls()[mark:] if call.method == "sendMessage")
    return Run(len(latencies), wall, cpu, latencies, messages, server_cpu)


def start_process(api: FakeBotApi, module: Sequence[str], data_dir: Path, log: Path,
                  now: datetime | None = None, **env: str,
                  ) -> tuple[subprocess.Popen[bytes], float]:
    """Start a bot process; return it once it polls, with the seconds that took."""
    mark = api.mark()
    started = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", *module], cwd=ROOT,
                                   env=bot_env(api, data_dir, now, **env), stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        api.wait_for("deleteWebhook", timeout=120, since=mark)
    except AssertionError:
        process.kill()
        tail = log.read_text()[-2000:]
        raise RuntimeError(f"{' '.join(module)} did not start:\n{tail}") from None
    return process, time.perf_counter() - started


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(15)
