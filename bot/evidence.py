"""Receiving evidence from Telegram: screen, download, check, keep; then tell the brain.

The decisions (what is refused, which case a file goes to) are ``flows.evidence``'s; this
module does the input/output around them. A file is screened on what Telegram announces before
anything is downloaded, downloaded into a scratch file of the chat (``Blobs.scratch``: a local
path the storage hands out and sweeps), screened again on its bytes, and only then kept as the
case's blob ``evidence/<sha256>`` (the same bytes sent twice are one blob). Nothing of a file's
name or content is logged: ids and sizes only.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from telegram import Bot, Message, Update
from telegram.error import BadRequest, TelegramError

from bot.http import ResponseTooLarge
from bot.invoice_reader import read_invoice, readable
from bot.screening_pool import Checked, ScreeningPool, check_file
from bot.storage import Storage
from flows import invoice_intake, limits
from flows.conversation import Upload
from flows.evidence import locker, screening
from flows.model import Case

log = logging.getLogger("impayes.evidence")

# Downloads running at once, every chat together: each one holds up to 20 MB in memory.
PARALLEL_DOWNLOADS = 8
EVIDENCE = "evidence/"  # the blobs' prefix for evidence, named by their SHA-256


@dataclass(frozen=True)
class Attachment:
    """What Telegram says about a file the user sent."""

    file_id: str
    name: str
    mime_type: str
    size: int | None  # None when Telegram did not say


def attachment_of(message: Message, now: datetime) -> Attachment | None:
    """The file in a message: a document, the largest size of a photo, a video, a voice note…"""
    stamp = now.strftime("%Y%m%d_%H%M%S")
    if message.photo:
        photo = message.photo[-1]  # sizes come smallest first
        return Attachment(photo.file_id, f"photo_{stamp}.jpg", "image/jpeg", photo.file_size)
    named = message.document or message.video or message.audio
    if named is not None:
        mime = named.mime_type or "application/octet-stream"
        name = named.file_name or f"{type(named).__name__.lower()}_{stamp}"
        return Attachment(named.file_id, name, mime, named.file_size)
    if message.voice is not None:
        voice = message.voice
        return Attachment(voice.file_id, f"voice_{stamp}.ogg", voice.mime_type or "audio/ogg",
                          voice.file_size)
    if message.video_note is not None:
        note = message.video_note
        return Attachment(note.file_id, f"video_{stamp}.mp4", "video/mp4", note.file_size)
    return None


class EvidenceDesk:
    """Turns a message carrying a file into an ``Upload`` event, the file safely kept."""

    def __init__(self, storage: Storage, policy: screening.Policy,
                 clock: Callable[[], datetime]) -> None:
        self.storage = storage
        self.policy = policy
        self.clock = clock
        self.downloads = asyncio.Semaphore(PARALLEL_DOWNLOADS)
        self.screening = ScreeningPool()  # apart from the saves' threads (bot.screening_pool)

    async def receive(self, update: Update, bot: Bot) -> Upload | None:
        """The event for this update; None if it carries no file or was already handled.

        Call it holding the chat's lock: it reads the chat, then keeps a blob in its case.
        """
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None:
            return None
        attached = attachment_of(message, self.clock())
        if attached is None:
            return None
        chat_id = str(chat.id)
        stored = await asyncio.to_thread(self.storage.accounts.load, chat_id)
        if stored is not None and update.update_id in stored.seen_updates:
            return None  # Telegram sent it again: it was kept the first time
        account = stored.account if stored is not None else None
        case = locker.target_case(account) if account is not None else None
        caption = message.caption or ""
        if case is None:
            return _refused(attached, "no_case", caption=caption)
        if limits.evidence_full(case, attached.size):
            return _refused(attached, "case_full", str(limits.MAX_BYTES_PER_CASE), case.id,
                            caption)
        held = locker.bytes_held(account) if account is not None else 0
        refusal = screening.screen(attached.name, attached.mime_type, attached.size,
                                  self.policy, held)
        if refusal is not None:
            log.info("file refused before download for chat %s: %s", chat_id, refusal.code)
            return _refused(attached, refusal.code, refusal.detail, case.id, caption)
        incoming = await asyncio.to_thread(self.storage.blobs.scratch, chat_id, "incoming")
        async with self.downloads:
            refusal = await download(bot, attached, incoming, self.policy, held)
        if refusal is not None:
            log.info("file refused for chat %s: %s", chat_id, refusal.code)
            return _refused(attached, refusal.code, refusal.detail, case.id, caption)
        try:
            checked = await self.screening.check(incoming, attached.name, attached.mime_type,
                                                 self.policy, held)
        except BaseException:
            incoming.unlink(missing_ok=True)
            raise
        if checked.refusal is None and limits.evidence_full(case, checked.size):
            checked = Checked(checked.size, checked.sha256,
                              screening.Refusal("case_full", str(limits.MAX_BYTES_PER_CASE)))
        reading = None
        if _may_be_the_invoice(checked, attached, case):
            # Read off the event loop, in the screening workers: OCR takes seconds of CPU.
            try:
                reading = await self.screening.read(incoming, attached.mime_type, attached.name)
            except BaseException:
                incoming.unlink(missing_ok=True)
                raise
        upload = await asyncio.to_thread(self._take, chat_id, case.id, attached, incoming,
                                         checked, caption)
        return replace(upload, reading=reading) if reading is not None else upload

    def receive_local(self, chat_id: str, path: Path) -> Upload:
        """The same for a file on this computer (the console chat's ``/send <path>``)."""
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        size = path.stat().st_size if path.is_file() else None
        attached = Attachment("", path.name, mime, size)
        stored = self.storage.accounts.load(chat_id)
        account = stored.account if stored is not None else None
        case = locker.target_case(account) if account is not None else None
        if case is None:
            return _refused(attached, "no_case")
        if size is None:
            return _refused(attached, "download_failed", case_id=case.id)
        held = locker.bytes_held(account) if account is not None else 0
        refusal = screening.screen(attached.name, mime, size, self.policy, held)
        if refusal is not None:
            return _refused(attached, refusal.code, refusal.detail, case.id)
        incoming = self.storage.blobs.scratch(chat_id, "incoming")
        shutil.copyfile(path, incoming)  # the user's own file, copied into scratch space
        checked = check_file(str(incoming), attached.name, mime, self.policy, held)
        reading = None
        if _may_be_the_invoice(checked, attached, case):
            reading = read_invoice(str(incoming), mime, attached.name)
        upload = self._take(chat_id, case.id, attached, incoming, checked)
        return replace(upload, reading=reading) if reading is not None else upload

    def _take(self, chat_id: str, case_id: str, attached: Attachment, incoming: Path,
              checked: Checked, caption: str = "") -> Upload:
        """Keep the checked bytes under their SHA-256, or drop them."""
        size, digest, refusal = checked.size, checked.sha256, checked.refusal
        try:
            if refusal is not None:
                log.info("file refused after download for chat %s: %s", chat_id, refusal.code)
                return _refused(attached, refusal.code, refusal.detail, case_id, caption)
            self.storage.blobs.put_file(chat_id, case_id, EVIDENCE + digest, incoming)
        finally:
            incoming.unlink(missing_ok=True)
        log.info("file kept for chat %s case %s: %d bytes", chat_id, case_id, size)
        return Upload(case_id, attached.name, attached.mime_type, size, digest,
                      EVIDENCE + digest, caption)


async def download(bot: Bot, attached: Attachment, target: Path, policy: screening.Policy,
                   held: int) -> screening.Refusal | None:
    """A Telegram file into ``target``, its size screened again once Telegram tells it: why
    not (``target`` then deleted), else None. The creditor's evidence and the debtor's files."""
    try:
        remote = await bot.get_file(attached.file_id)
    except BadRequest as error:
        # Telegram refuses getFile above 20 MB ("file is too big").
        code = "too_big" if "too big" in error.message.lower() else "download_failed"
        refusal: screening.Refusal | None = screening.Refusal(code, str(policy.max_bytes))
    except TelegramError:
        refusal = screening.Refusal("download_failed")
    else:
        refusal = screening.screen(attached.name, attached.mime_type, remote.file_size,
                                   policy, held)
        if refusal is None:
            try:
                await remote.download_to_drive(target)
            except ResponseTooLarge:  # bigger than announced, or not announced at all
                refusal = screening.Refusal("too_big", str(policy.max_bytes))
            except (TelegramError, OSError):
                refusal = screening.Refusal("download_failed")
    if refusal is not None:
        target.unlink(missing_ok=True)
    return refusal


def _may_be_the_invoice(checked: Checked, attached: Attachment, case: Case) -> bool:
    """A PDF or a picture kept while the case still asks about its invoice is read as one."""
    return checked.refusal is None and invoice_intake.wants_invoice(case) and \
        readable(attached.mime_type, attached.name)


def _refused(attached: Attachment, code: str, detail: str = "", case_id: str = "",
             caption: str = "") -> Upload:
    return Upload(case_id, attached.name, attached.mime_type, attached.size or 0,
                  caption=caption, refused=code, detail=detail)
