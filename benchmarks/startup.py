"""Start-up time and resident memory with 10 000 users and 20 000 pending reminders on disk.

The users are spread along the journey; two thirds of them have sent their documents and are
in follow-up, where the journey itself planned their reminders (the end of the demand's
deadline, the limitation date…), 20 000 pending in all. They are written through the bot's own
storage, which keeps the index of wake-ups (``<data>/reminders/index.log``) in step, as
a running bot would have left them.

Time is from starting ``python -m bot telegram`` to the bot polling for updates; memory is the
process's resident set then, and again after one message from each of 200 users (the first
answers load Babel's locale data and the legal engine's tables). References: the same bot on an
empty data folder, and the echo bot. Also measured: the first start after the reminder index was
lost, when the bot rebuilds it from every chat file.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import datagen
from benchmarks.measure import rss_bytes
from benchmarks.report import Report, mb
from benchmarks.traffic import drive, is_message, is_question, start_process, stop_process
from testing.fakebot import FakeBotApi

USERS = 10_000
REMINDERS = 20_000
ANSWERING = 200
ECHO = ("benchmarks.echo_bot",)
IMPAYES = ("bot", "telegram")


def populate(data: Path, users: int, reminders: int) -> tuple[list[int], int]:
    """Users along the journey and in follow-up, through the bot's storage; returns the
    chat ids of users waiting on the first question, and the pending reminders written."""
    following = [datagen.journey_until(None, lang) for lang in ("fr", "en")]
    per_user = datagen.pending_reminders(following[0])
    assert per_user, "the journey planned no reminder"
    in_followup = min(users, math.ceil(reminders / per_user))
    datagen.populate(data, following, in_followup)
    others = [t for t in datagen.mixed_templates() if t.current and t.current.state != "followup"]
    # Two groups answer, one per start: a fresh fake Bot API numbers its updates from 1 again,
    # and the bot rightly ignores an update id it has already handled for that chat.
    datagen.populate(data, others, users - in_followup - 2 * ANSWERING,
                     first_chat=datagen.FIRST_CHAT + in_followup)
    answering = datagen.populate(data, [datagen.journey_until("jurisdiction")], 2 * ANSWERING,
                                 first_chat=datagen.FIRST_CHAT + users - 2 * ANSWERING)
    return answering, in_followup * per_user


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
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as full, \
            tempfile.TemporaryDirectory(prefix="impayes-bench-") as empty:
        answering, pending = populate(Path(full), USERS, REMINDERS)
        blank = datagen.populate(Path(empty), [datagen.journey_until("jurisdiction")],
                                 ANSWERING)
        ours = _measure(IMPAYES, Path(full), answering[:ANSWERING])
        bare = _measure(IMPAYES, Path(empty), blank)
        echo = _measure(ECHO, Path(empty), blank)
        (Path(full) / "reminders" / "index.log").unlink()
        rebuilt = _measure(IMPAYES, Path(full), answering[ANSWERING:])
    section = (f"Start-up, {USERS:_} users, {pending:_} pending reminders").replace("_", " ")
    report.add(section, "start to polling", f"{ours[0]:.2f} s", f"{echo[0]:.2f} s",
               f"empty data folder: {bare[0]:.2f} s; reference: echo bot")
    report.add(section, "  after losing the reminder index (rebuilt from every file)",
               f"{rebuilt[0]:.2f} s")
    report.add(section, "resident memory at start", mb(ours[1]), mb(echo[1]),
               f"empty data folder: {mb(bare[1])}")
    report.add(section, f"resident memory after {ANSWERING} users answered", mb(ours[2]),
               mb(echo[2]), f"empty data folder: {mb(bare[2])}")
