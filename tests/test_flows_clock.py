"""Every day and moment in ``flows/`` is the turn's, passed in; none is read from the machine.

The bot gives each turn its ``now`` (frozen by ``IMPAYES_NOW`` or ``IMPAYES_NOW_FILE``): a
module that reads the machine's clock instead answers with another day near midnight, and in
tests whose clock is frozen. The calls are found in the source with ``ast``, imported or not.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from flows import journey
from flows.conversation import Role
from flows.i18n import t
from flows.model import Account, Asking
from tests.documents_samples import fr_business

ROOT = Path(__file__).resolve().parent.parent
FLOWS = sorted((ROOT / "flows").rglob("*.py"))

# (what the call is made on, the function): date.today(), datetime.now(), time.time()…
MACHINE_CLOCK = {("date", "today"), ("datetime", "now"), ("datetime", "today"),
                 ("datetime", "utcnow"), ("time", "time"), ("time", "time_ns")}
# The clock imported by name, ``from time import time`` (``datetime.time`` is no clock).
CLOCK_FUNCTIONS = {"time", "time_ns"}


def clock_calls(source: str) -> list[str]:
    """Each call reading the machine's clock in ``source``, as ``line: call``."""
    tree = ast.parse(source)
    bare = {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "time"
            for alias in node.names if alias.name in CLOCK_FUNCTIONS}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute):
            owner = called.value
            # date.today(), datetime.datetime.now(), dt.date.today()…: the last name counts.
            owner_name = (owner.id if isinstance(owner, ast.Name) else
                          owner.attr if isinstance(owner, ast.Attribute) else None)
            if (owner_name, called.attr) in MACHINE_CLOCK:
                found.append(f"{node.lineno}: {owner_name}.{called.attr}()")
        elif isinstance(called, ast.Name) and called.id in bare:
            found.append(f"{node.lineno}: {called.id}()")
    return found


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_flows_reads_the_machine_clock(path: Path) -> None:
    assert clock_calls(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", [
    "from datetime import date\ndate.today()",
    "import datetime\ndatetime.datetime.now()",
    "from datetime import datetime\ndatetime.utcnow()",
    "import time\ntime.time()",
    "from time import time\ntime()",
])
def test_each_way_of_reading_the_clock_is_caught(source: str) -> None:
    # The check above must be able to fail: every spelling the audit named is found.
    assert len(clock_calls(source)) == 1


def remedy_buttons(today: date) -> list[str]:
    """The remedy question's buttons, as the user sees them on ``today``, for an invoice due on
    15 October 2026 whose remedies were not ranked yet (no ranking kept on the case)."""
    case = fr_business()
    case.more_invoices = []  # the one invoice, F-2026-042
    case.answers.pop("remedy", None)
    case.ranking = []
    account = Account(chat_id="1", lang="en", cases=[case], active_case=case.id,
                      asking=Asking("remedy", case_id=case.id))
    prompt = journey.reprompt(account, case, today)
    assert prompt is not None
    assert prompt.key == "remedy"
    return [b.label for b in prompt.buttons if b.role is Role.ANSWER]


def test_the_remedy_buttons_follow_the_turns_day_not_the_machines() -> None:
    # Frozen before the due date (the machine's clock is long past it): nothing is owed yet,
    # so a courtesy reminder comes first (C. civ. 1305-2), starred.
    before_due = remedy_buttons(date(2026, 10, 1))
    assert before_due[0] == "⭐ " + t("en", "remedy.friendly_reminder")
    after_due = remedy_buttons(date(2026, 11, 23))
    # Past due, with the services still running: suspending them is the first step.
    assert after_due[0] == "⭐ " + t("en", "remedy.suspension")
    assert sorted(after_due[1:] + [after_due[0].removeprefix("⭐ ")]) == sorted(
        before_due[1:] + [before_due[0].removeprefix("⭐ ")])
