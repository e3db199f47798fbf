"""The attack review's reruns (issue 17, ``testing/hardening.py``) at a larger size, timed.

Crafted uploads: six chats send every crafted file (zip and PDF object-stream bombs, a zip bomb,
JavaScript in an object stream, a program in a prefixed zip) while other chats answer the
journey non-stop; their replies' latency before and during, against a goal of one second.
Drawing storm: users press "Generate" together and the bot is SIGKILLed again and again while
it draws; every file must reach every user, and files sent twice are counted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.measure import percentile
from benchmarks.report import Report, ms
from testing.fakebot import FakeBotApi
from testing.hardening import drawing_storm, hostile_uploads


def hardening(report: Report, quick: bool) -> None:
    crafted_uploads(report, quick)
    kill_storm(report, quick)


def crafted_uploads(report: Report, quick: bool) -> None:
    senders, talkers, rounds = (6, 8, 1) if quick else (6, 8, 3)
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder, FakeBotApi() as api:
        data = Path(folder) / "data"
        data.mkdir()
        outcome = hostile_uploads(api, data, Path(folder) / "bot.log", senders=senders,
                                  talkers=talkers, rounds=rounds)
    section = f"Crafted uploads ({senders} chats, {len(outcome.uploads)} files)"
    during = outcome.during + outcome.still_waiting
    report.add(section, f"other chats' replies ({talkers} chats talking), p50 / p95 / max",
               " / ".join(ms(percentile(during, p)) for p in (50, 95, 100)),
               " / ".join(ms(percentile(outcome.baseline, p)) for p in (50, 95, 100)),
               f"goal: under 1 s; reference: the same chats just before; {len(during)} replies, "
               "each a second after the last")
    refused = sum(upload.refused_as_expected for upload in outcome.uploads)
    screening = [upload.seconds for upload in outcome.uploads]
    report.add(section, "refused with their message, p50 / max from upload to answer",
               f"{refused} of {len(outcome.uploads)}",
               "", f"{ms(percentile(screening, 50))} / {ms(max(screening))}; "
               f"{outcome.files_kept} kept on disk")


def kill_storm(report: Report, quick: bool) -> None:
    users, kills = (4, 4) if quick else (8, 12)
    with tempfile.TemporaryDirectory(prefix="impayes-bench-") as folder, FakeBotApi() as api:
        data = Path(folder) / "data"
        data.mkdir()
        outcome = drawing_storm(api, data, Path(folder) / "bot.log", users=users, kills=kills,
                                seed=1204)
    section = f"SIGKILL while drawing ({users} users, × {outcome.kills})"
    report.add(section, "files delivered, of those owed", f"{outcome.delivered} of "
               f"{outcome.expected}", "", f"{outcome.lost} lost; {outcome.kills_while_drawing} "
               f"kills fell while some files were unsent")
    report.add(section, "files sent twice to the same user", str(outcome.doubles), "",
               "a kill between an album's upload and its record")
    report.add(section, "told to type /documents (drawing interrupted twice)",
               str(outcome.told_lost), "", f"{outcome.asked_again} times typed; last file "
               f"{outcome.seconds:.0f} s "
               "after Generate")
