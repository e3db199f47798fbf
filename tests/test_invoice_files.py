"""Reading invoice files (bot/invoice_reader.py): Factur-X data, a PDF's text, a photo's text."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from bot.invoice_reader import read_invoice, readable
from tests.invoice_samples import facturx_pdf, photo, text_pdf


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_factur_x_pdf_gives_its_embedded_data(tmp_path: Path) -> None:
    reading = read_invoice(_write(tmp_path, "f.pdf", facturx_pdf()), "application/pdf", "f.pdf")
    assert reading is not None
    assert reading.method == "facturx"
    assert reading.fields["BT-1"] == "F-2026-042"
    assert reading.fields["BT-112"] == "1200.50"
    assert reading.fields["BG-7"]["name"] == "ACME Rénovation SARL"


def test_a_pdf_without_data_gives_its_text(tmp_path: Path) -> None:
    reading = read_invoice(_write(tmp_path, "t.pdf", text_pdf()), "application/pdf", "t.pdf")
    assert reading is not None
    assert reading.method == "pdf_text"
    assert "Total TTC : 1 200,50 €" in reading.text
    assert reading.fields == {}


@pytest.mark.usefixtures("ocr")
def test_a_photo_is_read_by_tesseract(tmp_path: Path) -> None:
    reading = read_invoice(_write(tmp_path, "p.jpg", photo()), "image/jpeg", "p.jpg")
    assert reading is not None
    assert reading.method == "ocr"
    assert "F-2026-042" in reading.text
    assert "1 200,50" in reading.text


@pytest.mark.parametrize(("name", "data", "mime"), [
    ("broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "application/pdf"),
    ("empty.pdf", b"", "application/pdf"),
])
def test_a_file_that_cannot_be_read_gives_nothing(tmp_path: Path, name: str, data: bytes,
                                                  mime: str) -> None:
    assert read_invoice(_write(tmp_path, name, data), mime, name) is None


def test_reading_a_file_logs_nothing_it_holds(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                              capfd: pytest.CaptureFixture[str]) -> None:
    # pypdf's own messages quote a broken file's first bytes ("invalid pdf header: b'Jean '"),
    # and a worker's messages end in the bot's log.
    data = b"Jean Dupont, 12 rue des Lilas: 1 500 EUR\n" * 4
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        assert read_invoice(_write(tmp_path, "dupont.pdf", data), "application/pdf",
                            "dupont.pdf") is None
    logged = " ".join(record.getMessage() for record in caplog.records)
    shown = capfd.readouterr()
    assert "Jean" not in logged + shown.out + shown.err
    assert caplog.records == []
    assert warned == []


def test_only_pdfs_and_pictures_are_read() -> None:
    assert readable("application/pdf", "facture.pdf")
    assert readable("image/jpeg", "photo.jpg")
    assert not readable("application/zip", "factures.zip")
    assert not readable("text/plain", "facture.txt")
