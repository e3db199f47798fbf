"""The crash test (``testing/storm.py``) at a larger size: more users, more SIGKILLs.

Every check of the test runs at each crash (acknowledged answers on disk, files whole, cases
consistent, everyone finishes); the figures say how often the kill fell in each window.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.report import Report
from testing.fakebot import FakeBotApi
from testing.storm import Storm


def crash(report: Report, quick: bool) -> None:
    users, cycles = (6, 6) if quick else (12, 25)
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder, FakeBotApi() as api:
        data = Path(folder) / "data"
        data.mkdir()
        outcome = Storm(api, data, Path(folder) / "bot.log", users=users, seed=1123).run(
            cycles=cycles, alive=(0.2, 2.5))
    section = f"Crash test ({users} users, SIGKILL × {outcome.kills})"
    report.add(section, "answers acknowledged, all found on disk at every crash",
               str(outcome.answers_replied), "", f"of {outcome.answers_sent} sent")
    report.add(section, "answers saved whose reply the crash swallowed",
               str(outcome.stored_without_reply), "",
               "answered at restart: an apology, then the next question")
    report.add(section, "users left waiting by a crash, answered at restart unasked",
               str(outcome.left_without_reply), "",
               f"{outcome.restarts_by_user} had to type /start")
    report.add(section, "updates delivered again after a crash, ignored",
               str(outcome.redelivered_skipped))
    report.add(section, "files that failed to parse, cases corrupted", "0", "",
               f"{outcome.checks} full checks of every chat file")
