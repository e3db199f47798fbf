"""The attack review's SIGKILL storm, rerun at every `make test` (issue 17): the bot killed
again and again while it draws documents loses none of them.

Three users press "Generate" together; the bot process is SIGKILLed three times, each a random
moment after the restarted bot starts drawing again. A document interrupted twice is no longer
drawn by itself (a document whose drawing kills the bot would do so at every restart): its user
is told so and types /documents, as the message asks. What a user may rely on, checked at the
end: every file of the bundle reached every user. A file sent twice (a kill between the upload
and its record) is counted by the benchmark (benchmarks/hardening.py), not refused here.

The crafted uploads' rerun is tests/test_evidence_load.py (six hostile zips, refused with
their message, nothing kept) and the screening tests; the latencies are `make bench`'s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.fakebot import FakeBotApi
from testing.hardening import drawing_storm


@pytest.mark.slow(seconds=13)
def test_no_document_is_lost_when_the_bot_is_killed_again_and_again_while_drawing(
        data_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    with FakeBotApi() as api:
        report = drawing_storm(api, data_dir, log, users=3, kills=3, seed=20261204)
        assert api.token not in log.read_text("utf-8")
    print(report)
    assert report.kills == 3
    assert report.kills_while_drawing >= 1  # the storm did hit the drawing
    assert report.expected == 3 * 6
    assert report.lost == 0, report
    assert report.asked_again == report.told_lost  # each told, each asked once
