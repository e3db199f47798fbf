"""What an invoice says, read from its Factur-X data or from its text, as proposed answers.

The adapter reads the file (``bot.invoice_reader``): the structured data embedded in a
Factur-X / ZUGFeRD PDF (EN 16931 business terms, as the ``factur-x`` library returns them:
``BT-1`` the number, ``BG-4`` the seller…), else the PDF's text layer, else a photo's text
read by Tesseract. Here that becomes ``InvoiceFacts``, then proposals for the questions they
answer (``flows.proposals``): each is shown to the user before anything is kept, and checked
by the same engine as a typed answer, so a misread value is refused or corrected, never used.

The user is the seller (the creditor) and the buyer is the debtor. Text is searched with the
labels French and English invoices print ("Facture n°", "Total TTC", "Invoice date", "Amount
due", "SIRET", "IBAN"…); a value without its label is not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum import iban as iban_number
from stdnum.be import vat as be_enterprise
from stdnum.fr import siren, siret

from flows.conversation import Reading
from flows.model import Case
from flows.parsing import ParseError, clean_text, parse_amount, parse_date
from flows.proposals import Proposal
from flows.question_checks import format_company_id

FACTURX = "facturx"
PDF_TEXT = "pdf_text"
OCR = "ocr"
# EN 16931 invoice type codes of credit notes (UNTDID 1001): not an unpaid invoice.
CREDIT_NOTE_TYPES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420",
                               "458", "532"})
# The Party Legal Identifier's scheme (ISO 6523 ICD): 0002 a SIREN, 0009 a SIRET.
_SIREN_SCHEMES = frozenset({"0002", "0009"})
_COUNTRIES = {"FR": "fr", "BE": "be"}
MAX_TEXT = 30_000  # characters of text searched: an invoice's first pages


@dataclass(frozen=True)
class Party:
    name: str = ""
    street: tuple[str, ...] = ()  # the lines before the postcode and town
    postcode: str = ""
    town: str = ""
    country: str = ""  # ISO 3166 code, "FR"
    company_id: str = ""  # SIREN or SIRET (France), enterprise number (Belgium): digits
    vat_id: str = ""

    @property
    def address(self) -> str:
        """The postal address as a letter prints it, one line a part."""
        if not self.street or not self.town:
            return ""
        last = f"{self.postcode} {self.town}".strip() if self.country != "CA" else \
            f"{self.town} {self.postcode}".strip()
        return "\n".join([*self.street, last])

    @property
    def known_business(self) -> bool:
        return bool(self.company_id or self.vat_id)


@dataclass(frozen=True)
class InvoiceFacts:
    number: str = ""
    issued: date | None = None
    due: date | None = None
    total: str = ""  # incl. tax, as printed or "1200.50"
    currency: str = ""  # ISO 4217 when known
    seller: Party = field(default_factory=Party)
    buyer: Party = field(default_factory=Party)
    iban: str = ""
    bic: str = ""
    supplied: str = ""  # what the invoice's lines say was supplied

    @property
    def found(self) -> bool:
        return any((self.number, self.issued, self.total))


# From the Factur-X data -----------------------------------------------------------------------
def from_fields(fields: dict[str, Any]) -> InvoiceFacts:
    """EN 16931 terms (``factur-x``'s ``parse_ubl_cii_xml``, strings for amounts and dates)."""
    if str(fields.get("BT-3", "")) in CREDIT_NOTE_TYPES:
        return InvoiceFacts()
    currency = _text(fields.get("BT-5")).upper()
    total = _decimal(fields.get("BT-112"))
    lines = fields.get("BG-25")
    names = [_text(line.get("BT-153")) for line in (lines if isinstance(lines, list) else [])
             if isinstance(line, dict)]
    return InvoiceFacts(
        number=_text(fields.get("BT-1"))[:40],
        issued=_iso_day(fields.get("BT-2")),
        due=_iso_day(fields.get("BT-9")) or _due_from_terms(_text(fields.get("BT-20")),
                                                              _iso_day(fields.get("BT-2"))),
        total=f"{total} {currency}".strip() if total is not None else "",
        currency=currency,
        seller=_party(fields.get("BG-4")),
        buyer=_party(fields.get("BG-7")),
        iban=_valid_iban(_text(fields.get("BT-84"))),
        bic=_text(fields.get("BT-86")),
        supplied=_supplied([n for n in names if n]),
    )


def _party(block: Any) -> Party:
    if not isinstance(block, dict):
        return Party()
    street = tuple(line for line in (_text(block.get(k)) for k in ("addr_l1", "addr_l2",
                                                                     "addr_l3")) if line)
    legal = re.sub(r"\D", "", _text(block.get("legal_identifier")))
    scheme = _text(block.get("legal_identifier_schemeid"))
    vat_id = _text(block.get("vat_identifier")).replace(" ", "").upper()
    country = _text(block.get("country_code")).upper()
    company = legal if scheme in _SIREN_SCHEMES or not scheme else ""
    if not company and vat_id.startswith("FR") and len(vat_id) == 13:
        company = vat_id[4:]  # a French VAT number ends with the SIREN
    if not company and vat_id.startswith("BE"):
        company = vat_id[2:]
    return Party(name=_text(block.get("name"))[:120], street=street,
                 postcode=_text(block.get("postcode")), town=_text(block.get("city")),
                 country=country, company_id=company, vat_id=vat_id)


# From text ----------------------------------------------------------------------------------
_DATE = (r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
         r"|\d{1,2}(?:er|st|nd|rd|th)?\s+[^\W\d_]{3,10}\.?\s+\d{4}"
         r"|[^\W\d_]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")
_AMOUNT = (r"((?:€|\$|EUR|CAD)?\s*\d{1,3}(?:[ \u00a0\u202f.,'’]\d{3})*(?:[.,]\d{2})?"
           r"\s*(?:€|\$|EUR|CAD)?)")
_SEP = r"\s*[:\-]?\s*"
_NUMBER = re.compile(
    r"(?:facture|invoice)\s*(?:n\s*[°ºo]\.?|num[ée]ro|no\.?|number|nr\.?|#)" + _SEP
    + r"([A-Z0-9][A-Z0-9\-/_.]{0,38}\d[A-Z0-9\-/_.]*|\d+)"
    + r"|n\s*[°º]\s*de\s*facture" + _SEP + r"([A-Z0-9][A-Z0-9\-/_.]*)",
    re.IGNORECASE)
_ISSUED = [
    re.compile(r"(?:date\s+de\s+(?:la\s+)?facture|date\s+d['’]\s*[ée]mission"
               r"|date\s+de\s+facturation|invoice\s+date|date\s+of\s+issue|issue\s+date"
               r"|issued\s+on|[ée]mise?\s+le)" + _SEP + _DATE, re.IGNORECASE),
    re.compile(r"(?:facture|invoice)\s*(?:n\s*[°ºo]\.?|no\.?|#)\s*\S+\s+(?:du|of|dated)\s+"
               + _DATE, re.IGNORECASE),
    re.compile(r"^\s*date\s*:\s*" + _DATE, re.IGNORECASE | re.MULTILINE),
]
_DUE = re.compile(
    r"(?:date\s+d['’]\s*[ée]ch[ée]ance|[ée]ch[ée]ance|date\s+limite\s+de\s+(?:paiement|r[èe]glement)"
    r"|[àa]\s+payer\s+(?:avant\s+le|au\s+plus\s+tard\s+le|le)|payable\s+(?:avant\s+le|le|au)"
    r"|due\s+date|payment\s+due(?:\s+date)?|due\s+(?:by|on))" + _SEP + _DATE, re.IGNORECASE)
_TERMS = re.compile(r"(?:[àa]|net|within|sous)\s+(\d{1,3})\s*(?:jours|days|j)\b(?!\s+fin)"
                    r"(?!\s+(?:de\s+mois|end))", re.IGNORECASE)
_TOTALS = [  # the amount including tax first; what is left to pay only failing it
    re.compile(r"(?:total\s*\(?\s*TTC\s*\)?|montant\s*TTC|total\s+toutes\s+taxes"
               r"|total\s*\(?\s*incl\.?\s*(?:vat|tax(?:es)?)\s*\)?|total\s+including\s+(?:vat|tax)"
               r"|grand\s+total)" + _SEP + r"\n?\s*" + _AMOUNT, re.IGNORECASE),
    re.compile(r"(?:net\s+[àa]\s+payer|total\s+[àa]\s+payer|montant\s+d[ûu]|amount\s+due"
               r"|total\s+due|balance\s+due)" + _SEP + r"\n?\s*" + _AMOUNT, re.IGNORECASE),
]
_FR_ID = re.compile(r"\b(SIRE[NT]|RCS(?:\s+[^\W\d_]+)*)\s*(?:n\s*[°º]\.?)?" + _SEP
                    + r"((?:\d[ .]?){8,13}\d)", re.IGNORECASE)
_VAT_ID = re.compile(r"\b(FR\s?[0-9A-Z]{2}\s?\d{3}\s?\d{3}\s?\d{3}"
                     r"|BE\s?0?\d{3}[ .]?\d{3}[ .]?\d{3})\b", re.IGNORECASE)
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30})\b")
_BIC = re.compile(r"\b(?:BIC|SWIFT)(?:\s*/\s*SWIFT)?" + _SEP
                  + r"([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")
