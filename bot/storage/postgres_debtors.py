"""The index of debtors' links in PostgreSQL: ``debtor_tokens`` and ``debtor_chats`` rows.

Written by the account's own transaction (``AccountRows``), so the index is exactly in step
with the accounts whichever instance wrote them: a link issued through one instance opens the
case through any other. Read with one indexed query per lookup (a debtor opening a page or
typing an answer: rare next to the creditors' updates), never cached, since another instance
may change it at any time.
"""

from __future__ import annotations

from collections.abc import Iterator

from psycopg_pool import ConnectionPool

from bot.storage.debtor_index import LinkEntries, Where, entries_of, token_key
from bot.storage.interface import StoredChat
from bot.storage.postgres_connections import Connection, OwnConnection
from flows.debtor import link

# For each table: drop the chat's entries it no longer holds, then set those it holds.
TOKENS = ("DELETE FROM debtor_tokens WHERE chat_id = %s AND token_hash <> ALL(%s::text[])",
          "INSERT INTO debtor_tokens (token_hash, chat_id, case_id) VALUES (%s, %s, %s) "
          "ON CONFLICT (token_hash) DO UPDATE SET chat_id = EXCLUDED.chat_id, "
          "case_id = EXCLUDED.case_id")
DEBTORS = ("DELETE FROM debtor_chats WHERE chat_id = %s AND debtor_chat <> ALL(%s::text[])",
           "INSERT INTO debtor_chats (debtor_chat, chat_id, case_id) VALUES (%s, %s, %s) "
           "ON CONFLICT (debtor_chat) DO UPDATE SET chat_id = EXCLUDED.chat_id, "
           "case_id = EXCLUDED.case_id")


class DebtorRows:
    """token hash → (chat, case), debtor chat → (chat, case)."""

    def __init__(self, pool: ConnectionPool[Connection], url: str) -> None:
        self.pool = pool
        # Looked up on the event loop for every text a chat types: a connection of its own,
        # the statements prepared, no pool to go through.
        self.lookups = OwnConnection(url)

    # Reading ---------------------------------------------------------------------------------
    def find(self, token: str) -> Where | None:
        if not link.looks_like_token(token):
            return None
        return self._one("SELECT chat_id, case_id FROM debtor_tokens WHERE token_hash = %s",
                         token_key(token))

    def debtor(self, debtor_chat: str) -> Where | None:
        return self._one("SELECT chat_id, case_id FROM debtor_chats WHERE debtor_chat = %s",
                         str(debtor_chat))

    def _one(self, query: str, key: str) -> Where | None:
        row = self.lookups.run(
            lambda connection: connection.execute(query, (key,), prepare=True).fetchone())
        return (row[0], row[1]) if row is not None else None

    def close(self) -> None:
        self.lookups.close()

    # Writing, within the caller's transaction ---------------------------------------------------
    @staticmethod
    def write_in(connection: Connection, chat_id: str, entries: LinkEntries) -> None:
        """The chat's entries become exactly ``entries`` (an account's write)."""
        for (drop, upsert), wanted in ((TOKENS, entries.tokens), (DEBTORS, entries.debtors)):
            connection.execute(drop, (chat_id, list(wanted)))
            for key, (owner, case_id) in wanted.items():
                connection.execute(upsert, (key, owner, case_id))

    @staticmethod
    def forget_in(connection: Connection, chat_id: str) -> None:
        """The chat was erased: its links, and its own entry as a debtor."""
        connection.execute("DELETE FROM debtor_tokens WHERE chat_id = %s", (chat_id,))
        connection.execute("DELETE FROM debtor_chats WHERE chat_id = %s OR debtor_chat = %s",
                           (chat_id, chat_id))

    def rebuild_if_pending(self) -> int:
        """Index every account once after the tables were made (``0002_debtor_links.sql``
        leaves a row saying so); instances starting together wait for the first one's row
        lock, then find the row gone. How many accounts were read (0: nothing pending)."""
        read = 0
        with self.pool.connection() as connection, connection.transaction():
            pending = connection.execute(
                "SELECT pending FROM debtor_links_rebuild FOR UPDATE").fetchone()
            if pending is None:
                return 0
            for chat_id, entries in _every_account(connection):
                self.write_in(connection, chat_id, entries)
                read += 1
            connection.execute("DELETE FROM debtor_links_rebuild")
        return read


def _every_account(connection: Connection) -> Iterator[tuple[str, LinkEntries]]:
    with connection.cursor(name="debtor_links_rebuild") as cursor:  # server-side: any size
        cursor.execute("SELECT chat_id, account, envelope FROM accounts")
        for chat_id, account, envelope in cursor:
            yield chat_id, entries_of(StoredChat.from_json(account, envelope).account)
