"""Bot processes for the tests, forked from a server that has already imported the bot.

Why: the suite starts some seventy ``python -m bot ...`` processes (the crash, recovery,
two-instances, hardening, webhook and console tests), and each used to spend about 0.7 s of
CPU importing python-telegram-bot, aiohttp, httpx, jinja2, babel and the bot's own modules
before doing anything a test looks at. A server per pytest worker imports them once; each
launch is a ``fork`` of it that then runs the module as ``python -m`` would.

What a forked bot gets, as from ``python -m MODULE ARGS`` (``tests/test_forkserver.py``):
- its own session and process group (``setsid``), so ``os.killpg`` reaches it and everything
  it starts; its stdin, stdout and stderr from the files the test gave (``SCM_RIGHTS``), and no
  other descriptor; the test's cwd, ``sys.argv`` and environment, the latter replaced whole
  (``os.environ`` and the C environment: its own children inherit it), the time zone re-read;
- ``sys.stdin/stdout/stderr`` rebuilt over those descriptors (``PYTHONUNBUFFERED`` honoured),
  a fresh multiprocessing authentication key, default signal handlers, ``random`` reseeded
  (Python does it at every fork), and the module run as ``__main__`` by ``runpy`` with the
  interpreter's usual ending (atexit, non-daemon threads joined, exit code or signal);
- a server that ran no bot code: it only imported modules (none reads the environment or the
  clock at import: ``bot.recovery`` takes its start time when the application is built), has
  one thread at every fork (checked, or it refuses) and configured no logging and no loop.

What is shared and cannot differ: the interpreter's start-up settings (``PYTHON*`` variables
other than ``PYTHONUNBUFFERED``/``PYTHONDONTWRITEBYTECODE``, the locale, the hash seed). A
launch whose environment changes one of them gets a real ``python -m`` start instead, as does
every launch when ``IMPAYES_TEST_REAL_START=1``. Tests whose subject is the start itself start
Python themselves: what a start imports (test_start_imports), the installed wheel
(test_packaging), the compose command line (test_compose), ``python -m bot rights`` as a
command (test_cli_rights), and the fake Bot API's own child script (test_fakebot).

The server is the bots' parent, so it reaps them and reports each exit status to the test's
handle (``ForkedProcess``: ``pid``, ``poll``, ``wait``, ``returncode``, signals). It is started
on the first launch and ends when the pytest worker closes its socket (at exit, or when the
worker dies); the bots it started are the tests' to kill, as before.
"""

from __future__ import annotations

import atexit
import io
import json
import multiprocessing.process
import os
import runpy
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

ROOT = Path(__file__).resolve().parent.parent
# Everything `python -m bot ...` imports, and what it defers until it draws a document or
# opens a database (imports only: the server runs none of their code).
PRELOADED = ("bot.telegram_app", "bot.console", "bot.cli_documents", "weasyprint",
             "flows.documents.to_docx", "bot.storage.postgres_backend")
