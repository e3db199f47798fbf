"""The database's schema: the SQL files of ``migrations/``, applied in order, each once.

Each file is named ``NNNN_what.sql``; the versions applied are recorded in
``schema_migrations``. Applying is idempotent and safe when several instances start at once:
it runs in one transaction under an advisory lock, so one instance applies what is missing and
the others then find it done. A file once released is never edited; a change is a new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Any fixed number, the same in every instance: pg_advisory_xact_lock's key for migrating.
MIGRATION_LOCK = 0x1A9A7E5


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path


def migrations(folder: Path = MIGRATIONS) -> list[Migration]:
    """The migration files, in version order."""
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(match.group(1), path))
    found.sort(key=lambda item: item.version)
    versions = [item.version for item in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version in {folder}")
    return found


def migrate(connection: psycopg.Connection[Any], folder: Path = MIGRATIONS) -> list[str]:
    """Bring the schema up to date; the versions applied now (none if it was)."""
    applied = []
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())")
        done = {row[0] for row in connection.execute("SELECT version FROM schema_migrations")}
        for migration in migrations(folder):
            if migration.version in done:
                continue
            # A file of several statements, without parameters: sent as it is.
            connection.execute(migration.path.read_text("utf-8").encode("utf-8"))
            connection.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                               (migration.version, migration.path.name))
            applied.append(migration.version)
    return applied
