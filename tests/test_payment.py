"""Payment details: the account read from what the creditor typed, the references by country,
and the EPC QR code decoded back from its picture and read field by field against EPC069-12."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image
from pyzbar import pyzbar

from flows import payment
from flows.money import Money
from flows.payment import BankAccount, CreditTransfer, PaymentError

FRENCH_IBAN = "FR7630006000011234567890189"


def decoded(png: bytes) -> str:
    """What a phone's camera reads in the picture."""
    symbols = pyzbar.decode(Image.open(io.BytesIO(png)))
    assert len(symbols) == 1
    assert symbols[0].type == "QRCODE"
    return str(symbols[0].data.decode("utf-8"))


# The account ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("details", "iban", "bic"), [
    ("IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP", FRENCH_IBAN, "AGRIFRPP"),
    # Without a comma the BIC's letters follow the IBAN's: they must not be read into it.
    ("IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP", FRENCH_IBAN, "AGRIFRPP"),
    ("virement sur fr7630006000011234567890189", FRENCH_IBAN, ""),
    ("IBAN BE71 0961 2345 6769 — code SWIFT : GEBABEBB", "BE71096123456769", "GEBABEBB"),
])
def test_the_account_is_read_from_the_payment_details(details: str, iban: str,
                                                      bic: str) -> None:
    assert payment.bank_account_in(details) == BankAccount(iban, bic)


@pytest.mark.parametrize("details", [
    "IBAN FR76 3000 6000 0112 3456 7890 188",  # one digit wrong: no QR code may carry it
    "par chèque à l'ordre de Dupont",
    "voir la facture",
    "Virement BIC AGRIFRPP",
])
def test_no_account_is_made_up_from_details_without_a_valid_iban(details: str) -> None:
    assert payment.bank_account_in(details) is None


# References -----------------------------------------------------------------------------------
def test_the_creditor_reference_carries_iso_11649_check_digits() -> None:
    # ISO 11649's own example: 539007547034 + "RF00", letters as numbers (R=27, F=15):
    # 539007547034271500 mod 97 = 80, and 98 - 80 = 18.
    assert payment.creditor_reference("539007547034") == "RF18539007547034"
    # A case id: 3633A6D2 + RF00 → 3 6 3 3 10 6 13 2 27 15 00 = 3633106132271500;
    # 3633106132271500 mod 97 = 53, and 98 - 53 = 45.
    assert payment.creditor_reference("3633a6d2") == "RF453633A6D2"


@pytest.mark.parametrize(("case_id", "communication"), [
    # 0x3633a6d2 = 909354706; 909354706 = 97 × 9374790 + 76: check digits 76.
    ("3633a6d2", "+++090/9354/70676+++"),
    # 0x61 = 97 = 97 × 1 + 0: a remainder of 0 is written 97.
    ("00000061", "+++000/0000/09797+++"),
    # The largest case id, 0xffffffff = 4294967295 = 97 × 44278013 + 34: still ten digits.
    ("ffffffff", "+++429/4967/29534+++"),
])
def test_the_belgian_structured_communication_has_its_mod_97_check(case_id: str,
                                                                   communication: str) -> None:
    assert payment.belgian_communication(case_id) == communication


def test_belgian_check_digits_of_a_published_example() -> None:
    # +++090/9337/55493+++: 0909337554 = 97 × 9374613 + 93.
    assert payment.belgian_check_digits("0909337554") == "93"


# The EPC QR code ------------------------------------------------------------------------------
def test_the_epc_payload_follows_epc069_12_line_by_line() -> None:
    transfer = CreditTransfer("Atelier Dupont SARL", BankAccount(FRENCH_IBAN, "AGRIFRPP"),
                              Decimal("1256.09"), reference="RF453633A6D2")
    lines = payment.epc_payload(transfer).split("\n")
    assert lines == [
        "BCD",                  # service tag
        "002",                  # version 002: the BIC may be left out within the EEA
        "1",                    # character set 1: UTF-8
        "SCT",                  # identification: SEPA credit transfer
        "AGRIFRPP",             # BIC
        "Atelier Dupont SARL",  # beneficiary's name, at most 70 characters
        FRENCH_IBAN,            # beneficiary's account
        "EUR1256.09",           # EUR then the amount, a dot and two decimals
        "",                     # purpose code: none
        "RF453633A6D2",         # structured remittance: the ISO 11649 reference
    ]                           # unstructured remittance and information left out


