"""``python -m bot migrate --to postgresql://… | DIR``: copy every chat to another storage.

From the data folder (``IMPAYES_DATA_DIR``) or ``--from``, to ``--to``: a data folder into a
database when moving to several instances, a database back into a data folder when going back
to one. Through the storage roles only (``bot.storage``), so that it works between any two
backends.

Each chat's files (evidence, drawn documents) are copied before its account, so that the
account never names a file the target lacks; the reminder index follows each account, as on
every write. Running it again copies only what differs, and copying is all it does: nothing
is deleted from either side, and the outbox (a hint about one instance's last run) is left
behind. Stop the bot first: a chat that changes meanwhile is copied as it was when read.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg_pool import PoolTimeout

from bot import cli
from bot.config import Settings, shown_url
from bot.storage import Storage, open_storage
from flows.followup import next_wakeup

NAME = "python -m bot migrate"


@dataclass
class Copied:
    chats: int = 0
    chats_unchanged: int = 0
    files: int = 0
    files_unchanged: int = 0
    planned: int = 0  # chats with a reminder planned in the target's index

    def summary(self, target: str) -> str:
        return (f"copied to {target}: {self.chats} chats ({self.chats_unchanged} unchanged), "
                f"{self.files} files ({self.files_unchanged} unchanged), "
                f"{self.planned} chats with reminders planned")


def copy_storage(source: Storage, target: Storage, now: datetime) -> Copied:
    """Every chat of ``source`` into ``target``; what was done."""
    copied = Copied()
    for chat_id in sorted(source.accounts.chat_ids()):
        chat = source.accounts.load(chat_id)
        if chat is None:  # erased meanwhile
            continue
        for case in chat.account.cases:
            for name in source.blobs.names(chat_id, case.id):
                data = source.blobs.get(chat_id, case.id, name)
                if data is None:
                    continue
                if target.blobs.get(chat_id, case.id, name) == data:
                    copied.files_unchanged += 1
                else:
                    target.blobs.put(chat_id, case.id, name, data)
                    copied.files += 1
        wake = next_wakeup(chat.account, now)
        copied.planned += wake is not None
        there = target.accounts.load(chat_id)
        if (there is not None and there.account.to_json() == chat.account.to_json()
                and there.envelope_json() == chat.envelope_json()):
            copied.chats_unchanged += 1
            target.reminders.plan(chat_id, wake)
        else:
            target.accounts.save(chat, wake)
            copied.chats += 1
    return copied


def _open(location: str, settings: Settings) -> Storage:
    if location.startswith(("postgresql://", "postgres://")):
        return open_storage(settings.data_dir, location)
    return open_storage(location)


def _command(args: argparse.Namespace) -> str:
    settings = Settings.from_env()
    source_name = args.source or str(settings.data_dir)
    # Inside a deployment (docker-compose.yml) the database is the instances' own.
    target_name = args.to or settings.database_url
    if not target_name:
        raise cli.InputError("--to is needed: a postgresql:// URL or a data folder "
                             "(IMPAYES_DATABASE_URL is not set)")
    if source_name.rstrip("/") == target_name.rstrip("/"):
        raise cli.InputError("--to names the storage it would copy from")
    try:
        source = _open(source_name, settings)
        try:
            target = _open(target_name, settings)
            try:
                copied = copy_storage(source, target, settings.now())
            finally:
                target.close()
        finally:
            source.close()
    except (psycopg.Error, PoolTimeout) as error:
        # The driver's message may quote the URL: only the kind of failure is printed.
        raise cli.InputError(f"the database refused or could not be reached "
                             f"({type(error).__name__})") from error
    return f"from {shown_url(source_name)}\n{copied.summary(shown_url(target_name))}"


def main(argv: list[str]) -> int:
    parser = cli.Parser(prog=NAME, description=(
        "Copy every chat (accounts, files, planned reminders) from the data folder, or --from, "
        "to a PostgreSQL database or a data folder. Idempotent; deletes nothing."))
    parser.add_argument("--to", help="postgresql://user:password@host/database, or a data "
                                      "folder (default: IMPAYES_DATABASE_URL)")
    parser.add_argument("--from", dest="source",
                        help="a database or data folder to copy from (default: "
                             "IMPAYES_DATA_DIR)")
    return cli.run(NAME, parser, argv, _command)
