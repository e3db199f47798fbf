"""The tests' bot launcher (testing/forkserver.py): a forked start is a ``python -m`` start.

The same probe module runs both ways, forked and as a real ``python -m``, and reports what a
program can see of its start; the two reports must match, and the test side's handle must give
the exit code, the signal and the group kill a ``subprocess.Popen`` gives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from testing import forkserver
from testing.bot_process import kill

PROBE = '''
import json, os, signal, subprocess, sys, threading
child = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get('MARK'))"],
                       capture_output=True, text=True).stdout.strip()
print(json.dumps({
    "name": __name__, "argv": sys.argv, "path0": sys.path[0], "cwd": os.getcwd(),
    "env": dict(os.environ), "env_of_child": child,
    "own_session": os.getsid(0) == os.getpid() == os.getpgid(0),
    "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
    "threads": threading.active_count(), "loaded_bot": "bot" in sys.modules,
    "sigint": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
    "stdout_write_through": sys.stdout.write_through, "stdin_tty": sys.stdin.isatty(),
    "main_spec": __spec__.name,
}), flush=True)
sys.stderr.write("to the log\\n")
if sys.argv[1] == "raise":
    raise ValueError("probe failed")
if sys.argv[1] == "sleep":
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    print("started", flush=True)
    threading.Event().wait()
sys.exit(int(sys.argv[1]))
'''


def probe(tmp_path: Path, real: bool, arg: str, monkeypatch: pytest.MonkeyPatch,
          **extra: str) -> tuple[forkserver.Process, Path]:
    (tmp_path / "probe.py").write_text(PROBE, "utf-8")
    log = tmp_path / f"log-{real}-{arg}"
    env = {**os.environ, "MARK": "given", "PYTHONUNBUFFERED": "1", **extra}
    env.pop("FORKSERVER_ONLY_IN_WORKER", None)
    env.pop(forkserver.REAL_START, None)
    monkeypatch.setenv("FORKSERVER_ONLY_IN_WORKER", "1")  # must not reach the child
    if real:
        monkeypatch.setenv(forkserver.REAL_START, "1")
    else:
        monkeypatch.delenv(forkserver.REAL_START, raising=False)
    with log.open("ab") as out:
        process = forkserver.start(["probe", arg], tmp_path, env, stdout=out, stderr=out)
    return process, log


def report(log: Path) -> dict[str, object]:
    line = next(line for line in log.read_text("utf-8").splitlines() if line.startswith("{"))
    found: dict[str, object] = json.loads(line)
    return found


def test_a_forked_start_looks_like_a_real_one(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    reports = []
    for real in (True, False):
        process, log = probe(tmp_path, real, "3", monkeypatch)
        assert process.wait(60) == 3
        assert process.returncode == 3
        assert process.poll() == 3
        assert "to the log" in log.read_text("utf-8")
        reports.append(report(log))
    real_report, forked = reports
    assert isinstance(forked["env"], dict)
    assert forked["env"]["MARK"] == "given"
    assert forked["env_of_child"] == "given"
    assert "FORKSERVER_ONLY_IN_WORKER" not in forked["env"]
    assert forked["name"] == "__main__"
    assert forked["main_spec"] == "probe"
    assert forked["argv"] == [str(tmp_path / "probe.py"), "3"]
    assert forked["cwd"] == forked["path0"] == str(tmp_path)
    assert forked["fds"] == [0, 1, 2, 3]  # the last: listing /proc/self/fd
    assert forked["own_session"]
    assert forked["sigint"]
    assert forked["stdout_write_through"]
    assert forked["threads"] == 1
    assert forked["loaded_bot"]  # the bot's modules, preloaded
    for key in ("name", "argv", "path0", "cwd", "env", "env_of_child", "own_session", "fds",
                "threads", "sigint", "stdout_write_through", "stdin_tty", "main_spec"):
        assert forked[key] == real_report[key], key


def test_an_uncaught_error_ends_with_code_1_and_its_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    process, log = probe(tmp_path, False, "raise", monkeypatch)
    assert process.wait(60) == 1
    assert "ValueError: probe failed" in log.read_text("utf-8")


def test_kill_ends_the_whole_group_and_reports_the_signal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    process, log = probe(tmp_path, False, "sleep", monkeypatch)
    deadline = time.monotonic() + 60
    while "started" not in log.read_text("utf-8"):
        assert time.monotonic() < deadline
        assert process.poll() is None
        time.sleep(0.05)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(0.1)
    group = [int(pid) for pid in os.listdir("/proc") if pid.isdigit()
             and _group_of(int(pid)) == process.pid]
    assert len(group) >= 2  # the probe and the sleeper it started
    kill(process)
    assert process.returncode == -signal.SIGKILL
    time.sleep(0.2)
    assert not [pid for pid in group if _alive(pid)]


def test_other_interpreter_settings_get_a_real_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    process, log = probe(tmp_path, False, "0", monkeypatch, PYTHONWARNINGS="ignore")
    assert isinstance(process, subprocess.Popen)
    assert process.wait(60) == 0
    assert report(log)["loaded_bot"] is False


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"



def test_a_group_kill_right_after_the_launch_reaches_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    process, _ = probe(tmp_path, False, "sleep", monkeypatch)
    kill(process)  # the handle comes back once the child has its own session
    assert process.returncode == -signal.SIGKILL
