"""Invoices made in the tests: a Factur-X PDF built with the ``factur-x`` library, a PDF with
only a text layer (WeasyPrint), and a photo of an invoice (Pillow), all for the same sale as
``testing.driver.FRENCH_BUSINESS_CASE``."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

from facturx import generate_from_binary
from facturx.generate_xml import generate_cii_xml
from PIL import Image, ImageDraw, ImageFont
from weasyprint import HTML

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The EN 16931 data of the sale (factur-x's data dictionary: BT-1 the number, BG-4 the
# seller, BG-7 the buyer…). 1 000,42 € + 20 % VAT 200,08 € = 1 200,50 €.
SALE = {
    "BT-1": "F-2026-042", "BT-2": "2026-09-15", "BT-3": "380", "BT-5": "EUR",
    "BT-9": "2026-10-15", "BT-20": "Paiement à 30 jours", "BT-72": "2026-09-10",
    "BG-4": {"name": "Jeanne Martin EI", "legal_identifier": "73282932000074",
             "legal_identifier_schemeid": "0009", "vat_identifier": "FR44732829320",
             "addr_l1": "12 rue des Lilas", "postcode": "75011", "city": "Paris",
             "country_code": "FR"},
    "BG-7": {"name": "ACME Rénovation SARL", "legal_identifier": "552100554",
             "legal_identifier_schemeid": "0002", "addr_l1": "4 avenue Foch",
             "postcode": "69006", "city": "Lyon", "country_code": "FR"},
    "BT-81": "30", "BT-84": "FR7630006000011234567890189",
    "BT-106": 1000.42, "BT-109": 1000.42, "BT-110": 200.08, "BT-112": 1200.50,
    "BT-115": 1200.50,
    "BG-23": [{"BT-116": 1000.42, "BT-117": 200.08, "BT-118": "S", "BT-119": 20.0}],
    "BG-25": [{"BT-126": "1", "BT-153": "Refonte du site internet selon devis du 2 mars 2026",
               "BT-129": 1.0, "BT-130": "C62", "BT-146": 1000.42, "BT-131": 1000.42,
               "BT-151": "S", "BT-152": 20.0}],
}

LINES_FR = [
    "Jeanne Martin EI",
    "12 rue des Lilas",
    "75011 Paris",
    "SIRET 732 829 320 00074",
    "",
    "FACTURE N° F-2026-042",
    "Date de facture : 15/09/2026",
    "Échéance : 15/10/2026",
    "",
    "Client :",
    "ACME Rénovation SARL",
    "4 avenue Foch",
    "69006 Lyon",
    "",
    "Désignation : Refonte du site internet selon devis du 2 mars 2026",
    "Total HT : 1 000,42 €",
    "TVA 20 % : 200,08 €",
    "Total TTC : 1 200,50 €",
    "",
    "Règlement par virement",
    "IBAN FR76 3000 6000 0112 3456 7890 189",
    "BIC BNPAFRPP",
]

LINES_EN = [
    "Jeanne Martin EI",
    "12 rue des Lilas",
    "75011 Paris",
    "SIRET 732 829 320 00074",
    "",
    "INVOICE No. F-2026-042",
    "Invoice date: 15/09/2026",
    "Due date: 15/10/2026",
    "",
    "Bill to:",
    "ACME Rénovation SARL",
    "4 avenue Foch",
    "69006 Lyon",
    "",
    "Description: Website redesign as quoted on 2 March 2026",
    "Total excl. VAT: €1,000.42",
    "VAT 20%: €200.08",
    "Total incl. VAT: €1,200.50",
    "",
    "Bank transfer",
    "IBAN FR76 3000 6000 0112 3456 7890 189",
    "BIC BNPAFRPP",
]


def text_pdf(lines: list[str] = LINES_FR) -> bytes:
    """A PDF invoice with a text layer and no embedded data, as most invoicing tools make."""
    body = "".join(f"<p>{escape(line) or '&nbsp;'}</p>" for line in lines)
    page = ("<html><head><style>body{font-family:'DejaVu Sans';font-size:11pt}"
            "p{margin:0 0 2pt 0}</style></head><body>" + body + "</body></html>")
    return HTML(string=page).write_pdf()


def facturx_xml() -> bytes:
    return generate_cii_xml(SALE, level="en16931", check_schematron=False)


def facturx_pdf() -> bytes:
    """The same invoice with its Factur-X data (CII XML, EN 16931 profile) embedded."""
    return generate_from_binary(text_pdf(LINES_FR), facturx_xml(), check_xsd=False)


def photo(lines: list[str] = LINES_FR) -> bytes:
    """A photo of the printed invoice (drawn with Pillow: black text on white, JPEG)."""
    font = ImageFont.truetype(str(FONT), 30)
    height = 60 + 44 * len(lines)
    image = Image.new("RGB", (1400, height), "white")
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((60, 40 + 44 * index), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()