REAL_START = "IMPAYES_TEST_REAL_START"
# Read by the interpreter as it starts: a child must see the values the server started with.
KEPT_BY_CHILD = {"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
MAX_MESSAGE = 1 << 20


def startup_settings(env: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items()
            if (name.startswith("PYTHON") and name not in KEPT_BY_CHILD)
            or name.startswith("LC_") or name == "LANG"}


class Process(Protocol):
    """What the tests use of a started bot: a ``subprocess.Popen`` has it, and so does a
    ``ForkedProcess``."""

    @property
    def pid(self) -> int: ...
    @property
    def returncode(self) -> int | None: ...
    def poll(self) -> int | None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def send_signal(self, sig: int) -> None: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...


# The test side -------------------------------------------------------------------------------
class ForkedProcess:
    """A bot forked by the server: a ``Popen`` look-alike whose exit status the server sends."""

    def __init__(self, client: Client, pid: int, args: list[str]) -> None:
        self._client, self.pid, self.args = client, pid, args

    @property
    def returncode(self) -> int | None:
        return self._client.exits.get(self.pid)

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._client.changed:
            while self.pid not in self._client.exits:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired(self.args, timeout or 0)
                if not self._client.alive:
                    raise RuntimeError("the fork server ended before this process")
                self._client.changed.wait(left)
            return self._client.exits[self.pid]

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:  # once reaped, the pid may be another process's
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Client:
    """This pytest worker's connection to its server; a thread collects the exit statuses."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.settings = startup_settings(os.environ)
        self.server = subprocess.Popen([sys.executable, "-m", "testing.forkserver",
                                        str(theirs.fileno())], cwd=ROOT,
                                       stdin=subprocess.DEVNULL, pass_fds=[theirs.fileno()])
        theirs.close()
        self.sock = ours
        self.exits: dict[int, int] = {}
        self.changed = threading.Condition()
        self.alive = True
        self.replies: list[int] = []
        self.sending = threading.Lock()  # one launch at a time: replies come in order
        self.reader = threading.Thread(target=self._read, daemon=True, name="forkserver")
        self.reader.start()

    def _read(self) -> None:
        while True:
            data = self.sock.recv(MAX_MESSAGE)
            if not data:
                break
            message = json.loads(data)
            with self.changed:
                if "exit" in message:
                    self.exits[message["exit"]] = message["code"]
                else:  # pids wrap: a new child may take the number of one that ended
                    self.exits.pop(message["pid"], None)
                    self.replies.append(message["pid"])
                self.changed.notify_all()
        with self.changed:
            self.alive = False
            self.changed.notify_all()

    def launch(self, module: str, args: Sequence[str], cwd: Path, env: Mapping[str, str],
               stdio: tuple[int, int, int]) -> ForkedProcess:
        request = {"module": module, "args": list(args), "cwd": str(cwd), "env": dict(env)}
        with self.sending:
            socket.send_fds(self.sock, [json.dumps(request).encode()], list(stdio))
            with self.changed:
                while not self.replies:
                    if not self.alive:
                        raise RuntimeError("the fork server ended")
                    self.changed.wait()
                pid = self.replies.pop(0)
        return ForkedProcess(self, pid, [sys.executable, "-m", module, *args])

    def close(self) -> None:
        # shutdown, not only close: the reader thread's recv holds the socket open.
        self.sock.shutdown(socket.SHUT_RDWR)  # the server reads the end and leaves
        self.sock.close()
        self.server.wait(30)


_client: Client | None = None
_client_lock = threading.Lock()


def _shared_client() -> Client:
    global _client
    with _client_lock:
        if _client is None or not _client.alive:
            _client = Client()
            atexit.register(_client.close)
        return _client


def start(module: Sequence[str], cwd: Path, env: Mapping[str, str],
          stdin: int | IO[bytes] | None = None, stdout: int | IO[bytes] | None = None,
          stderr: int | IO[bytes] | None = None) -> Process:
    """``python -m MODULE...`` in a session of its own, its stdio the given files (a file
    object or descriptor; None for /dev/null), forked from this worker's server when the
    environment allows it."""
    def fd(stream: int | IO[bytes] | None) -> int:
        return stream if isinstance(stream, int) else stream.fileno() if stream else null

    with open(os.devnull, "r+b") as devnull:
        null = devnull.fileno()
        if os.environ.get(REAL_START) == "1" or (
                startup_settings(env) != startup_settings(os.environ)):
            return subprocess.Popen([sys.executable, "-m", *module], cwd=cwd, env=dict(env),
                                    stdin=fd(stdin), stdout=fd(stdout), stderr=fd(stderr),
                                    start_new_session=True)
        client = _shared_client()
        if client.settings != startup_settings(os.environ):  # the worker's changed since
            raise RuntimeError("the fork server started with other interpreter settings")
        return client.launch(module[0], module[1:], cwd, env, (fd(stdin), fd(stdout),
                                                               fd(stderr)))


def run(module: Sequence[str], cwd: Path, env: Mapping[str, str], typed: str = "",
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``subprocess.run([python, "-m", *module], input=typed, capture_output=True, text=True)``
    with the start of ``start``; a process still running after ``timeout`` is killed."""
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        given.write(typed.encode("utf-8"))
        given.seek(0)
        process = start(module, cwd, env, given, out, err)
        try:
            code = process.wait(timeout)
        finally:
            if process.poll() is None:
                process.kill()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess([sys.executable, "-m", *module], code,
                                           out.read().decode("utf-8"),
                                           err.read().decode("utf-8"))


# The server side -----------------------------------------------------------------------------
@dataclass
class Job:
    module: str
    args: list[str]
    cwd: str
    env: dict[str, str]


def serve(sock: socket.socket) -> Job | None:
    """Fork a child per request and report each exit; return the job in a child, None once
    the test side has gone."""
    for name in PRELOADED:
        __import__(name)
    running: dict[int, int] = {}  # pidfd -> pid
    while True:
        ready, _, _ = select.select([sock, *running], [], [])
        for pidfd in ready:
            if pidfd is sock:
                continue
            pid = running.pop(pidfd)
            os.close(pidfd)
            _, status = os.waitpid(pid, 0)
            sock.send(json.dumps({"exit": pid, "code": os.waitstatus_to_exitcode(status)})
                      .encode())
        if sock not in ready:
            continue
        data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 3)
        if not data:
            return None
        request = json.loads(data)
        threads = len(os.listdir("/proc/self/task"))
        if threads != 1:  # a fork would copy another thread's locks, held, without it
            raise SystemExit(f"fork server: {threads} threads, refusing to fork")
        settled, settling = os.pipe()
        pid = os.fork()
        if pid == 0:
            sock.detach()  # its number is closed below and may be the bot's own file later
            become_child(fds)  # closes `settling`: its session and stdio are set
            return Job(request["module"], request["args"], request["cwd"], request["env"])
        for descriptor in (*fds, settling):
            os.close(descriptor)
        os.read(settled, 1)  # the end of the pipe: a killpg on its pid now reaches it
        os.close(settled)
        running[os.pidfd_open(pid)] = pid
        sock.send(json.dumps({"pid": pid}).encode())


