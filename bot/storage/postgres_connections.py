"""Connections to PostgreSQL that outlive a restart of the server, at no cost per statement.

A restart (an operator's, an upgrade, a failover) cuts every connection a bot instance holds.
The server says so on each one before closing it, so an idle connection it cut has something
to read: ``cut`` looks (one ``poll`` call, no round trip) before a connection is used, and
the pool's ``check`` pings only such a connection, which fails, so that the pool makes a new
one instead of handing the dead one out. ``OwnConnection`` is one connection kept for the
short statements made on the event loop on every update (the outbox's lines, the debtor-chat
lookup): no pool to go through, its statements prepared once, made again when found cut.
"""

from __future__ import annotations

import select
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

CONNECT_TIMEOUT = 30  # seconds to reach the database before giving up
Connection = psycopg.Connection[Any]
Result = TypeVar("Result")


def cut(connection: Connection) -> bool:
    """Whether the connection is closed, or, idle, has something to read (the server's
    goodbye: an idle connection in autocommit mode is sent nothing else)."""
    if connection.closed:
        return True
    # poll, not select: select refuses descriptors past 1023, which a busy process (Docker
    # allows far more open files) hands to its new connections.
    looking = select.poll()
    looking.register(connection.fileno(), select.POLLIN)
    return bool(looking.poll(0))


def check_idle(connection: Connection) -> None:
    """The pool's check as it hands a connection out: raises if the server cut it."""
    if cut(connection):
        ConnectionPool.check_connection(connection)


class OwnConnection:
    """One connection, made when first needed, shared by threads one statement at a time."""

    def __init__(self, url: str, setup: str | None = None) -> None:
        self.url = url
        self.setup = setup  # run once on each new connection (a SET)
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[Connection], Result]) -> Result:
        """``work(connection)``; once more on a new connection if this one was cut (by a
        restart) before or during it. Only for work that may run twice: a read, or a write
        whose repetition does no harm."""
        with self._lock:
            try:
                return work(self._connected())
            except psycopg.OperationalError:
                self._close()
                return work(self._connected())
            except psycopg.Error:
                self._close()
                raise

    def _connected(self) -> Connection:
        if self._connection is None or cut(self._connection):
            self._close()
            self._connection = psycopg.connect(self.url, autocommit=True,
                                               connect_timeout=CONNECT_TIMEOUT)
            if self.setup:
                self._connection.execute(self.setup)
        return self._connection

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
