"""A bot killed outright (the OOM killer, a supervisor's SIGKILL) leaves no process behind.

Its screening workers (``bot.screening_pool``) used to wait on their queue forever, adopted by
init, tens of MB each, one more pair at every kill. Here the bot process, over the fake Bot
API, screens a real upload (which starts its workers), is SIGKILLed alone (not its process
group, as the test harness does), and every process it had started must end by itself.
Where Linux's parent-death signal is missing, a thread in each worker watches its parent: that
way is checked on its own, with a parent that is killed the same way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testing.bot_process import ROOT, kill, launch, polling_started
from testing.fakebot import FakeBotApi
from testing.stored import save_account
from testing.storm import NOW
from tests.followup_cases import FORMAL_DEMAND, followed
from tests.invoice_samples import text_pdf

CHAT = 7170
SAFETY_NET = 30.0  # seconds: far above the instant the kernel takes; never a measure


def children(pid: int) -> set[int]:
    """The processes ``pid`` started that are still its children (any of its threads')."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def descendants(pid: int) -> set[int]:
    below = children(pid)
    for child in set(below):
        below |= descendants(child)
    return below


def identity(pid: int) -> tuple[str, str] | None:
    """The process's start time and command line while it runs (None once it has ended: gone,
    or a zombie nobody reaps). The start time tells it from a later process given its pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    state, started = fields[0], fields[19]
    return None if state == "Z" else (started, command)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_bot_killed_outright_takes_its_screening_workers_with_it(
        data_dir: Path, tmp_path: Path) -> None:
    save_account(data_dir, followed(FORMAL_DEMAND, chat_id=str(CHAT)).account)
    with FakeBotApi() as api:
        mark = api.mark()
        process = launch(api, data_dir, tmp_path / "bot.log", NOW)
        try:
            polling_started(api, mark, timeout=60)
            mark = api.mark()
            api.send_document(CHAT, "facture.pdf", text_pdf(), "application/pdf")
            api.wait_for(lambda c: c.method == "sendMessage" and c.params.get("chat_id") == CHAT,
                         since=mark, timeout=120)  # screened in the workers, and answered
            started = {pid: identity(pid) for pid in descendants(process.pid)}
            workers = [command for _, command in filter(None, started.values())
                       if "multiprocessing.spawn" in command]
            assert workers, started  # the upload did start the pool
            os.kill(process.pid, signal.SIGKILL)  # the bot alone, as the OOM killer does
            process.wait(15)
            deadline = time.monotonic() + SAFETY_NET
            left = started
            while left and time.monotonic() < deadline:
                time.sleep(0.1)
                left = {pid: was for pid, was in left.items() if identity(pid) == was}
            assert not left, f"still running after the bot was killed: {left}"
        finally:
            kill(process)


# A worker that watches its parent's pid, under a parent that only waits to be killed.
WATCHED_CHILD = """
import os, threading, time
from bot.parent_watch import watch
threading.Thread(target=watch, args=(os.getppid(), 0.1), daemon=True).start()
print(os.getpid(), flush=True)
time.sleep(600)
"""
PARENT = """
import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", sys.argv[1]])
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_without_the_kernels_help_a_worker_still_ends_after_its_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, WATCHED_CHILD], cwd=ROOT,
                              stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())  # its watch has started
        was = identity(child)
        assert was is not None
        parent.kill()
        parent.wait(15)
        deadline = time.monotonic() + SAFETY_NET
        while identity(child) == was and time.monotonic() < deadline:
            time.sleep(0.1)
        assert identity(child) != was, "the child outlived its parent"
    finally:
        kill(parent)  # its whole session, whatever the test found