def become_child(stdio: list[int]) -> None:
    """Right after the fork: a session of its own, the given stdio and nothing else open."""
    os.setsid()
    for target, descriptor in enumerate(stdio):
        os.dup2(descriptor, target)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the socket, pidfds, the passed copies


def run_job(job: Job) -> None:
    """Become ``python -m MODULE ARGS`` in ``cwd`` with ``env``; returns as its main would."""
    os.chdir(job.cwd)
    os.environ.clear()
    os.environ.update(job.env)
    time.tzset()
    sys.dont_write_bytecode = bool(job.env.get("PYTHONDONTWRITEBYTECODE"))
    unbuffered = bool(job.env.get("PYTHONUNBUFFERED"))
    encoding = sys.stdout.encoding
    # Left open for the process's life, as the interpreter's own streams are.
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        open(0, "rb", closefd=False), encoding, sys.stdin.errors,  # noqa: SIM115
        newline="\n")  # as the interpreter's own: a typed "\r" stays in the line
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(
        open(1, "wb", closefd=False), encoding, sys.stdout.errors,  # noqa: SIM115
        newline="\n", line_buffering=os.isatty(1), write_through=unbuffered)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        open(2, "wb", closefd=False), encoding, "backslashreplace",  # noqa: SIM115
        newline="\n", line_buffering=True, write_through=unbuffered)
    multiprocessing.process.current_process().authkey = os.urandom(32)
    sys.path[0] = job.cwd  # as `python -m` puts it
    sys.argv = ["-m", *job.args]  # runpy puts the module's file first
    runpy.run_module(job.module, run_name="__main__", alter_sys=True)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in pytest: the worker closes us
    sock = socket.socket(fileno=int(sys.argv[1]))
    job = serve(sock)
    if job is None:
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    run_job(job)


if __name__ == "__main__":
    main()
