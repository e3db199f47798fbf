"""The outbox log: which chats the last run left without a reply (bot/outbox.py)."""

from __future__ import annotations

from pathlib import Path

from bot.outbox import Outbox
from bot.storage.tinydb_backend import OutboxFile


def restarted(path: Path) -> dict[str, int]:
    """What the next run reads from the log (and the log it leaves for the one after)."""
    outbox = Outbox(OutboxFile(path))
    owed = outbox.open()
    outbox.close()
    return owed


def test_a_chat_whose_update_came_in_and_was_never_handled_is_owed_a_reply(
        tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    outbox = Outbox(OutboxFile(log))
    assert outbox.open() == {}
    outbox.came_in("5001")
    outbox.came_in("5002")
    outbox.handled("5002")
    # Killed here: no close, nothing flushed by hand; the writes are in the file already.
    assert log.read_text("ascii") == "+5001\n+5002\n-5002\n"
    assert restarted(log) == {"5001": 0}


def test_a_chat_stays_owed_until_each_of_its_updates_is_handled(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    outbox = Outbox(OutboxFile(log))
    outbox.open()
    outbox.came_in("7")
    outbox.came_in("7")
    outbox.handled("7")
    outbox.close()
    assert restarted(log) == {"7": 0}


def test_a_torn_last_line_is_ignored(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    log.write_bytes(b"+41\n+42\n-41\n+4")  # the machine died in the middle of the last line
    assert restarted(log) == {"42": 0}


def test_damaged_lines_are_skipped_and_the_rest_still_counts(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    log.write_bytes(b"\x00\x00\x00\n+12\n?13\n+abc\n-99\n+-100500\n")
    assert restarted(log) == {"12": 0, "-100500": 0}


def test_startup_rewrites_the_log_with_only_what_is_still_owed(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    log.write_text("".join(f"+{n}\n-{n}\n" for n in range(100)) + "+5\n", "ascii")
    outbox = Outbox(OutboxFile(log))
    assert outbox.open() == {"5": 0}
    assert log.read_text("ascii") == "+5\n"
    outbox.came_in("6")
    assert log.read_text("ascii") == "+5\n+6\n"  # appended to the new file
    outbox.close()


def test_a_chat_answered_after_the_restart_is_no_longer_owed(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    log.write_text("+5\n+5\n+8\n", "ascii")
    outbox = Outbox(OutboxFile(log))
    assert outbox.open() == {"5": 0, "8": 0}
    outbox.came_in("5")  # the user wrote again after the restart
    assert outbox.in_flight("5") == 1
    outbox.handled("5")
    assert outbox.in_flight("5") == 0
    outbox.replied("5")  # ...and was shown a reply: both lost ones are settled
    outbox.replied("9")  # nothing was owed to this one
    outbox.close()
    assert restarted(log) == {"8": 0}


def test_answers_started_after_a_restart_are_counted_across_restarts(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    log.write_text("+5\n", "ascii")
    for attempts in range(3):
        outbox = Outbox(OutboxFile(log))
        assert outbox.open() == {"5": attempts}
        outbox.attempt("5")  # then killed before the reply went out
    outbox = Outbox(OutboxFile(log))
    assert outbox.open() == {"5": 3}
    outbox.settle("5")
    outbox.close()
    assert restarted(log) == {}
    assert log.read_text("ascii") == ""


def test_the_log_is_rotated_when_it_grows_and_keeps_what_is_owed(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    outbox = Outbox(OutboxFile(log), rotate_at=200)
    outbox.open()
    outbox.came_in("1")  # never handled
    for n in range(1000, 1500):
        outbox.came_in(str(n))
        outbox.handled(str(n))
        assert log.stat().st_size < 250  # what is owed, plus up to 200 bytes appended since
    outbox.came_in("2")
    outbox.close()
    assert restarted(log) == {"1": 0, "2": 0}


def test_nothing_is_written_before_the_outbox_is_opened(tmp_path: Path) -> None:
    log = tmp_path / "outbox.log"
    outbox = Outbox(OutboxFile(log))
    outbox.came_in("1")
    outbox.handled("1")
    assert not log.exists()
