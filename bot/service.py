"""What both adapters do around a turn: load, decide, save, then draw documents.

The order matters: the account is saved before any reply is shown, so an answer the user
saw acknowledged is on disk. Documents are drawn afterwards (slow), then remembered in the
case (a second save). The first save also records the documents still to draw, and the second
forgets them (``flows.pending``): a crash in between leaves them to be drawn with the chat's
next reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.debtor_links import DebtorLinks
from bot.files import write_all
from bot.storage import ChatStore
from flows import pending
from flows.conversation import ERASE, DocumentFile, DocumentJob, Event, Reply
from flows.documents import drawing
from flows.documents.links import NO_LINKS, LinkBases
from flows.i18n import normalize_language
from flows.model import Account
from flows.turn import turn

SEEN_UPDATES_KEPT = 64

# The journey machine is shared by every case: turns run one at a time, whatever the thread.
TURN_LOCK = threading.Lock()


class DrawingFailed(Exception):
    """The documents could not be drawn; they stay pending until the user asks again."""


@dataclass(frozen=True)
class Rendered:
    """A file drawn for ``job`` and written at ``path`` (``content``: its bytes)."""

    job: DocumentJob
    path: Path
    content: bytes


@dataclass(frozen=True)
class Decided:
    """A turn's outcome: ``commit`` makes it durable (or erases the chat) and must have
    returned before ``reply`` is shown."""

    reply: Reply
    commit: Callable[[], None]


def _nothing() -> None:
    pass


class Assistant:
    def __init__(self, store: ChatStore, clock: Callable[[], datetime],
                 links: DebtorLinks | None = None) -> None:
        self.store = store
        self.clock = clock
        # Where the debtor's links in letters point: the Telegram adapter sets the bot's
        # username (getMe) and public address at start; the console chat has neither.
        self.link_bases: LinkBases = NO_LINKS
        # The debtors' links, kept in step with every save that may issue or revoke one.
        self.links = links

    def prepare(self, account: Account) -> Callable[[], None]:
        """The account's durable write, the debtors' links index kept in step."""
        write = self.store.prepare(account)
        return self.links.saving(account, write) if self.links is not None else write

    def save(self, account: Account) -> None:
        self.prepare(account)()

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
        with TURN_LOCK:
            reply = turn(account, event, self.clock())
        if reply.action == ERASE:
            return Decided(reply, lambda: self._erase(chat_id))
        carried = pending.carry(account, reply)
        # Someone we hold nothing about, whose message changed nothing (a stale button after
        # /delete, /help), is not written down.
        if carried or reply.changed or (update_id is not None and stored is not None):
            return Decided(reply, self.prepare(account))
        return Decided(reply, _nothing)

    def _erase(self, chat_id: str) -> None:
        """/delete confirmed: nothing of this chat stays on disk, files included."""
        self.store.delete(chat_id)
        if self.links is not None:
            self.links.forget_chat(chat_id)
        if self.store.chat_dir(chat_id).exists():  # never say "erased" when it is not
            raise OSError("the chat folder could not be erased")

    def render(self, chat_id: str, jobs: list[DocumentJob],
               until_sent: bool = False) -> list[Rendered]:
        """Draw the documents into the case folder, remember them in their case and forget
        them as pending, in one save; ``until_sent`` keeps them pending until ``sent`` says
        they reached the user (Telegram: uploading them takes a while too). If a drawing
        raises, the jobs stay pending, marked failed with the reason (``flows.pending``): not
        redrawn at every later turn, but drawn again when the user asks (/documents), and
        ``DrawingFailed`` tells the adapter to say so."""
        if not jobs:
            return []
        rendered: list[Rendered] = []
        try:
            for job in jobs:
                folder = self.store.case_dir(chat_id, job.case_id) / "documents"
                files = drawing.draw(job, self.link_bases)
                rendered += [Rendered(job, path, files[path.name])
                             for path in write_all(folder, files)]
        except Exception as error:
            reason = type(error).__name__
            self._record(chat_id, jobs, rendered, forget=False, failed=reason)
            raise DrawingFailed(reason) from error
        self._record(chat_id, jobs, rendered, forget=not until_sent)
        return rendered

    def drawn(self, chat_id: str, files: list[DocumentFile]) -> list[Path]:
        """The documents a reply sends again, as kept in their cases' folders (a file gone
        from the disk is skipped: there is nothing to send)."""
        paths = []
        for item in files:
            folder = self.store.case_dir(chat_id, item.case_id) / "documents"
            path = folder / Path(item.name).name  # a bare name, never a path elsewhere
            if path.is_file():
                paths.append(path)
        return paths

    def sent(self, chat_id: str, jobs: list[DocumentJob]) -> None:
        """The documents drawn with ``until_sent`` reached the user: no longer pending."""
        if jobs:
            self._record(chat_id, jobs, [], forget=True)

    def _record(self, chat_id: str, jobs: list[DocumentJob], rendered: list[Rendered],
                forget: bool, failed: str = "") -> None:
        account = self.store.load(chat_id)
        if account is None:  # erased meanwhile
            return
        changed = forget and pending.clear(account, jobs)
        if failed:
            changed = pending.mark_failed(account, jobs, failed) or changed
        stamp = self.clock().isoformat()
        for item in rendered:
            case = account.case(item.job.case_id)
            if case is not None:
                # Drawn again after an interruption: the file at that name is the new one.
                case.documents = [d for d in case.documents if d.get("name") != item.path.name]
                case.documents.append(drawing.file_record(item.path.name, item.content,
                                                          item.job, stamp))
                changed = True
        if changed:
            self.store.save(account)
