"""Screening a received file, in a small pool of processes of its own.

Screening is CPU work on untrusted bytes. It ran in asyncio's default thread pool, the one
every durable save uses too: six uploads that each took tens of seconds to screen held every
thread, and an unrelated user's ``/start`` waited minutes for its save. In threads of its own
it would still compete with the event loop for the GIL. So it runs in separate processes, at
most ``WORKERS`` at once; each upload also carries its own budget of bytes and seconds
(``flows.evidence.budget``). A worker that dies (out of memory on a crafted file) costs that
upload a refusal, never the bot.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from bot.invoice_reader import read_invoice
from bot.parent_watch import follow_parent
from flows.conversation import Reading
from flows.evidence import screening

log = logging.getLogger("impayes.evidence")

WORKERS = 2  # the machine's other cores serve the chats


@dataclass(frozen=True)
class Checked:
    """A received file's real size, its SHA-256, and why it is refused (None: it is kept)."""

    size: int
    sha256: str
    refusal: screening.Refusal | None


def check_file(path: str, name: str, mime_type: str, policy: screening.Policy,
               held: int) -> Checked:
    """Screen the bytes at ``path`` and fingerprint them (runs in a worker process)."""
    with Path(path).open("rb") as content:
        refusal = screening.screen_content(name, mime_type, content, policy, held)
        content.seek(0)
        digest = hashlib.file_digest(content, "sha256").hexdigest()
        size = content.seek(0, 2)
    return Checked(size, digest, refusal)


class ScreeningPool:
    """The worker processes, started at the first file (spawned: no copy of the bot's
    threads and locks, as a fork would make)."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def check(self, path: Path, name: str, mime_type: str, policy: screening.Policy,
                    held: int) -> Checked:
        pool = self._started()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, check_file, str(path), name,
                                              mime_type, policy, held)
        except BrokenProcessPool:
            log.warning("a screening worker died; the file is refused, the pool restarted")
            self.close()
            return Checked(path.stat().st_size, "", screening.Refusal("too_complex"))

    async def read(self, path: Path, mime_type: str, name: str) -> Reading | None:
        """What a kept file says as an invoice (``bot.invoice_reader``), in the same workers;
        None when it cannot be read."""
        pool = self._started()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, read_invoice, str(path), mime_type,
                                              name)
        except BrokenProcessPool:
            log.warning("a reading worker died; the invoice is not read, the pool restarted")
            self.close()
            return None
        except Exception as error:  # a reader's bug on an odd file: the file stays kept
            log.warning("an invoice could not be read: %s", type(error).__name__)
            return None

    def _started(self) -> ProcessPoolExecutor:
        """The pool, started at its first use; its workers end with the bot even when it is
        killed (``bot.parent_watch``)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=follow_parent,
                                             initargs=(os.getpid(),))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
