"""Start-up time and resident memory with 10 000 users (and their reminders) on disk.

Time is from starting ``python -m bot telegram`` to the bot polling for updates; memory is the
process's resident set then, and again after it has answered one message from each of 200
users (the first answers load Babel's locale data and the journey's catalogs). References:
the same bot on an empty data folder, and the echo bot.
"""

from __future__ import annotations

import asyncio
import importlib.util
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import datagen
from benchmarks.measure import rss_bytes
from benchmarks.report import Report, mb
from benchmarks.traffic import drive, is_message, is_question, start_process, stop_process
from tests.fakebot import FakeBotApi

USERS = 10_000
REMINDERS = 20_000
ECHO = ("benchmarks.echo_bot",)
IMPAYES = ("bot", "telegram")


def reminders_available() -> bool:
    """Reminders are issue 5's (``flows.followup``); until they are on main, the figure waits."""
    return importlib.util.find_spec("flows.followup") is not None


def _measure(module: Sequence[str], data: Path, users: list[int]) -> tuple[float, int, int]:
    with FakeBotApi() as api:
        process, seconds = start_process(api, module, data, data / "bot.log", datagen.NOW)
        try:
            at_start = rss_bytes(process.pid)
            script = datagen.typed_script("jurisdiction")
            asyncio.run(drive(api, process.pid, {chat: script[:1] for chat in users},
                              is_message if module == ECHO else is_question, warmup=0))
            after = rss_bytes(process.pid)
        finally:
            stop_process(process)
    return seconds, at_start, after


def startup(report: Report, quick: bool) -> None:
    section = f"Start-up, {USERS:,} users on disk".replace(",", " ")
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as full, \
            tempfile.TemporaryDirectory(prefix="impayes-bench-") as empty:
        start = datagen.journey_until("jurisdiction")
        chats = datagen.populate(Path(full), datagen.mixed_templates(), USERS)
        # Those who will answer are waiting on the first question.
        answering = datagen.populate(Path(full), [start], 200, first_chat=chats[-1] + 1)
        blank = datagen.populate(Path(empty), [start], 200)
        ours = _measure(IMPAYES, Path(full), answering)
        bare = _measure(IMPAYES, Path(empty), blank)
        echo = _measure(ECHO, Path(empty), blank)
    report.add(section, "start to polling", f"{ours[0]:.2f} s", f"{echo[0]:.2f} s",
               f"empty data folder: {bare[0]:.2f} s; reference: echo bot")
    report.add(section, "resident memory at start", mb(ours[1]), mb(echo[1]),
               f"empty data folder: {mb(bare[1])}")
    report.add(section, "resident memory after 200 users answered", mb(ours[2]), mb(echo[2]),
               f"empty data folder: {mb(bare[2])}")
    if not reminders_available():
        report.add(section, f"with {REMINDERS:,} pending reminders".replace(",", " "),
                   "pending", "", "reminders are not on main yet (issue 5)")
