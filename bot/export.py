"""``/export``: everything held on a user, as zip files built in the chat's scratch space.

The wording inside (read-me, chronology, index) comes from ``flows.casefile_export``; this
module gathers the files and writes the archive. Telegram takes documents up to 50 MB from a
bot, so a large export is cut into several zips, each whole entries only. The case's files come
from the storage's blobs; the zips are scratch files (``Blobs.scratch``), removed once sent and
swept at the next start if a crash kept them from being sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram import Bot

from bot.storage import Storage
from flows import casefile_export as words
from flows.i18n import t
from flows.model import Account

PART_BYTES = 45 * 1024 * 1024  # under Telegram's 50 MB, with room for the zip's own headers
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Entry:
    """One file of the export: its path in the zip, and its bytes or how to read them (a
    kept file is read only when its zip is written: evidence can be large)."""

    name: str
    data: bytes | None = None
    source: Callable[[], bytes | None] | None = None
    source_size: int = 0

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.source_size

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        return (self.source() if self.source is not None else None) or b""


def entries(storage: Storage, account: Account, now: datetime) -> list[Entry]:
    """Every file of the export, the small descriptive ones first."""
    lang = account.lang
    root = words.ROOT
    found = [Entry(f"{root}/README.txt", _text(words.readme(account, lang, now))),
             Entry(f"{root}/account.json", _json(account.to_json()))]
    files: list[Entry] = []
    for number, case in enumerate(account.cases, start=1):
        folder = f"{root}/{words.case_folder(case, number, lang)}"
        found += [Entry(f"{folder}/case.json", _json(case.to_json())),
                  Entry(f"{folder}/chronology.txt", _text(words.chronology_text(case, lang))),
                  Entry(f"{folder}/chronology.csv", _csv(words.chronology_rows(case, lang))),
                  Entry(f"{folder}/evidence/index.csv", _csv(words.evidence_index(case, lang)))]
        kept = storage.blobs.names(account.chat_id, case.id)
        for record, name in words.evidence_names(case):
            stored_as = str(record.get("stored_as", ""))
            if stored_as in kept:
                files.append(Entry(f"{folder}/{name}", source=_blob(storage, account.chat_id,
                                                                     case.id, stored_as),
                                   source_size=_int(record.get("size"))))
        # Everything else the case holds: the documents drafted, and whatever later features
        # keep there (calendars, letters received…).
        for stored_as in kept:
            if not stored_as.startswith("evidence/"):
                data = storage.blobs.get(account.chat_id, case.id, stored_as)
                if data is not None:
                    files.append(Entry(f"{folder}/{stored_as}", data=data))
    return found + files


def _blob(storage: Storage, chat_id: str, case_id: str,
          name: str) -> Callable[[], bytes | None]:
    return lambda: storage.blobs.get(chat_id, case_id, name)


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def parts(items: list[Entry], limit: int = PART_BYTES) -> list[list[Entry]]:
    """Entries split into groups of at most ``limit`` bytes (a bigger entry goes alone)."""
    groups: list[list[Entry]] = [[]]
    total = 0
    for entry in items:
        size = entry.size
        if groups[-1] and total + size > limit:
            groups.append([])
            total = 0
        groups[-1].append(entry)
        total += size
    return groups


def build(storage: Storage, chat_id: str, now: datetime,
          limit: int = PART_BYTES) -> list[Path]:
    """Write the export of one chat into scratch files; returns the zips, in order."""
    stored = storage.accounts.load(chat_id)
    account = stored.account if stored is not None else Account.new(chat_id, "fr")
    groups = parts(entries(storage, account, now), limit)
    paths = []
    try:
        for number, group in enumerate(groups, start=1):
            path = storage.blobs.scratch(chat_id, words.archive_name(now, number, len(groups)))
            paths.append(path)
            _write_zip(path, group)
    except BaseException:
        discard(paths)
        raise
    return paths


def discard(paths: list[Path]) -> None:
    """Remove the zips once sent (scratch files): the data they copy stays where it was."""
    for path in paths:
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the scratch file's own folder, now empty
            path.parent.rmdir()


def _write_zip(path: Path, group: list[Entry]) -> None:
    with path.open("wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in group:
            archive.writestr(entry.name, entry.content())


def _text(text: str) -> bytes:
    return text.encode("utf-8")


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_inert(cell) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheets read UTF-8


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@`` (or tab, carriage
    return) would make it a formula, and file names and captions are typed by anyone (OWASP's
    "CSV injection"); a quote in front keeps it text. Plain numbers stay numbers."""
    if cell[:1] in _FORMULA_STARTS and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


async def send(bot: Bot, storage: Storage, chat_id: int, now: datetime, lang: str) -> None:
    """Build the export off the event loop, send it as documents, then remove the zips."""
    paths = await asyncio.to_thread(build, storage, str(chat_id), now)
    try:
        if len(paths) > 1:
            await bot.send_message(chat_id, t(lang, "casefile.export.parts", count=len(paths)))
        for path in paths:
            with path.open("rb") as fh:
                await bot.send_document(chat_id, fh, filename=path.name, write_timeout=120)
    finally:
        await asyncio.to_thread(discard, paths)
