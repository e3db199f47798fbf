"""Where the bot keeps things: the roles in ``interface``, one module per backend.

``open_storage`` picks the backend from the settings: the data folder (TinyDB) by default.
The PostgreSQL backend is imported only when it is chosen: psycopg and its pool weigh about
10 MB of memory that a bot on its data folder would carry for nothing. Import
``PostgresStorage`` from ``bot.storage.postgres_backend``.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.interface import Storage, StoredChat, Write
from bot.storage.tinydb_backend import AtomicJSONStorage, TinyDBStorage

__all__ = ["AtomicJSONStorage", "Storage", "StoredChat",
           "TinyDBStorage", "Write", "open_storage"]


def open_storage(data_dir: Path | str, database_url: str | None = None) -> Storage:
    """The storage for these settings: ``database_url`` when set, else the data folder."""
    if database_url:
        from bot.storage.postgres_backend import PostgresStorage  # deferred: psycopg, ~10 MB

        # The data folder keeps only this instance's scratch work (downloads, exports).
        return PostgresStorage(database_url, data_dir)
    return TinyDBStorage(data_dir)
