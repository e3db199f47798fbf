"""Files built to slip past the screening, each accepted once: JavaScript hidden by a comment
or a string the old regular expressions misread, zips that do not start where they should,
content glued after a PDF's end, and files whose screening would cost too much."""

from __future__ import annotations

import io
import zlib

from weasyprint import HTML

from flows.evidence.screening import Policy, Refusal, screen_content
from testing.hostile_files import CATALOG, PAGES, hostile_zip, pdf, zipped

POLICY = Policy()


def verdict(name: str, data: bytes) -> Refusal | None:
    return screen_content(name, "application/octet-stream", io.BytesIO(data), POLICY)


def test_javascript_after_a_comment_that_says_stream_is_found() -> None:
    # The old scanner took "%stream" for a stream's start and skipped what followed.
    data = pdf(CATALOG + b" %stream\n", PAGES,
               b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert verdict("devis.pdf", data) == Refusal("pdf_active", "devis.pdf")


def test_javascript_in_an_object_stream_whose_dictionary_holds_a_string_obj_is_found() -> None:
    packed = zlib.compress(b"3 0 << /S /JavaScript /JS (this.print()) >>")
    hidden = (b"<< /Type /ObjStm /Title (obj) /N 1 /First 4 /Filter /FlateDecode /Length %d >>"
              b"\nstream\n" % len(packed)) + packed + b"\nendstream"
    assert verdict("devis.pdf", pdf(CATALOG, PAGES, hidden)) == Refusal("pdf_active", "devis.pdf")


def test_names_inside_strings_and_comments_do_not_count() -> None:
    harmless = pdf(b"<< /Type /Catalog /Pages 2 0 R /Title (see /JavaScript docs) >>", PAGES,
                   b"% /JS in a comment\n<< /Producer (a \\) b /Launch) >>")
    assert verdict("guide.pdf", harmless) is None


def test_a_zip_with_a_one_byte_prefix_is_still_opened_and_its_program_found() -> None:
    data = b"X" + zipped({"facture.exe": b"MZ" + bytes(300)})
    assert verdict("pieces.zip", data) == Refusal("archive_dangerous", "facture.exe")


def test_a_zip_with_a_prefix_is_refused_even_when_its_content_is_harmless() -> None:
    data = b"GIF89a" + zipped({"devis.txt": b"devis"})
    assert verdict("image.gif", data) == Refusal("glued", "image.gif")


def test_a_pdf_with_a_zip_appended_is_refused() -> None:
    data = pdf(CATALOG, PAGES, tail=zipped({"facture.exe": b"MZ" + bytes(300)}))
    assert verdict("devis.pdf", data) == Refusal("archive_dangerous", "facture.exe")
    data = pdf(CATALOG, PAGES, tail=zipped({"notes.txt": b"hello"}))
    assert verdict("devis.pdf", data) == Refusal("glued", "devis.pdf")


def test_content_after_the_end_of_a_pdf_is_refused_but_trailing_blanks_are_not() -> None:
    assert verdict("devis.pdf", pdf(CATALOG, PAGES, tail=b"#!/bin/sh\nrm -rf ~\n")) == Refusal(
        "glued", "devis.pdf")
    assert verdict("devis.pdf", pdf(CATALOG, PAGES, tail=b"\r\n\x00\x00  \n")) is None


def test_a_stream_is_skipped_by_its_length_even_when_it_holds_endstream() -> None:
    image = b"endstream (" + bytes(50)  # binary data that looks like syntax
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(image), image)
    assert verdict("scan.pdf", pdf(CATALOG, PAGES, stream)) is None
    active = pdf(CATALOG, PAGES, stream, b"<< /S /Launch /F (cmd.exe) >>")
    assert verdict("scan.pdf", active) == Refusal("pdf_active", "scan.pdf")


def test_ordinary_pdfs_and_office_files_still_pass() -> None:
    drawn = HTML(string="<h1>Mise en demeure</h1><p>Société d'Été : 1 200,50 €</p>").write_pdf()
    assert drawn is not None
    assert verdict("mise_en_demeure.pdf", drawn) is None
    assert verdict("pieces.zip", zipped({"devis.pdf": drawn, "photo.jpg": b"\xff\xd8" + bytes(99)})
                   ) is None


def test_a_small_zip_of_pdfs_inflating_to_60_mb_of_names_each_is_refused() -> None:
    data = hostile_zip()
    assert len(data) < 200 * 1024
    assert verdict("pieces.zip", data) == Refusal("too_complex")
