"""The PostgreSQL schema: the repository's migrations applied once, in order, on a real server
(a throwaway cluster, see testing/pgcluster.py)."""

from __future__ import annotations

from pathlib import Path
from threading import Thread

import psycopg
import pytest

from bot.storage import postgres_schema as schema
from testing.pgcluster import Cluster
from tests.conftest import throwaway_cluster

TABLES = {"accounts", "blobs", "reminders", "outbox", "schema_migrations", "debtor_tokens",
          "debtor_chats", "debtor_links_rebuild"}


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row[0] for row in rows}


def test_the_migrations_create_every_table_and_are_recorded(pg_url: str) -> None:
    with psycopg.connect(pg_url) as connection:
        applied = schema.migrate(connection)
        recorded = connection.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert applied[:2] == ["0001", "0002"]
    assert recorded[:2] == [("0001", "0001_init.sql"), ("0002", "0002_debtor_links.sql")]
    assert [version for version, _ in recorded] == applied
    assert tables(pg_url) == TABLES


def test_applying_them_again_changes_nothing(pg_url: str) -> None:
    with psycopg.connect(pg_url) as connection:
        first = schema.migrate(connection)
        assert schema.migrate(connection) == []
        count = connection.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert count == (len(first),)


def test_two_instances_starting_at_once_apply_them_once(pg_url: str) -> None:
    results: list[list[str]] = []

    def start() -> None:
        with psycopg.connect(pg_url) as connection:
            results.append(schema.migrate(connection))

    threads = [Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=len) == [[], [m.version for m in schema.migrations()]]


def test_a_new_file_is_applied_after_the_others(pg_url: str, tmp_path: Path) -> None:
    for migration in schema.migrations():
        (tmp_path / migration.path.name).write_bytes(migration.path.read_bytes())
    with psycopg.connect(pg_url) as connection:
        schema.migrate(connection, tmp_path)
        (tmp_path / "9999_notes.sql").write_text(
            "CREATE TABLE notes (id int PRIMARY KEY);\nINSERT INTO notes VALUES (1), (2);\n")
        assert schema.migrate(connection, tmp_path) == ["9999"]
        assert connection.execute("SELECT count(*) FROM notes").fetchone() == (2,)


def test_a_failing_migration_leaves_the_schema_as_it_was(pg_url: str, tmp_path: Path) -> None:
    (tmp_path / "0001_broken.sql").write_text("CREATE TABLE kept (id int);\nNOT SQL AT ALL;\n")
    with psycopg.connect(pg_url) as connection, pytest.raises(psycopg.errors.SyntaxError):
        schema.migrate(connection, tmp_path)
    assert tables(pg_url) == set()


def test_the_cluster_listens_on_its_socket_only(pg_cluster: Cluster) -> None:
    with psycopg.connect(pg_cluster.url()) as connection:
        listen = connection.execute("SHOW listen_addresses").fetchone()
        socket_dir = connection.execute("SHOW unix_socket_directories").fetchone()
        user = connection.execute("SELECT current_user").fetchone()
    assert listen == ("",)
    assert socket_dir == (str(pg_cluster.folder),)
    assert user == ("impayes",)



def test_a_runs_clusters_are_copies_of_its_one_initdb(pg_cluster: Cluster) -> None:
    """initdb runs once per test run; every other cluster is a copy of it (the same system
    identifier, which initdb draws anew each time), on its own folder and socket."""
    def identity(cluster: Cluster) -> tuple[object, ...]:
        with psycopg.connect(cluster.url()) as connection:
            row = connection.execute(
                "SELECT system_identifier, current_setting('data_directory') "
                "FROM pg_control_system()").fetchone()
        assert row is not None
        return tuple(row)

    with throwaway_cluster() as other:
        assert other.folder != pg_cluster.folder
        (copied, copied_at), (first, first_at) = identity(other), identity(pg_cluster)
    assert copied == first
    assert copied_at != first_at
