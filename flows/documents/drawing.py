"""Drawing a document: one HTML per document, drawn as a PDF by WeasyPrint, turned into an
editable DOCX, and into plain text for the documents meant to be e-mailed.

Drawing returns the files' bytes by name; writing them into the case folder is the service's
part (``bot/``), so that nothing here touches the disk.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

from flows.conversation import DocumentJob
from flows.documents.catalog import TEMPLATE_FOR
from flows.documents.links import NO_LINKS, LinkBases, links_for
from flows.documents.to_text import html_to_text
from flows.i18n import templates_dir
from flows.templating import render


def render_html(job: DocumentJob, bases: LinkBases = NO_LINKS) -> str:
    """The document's HTML; ``bases``: where the debtor's links point, known to the adapter
    only (the letters print the links of the case's token, ``debtor_token``)."""
    template = TEMPLATE_FOR.get(job.kind, job.kind)
    context = {**job.context,
               "debtor_links": links_for(str(job.context.get("debtor_token", "")), bases)}
    return render(f"documents/{template}.html", job.lang, kind=job.kind, **context)


def draw(job: DocumentJob, bases: LinkBases = NO_LINKS) -> dict[str, bytes]:
    """The job's files (PDF, DOCX, TXT, ICS as asked), each file name with its bytes, in the
    order they are sent."""
    files: dict[str, bytes] = {}
    if "ics" in job.formats:  # a calendar drawn by flows.followup, already text
        files[f"{job.filename}.ics"] = str(job.context["ics"]).encode("utf-8")
    if not {"pdf", "docx", "txt"} & set(job.formats):
        return files
    # What the user typed reaches the documents; a character XML cannot hold (U+FFFE, a
    # control character) made python-docx raise and the whole drawing fail.
    html = xml_safe(render_html(job, bases))
    if "pdf" in job.formats:
        files[f"{job.filename}.pdf"] = html_to_pdf(html)
    if "docx" in job.formats:
        # python-docx and lxml: ~10 MB that a bot which never draws a DOCX need not hold
        from flows.documents.to_docx import html_to_docx  # deferred: see the line above

        author = xml_safe(str(job.context.get("creditor", {}).get("name", "")))
        files[f"{job.filename}.docx"] = html_to_docx(html, author)
    if "txt" in job.formats:
        files[f"{job.filename}.txt"] = html_to_text(html).encode("utf-8")
    return files


# Characters XML 1.0 allows (its "Char" production): everything else is dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


# Every document links the same stylesheet (templates/common/letter_base.html). WeasyPrint
# would fetch and parse it again for each PDF, a tenth of the drawing: it is parsed once per
# process and given to WeasyPrint, the link left out of the copy WeasyPrint reads. Given so, it
# ranks as the user's stylesheet, below a document's own <style> or style= (the letters have
# none), and it is read without a font configuration: an @font-face in it would need one.
LETTER_CSS = "common/letter.css"
LETTER_CSS_LINK = f'<link rel="stylesheet" href="{LETTER_CSS}">'


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # deferred: ~0.5 s to import, needed only to draw a PDF

    stylesheets = []
    if LETTER_CSS_LINK in html:
        html = html.replace(LETTER_CSS_LINK, "", 1)
        stylesheets.append(letter_stylesheet())
    pdf: bytes = HTML(string=html, base_url=str(templates_dir())).write_pdf(
        stylesheets=stylesheets)
    return pdf


@cache
def letter_stylesheet() -> Any:  # a weasyprint.CSS: its import is deferred, see above
    from weasyprint import CSS  # deferred: see html_to_pdf

    return CSS(filename=str(templates_dir() / LETTER_CSS))


def file_record(name: str, content: bytes, job: DocumentJob, created_at: str) -> dict[str, Any]:
    """What the case remembers of a drawn file."""
    record: dict[str, Any] = {"kind": job.kind, "name": name, "created_at": created_at,
                              "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    if job.context.get("translation"):
        record["translation"] = True  # for the user to read: never sent again as a letter
    return record