def test_the_qr_code_decodes_to_the_same_payload_with_accents() -> None:
    transfer = CreditTransfer("Société Générale des Éditions Hélène", BankAccount(FRENCH_IBAN),
                              Decimal("40"), text="Factures F-2026-042 et F-2026-043 — réglées")
    payload = payment.epc_payload(transfer)
    assert decoded(payment.qr_png(payload)) == payload
    lines = payload.split("\n")
    assert lines[4] == ""  # no BIC
    assert lines[7] == "EUR40.00"
    assert lines[9] == ""  # no structured reference beside a free text
    assert lines[10] == "Factures F-2026-042 et F-2026-043 — réglées"
    assert payment.qr_code(payload).error == "M"
    assert payment.qr_svg(payload).startswith(b"<svg")


def test_long_names_and_texts_are_cut_to_the_limits_and_stay_under_331_bytes() -> None:
    transfer = CreditTransfer("É" * 100, BankAccount(FRENCH_IBAN, "AGRIFRPP"),
                              Decimal("999999999.99"), text="é" * 200)
    payload = payment.epc_payload(transfer)
    lines = payload.split("\n")
    assert lines[5] == "É" * 70
    # The other fields take 60 bytes (BCD 002 1 SCT AGRIFRPP, the IBAN's 27, EUR999999999.99,
    # two empty lines) and their 10 line feeds 10: 70; the name's 70 É 140 bytes. That leaves
    # 331 - 70 - 140 = 121 bytes for the text: 60 é of two bytes (330 bytes in all).
    assert lines[10] == "é" * 60
    assert len(payload.encode("utf-8")) == 330
    assert decoded(payment.qr_png(payload)) == payload
    assert payment.qr_code(payload).version <= 13


@pytest.mark.parametrize(("amount", "reference", "text"), [
    (Decimal("0"), "RF18539007547034", ""),
    (Decimal("1000000000"), "RF18539007547034", ""),
    (Decimal("10"), "RF18539007547034", "both"),
])
def test_a_transfer_no_bank_would_take_is_refused(amount: Decimal, reference: str,
                                                  text: str) -> None:
    with pytest.raises(PaymentError):
        payment.epc_payload(CreditTransfer("Dupont", BankAccount(FRENCH_IBAN), amount,
                                           reference, text))


# By country -----------------------------------------------------------------------------------
def test_a_french_case_pays_with_an_rf_reference_in_the_structured_field() -> None:
    details = payment.payment_details_for("3633a6d2", "fr", "Atelier Dupont SARL",
                                          "IBAN FR76 3000 6000 0112 3456 7890 189",
                                          ["F-2026-042"])
    lines = details.epc(Money(Decimal("1256.09"))).split("\n")
    assert lines[9] == "RF453633A6D2"
    assert details.reference_kind == "rf"


def test_a_belgian_case_pays_with_its_structured_communication() -> None:
    details = payment.payment_details_for("3633a6d2", "be", "Bouw BV", "IBAN BE71096123456769",
                                          ["2026/17"])
    assert details.reference == "+++090/9354/70676+++"
    lines = details.epc(Money(Decimal("500.00"))).split("\n")
    assert lines[9:] == ["", "+++090/9354/70676+++"]


def test_a_quebec_case_gets_transfer_details_but_no_epc_code() -> None:
    details = payment.payment_details_for("3633a6d2", "qc", "Rénovations Tremblay inc.",
                                          "Virement Interac à paiement@tremblay.ca",
                                          ["F-101", "F-102"])
    assert details.reference == "F-101, F-102"
    assert details.epc(Money(Decimal("500.00"), "CAD")) == ""
    assert not details.epc_possible


def test_payment_details_survive_a_round_trip_through_json() -> None:
    details = payment.payment_details_for("3633a6d2", "fr", "Dupont", "FR7630006000011234567890189"
                                          " BIC AGRIFRPP", [])
    assert payment.PaymentDetails.from_json(details.to_json()) == details
