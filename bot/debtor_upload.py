"""The web page's objection form with its files (``multipart/form-data``), read as it streams in.

Nothing is held whole in memory: the text fields are small and bounded, each file goes into a
scratch file of the case as it arrives, and the limits (``flows.debtor.files``) are applied on
the way: a file past the size is cut short and refused, a file past the count refused, a file
whose name or type says it runs code refused before any of its bytes is written. The rest of a
refused request is still read (and dropped), so that the page can come back with the reason and
what was typed. The form token must arrive, and be right, before any file is written: a browser
sends the fields in the page's order, and the token is the form's first field. Where the bytes
go is ``bot.debtor_files``' business (the storage's scratch space).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from aiohttp import BodyPartReader, web

from bot.debtor_files import discard
from flows.debtor import files as debtor_files
from flows.evidence import screening

CHUNK = 64 * 1024
MAX_FIELD_BYTES = 64 * 1024  # one text field: the longest dispute text with room
FILE_FIELD = "files"


class FieldTooLong(Exception):
    """A text field longer than any the page sends: a forged request."""


@dataclass(frozen=True)
class Received:
    """A file as the browser sent it, its bytes at ``path`` (not screened yet)."""

    path: Path
    name: str
    mime_type: str


@dataclass
class ContestForm:
    fields: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    refusal: screening.Refusal | None = None
    form_ok: bool = False  # the form token came, right, before any file


async def read_contest(request: web.Request, form_ok: Callable[[str], bool],
                       scratch: Callable[[], tuple[Path, BinaryIO]]) -> ContestForm:
    """Read the form; ``form_ok`` checks the form token, ``scratch`` opens a file for one.
    On a refusal the files already written are deleted and none is returned."""
    read = ContestForm()
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):  # a multipart inside the multipart
            await part.release()
            continue
        if part.name != FILE_FIELD or part.filename is None:
            text = await _text(part)
            if part.name and part.name not in read.fields:
                read.fields[part.name] = text
                if part.name == "form":
                    read.form_ok = form_ok(text)
            continue
        if not part.filename:  # the file field left empty: browsers send it so
            await part.release()
            continue
        await _file(part, read, scratch)
    if read.refusal is not None or not read.form_ok:
        await _discard(read)
    return read


async def _file(part: BodyPartReader, read: ContestForm,
                scratch: Callable[[], tuple[Path, BinaryIO]]) -> None:
    name = part.filename or ""
    mime = (part.headers.get("Content-Type") or "application/octet-stream").split(";")[0]
    if read.refusal is not None or not read.form_ok:
        await part.release()
        return
    if len(read.received) >= debtor_files.MAX_FILES:
        read.refusal = screening.Refusal("too_many")
        await part.release()
        return
    refusal = screening.screen(name, mime, None, debtor_files.POLICY)
    if refusal is not None:
        read.refusal = refusal
        await part.release()
        return
    path, out = await asyncio.to_thread(scratch)
    read.received.append(Received(path, name, mime))
    size = 0
    try:
        while chunk := await part.read_chunk(CHUNK):
            size += len(chunk)
            if size > debtor_files.MAX_FILE_BYTES:
                read.refusal = screening.Refusal("too_big")
                await part.release()  # the rest of this file is read and dropped
                break
            await asyncio.to_thread(out.write, part.decode(chunk))
    finally:
        await asyncio.to_thread(out.close)


async def _text(part: BodyPartReader) -> str:
    data = bytearray()
    while chunk := await part.read_chunk(CHUNK):
        data += chunk
        if len(data) > MAX_FIELD_BYTES:
            raise FieldTooLong
    return bytes(part.decode(bytes(data))).decode(part.get_charset(default="utf-8"),
                                                  errors="replace")


async def _discard(read: ContestForm) -> None:
    await discard([received.path for received in read.received])
    read.received = []
