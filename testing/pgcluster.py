"""A throwaway PostgreSQL server for the tests and the benchmarks: a real one, never shared.

``initdb`` makes a cluster in a new temporary folder, the server listens on a unix socket in
that folder only (no TCP port: nothing outside this machine, nor another test run, can reach
it), every test gets a fresh database in it, and the whole folder is removed at the end.

PostgreSQL refuses to run as root, and the tests may run as root (CI, containers): then the
cluster is made and run as the ``postgres`` user that Debian's package creates (``nobody``
otherwise), through ``subprocess``'s own switch of user, and the folder is given to that user.
"""

from __future__ import annotations

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

    def __init__(self, binaries: Path, durable: bool = False) -> None:
        self.binaries = binaries
        self.durable = durable
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
            self._run("initdb", "--pgdata", str(self.data), "--username", SUPERUSER,
                      "--auth", "trust", "--encoding", "UTF8", "--locale", "C",
                      "--no-sync", "--no-instructions")
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
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    # Running the server's programs ----------------------------------------------------------
    def _run(self, program: str, *args: str, check: bool = True) -> None:
        user = self._user
        started = time.monotonic()
        result = subprocess.run(
            [str(self.binaries / program), *args], cwd=self.folder, capture_output=True,
            text=True, check=False,
            user=user.pw_uid if user else None, group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            env={**os.environ, "LC_ALL": "C", "HOME": str(self.folder)})
        if check and result.returncode != 0:
            server_log = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
            raise RuntimeError(f"{program} failed after {time.monotonic() - started:.1f}s:\n"
                               f"{result.stdout}{result.stderr}{server_log}")


def _unprivileged_user() -> pwd.struct_passwd:
    for name in UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and no unprivileged user to run PostgreSQL as")
