"""Evidence that could run code although it is a document: PDFs with JavaScript or a launch
action, and old Office files (.doc, .xls) with macros. Ordinary PDFs, ours included, pass."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from weasyprint import HTML

from flows.evidence.screening import Policy, Refusal, screen_content

POLICY = Policy()


def verdict(name: str, data: bytes) -> Refusal | None:
    return screen_content(name, "application/octet-stream", io.BytesIO(data), POLICY)


def pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, o) for n, o in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def object_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return (b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(packed)) + packed + b"\nendstream"


@pytest.mark.parametrize("action", [
    b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>",
    b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
])
def test_a_pdf_that_runs_something_when_opened_is_refused(action: bytes) -> None:
    assert verdict("facture.pdf", pdf(action, PAGES)) == Refusal("pdf_active", "facture.pdf")


def test_javascript_hidden_in_a_compressed_object_stream_is_found() -> None:
    hidden = object_stream(b"3 0 << /S /JavaScript /JS (this.exportDataObject()) >>")
    assert verdict("devis.pdf", pdf(CATALOG, PAGES, hidden)) == Refusal("pdf_active", "devis.pdf")


def test_a_pdf_with_an_embedded_invoice_xml_passes_as_factur_x_needs() -> None:
    embedded = b"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length 5 >>\nstream\n<x/>\nendstream"
    assert verdict("facture-x.pdf", pdf(CATALOG, PAGES, embedded)) is None


def test_a_pdf_drawn_by_weasyprint_passes() -> None:
    data = HTML(string="<h1>Mise en demeure</h1><p>Société d'Été : 1 200,50 €</p>").write_pdf()
    assert data is not None
    assert verdict("mise_en_demeure.pdf", data) is None


def ole_file(storages: list[str], streams: list[str]) -> bytes:
    """A minimal OLE compound file (the container of .doc/.xls/.ppt): a header, one FAT
    sector and one directory sector whose entries are empty streams and storages."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096,
                            end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126
    names = [(name, 1) for name in storages] + [(name, 2) for name in streams]

    def entry(name: str, kind: int, left: int, right: int, child: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, left,
                                                       right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", end, 0))

    entries = [entry("Root Entry", 5, no_stream, no_stream, 1 if names else no_stream)]
    for index, (name, kind) in enumerate(names, 1):  # a chain of right siblings
        right = index + 1 if index < len(names) else no_stream
        entries.append(entry(name, kind, no_stream, right, no_stream))
    directory = b"".join(entries).ljust(512, b"\0")
    assert len(header) == len(fat) == 512
    return header + fat + directory


def test_an_old_word_document_with_macros_is_refused() -> None:
    data = ole_file(["Macros"], ["WordDocument"])
    assert verdict("contrat.doc", data) == Refusal("dangerous", "contrat.doc")


def test_an_old_excel_workbook_with_macros_is_refused() -> None:
    data = ole_file(["_VBA_PROJECT_CUR"], ["Workbook"])
    assert verdict("relevé.xls", data) == Refusal("dangerous", "relevé.xls")


def test_an_old_word_document_without_macros_passes() -> None:
    assert verdict("bon_de_commande.doc", ole_file([], ["WordDocument", "1Table"])) is None


def test_a_damaged_old_office_file_cannot_be_checked_and_is_refused() -> None:
    data = ole_file([], ["WordDocument"])[:600]
    assert verdict("devis.doc", data) == Refusal("unreadable")


def test_a_scan_whose_image_bytes_happen_to_spell_js_passes() -> None:
    noise = bytes(range(256)) * 40 + b"/JS /JavaScript /Launch" + bytes(range(256)) * 40
    image = (b"<< /Type /XObject /Subtype /Image /Width 10 /Height 10 /Filter /DCTDecode "
             b"/Length %d >>\nstream\n" % len(noise)) + noise + b"\nendstream"
    assert verdict("scan.pdf", pdf(CATALOG, PAGES, image)) is None


def test_an_object_stream_with_an_escaped_type_or_a_nested_dictionary_is_read() -> None:
    hidden = object_stream(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")
    escaped = hidden.replace(b"/Type /ObjStm", b"/Type /Obj#53tm")
    nested = hidden.replace(b"/Type /ObjStm", b"/Type /ObjStm /Extends << /X 1 >>")
    for stream in (escaped, nested):
        assert verdict("a.pdf", pdf(CATALOG, PAGES, stream)) == Refusal("pdf_active", "a.pdf")


def test_an_object_stream_under_filters_we_do_not_undo_cannot_be_checked() -> None:
    hidden = object_stream(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>").replace(
        b"/Filter /FlateDecode", b"/Filter [/ASCIIHexDecode /FlateDecode]")
    assert verdict("a.pdf", pdf(CATALOG, PAGES, hidden)) == Refusal("unreadable")


def test_a_pdf_or_an_old_office_file_inside_a_zip_is_screened_too() -> None:
    script = pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>", PAGES)
    for inner, data in (("facture.pdf", script), ("contrat.doc", ole_file(["Macros"], []))):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(f"pieces/{inner}", data)
            archive.writestr("pieces/photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100))
        assert verdict("pieces.zip", buffer.getvalue()) == Refusal("archive_dangerous", inner)


def test_an_encrypted_office_file_cannot_be_checked_and_is_refused() -> None:
    data = ole_file([], ["EncryptionInfo", "EncryptedPackage"])
    assert verdict("devis.docx", data) == Refusal("unreadable")
