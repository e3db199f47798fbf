"""The storage backends the tests run against (``tests/conftest.py``'s ``storage`` fixture).

Each entry opens a fresh, empty storage for one test (given the test's temporary folder, and
pytest's ``getfixturevalue`` to ask for a server fixture such as ``pg_url``) and closes it
afterwards. A backend whose server is missing here is skipped with a reason that says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from bot.storage import Storage, TinyDBStorage
from bot.storage.postgres_backend import PostgresStorage

Fixture = Callable[[str], Any]  # pytest's request.getfixturevalue


@contextmanager
def tinydb(folder: Path, _fixture: Fixture) -> Iterator[Storage]:
    storage = TinyDBStorage(folder / "data")
    try:
        yield storage
    finally:
        storage.close()


@contextmanager
def postgresql(folder: Path, fixture: Fixture) -> Iterator[Storage]:
    """A new database on the session's throwaway server (``pg_url``: skipped, and said so,
    where no server is installed); scratch files under the test's folder."""
    storage = PostgresStorage(fixture("pg_url"), folder / "data", instance="tests")
    try:
        yield storage
    finally:
        storage.close()


# name → opener; a test parametrised over these runs once per backend.
BACKENDS: dict[str, Callable[[Path, Fixture], AbstractContextManager[Storage]]] = {
    "tinydb": tinydb,
    "postgresql": postgresql,
}
