"""A throwaway PostgreSQL server for the tests and the benchmarks: a real one, never shared.

``initdb`` makes a cluster in a new temporary folder, the server listens on a unix socket in
that folder only (no TCP port: nothing outside this machine, nor another test run, can reach
it), every test gets a fresh database in it, and the whole folder is removed at the end.

A test run makes several clusters (one per pytest-xdist worker, and one for each test that
restarts its server): they copy one ``initdb`` made for the run (``template_data``) rather than
each running it, the copy costing a fraction of initdb's CPU.

PostgreSQL refuses to run as root, and the tests may run as root (CI, containers): then the
cluster is made and run as the ``postgres`` user that Debian's package creates (``nobody``
otherwise), through ``subprocess``'s own switch of user, and the folder is given to that user.
"""

from __future__ import annotations

import fcntl
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import psycopg

SUPERUSER = "impayes"
# Where Debian's postgresql package puts the server's programs (one folder per major version).
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
START_TIMEOUT = 60  # seconds; a loaded machine running the suite on every core is slow
UNPRIVILEGED_USERS = ("postgres", "nobody")
TEMPLATE_READY = "ready"  # written once initdb has finished in a template folder


def find_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres`` (the newest version), if
    this machine has them; ``IMPAYES_PG_BIN`` names the one to use instead."""
    named = os.environ.get("IMPAYES_PG_BIN")
    if named:
        candidates = [named]
    else:
        candidates = sorted(glob.glob(DEBIAN_BINARIES), key=_major_version, reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if all((Path(folder) / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def _major_version(folder: str) -> int:
    version = Path(folder).parent.name
    return int(version) if version.isdigit() else 0


class Cluster:
    """One running server in its own temporary folder; ``with Cluster(...) as cluster``.

    ``durable=False`` (the tests) turns fsync off: a bot killed by a test does not take the
    server down with it, so nothing the tests check depends on the disk's flushes, and
    creating a database per test is much faster. The benchmarks keep it on.
    """

    def __init__(self, binaries: Path, durable: bool = False,
                 template: Path | None = None) -> None:
        self.binaries = binaries
        self.durable = durable
        self.template = template  # a folder for ``template_data``, shared by a test run
        self.folder: Path | None = None
        self._user: pwd.struct_passwd | None = None
        self._numbers = itertools.count(1)

    # Lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="impayes-pg-"))
        try:
            if os.geteuid() == 0:
                self._user = _unprivileged_user()
                os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
            if self.template is None:
                _initdb(self.binaries, self.data, self._user)
            else:
                source = template_data(self.binaries, self.template, self._user)
                _run_as(self._user, self.folder, "cp", "--archive", str(source), str(self.data))
            settings = {
                "listen_addresses": "''",  # the socket below only
                "unix_socket_directories": f"'{self.folder}'",
                "max_connections": "200",  # two bot processes' pools and the tests' own
                "fsync": "on" if self.durable else "off",
                "synchronous_commit": "on" if self.durable else "off",
                "full_page_writes": "on" if self.durable else "off",
                "shared_buffers": "32MB",
                "log_min_messages": "warning",
            }
            with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
            self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log),
                      "--wait", "--timeout", str(START_TIMEOUT), "start")
        except BaseException:
            self.stop()
            raise

    def restart(self) -> None:
        """Stop the server and start it again on the same data, as an operator's restart
        (or an upgrade) does: every connection is cut, nothing committed is lost."""
        self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "fast", "--wait", "stop")
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log),
                  "--wait", "--timeout", str(START_TIMEOUT), "start")

    def stop(self) -> None:
        """Stop the server (immediately: its data is thrown away) and remove the folder."""
        if self.folder is None:
            return
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "--wait",
                      "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    # Databases ----------------------------------------------------------------------------
    @property
    def data(self) -> Path:
        assert self.folder is not None, "the cluster is not started"
        return self.folder / "data"

    @property
    def log(self) -> Path:
        assert self.folder is not None, "the cluster is not started"
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL of ``database``, through the socket in the folder."""
        assert self.folder is not None, "the cluster is not started"
        return f"postgresql://{SUPERUSER}@/{database}?host={quote(str(self.folder), safe='')}"

    def new_database(self) -> str:
        """A new empty database, its URL (one per test: nothing leaks between tests)."""
        name = f"t{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            # Copying the template's files takes under half the CPU of writing them through
            # the WAL (PostgreSQL 15's default), which only pays where flushes count: here
            # fsync is off.
            copy = not self.durable and connection.info.server_version >= 150000
            strategy = " STRATEGY FILE_COPY" if copy else ""
            connection.execute(f'CREATE DATABASE "{name}"{strategy}')
        return self.url(name)

    # Running the server's programs ----------------------------------------------------------
    def _run(self, program: str, *args: str, check: bool = True) -> None:
        assert self.folder is not None
        _run_as(self._user, self.folder, str(self.binaries / program), *args, check=check,
                log=self.log)


def template_data(binaries: Path, folder: Path, user: pwd.struct_passwd | None) -> Path:
    """A fresh cluster's data folder made once in ``folder`` (by the first caller, under a
    lock: the workers of a run start their clusters at the same moment), for copying."""
    data = folder / "data"
    with (folder / "lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes
        if not (folder / TEMPLATE_READY).exists():
            if user is not None:
                os.chown(folder, user.pw_uid, user.pw_gid)
            shutil.rmtree(data, ignore_errors=True)  # a run interrupted mid-initdb
            _initdb(binaries, data, user)
            (folder / TEMPLATE_READY).touch()
    return data


def _initdb(binaries: Path, data: Path, user: pwd.struct_passwd | None) -> None:
    _run_as(user, data.parent, str(binaries / "initdb"), "--pgdata", str(data),
            "--username", SUPERUSER, "--auth", "trust", "--encoding", "UTF8",
            "--locale", "C", "--no-sync", "--no-instructions")


def _run_as(user: pwd.struct_passwd | None, folder: Path, program: str, *args: str,
            check: bool = True, log: Path | None = None) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [program, *args], cwd=folder, capture_output=True, text=True, check=False,
        user=user.pw_uid if user else None, group=user.pw_gid if user else None,
        extra_groups=[] if user else None,
        env={**os.environ, "LC_ALL": "C", "HOME": str(folder)})
    if check and result.returncode != 0:
        server_log = log.read_text("utf-8", "replace") if log and log.exists() else ""
        raise RuntimeError(f"{Path(program).name} failed after "
                           f"{time.monotonic() - started:.1f}s:\n"
                           f"{result.stdout}{result.stderr}{server_log}")


def _unprivileged_user() -> pwd.struct_passwd:
    for name in UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and no unprivileged user to run PostgreSQL as")