_BUYER = re.compile(r"^\s*(?:client|factur[ée]e?\s+[àa]|adress[ée]e?\s+[àa]|destinataire"
                    r"|bill(?:ed)?\s+to|invoice\s+to|sold\s+to|customer)\s*:?\s*(.*)$",
                    re.IGNORECASE)
_SELLER = re.compile(r"^\s*(?:[ée]metteur|vendeur|fournisseur|prestataire|from|seller"
                     r"|supplier)\s*:?\s*(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^\s*(?:facture|invoice|date|total|d[ée]signation|description|qt[ée]"
                      r"|quantity|r[èe]glement|payment|iban|siren|siret|tva|vat)\b",
                      re.IGNORECASE)
_FR_TOWN = re.compile(r"^(?:F-)?(\d{5})\s+([^\W\d_][^\d]*)$")
_BE_TOWN = re.compile(r"^(?:B-)?([1-9]\d{3})\s+([^\W\d_][^\d]*)$")
_CA_TOWN = re.compile(r"^([^\W\d_][^\d]*?)[, ]+([A-Z]\d[A-Z] ?\d[A-Z]\d)$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:d[ée]signation|description|objet|object|prestation)\s*:\s*(.+)$",
                   re.IGNORECASE | re.MULTILINE)


def from_text(raw: str, today: date) -> InvoiceFacts:
    """Facts found next to their labels in an invoice's text (a PDF's text layer, a photo's
    OCR); what is not labelled is left to ask."""
    text = raw[:MAX_TEXT].replace("\r", "\n")
    # Blank lines say nothing (OCR puts one between most lines): blocks end at a label or
    # at their town's line instead.
    lines = [line for line in (clean_text(raw_line) for raw_line in text.split("\n")) if line]
    flat = "\n".join(lines)
    issued = _first_day(_ISSUED, flat, today)
    due = _first_day([_DUE], flat, today)
    if due is None:
        terms = _TERMS.search(flat)
        due = issued + timedelta(days=int(terms.group(1))) if terms and issued else None
    buyer = _block(lines, _BUYER)
    seller = _block(lines, _SELLER) or _heading_block(lines)
    buyer_lines = set(range(buyer[1], buyer[2])) if buyer else set()
    seller_id, buyer_id = _company_ids(lines, buyer_lines)
    total = _first_amount(flat)
    return InvoiceFacts(
        number=_number(flat),
        issued=issued,
        due=due,
        total=total,
        seller=replace(_party_from(seller[0] if seller else []), company_id=seller_id),
        buyer=replace(_party_from(buyer[0] if buyer else []), company_id=buyer_id),
        iban=_first_iban(flat),
        bic=m.group(1) if (m := _BIC.search(flat)) else "",
        supplied=m.group(1)[:200] if (m := _ITEM.search(flat)) else "",
    )


