"""A PostgreSQL server for a benchmark run: a database filled like a data folder, and the CPU
time the server spends (its own processes', read from /proc like the bot's)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.migrate import copy_storage
from bot.storage import TinyDBStorage
from bot.storage.postgres_backend import PostgresStorage
from testing.pgcluster import Cluster, find_binaries

_TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def server() -> Iterator[Cluster]:
    """A throwaway server with fsync on, as deployed."""
    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("PostgreSQL server binaries not found: install Debian's postgresql")
    with Cluster(binaries, durable=True) as cluster:
        yield cluster


def database_from(cluster: Cluster, data_dir: Path, now: datetime) -> str:
    """A new database holding what ``data_dir`` holds (``python -m bot migrate``'s copy)."""
    url = cluster.new_database()
    source = TinyDBStorage(data_dir)
    with tempfile.TemporaryDirectory(prefix="impayes-bench-copy-") as scratch:
        target = PostgresStorage(url, scratch, instance="bench-setup")
        try:
            copy_storage(source, target, now)
        finally:
            target.close()
            source.close()
    return url


def server_cpu(cluster: Cluster) -> Callable[[], float]:
    """CPU seconds the server has used so far: the postmaster's own, its children's that
    ended (reaped, so counted in its ``cutime``/``cstime``) and its live children's (one
    backend per connection, the writer, the WAL writer, the checkpointer…)."""
    postmaster = int((cluster.data / "postmaster.pid").read_text("ascii").split()[0])

    def used() -> float:
        total = _times(postmaster, reaped=True)
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", encoding="ascii") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:  # ended meanwhile
                    continue
                if int(fields[1]) == postmaster:
                    total += (int(fields[11]) + int(fields[12])) / _TICKS
        return total
    return used


def _times(pid: int, reaped: bool) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    own = int(fields[11]) + int(fields[12])  # utime, stime
    ended = int(fields[13]) + int(fields[14]) if reaped else 0  # cutime, cstime
    return (own + ended) / _TICKS
