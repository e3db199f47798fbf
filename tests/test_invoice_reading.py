"""What an invoice says, from its Factur-X data or its text, as proposals (pure flows)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from facturx.parse_xml import parse_ubl_cii_xml

from flows import invoice_reading
from flows.conversation import Reading
from flows.invoice_reading import InvoiceFacts, from_fields, from_text
from flows.model import Case
from tests.invoice_samples import LINES_EN, LINES_FR, SALE, facturx_xml

TODAY = date(2026, 11, 23)
TODAY_AT = datetime(2026, 11, 23, 10, 0)


def _facturx_facts() -> InvoiceFacts:
    fields = parse_ubl_cii_xml(facturx_xml(), check_xsd=False, float_as="string",
                               date_as="string")
    return from_fields(fields)


def _proposed(facts: InvoiceFacts, case: Case | None = None) -> dict[str, str]:
    case = case or Case.new(TODAY_AT)
    return {p.key: p.value for p in invoice_reading.proposals(facts, case, "facturx")}


def test_factur_x_data_gives_every_answer_the_invoice_holds() -> None:
    proposed = _proposed(_facturx_facts())
    assert proposed == {
        "jurisdiction": "fr",
        "debtor_kind": "business",  # the buyer has a SIREN
        "debtor_name": "ACME Rénovation SARL",
        "invoice_number": "F-2026-042",
        "invoice_amount": "1200.50 EUR",  # BT-112, the total with VAT
        "issue_date": "2026-09-15",
        "due_date": "2026-10-15",
        "creditor_name": "Jeanne Martin EI",
        "creditor_address": "12 rue des Lilas\n75011 Paris",
        "debtor_address": "4 avenue Foch\n69006 Lyon",
        "city": "Paris",
        "supply_description": "Refonte du site internet selon devis du 2 mars 2026",
        "creditor_id": "732 829 320 00074",
        "debtor_id": "552 100 554",
        "payment_details": "IBAN FR76 3000 6000 0112 3456 7890 189",
    }


def test_a_credit_note_proposes_nothing() -> None:
    assert not from_fields({**SALE, "BT-3": "381"}).found


def test_the_due_date_follows_the_payment_terms_when_none_is_given() -> None:
    # Issued 15/09/2026, payable at 30 days: due 15/10/2026 (+30 days).
    fields = {k: v for k, v in SALE.items() if k != "BT-9"}
    assert from_fields({**fields, "BT-2": "2026-09-15"}).due == date(2026, 10, 15)


def test_the_country_and_kind_are_not_proposed_once_answered() -> None:
    case = Case.new(TODAY_AT)
    case.answers.update({"jurisdiction": "be", "debtor_kind": "consumer"})
    proposed = _proposed(_facturx_facts(), case)
    assert "jurisdiction" not in proposed
    assert "debtor_kind" not in proposed


@pytest.mark.parametrize("lines", [LINES_FR, LINES_EN], ids=["fr", "en"])
def test_a_french_or_english_invoice_text_is_read_by_its_labels(lines: list[str]) -> None:
    facts = from_text("\n".join(lines), TODAY)
    assert facts.number == "F-2026-042"
    assert facts.issued == date(2026, 9, 15)
    assert facts.due == date(2026, 10, 15)
    assert facts.total in {"1 200,50 €", "€1,200.50"}
    assert facts.seller.name == "Jeanne Martin EI"
    assert facts.seller.address == "12 rue des Lilas\n75011 Paris"
    assert facts.seller.company_id == "73282932000074"
    assert facts.buyer.name == "ACME Rénovation SARL"
    assert facts.buyer.address == "4 avenue Foch\n69006 Lyon"
    assert facts.iban == "FR7630006000011234567890189"
    assert facts.bic == "BNPAFRPP"


def test_ocr_text_with_blank_lines_and_misread_letters_still_finds_the_blocks() -> None:
    text = "\n\n".join(LINES_FR).replace("Jeanne Martin EI", "Jeanne Martin El")
    facts = from_text(text, TODAY)
    assert facts.seller.name == "Jeanne Martin El"  # the user corrects it on the screen
    assert facts.buyer.address == "4 avenue Foch\n69006 Lyon"


def test_a_registration_number_in_the_client_block_is_the_debtors() -> None:
    lines = [*LINES_FR[:13], "SIREN 552 100 554", *LINES_FR[13:]]
    facts = from_text("\n".join(lines), TODAY)
    assert facts.buyer.company_id == "552100554"
    assert facts.seller.company_id == "73282932000074"


@pytest.mark.parametrize(("text", "due"), [
    ("Facture n° A12\nDate : 01/03/2026\nPaiement à 45 jours", date(2026, 4, 15)),
    ("Facture n° A12\nDate : 01/03/2026\nPaiement à 45 jours fin de mois", None),
    ("Invoice # A12\nIssue date: March 1, 2026\nPayment due: April 15, 2026", date(2026, 4, 15)),
    ("Facture n° A12 du 1er mars 2026\nÀ payer avant le 31/03/2026", date(2026, 3, 31)),
])
def test_due_dates_and_terms(text: str, due: date | None) -> None:
    facts = from_text(text, TODAY)
    assert facts.issued == date(2026, 3, 1)
    assert facts.due == due


def test_a_wrong_iban_and_an_invalid_siren_are_not_proposed() -> None:
    text = "Facture n° A12\nSIRET 123 456 789 00012\nIBAN FR76 3000 6000 0112 3456 7890 188"
    facts = from_text(text, TODAY)
    assert facts.iban == ""
    assert facts.seller.company_id == ""


def test_text_without_any_invoice_label_reads_nothing() -> None:
    assert not from_text("Bon de livraison\nMerci de votre confiance", TODAY).found


def test_read_picks_the_way_the_file_was_read() -> None:
    assert invoice_reading.read(Reading("pdf_text", text="\n".join(LINES_FR)), TODAY).number \
        == "F-2026-042"
    assert invoice_reading.read(Reading("facturx", fields=SALE), TODAY).number == "F-2026-042"
