"""The console chat (``python -m bot chat``) driven by typed lines, as a newcomer runs it.

Used by the console tests and by scripts/readme_transcript.py, which regenerates the README's
transcript from the same lines.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from pathlib import Path

from flows.answers import SEVERAL_LINES_KINDS
from flows.questions import BY_KEY
from testing import forkserver

# The console numbers each question's choices in order; where the answer is itself a number
# (an amount, a rate, a count of days or reminders), the number or word is typed instead.
CHOICE_NUMBERS = {
    "jurisdiction": {"fr": "1"}, "debtor_kind": {"business": "1"},
    "payments": {"nothing": "rien"}, "another_invoice": {"no": "2"},
    "supply": {"services": "1"}, "debtor_trader": {"trader": "1"},
    "contract_rate": {"none": "aucun"},
    "reminders_sent": {"1": "1"}, "rights_ack": {"continue": "1"}, "remedy": {},
    "deadline_days": {"8": "8"}, "signatory": {"self": "1"}, "review": {"generate": "1"},
}


def typed_lines(script: list[tuple[str, str]]) -> list[str]:
    """What the user types for each step, one entry a step. An answer to a question taking
    several lines (an address) is typed line by line and ended by an empty line: its entry
    holds those lines, so that an entry is still one answer (and one ``>`` in the output)."""
    lines = []
    for key, step in script:
        if step.startswith("press:"):
            value = step.removeprefix("press:")
            if value in {"yes", "no"} and value not in CHOICE_NUMBERS.get(key, {}):
                typed = "oui" if value == "yes" else "non"
            elif key == "remedy":
                typed = "Mise en demeure"  # typing the label works too
            else:
                typed = CHOICE_NUMBERS[key][value]
        else:
            typed = step
        block = BY_KEY[key].kind in SEVERAL_LINES_KINDS and not typed.isdigit()
        lines.append(typed + "\n" if block else typed)
    return lines


def run_console(data_dir: Path, lines: list[str], now: str = "2026-11-23T10:00:00") -> str:
    env = {**os.environ, "IMPAYES_DATA_DIR": str(data_dir), "IMPAYES_NOW": now}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = forkserver.run(["bot", "chat"], Path.cwd(), env, "\n".join(lines) + "\n")
    result.check_returncode()
    return result.stdout


class ConsoleProcess:
    """``python -m bot chat`` kept running: lines typed while it runs, its output read as it
    comes, its clock in a file the test moves (``IMPAYES_NOW_FILE``)."""

    def __init__(self, data_dir: Path, clock_file: Path, now: datetime) -> None:
        self.clock_file = clock_file
        self.set_time(now)
        env = {**os.environ, "IMPAYES_DATA_DIR": str(data_dir),
               "IMPAYES_NOW_FILE": str(clock_file), "PYTHONUNBUFFERED": "1"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        env.pop("IMPAYES_NOW", None)
        child_in, self._input = os.pipe()
        self._printed, child_out = os.pipe()
        try:
            self.process = forkserver.start(["bot", "chat"], Path.cwd(), env, child_in,
                                            child_out, stderr=2)  # errors shown by pytest
        finally:
            os.close(child_in)
            os.close(child_out)
        self._output = bytearray()
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for chunk in iter(lambda: os.read(self._printed, 4096), b""):
            with self._changed:
                self._output += chunk
                self._changed.notify_all()
        os.close(self._printed)

    @property
    def output(self) -> str:
        with self._changed:
            return self._output.decode("utf-8", errors="replace")

    def set_time(self, now: datetime) -> None:
        temporary = self.clock_file.with_suffix(".new")  # renamed in: never read half-written
        temporary.write_text(now.replace(tzinfo=None).isoformat(), "utf-8")
        temporary.replace(self.clock_file)

    def wait_for(self, text: str, count: int = 1, timeout: float = 60) -> str:
        """The output once ``text`` appears in it ``count`` times (fails after ``timeout``
        seconds: a safety net against a hang, not a measure)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._output.decode("utf-8", errors="replace").count(text) < count:
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():  # late, or the console ended
                    raise AssertionError(f"{text!r} never shown; the console said:\n"
                                         + self._output.decode("utf-8", errors="replace"))
                self._changed.wait(min(left, 0.5))
            return self._output.decode("utf-8", errors="replace")

    def type(self, line: str) -> None:
        os.write(self._input, (line + "\n").encode("utf-8"))  # a line fits a pipe's buffer

    def close(self) -> str:
        """End the input (as Ctrl-D does) and return everything the console printed."""
        os.close(self._input)
        self.process.wait(timeout=60)
        self._reader.join(timeout=10)
        return self.output
