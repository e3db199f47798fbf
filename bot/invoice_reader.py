"""Reading a file the user sent as their invoice: Factur-X data, the PDF's text, a photo's text.

This is the file work; what the result means is ``flows.invoice_reading``'s. It runs in the
screening pool's worker processes (``bot.screening_pool``), after the file was screened and
kept, never on the event loop: OCR takes seconds of CPU. Each step is bounded: the XML parser
resolves no entity and fetches nothing, the text layer is read from the first pages only, and
Tesseract runs as a child process with a time limit and one thread. A file that cannot be read
gives no reading, and the questions are simply asked. Nothing read is logged: the ``factur-x``
library's messages quote the invoice, and pypdf's quote the file's first bytes ("invalid pdf
header: b'Factu'"), on the bot's own stderr; both are silenced, warnings included.

The readers (pypdf, factur-x with lxml and requests) are imported where they are used: they
weigh about 50 MB of memory, and the bot's own process, which only asks ``readable``, would
carry them for nothing (the console chat reads in its own process, and pays then).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

from flows.conversation import Reading
from flows.evidence.budget import Budget
from flows.invoice_reading import FACTURX, MAX_TEXT, OCR, PDF_TEXT

logging.getLogger("factur-x").disabled = True  # the logger the library takes when imported
# pypdf logs through one logger per module ("pypdf._reader", ...), all under this one.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)

PDF_PAGES = 3  # an invoice's facts are on its first page; its totals may be on the next
OCR_SECONDS = 30.0
READ_SECONDS = 10.0  # the text layer of the first pages
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/tiff", "image/webp", "image/bmp"})
OCR_LANGUAGES = "fra+eng"


def readable(mime_type: str, name: str) -> bool:
    """Whether this kind of file may be an invoice we can read."""
    return mime_type == "application/pdf" or name.lower().endswith(".pdf") \
        or mime_type in IMAGE_TYPES


def ocr_available() -> bool:
    """Tesseract is installed with its French data (``tesseract-ocr``, ``tesseract-ocr-fra``)."""
    if shutil.which("tesseract") is None:
        return False
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "fra" in listed.stdout.split()


def read_invoice(path: str, mime_type: str, name: str) -> Reading | None:
    """What the file at ``path`` says, if it is a PDF or a picture we can read (runs in a
    worker process)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a warning's text may quote the file, as a log may
            if mime_type in IMAGE_TYPES and not name.lower().endswith(".pdf"):
                return _read_photo(path)
            return _read_pdf(Path(path).read_bytes())
    except Exception:  # over budget, or pypdf's error of the day on an odd PDF: kept unread
        return None


def _read_pdf(content: bytes) -> Reading | None:
    import pypdf  # deferred: ~20 MB, only the workers that read invoices need it

    fields = _facturx_fields(content)
    if fields:
        return Reading(FACTURX, fields=fields)
    budget = Budget(seconds=READ_SECONDS)
    reader = pypdf.PdfReader(io.BytesIO(content))
    texts = []
    for page in reader.pages[:PDF_PAGES]:
        texts.append(page.extract_text() or "")
        budget.tick()
    text = "\n".join(texts).strip()[:MAX_TEXT]
    return Reading(PDF_TEXT, text=text) if text else None


def _facturx_fields(content: bytes) -> dict[str, Any]:
    """The invoice's EN 16931 data, from the XML a Factur-X / ZUGFeRD PDF carries inside."""
    from facturx import get_xml_from_pdf  # deferred: ~30 MB with lxml, read in workers only
    from facturx.parse_xml import parse_ubl_cii_xml  # deferred: the same package
    from lxml import etree  # deferred: loaded with factur-x above

    try:
        _name, xml = get_xml_from_pdf(content, check_xsd=False)
    except Exception:  # the library raises bare Exceptions on PDFs it does not understand
        return {}
    if not xml:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        # Hardened above: no entity is resolved, nothing fetched, no huge tree.
        root = etree.fromstring(xml, parser)  # noqa: S320
        fields = parse_ubl_cii_xml(root, check_xsd=False, float_as="string",
                                   date_as="string", bytes_as="string")
    except Exception:  # an XML the library cannot map: the text layer is read instead
        return {}
    return _plain(fields) if isinstance(fields, dict) else {}


def _plain(value: Any) -> Any:
    """The data as plain JSON (it travels in the turn's event): attached files left out."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != "BG-24"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _read_photo(path: str) -> Reading | None:
    if shutil.which("tesseract") is None:
        return None
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core: the others serve chats
    try:
        done = subprocess.run(["tesseract", path, "stdout", "-l", OCR_LANGUAGES],
                              capture_output=True, timeout=OCR_SECONDS, check=False,
                              env=environment)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    text = done.stdout.decode("utf-8", errors="replace").strip()[:MAX_TEXT]
    return Reading(OCR, text=text) if text else None


