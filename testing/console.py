"""The console chat (``python -m bot chat``) driven by typed lines, as a newcomer runs it.

Used by the console tests and by scripts/readme_transcript.py, which regenerates the README's
transcript from the same lines.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flows.answers import SEVERAL_LINES_KINDS
from flows.questions import BY_KEY

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


def run_console(data_dir: Path, lines: list[str]) -> str:
    env = {**os.environ, "IMPAYES_DATA_DIR": str(data_dir), "IMPAYES_NOW": "2026-11-23T10:00:00"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=env, timeout=120, check=True)
    return result.stdout
