"""What both adapters do around a turn: load, decide, save, then draw documents.

The order matters: the chat is saved before any reply is shown, so an answer the user saw
acknowledged is kept. Documents are drawn afterwards (slow), kept as the case's blobs, then
remembered in the case (a second save). The first save also records the documents still to
draw in the chat's envelope, and the second forgets them (``flows.pending``): a crash in between
leaves them to be drawn with the chat's next reply.

Everything goes through the storage's roles (``bot.storage``): the chat (account and envelope)
through ``accounts``, written with its next reminder instant so that the reminder index follows
it; the drawn documents through ``blobs``. No path leaves the backend.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.storage import Storage, StoredChat, Write, json_pieces
from bot.storage.interface import SEEN_UPDATES_KEPT
from flows import followup, pending
from flows.conversation import ERASE, DocumentFile, DocumentJob, Event, Reply
from flows.debtor import files as debtor_files
from flows.documents import drawing
from flows.documents.links import NO_LINKS, LinkBases
from flows.i18n import normalize_language
from flows.model import Account
from flows.turn import turn

DOCUMENTS = "documents/"  # the blobs' prefix for drawn documents

# The journey machine is shared by every case: turns run one at a time, whatever the thread.
TURN_LOCK = threading.Lock()
# How many chats last seen small are remembered (``Assistant.small``): a few hundred kilobytes.
SMALL_KEPT = 4096


class DrawingFailed(Exception):
    """The documents could not be drawn; they stay pending until the user asks again."""


@dataclass(frozen=True)
class Document:
    """A drawn file as it is sent: its name and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Rendered:
    """A file drawn for ``job`` and kept in its case as ``documents/<name>``."""

    job: DocumentJob
    document: Document


@dataclass(frozen=True)
class Decided:
    """A turn's outcome: ``commit`` makes it durable (or erases the chat) and must have
    returned before ``reply`` is shown."""

    reply: Reply
    commit: Callable[[], None]


def _nothing() -> None:
    pass


