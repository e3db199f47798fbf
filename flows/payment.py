"""How the debtor pays: the creditor's bank account, a reference the creditor's statement will
show, and the EPC QR code that European banking apps scan to fill in a transfer.

The creditor gave their payment details as free text (``payment_details``); the account is
read from it only when an IBAN with right check digits is there, so a typo never reaches a
QR code. Each country has its own reference: in France an ISO 11649 creditor reference (RF),
in Belgium the structured communication ``+++xxx/xxxx/xxxxx+++`` that Belgian banks check and
reconcile, in Quebec (no SEPA, dollars) the invoice numbers to write in the transfer's message.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import segno
from stdnum import bic as bic_code
from stdnum import iban as iban_code
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from flows.money import Money

# EPC069-12 v3.0 ("Quick Response Code: guidelines to enable data capture for the initiation
# of a SEPA credit transfer"), section 5: the fields, their limits, and the whole payload.
EPC_SERVICE_TAG = "BCD"
EPC_VERSION = "002"  # BIC optional within the EEA
EPC_UTF8 = "1"
EPC_SCT = "SCT"
EPC_NAME_MAX = 70
EPC_REFERENCE_MAX = 35
EPC_TEXT_MAX = 140
EPC_MAX_BYTES = 331
EPC_MIN_AMOUNT = Decimal("0.01")
EPC_MAX_AMOUNT = Decimal("999999999.99")
# The countries whose letters ask for a SEPA transfer in euros.
SEPA_JURISDICTIONS = {"fr", "be"}

_IBAN_START = re.compile(r"\b[A-Z]{2}\d{2}(?=[\s A-Z0-9]{11,})")
_BIC_AFTER_WORD = re.compile(
    r"\b(?:BIC|SWIFT)\s*(?:CODE)?\s*[:=]?\s*([A-Z0-9]{8}(?:[A-Z0-9]{3})?)\b")
_HEX_ID = re.compile(r"^[0-9a-f]{1,8}$")
IBAN_MIN, IBAN_MAX = 15, 34  # Norway's 15 characters to Saint Lucia's 32, with room


class PaymentError(ValueError):
    """A transfer that no banking app could take (an amount out of range, no account)."""


@dataclass(frozen=True)
class BankAccount:
    """An account as banks write it compactly: ``FR7630006000011234567890189``."""

    iban: str
    bic: str = ""

    @property
    def iban_grouped(self) -> str:
        return str(iban_code.format(self.iban))


def bank_account_in(details: str) -> BankAccount | None:
    """The first IBAN with right check digits in the creditor's payment details, and the BIC
    written after the word BIC or SWIFT, if any."""
    upper = details.upper()
    for start in _IBAN_START.finditer(upper):
        found = longest_valid_iban(upper[start.start():])
        if found:
            return BankAccount(found, _bic_in(upper))
    return None


def longest_valid_iban(text: str) -> str:
    """An IBAN written with or without spaces, and whatever follows it: the longest run of its
    characters that is a valid IBAN (``… 189 BIC AGRIFRPP`` must not swallow the BIC)."""
    compact = ""
    for char in text:
        if char.isalnum():
            compact += char
        elif char != " ":
            break
        if len(compact) >= IBAN_MAX:
            break
    for length in range(len(compact), IBAN_MIN - 1, -1):
        if iban_code.is_valid(compact[:length]):
            return compact[:length]
    return ""


def _bic_in(upper: str) -> str:
    match = _BIC_AFTER_WORD.search(upper)
    if match and bic_code.is_valid(match.group(1)):
        return match.group(1)
    return ""


# References -----------------------------------------------------------------------------------
def case_number(case_id: str) -> int:
    """The case id as a number of at most ten digits, what a Belgian structured communication
    holds: a case id of eight hexadecimal digits (``flows.model.new_id``) read as a number
    (at most 4 294 967 295, and the creditor can read the case back from it); any other id
    through a hash, ten digits of its SHA-256."""
    if _HEX_ID.match(case_id):
        return int(case_id, 16)
    return int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 10**10


def creditor_reference(case_id: str) -> str:
    """The ISO 11649 creditor reference of the case: ``RF``, two check digits, then the case id
    (its letters and digits, at most 21). The check digits are ISO 7064 MOD 97-10 over the
    reference followed by ``RF``."""
    body = "".join(ch for ch in case_id.upper() if ch.isascii() and ch.isalnum())[:21]
    reference = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    return str(iso11649.validate(reference))


def belgian_check_digits(ten_digits: str) -> str:
    """The last two digits of a Belgian structured communication: the first ten digits modulo
    97, written on two digits, and 97 when the remainder is 0 (Febelfin's rule)."""
    remainder = int(ten_digits) % 97
    return f"{remainder or 97:02d}"


def belgian_communication(case_id: str) -> str:
    """The case's structured communication, ``+++xxx/xxxx/xxxxx+++``."""
    ten = f"{case_number(case_id):010d}"
    digits = ten + belgian_check_digits(ten)
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


# The EPC QR code ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreditTransfer:
    """What an EPC QR code asks the debtor's bank to send: ``reference`` is an ISO 11649
    creditor reference, ``text`` free remittance information; one of them, never both."""

    name: str
    account: BankAccount
    amount: Decimal
    reference: str = ""
    text: str = ""


def epc_payload(transfer: CreditTransfer) -> str:
    """The EPC069-12 version 002 payload, one field a line (LF), UTF-8, at most 331 bytes.
    Lines after the last one filled are left out, as the guidelines allow."""
    amount = transfer.amount.quantize(Decimal("0.01"))
    if not EPC_MIN_AMOUNT <= amount <= EPC_MAX_AMOUNT:
        raise PaymentError("an EPC transfer is between 0.01 and 999999999.99 euros")
    if transfer.reference and transfer.text:
        raise PaymentError("a structured reference or a free text, not both")
    if len(transfer.reference) > EPC_REFERENCE_MAX:
        raise PaymentError("a creditor reference has at most 35 characters")
    head = [EPC_SERVICE_TAG, EPC_VERSION, EPC_UTF8, EPC_SCT, transfer.account.bic]
    tail = [transfer.account.iban, f"EUR{amount}",
            "",  # purpose code: none (a plain commercial payment)
            transfer.reference]
    fixed = len("\n".join([*head, *tail]).encode("utf-8")) + 2  # the name's and text's LFs
    # Limits count characters, the whole payload bytes: accented names and texts in UTF-8 can
    # pass 331 bytes within the character limits, so the text gives way first, then the name.
    name = _clip(" ".join(transfer.name.split()), EPC_NAME_MAX, EPC_MAX_BYTES - fixed)
    text = _clip(" ".join(transfer.text.split()), EPC_TEXT_MAX,
                 EPC_MAX_BYTES - fixed - len(name.encode("utf-8")))
    fields = [*head, name, *tail, text]
    while fields and not fields[-1]:
        fields.pop()
    payload = "\n".join(fields)
    if len(payload.encode("utf-8")) > EPC_MAX_BYTES:
        raise PaymentError("the EPC payload is over 331 bytes")
    return payload


def _clip(text: str, limit: int, max_bytes: int | None = None) -> str:
    """At most ``limit`` characters and ``max_bytes`` bytes in UTF-8, never half a character:
    a longer field makes some banking apps refuse the whole code."""
    text = text[:limit]
    if max_bytes is not None:
        while len(text.encode("utf-8")) > max(max_bytes, 0):
            text = text[:-1]
    return text.rstrip()


def qr_code(payload: str) -> segno.QRCode:
    """A QR code of ``payload`` as UTF-8 bytes, error correction level M (EPC069-12 requires
    it and at most version 13, which 331 bytes at level M always fit)."""
    return segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False)


