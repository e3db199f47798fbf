"""Crash test: users answer non-stop while the bot process is killed (SIGKILL) and restarted.

What a user may rely on, checked at every crash and at the end:

The same on each backend (``place``): the data folder, and a PostgreSQL database.

- **An answer that received a reply is on disk.** An answer *received a reply* when, after the
  user sent it and before the user sent anything else, the bot sent that chat the next
  question (a message with the journey's inline keyboard). The bot saves before it replies, so
  at the moment of any crash every such answer is in the chat's ``chat.json`` with the value
  the user gave. An answer that got no reply may or may not be stored: both are fine, as long
  as what is stored is what the user said.
- **Every data file parses**: each ``chat.json`` is whole JSON that loads as an account; the
  only other files a crash may leave are the unused temporary files of an interrupted write.
- **No case is corrupted**: one case per user, whose answers are exactly the first answers of
  the user's script with the values given, and which waits on the next question of the script.
- **The conversation resumes**: after the last restart every user finishes the journey.
- **Nobody is left without an answer**: a user whose reply the crash swallowed (their answer
  saved or not) gets one from the restarted bot without typing anything: an apology and the
  question where their case stands (or, with no case yet, a request to send their message
  again). Their answer did not *receive a reply* in the sense above: the apology does not say
  whether it was stored.

The simulated user answers the last question shown. When no reply comes (the bot died with
their answer), they wait; the restarted bot's apology ends the wait, and they carry on from the
question it shows. Had they waited several seconds of the bot being up in vain, they would type
/start, as a person would: the test asserts they never had to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.fakebot import FakeBotApi
from testing.stored import Place
from testing.storm import Storm


@pytest.mark.slow(seconds=15)
def test_answers_acknowledged_before_a_sigkill_are_all_on_disk_and_everyone_finishes(
        place: Place, tmp_path: Path) -> None:
    with FakeBotApi() as api:
        storm = Storm(api, place.data_dir, tmp_path / "bot.log", users=6, seed=20261123,
                      database_url=place.database_url)
        report = storm.run(cycles=8, alive=(0.2, 2.5))
        assert api.token not in (tmp_path / "bot.log").read_text("utf-8")
    print(report)
    assert report.kills == 8
    assert report.checks == 9  # after each kill, and at the end
    assert report.restarts_by_user == 0  # every wait a crash left was ended by the bot
