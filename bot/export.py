"""``/export``: everything held on a user, as zip files written next to their data.

The wording inside (read-me, chronology, index) comes from ``flows.casefile_export``; this
module gathers the files and writes the archive. Telegram takes documents up to 50 MB from a
bot, so a large export is cut into several zips, each whole entries only.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram import Bot

from bot.files import atomic_file
from bot.storage import ChatStore
from flows import casefile_export as words
from flows.i18n import t
from flows.model import Account

PART_BYTES = 45 * 1024 * 1024  # under Telegram's 50 MB, with room for the zip's own headers
EXPORTS = "exports"  # inside the chat's folder: erased with it
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Entry:
    """One file of the export: its path in the zip, and its bytes or where to read them."""

    name: str
    data: bytes | None = None
    source: Path | None = None

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        return self.source.stat().st_size if self.source is not None else 0


def entries(store: ChatStore, account: Account, now: datetime) -> list[Entry]:
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
        case_dir = store.case_dir(account.chat_id, case.id)
        for record, name in words.evidence_names(case):
            source = case_dir / str(record.get("stored_as", ""))
            if source.is_file() and source.resolve().is_relative_to(case_dir.resolve()):
                files.append(Entry(f"{folder}/{name}", source=source))
        # Everything else the case folder holds: the documents drafted, and whatever later
        # features keep there (calendars, letters received…).
        if case_dir.is_dir():
            for path in sorted(case_dir.rglob("*")):
                relative = path.relative_to(case_dir)
                if (path.is_file() and relative.parts[0] != "evidence"
                        and not path.name.startswith(".")):
                    files.append(Entry(f"{folder}/{relative.as_posix()}", source=path))
    return found + files


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


def build(store: ChatStore, chat_id: str, now: datetime,
          limit: int = PART_BYTES) -> list[Path]:
    """Write the export of one chat; returns the zip files, in order."""
    account = store.load(chat_id)
    if account is None:
        account = Account.new(chat_id, "fr")
    out = store.chat_dir(chat_id) / EXPORTS
    shutil.rmtree(out, ignore_errors=True)  # an earlier export never sent
    out.mkdir(parents=True)
    groups = parts(entries(store, account, now), limit)
    paths = []
    for number, group in enumerate(groups, start=1):
        path = out / words.archive_name(now, number, len(groups))
        _write_zip(path, group)
        paths.append(path)
    return paths


def discard(paths: list[Path]) -> None:
    """Remove the zips once sent: the data they copy stays where it was."""
    for path in paths:
        path.unlink(missing_ok=True)
    for folder in {p.parent for p in paths}:
        with contextlib.suppress(OSError):  # not empty, or already gone
            folder.rmdir()


def _write_zip(path: Path, group: list[Entry]) -> None:
    with atomic_file(path) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in group:
            if entry.data is not None:
                archive.writestr(entry.name, entry.data)
            elif entry.source is not None:
                archive.write(entry.source, entry.name)


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


async def send(bot: Bot, store: ChatStore, chat_id: int, now: datetime, lang: str) -> None:
    """Build the export off the event loop, send it as documents, then remove the zips."""
    paths = await asyncio.to_thread(build, store, str(chat_id), now)
    try:
        if len(paths) > 1:
            await bot.send_message(chat_id, t(lang, "casefile.export.parts", count=len(paths)))
        for path in paths:
            with path.open("rb") as fh:
                await bot.send_document(chat_id, fh, filename=path.name, write_timeout=120)
    finally:
        await asyncio.to_thread(discard, paths)
