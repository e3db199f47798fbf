"""What both adapters do around a turn: load, decide, save, then draw documents.

The order matters: the account is saved before any reply is shown, so an answer the user
saw acknowledged is on disk. Documents are drawn afterwards (slow), then remembered in the
case (a second save).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.storage import ChatStore
from flows import documents
from flows.conversation import ERASE, DocumentJob, Event, Reply
from flows.i18n import normalize_language
from flows.journey import turn
from flows.model import Account

SEEN_UPDATES_KEPT = 64

# The journey machine is shared by every case: turns run one at a time, whatever the thread.
_TURN_LOCK = threading.Lock()


@dataclass(frozen=True)
class Rendered:
    job: DocumentJob
    path: Path


@dataclass(frozen=True)
class Decided:
    """A turn's outcome: ``commit`` makes it durable (or erases the chat) and must have
    returned before ``reply`` is shown."""

    reply: Reply
    commit: Callable[[], None]


def _nothing() -> None:
    pass


class Assistant:
    def __init__(self, store: ChatStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def account(self, chat_id: str, language_code: str | None = None) -> Account:
        account = self.store.load(chat_id)
        if account is None:
            account = Account.new(chat_id, normalize_language(language_code))
        return account

    def handle(self, chat_id: str, event: Event, language_code: str | None = None,
               update_id: int | None = None) -> Reply | None:
        """Run one turn and store its result; None when this update was already handled."""
        decided = self.decide(chat_id, event, language_code, update_id)
        if decided is None:
            return None
        decided.commit()
        return decided.reply

    def decide(self, chat_id: str, event: Event, language_code: str | None = None,
               update_id: int | None = None) -> Decided | None:
        """Run one turn: the reply, and the write that must be done before it is shown."""
        stored = self.store.load(chat_id)
        account = stored if stored is not None else Account.new(
            chat_id, normalize_language(language_code))
        if update_id is not None:
            if update_id in account.seen_updates:
                return None  # Telegram delivered the same update twice: answer it once
            account.seen_updates = [*account.seen_updates[-(SEEN_UPDATES_KEPT - 1):], update_id]
        with _TURN_LOCK:
            reply = turn(account, event, self.clock())
        if reply.action == ERASE:
            return Decided(reply, lambda: self._erase(chat_id))
        # Someone we hold nothing about, whose message changed nothing (a stale button after
        # /delete, /help), is not written down.
        if reply.changed or (update_id is not None and stored is not None):
            return Decided(reply, self.store.prepare(account))
        return Decided(reply, _nothing)

    def _erase(self, chat_id: str) -> None:
        """/delete confirmed: nothing of this chat stays on disk, files included."""
        self.store.delete(chat_id)
        if self.store.chat_dir(chat_id).exists():  # never say "erased" when it is not
            raise OSError("the chat folder could not be erased")

    def render(self, chat_id: str, jobs: list[DocumentJob]) -> list[Rendered]:
        """Draw the documents into the case folder and remember them in the case."""
        rendered = []
        for job in jobs:
            folder = self.store.case_dir(chat_id, job.case_id) / "documents"
            rendered += [Rendered(job, path) for path in documents.render_job(job, folder)]
        if rendered:
            account = self.account(chat_id)
            case = account.case(rendered[0].job.case_id)
            if case is not None:
                stamp = self.clock().isoformat()
                case.documents += [documents.file_record(r.path, r.job, stamp) for r in rendered]
                self.store.save(account)
        return rendered