def _number(text: str) -> str:
    match = _NUMBER.search(text)
    if match is None:
        return ""
    return (match.group(1) or match.group(2) or "").rstrip(".")[:40]


def _first_day(patterns: list[re.Pattern[str]], text: str, today: date) -> date | None:
    for pattern in patterns:
        for match in pattern.finditer(text):
            try:
                return parse_date(match.group(1), today)
            except ParseError:
                continue
    return None


def _first_amount(text: str) -> str:
    for pattern in _TOTALS:
        for match in pattern.finditer(text):
            found = clean_text(match.group(1))
            try:
                parse_amount(found)
            except ParseError:
                continue
            return found
    return ""


def _first_iban(text: str) -> str:
    for match in _IBAN.finditer(text.upper()):
        found = _valid_iban(match.group(1))
        if found:
            return found
    return ""


def _company_ids(lines: list[str], buyer_lines: set[int]) -> tuple[str, str]:
    """The seller's and the buyer's registration numbers: a number printed inside the buyer's
    block is the buyer's, any other the seller's (legal mentions are the seller's)."""
    seller, buyer = "", ""
    for index, line in enumerate(lines):
        for number in _ids_in(line):
            if index in buyer_lines:
                buyer = buyer or number
            else:
                seller = seller or number
    return seller, buyer


