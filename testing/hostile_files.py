"""Crafted uploads that once stalled or fooled the screening of evidence (issue 17): each small
to send, costly or deceptive to open. Shared by the load test and the hardening benchmark.

Each entry of ``CRAFTED`` is a file name, its bytes, and the refusal the bot must give
(``flows.evidence.screening.Refusal`` reasons, whose messages are ``casefile.evidence.refused.*``).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

MB = 1024 * 1024
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def pdf(*objects: bytes, tail: bytes = b"") -> bytes:
    """A PDF of these objects, numbered from 1, with ``tail`` after its end marker."""
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, o) for n, o in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n" + tail


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def object_stream(content: bytes, level: int = 6) -> bytes:
    """A compressed object stream (``/Type /ObjStm``) holding ``content``."""
    packed = zlib.compress(content, level)
    return (b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(packed)) + packed + b"\nendstream"


def name_bomb(megabytes: int) -> bytes:
    """A PDF whose one object stream inflates to ``megabytes`` MB of names."""
    return pdf(CATALOG, PAGES, object_stream(b"/A " * (megabytes * MB // 3), 9))


def hostile_zip() -> bytes:
    """Three such PDFs of 60 MB of names each, stored in a zip of under 200 KB: six of these
    at once once delayed an unrelated user's /start by minutes."""
    bomb = name_bomb(60)
    return zipped({f"facture_{n}.pdf": bomb for n in range(3)}, zipfile.ZIP_STORED)


@dataclass(frozen=True)
class Crafted:
    name: str
    data: bytes
    refusal: str  # the Refusal reason, hence the message casefile.evidence.refused.<reason>
    mime_type: str = "application/octet-stream"
    detail: str = ""  # the file the refusal names, if it names one


def crafted() -> list[Crafted]:
    """The crafted uploads, the costliest first."""
    windows_program = b"MZ\x90\x00\x03" + bytes(300)
    return [
        Crafted("pieces.zip", hostile_zip(), "too_complex", "application/zip"),
        Crafted("facture.pdf", name_bomb(60), "too_complex", "application/pdf"),
        Crafted("zeros.zip", zipped({"zeros.txt": bytes(30 * MB)}), "archive_bomb",
                "application/zip"),
        Crafted("devis.pdf", pdf(CATALOG, PAGES, object_stream(
            b"3 0 << /S /JavaScript /JS (this.exportDataObject()) >>")), "pdf_active",
            "application/pdf", "devis.pdf"),
        Crafted("pieces.zip", b"\x00" + zipped({"facture.exe": windows_program}),
                "archive_dangerous", "application/zip", "facture.exe"),
    ]
