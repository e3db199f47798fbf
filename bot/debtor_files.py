"""The debtor's files: screened like the creditor's evidence, then kept in the creditor's case.

They come from the web page's form (already on this computer) or from the debtor's Telegram
chat (downloaded first). Either way each file is screened on what is announced (name, type,
size), then on its bytes in the screening workers (``bot.screening_pool``: the evidence's own
screening and budget) under the debtor's policy (``flows.debtor.files.POLICY``), and only then
kept in the case, named by its SHA-256 as the creditor's evidence is. What is refused is
deleted at once. Nothing of a file's name or content is logged.

The storage's blobs are reached in ``scratch``, ``keep``, ``drop`` and ``read`` only.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from telegram import Bot

from bot.evidence import EVIDENCE, PARALLEL_DOWNLOADS, Attachment, download
from bot.screening_pool import ScreeningPool
from bot.storage import Storage
from flows.debtor.files import POLICY
from flows.evidence import screening

log = logging.getLogger("impayes.debtor")


@dataclass(frozen=True)
class Screened:
    """A file whose bytes passed the screening, still at ``path`` until kept."""

    path: Path
    name: str
    mime_type: str
    size: int
    sha256: str


class DebtorFiles:
    def __init__(self, storage: Storage, pool: ScreeningPool,
                 downloads: asyncio.Semaphore | None = None) -> None:
        self.storage = storage
        self.pool = pool
        # The evidence's own: the debtors' downloads count against the same limit.
        self.downloads = downloads or asyncio.Semaphore(PARALLEL_DOWNLOADS)

    # Storage ---------------------------------------------------------------------------------
    def scratch(self, chat_id: str) -> Path:
        """A fresh path (not yet a file) for bytes being received for the creditor's chat."""
        return self.storage.blobs.scratch(chat_id, "incoming")

    def receive(self, chat_id: str) -> tuple[Path, BinaryIO]:
        """A scratch file open for writing the bytes of an upload, and its path."""
        path = self.scratch(chat_id)
        return path, path.open("wb")

    def keep(self, chat_id: str, case_id: str, file: Screened) -> str:
        """Durably put the screened bytes in the case, as the creditor's evidence is (the
        scratch file is moved in); the name they are kept under."""
        name = stored_as(file)
        self.storage.blobs.put_file(chat_id, case_id, name, file.path)
        return name

    def drop(self, chat_id: str, case_id: str, name: str) -> None:
        """Delete the bytes kept as ``name`` in the case (a file the case did not take)."""
        self.storage.blobs.drop(chat_id, case_id, name)

    def read(self, chat_id: str, case_id: str, name: str) -> bytes | None:
        """The bytes kept as ``name`` (``evidence/<sha256>``) in the case."""
        return self.storage.blobs.get(chat_id, case_id, name) if name.startswith(EVIDENCE) \
            else None

    # Screening -------------------------------------------------------------------------------
    async def screen(self, path: Path, name: str, mime_type: str,
                     held: int) -> Screened | screening.Refusal:
        """The bytes at ``path`` checked (``held``: what the objection's other files weigh);
        refused bytes are deleted."""
        try:
            checked = await self.pool.check(path, name, mime_type, POLICY, held)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if checked.refusal is not None:
            log.info("a debtor's file was refused: %s", checked.refusal.code)
            path.unlink(missing_ok=True)
            return checked.refusal
        return Screened(path, screening.clean_name(name), mime_type, checked.size,
                        checked.sha256)

    async def download(self, bot: Bot, attached: Attachment, target: Path,
                       held: int) -> screening.Refusal | None:
        """The debtor's Telegram file into ``target``; why not, else None."""
        refusal = screening.screen(attached.name, attached.mime_type, attached.size, POLICY,
                                   held)
        if refusal is not None:
            return refusal
        async with self.downloads:
            return await download(bot, attached, target, POLICY, held)


def stored_as(file: Screened) -> str:
    """The blob name a screened file is kept under (by its bytes, as the creditor's evidence)."""
    return EVIDENCE + file.sha256


async def discard(paths: list[Path]) -> None:
    """Bytes received but not kept."""
    for path in paths:
        await asyncio.to_thread(path.unlink, missing_ok=True)