def _ids_in(line: str) -> list[str]:
    found = []
    for match in _FR_ID.finditer(line):
        digits = re.sub(r"\D", "", match.group(2))
        if (len(digits) == 9 and siren.is_valid(digits)) or \
                (len(digits) == 14 and siret.is_valid(digits)):
            found.append(digits)
    for match in _VAT_ID.finditer(line):
        compact = re.sub(r"[\s.]", "", match.group(1).upper())
        if compact.startswith("FR") and siren.is_valid(compact[4:]):
            found.append(compact[4:])
        elif compact.startswith("BE") and be_enterprise.is_valid(compact[2:].zfill(10)):
            found.append(compact[2:].zfill(10))
    return found


def _block(lines: list[str], label: re.Pattern[str]) -> tuple[list[str], int, int] | None:
    """The lines of the block a label opens ("Client :", "Bill to"): the name, then the
    address, up to the line with the postcode and town."""
    for index, line in enumerate(lines):
        match = label.match(line)
        if match is None:
            continue
        taken: list[str] = [match.group(1)] if match.group(1).strip() else []
        end = index + 1
        while end < len(lines) and len(taken) < 6:
            current = lines[end]
            if not current or label.match(current) or _SELLER.match(current) \
                    or _BUYER.match(current) or (taken and _SECTION.match(current)):
                break
            taken.append(current)
            end += 1
            if _town_line(current) is not None:
                break
        while end < len(lines) and _ids_in(lines[end]):
            end += 1  # its registration numbers, printed under its address
        if taken:
            return taken, index, end
    return None


def _heading_block(lines: list[str]) -> tuple[list[str], int, int] | None:
    """An unlabelled seller: the lines heading the invoice, when they end with a town."""
    taken: list[str] = []
    for index, line in enumerate(lines[:8]):
        if not line:
            if taken:
                break
            continue
        if _SECTION.match(line) or _BUYER.match(line):
            break
        taken.append(line)
        if _town_line(line) is not None:
            return taken, 0, index + 1
    return None