def qr_png(payload: str, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    qr_code(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(payload: str, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    qr_code(payload).save(buffer, kind="svg", scale=scale, border=4, xmldecl=False,
                          svgns=True, title="QR")
    return buffer.getvalue()


# What a letter or the debtor's page shows -----------------------------------------------------
@dataclass(frozen=True)
class PaymentDetails:
    """How to pay one case: the account (None when the creditor gave none we can read), the
    reference to quote, and whether an EPC QR code can be drawn (euros and an IBAN)."""

    jurisdiction: str
    creditor: str
    account: BankAccount | None
    reference: str
    reference_kind: str  # "rf" (ISO 11649), "be" (structured communication), "text"

    @property
    def epc_possible(self) -> bool:
        return self.account is not None and self.jurisdiction in SEPA_JURISDICTIONS

    def transfer(self, amount: Money) -> CreditTransfer:
        if self.account is None or amount.currency != "EUR":
            raise PaymentError("an EPC transfer needs an IBAN and an amount in euros")
        if self.reference_kind == "rf":
            return CreditTransfer(self.creditor, self.account, amount.amount, self.reference)
        # A Belgian structured communication is not an ISO 11649 reference: it goes in the
        # free text, where Belgian banking apps recognise the +++…+++ form.
        return CreditTransfer(self.creditor, self.account, amount.amount, text=self.reference)

    def epc(self, amount: Money) -> str:
        """The EPC payload for ``amount``, or "" where no EPC code applies."""
        if not self.epc_possible or amount.currency != "EUR" or amount.amount < EPC_MIN_AMOUNT:
            return ""
        return epc_payload(self.transfer(amount))

    def to_json(self) -> dict[str, str]:
        return {"jurisdiction": self.jurisdiction, "creditor": self.creditor,
                "iban": self.account.iban if self.account else "",
                "iban_grouped": self.account.iban_grouped if self.account else "",
                "bic": self.account.bic if self.account else "",
                "reference": self.reference, "reference_kind": self.reference_kind}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> PaymentDetails:
        account = BankAccount(data["iban"], data.get("bic", "")) if data.get("iban") else None
        return cls(data["jurisdiction"], data["creditor"], account, data["reference"],
                   data["reference_kind"])


def payment_details_for(case_id: str, jurisdiction: str, creditor: str, details: str,
                        invoice_numbers: list[str]) -> PaymentDetails:
    """The case's payment details: its reference by country, and the account if one of the
    creditor's details is a valid IBAN."""
    account = bank_account_in(details)
    if jurisdiction == "be":
        return PaymentDetails(jurisdiction, creditor, account, belgian_communication(case_id),
                              "be")
    if jurisdiction == "fr":
        return PaymentDetails(jurisdiction, creditor, account, creditor_reference(case_id),
                              "rf")
    # Quebec: an Interac transfer or a wire carries a free message; the invoice numbers are
    # what the creditor looks for in it.
    return PaymentDetails(jurisdiction, creditor, account,
                          _clip(", ".join(invoice_numbers) or case_id.upper(), EPC_TEXT_MAX),
                          "text")