class Assistant:
    def __init__(self, storage: Storage, clock: Callable[[], datetime]) -> None:
        self.storage = storage
        self.clock = clock
        # Where the debtor's links in letters point: the Telegram adapter sets the bot's
        # username (getMe) and public address at start; the console chat has neither.
        self.link_bases: LinkBases = NO_LINKS
        # Chats last seen small: their turn (load, decide, encode: about a millisecond) runs
        # on the event loop. Any other, unseen lately or big, runs in a worker thread, where
        # a big chat's JSON is made and read in pieces (``json_pieces``), so that it never
        # holds up other chats' replies. Only the most recent SMALL_KEPT are remembered (in
        # the order last seen), so that a long-running bot does not keep every chat it ever
        # met: a chat forgotten is treated as unseen, its next turn in a thread, as after a
        # restart.
        self._small: OrderedDict[str, None] = OrderedDict()
        self._small_lock = threading.Lock()  # turns are decided in several threads

    def small(self, chat_id: str) -> bool:
        """Whether the chat was small when last loaded (its turn may run on the event loop)."""
        return chat_id in self._small

    def _seen(self, chat_id: str, small: bool) -> None:
        with self._small_lock:
            if not small:
                self._small.pop(chat_id, None)
                return
            self._small[chat_id] = None
            self._small.move_to_end(chat_id)
            if len(self._small) > SMALL_KEPT:
                self._small.popitem(last=False)  # the chat seen longest ago

    def load(self, chat_id: str) -> StoredChat | None:
        """The chat as last saved; None when nothing is held for it."""
        return self.storage.accounts.load(chat_id)

    def prepare(self, chat: StoredChat) -> Write:
        """The chat's durable write, with its next reminder instant (the reminder index never
        says later than the chat); the storage keeps the debtors' links in step itself."""
        wake_at = followup.next_wakeup(chat.account, self.clock())
        return self.storage.accounts.prepare(chat, wake_at)

    def save(self, chat: StoredChat) -> None:
        self.prepare(chat)()

    def account(self, chat_id: str, language_code: str | None = None) -> Account:
        chat = self.load(chat_id)
        if chat is None:
            return Account.new(chat_id, normalize_language(language_code))
        return chat.account

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
        stored = self.load(chat_id)
        self._seen(chat_id, stored is None or not json_pieces.is_big(stored.account))
        chat = stored if stored is not None else StoredChat(
            Account.new(chat_id, normalize_language(language_code)))
        if update_id is not None:
            if update_id in chat.seen_updates:
                return None  # Telegram delivered the same update twice: answer it once
            chat.seen_updates = [*chat.seen_updates[-(SEEN_UPDATES_KEPT - 1):], update_id]
        drafted = debtor_files.draft_blobs(chat.account)
        with TURN_LOCK:
            reply = turn(chat.account, event, self.clock())
        if reply.action == ERASE:
            return Decided(reply, lambda: self._erase(chat_id))
        # An objection dropped unsent (its link revoked, its case closed): its files go too.
        dropped = debtor_files.unheld(chat.account, drafted) if drafted else []
        carried = pending.carry(chat.pending_documents, chat.account.lang, reply)
        if carried is not None:
            chat.pending_documents = carried
        # Someone we hold nothing about, whose message changed nothing (a stale button after
        # /delete, /help), is not written down.
        if carried is not None or reply.changed or (update_id is not None and stored is not None):
            return Decided(reply, self._then_drop(self.prepare(chat), chat_id, dropped))
        return Decided(reply, _nothing)

    def _then_drop(self, write: Write, chat_id: str, blobs: list[tuple[str, str]]) -> Write:
        """The write, then the blobs it no longer refers to are deleted (after it: a crash in
        between leaves a file unreferenced, never a reference to a missing file)."""
        if not blobs:
            return write

        def write_then_drop() -> None:
            write()
            for case_id, name in blobs:
                self.storage.blobs.drop(chat_id, case_id, name)
        return write_then_drop

    def _erase(self, chat_id: str) -> None:
        """/delete confirmed: nothing of this chat stays, files included (``delete`` raises
        when something could not be erased: never say "erased" when it is not)."""
        self.storage.accounts.delete(chat_id)

    def render(self, chat_id: str, jobs: list[DocumentJob],
               until_sent: bool = False) -> list[Rendered]:
        """Draw the documents, keep them in their cases, remember them there and forget them as
        pending, in one save; ``until_sent`` keeps them pending until ``sent`` says they
        reached the user (Telegram: uploading them takes a while too). If a drawing raises,
        the jobs stay pending, marked failed with the reason (``flows.pending``): not redrawn
        at every later turn, but drawn again when the user asks (/documents), and
        ``DrawingFailed`` tells the adapter to say so."""
        if not jobs:
            return []
        rendered: list[Rendered] = []
        blobs = self.storage.blobs
        try:
            for job in jobs:
                for name, content in drawing.draw(job, self.link_bases).items():
                    blobs.put(chat_id, job.case_id, DOCUMENTS + name, content)
                    rendered.append(Rendered(job, Document(name, content)))
        except Exception as error:
            reason = type(error).__name__
            self._record(chat_id, jobs, rendered, forget=False, failed=reason)
            raise DrawingFailed(reason) from error
        self._record(chat_id, jobs, rendered, forget=not until_sent)
        return rendered

    def drawn(self, chat_id: str, files: list[DocumentFile]) -> list[Document]:
        """The documents a reply sends again, as kept in their cases (one no longer kept is
        skipped: there is nothing to send)."""
        found = []
        for item in files:
            name = item.name.rsplit("/", 1)[-1]  # a bare name, never a blob elsewhere
            try:
                content = self.storage.blobs.get(chat_id, item.case_id, DOCUMENTS + name)
            except ValueError:  # not a name a blob can have
                content = None
            if content is not None:
                found.append(Document(name, content))
        return found

    def delivered(self, chat_id: str, jobs: list[DocumentJob], message_ids: list[int]) -> None:
        """Telegram took these jobs' files (an album, or a lone document) as these messages:
        written down before ``sent`` forgets the jobs, so that a process killed in between
        does not send them again at its restart (``flows.pending``)."""
        chat = self.load(chat_id)
        if chat is not None and pending.mark_delivered(chat.pending_documents, jobs,
                                                       message_ids):
            self.save(chat)

    def sent(self, chat_id: str, jobs: list[DocumentJob]) -> None:
        """The documents drawn with ``until_sent`` reached the user: no longer pending."""
        if jobs:
            self._record(chat_id, jobs, [], forget=True)

    def _record(self, chat_id: str, jobs: list[DocumentJob], rendered: list[Rendered],
                forget: bool, failed: str = "") -> None:
        chat = self.load(chat_id)
        if chat is None:  # erased meanwhile
            return
        changed = False
        if forget and (kept := pending.clear(chat.pending_documents, jobs)) is not None:
            chat.pending_documents = kept
            changed = True
        if failed:
            changed = pending.mark_failed(chat.pending_documents, jobs, failed) or changed
        stamp = self.clock().isoformat()
        for item in rendered:
            case = chat.account.case(item.job.case_id)
            if case is not None:
                # Drawn again after an interruption: the file at that name is the new one.
                name = item.document.name
                case.documents = [d for d in case.documents if d.get("name") != name]
                case.documents.append(drawing.file_record(name, item.document.content,
                                                          item.job, stamp))
                changed = True
        if changed:
            self.save(chat)