def _party_from(block: list[str]) -> Party:
    """Name first, then street lines, then the postcode and town."""
    if not block:
        return Party()
    name, rest = block[0], block[1:]
    street: list[str] = []
    for line in rest:
        town = _town_line(line)
        if town is not None:
            postcode, town_name, country = town
            return Party(name=name[:120], street=tuple(street), postcode=postcode,
                         town=town_name, country=country)
        if _ids_in(line) or re.search(r"\b(?:SIRE[NT]|TVA|VAT|t[ée]l|tel|e-?mail|@)",
                                      line, re.IGNORECASE):
            continue
        street.append(line)
    return Party(name=name[:120])


def _town_line(line: str) -> tuple[str, str, str] | None:
    text = line.strip().rstrip(",")
    # A French department is 01 to 95, or 97 and 98 overseas.
    if (m := _FR_TOWN.match(text)) and (1 <= int(m.group(1)[:2]) <= 95
                                        or m.group(1)[:2] in {"97", "98"}):
        return m.group(1), m.group(2).strip(), "FR"
    if m := _BE_TOWN.match(text):
        return m.group(1), m.group(2).strip(), "BE"
    if m := _CA_TOWN.match(text):
        return m.group(2).upper(), m.group(1).strip(), "CA"
    return None


# Proposals ----------------------------------------------------------------------------------
def read(reading: Reading, today: date) -> InvoiceFacts:
    """The facts of an adapter's reading, whichever way it was read."""
    if reading.method == FACTURX:
        return from_fields(reading.fields)
    return from_text(reading.text, today)


def proposals(facts: InvoiceFacts, case: Case, source: str) -> list[Proposal]:
    """The answers these facts propose. The country and the kind of debtor only while not
    answered (an invoice does not overrule the user's own choice of country)."""
    offered: dict[str, str] = {}
    country = _jurisdiction(facts)
    if country and not case.answered("jurisdiction"):
        offered["jurisdiction"] = country
    if facts.buyer.known_business and not case.answered("debtor_kind"):
        offered["debtor_kind"] = "business"
    offered["debtor_name"] = facts.buyer.name
    offered["invoice_number"] = facts.number
    offered["invoice_amount"] = facts.total
    offered["issue_date"] = facts.issued.isoformat() if facts.issued else ""
    offered["due_date"] = facts.due.isoformat() if facts.due else ""
    offered["creditor_name"] = facts.seller.name
    offered["creditor_address"] = facts.seller.address
    offered["debtor_address"] = facts.buyer.address
    offered["city"] = facts.seller.town if facts.seller.address else ""
    offered["supply_description"] = facts.supplied
    where = offered.get("jurisdiction") or case.jurisdiction
    offered["creditor_id"] = format_company_id(where, facts.seller.company_id)
    offered["debtor_id"] = format_company_id(where, facts.buyer.company_id)
    offered["payment_details"] = _payment_details(facts)
    return [Proposal(key, value, source) for key, value in offered.items() if value]


def _jurisdiction(facts: InvoiceFacts) -> str:
    """France or Belgium when both parties are there; Quebec for a Canadian invoice in CAD."""
    countries = {facts.seller.country, facts.buyer.country} - {""}
    if len(countries) == 1:
        only = countries.pop()
        if only == "CA" and facts.currency in {"CAD", ""}:
            return "qc"
        return _COUNTRIES.get(only, "")
    return ""


def _payment_details(facts: InvoiceFacts) -> str:
    if not facts.iban:
        return ""
    details = f"IBAN {iban_number.format(facts.iban)}"
    return f"{details} BIC {facts.bic}" if facts.bic else details


# Helpers ------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return clean_text(str(value)) if value is not None else ""


def _decimal(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount > 0 else None


def _iso_day(value: Any) -> date | None:
    text = _text(value)
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _due_from_terms(terms: str, issued: date | None) -> date | None:
    match = _TERMS.search(terms)
    return issued + timedelta(days=int(match.group(1))) if match and issued else None


def _valid_iban(value: str) -> str:
    compact = re.sub(r"\s", "", value.upper())
    return compact if compact and iban_number.is_valid(compact) else ""


def _supplied(names: list[str]) -> str:
    if not names:
        return ""
    text = ", ".join(names[:3])
    return text[:200]
