"""Checks on answers beyond their kind (``flows.questions`` names one per question): dates in
the right order and time, sums in the case's currency and within the invoice, and the answers
the documents need, so that what gets printed is right.

A name needs letters, and an address a street, a postcode and a town of the country, or the
letter does not arrive. A company number goes on a formal demand and a court request: a mistyped
SIREN or Belgian enterprise number is caught here, with the reason, rather than on the judge's
desk. An IBAN typed among the payment details is checked the same way (one wrong digit sends the
money nowhere).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from stdnum import iban
from stdnum.be import vat as be_enterprise
from stdnum.fr import siren, siret

from flows.law.tables import first_covered_day
from flows.model import Case
from flows.parsing import ParseError
from flows.payment import longest_valid_iban

NO_VALUE = {"none", "unknown", "self", "invoice"}  # the buttons' codes: nothing to check
_IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){10,30}\b")


def company_id(case: Case, value: Any, _today: date) -> None:
    """SIREN / SIRET in France, enterprise number in Belgium; Quebec's NEQ is ten digits."""
    if not isinstance(value, str) or value in NO_VALUE:
        return
    digits = re.sub(r"[\s.\-]", "", value.upper()).removeprefix("BE")
    country = case.jurisdiction
    if not digits.isdigit():
        raise ParseError(f"error.company_id_{country if country in {'be', 'qc'} else 'fr'}")
    if country == "fr":
        if len(digits) == 9 and siren.is_valid(digits):
            return
        if len(digits) == 14 and siret.is_valid(digits):
            return
        raise ParseError("error.company_id_fr")
    if country == "be":
        if len(digits) == 9:
            digits = "0" + digits  # older numbers are written without the leading 0
        if len(digits) == 10 and be_enterprise.is_valid(digits):
            return
        raise ParseError("error.company_id_be")
    if len(digits) != 10:
        raise ParseError("error.company_id_qc")


_LETTER = re.compile(r"[^\W\d_]")  # a letter of any alphabet
_FR_POSTCODE = re.compile(r"\b(\d{2})\d{3}\b")
_BE_POSTCODE = re.compile(r"\b(?:BE?-?\s?)?[1-9]\d{3}\b", re.IGNORECASE)
# Canada Post's code, letter-digit-letter digit-letter-digit (no D, F, I, O, Q, U).
_CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b",
                          re.IGNORECASE)
_POSTCODES = {"fr": _FR_POSTCODE, "be": _BE_POSTCODE, "qc": _CA_POSTCODE}


def has_letters(_case: Case, value: Any, _today: date) -> None:
    """A name (of a person, a company, a town) has at least one letter: "12345" is not one."""
    if isinstance(value, str) and value not in NO_VALUE and not _LETTER.search(value):
        raise ParseError("error.name_letters")


def postal_address(case: Case, value: Any, _today: date) -> None:
    """A street, then a postcode and town of the case's country: what a letter needs to arrive.
    Lines or commas separate the parts; "12 rue des Lilas 75011 Paris" on one line is fine."""
    if not isinstance(value, str) or value in NO_VALUE:
        return
    country = case.jurisdiction if case.jurisdiction in _POSTCODES else "fr"
    if not _is_postal_address(value, _POSTCODES[country], country):
        raise ParseError(f"error.address_{country}")


def _is_postal_address(value: str, postcode: re.Pattern[str], country: str) -> bool:
    parts = [part.strip() for part in re.split(r"[\n,]", value) if part.strip()]
    for index, part in enumerate(parts):
        lettered = [i for i, other in enumerate(parts) if i != index and _LETTER.search(other)]
        for found in postcode.finditer(part):
            if country == "fr" and not _french_department(found.group(1)):
                continue
            before, after = part[:found.start()], part[found.end():]
            if country == "qc":
                # The town comes before the code: on its line, or on the line before.
                if _LETTER.search(before + after):
                    town_parts = []
                elif index - 1 in lettered:
                    town_parts = [index - 1]
                else:
                    continue
                if any(i not in town_parts for i in lettered):
                    return True
            elif _LETTER.search(after) and (lettered or _LETTER.search(before)):
                return True  # a town after the code, a street on another line or before it
    return False


def _french_department(first_two: str) -> bool:
    """01 to 95 in mainland France and Corsica (20), 97 and 98 overseas."""
    return 1 <= int(first_two) <= 95 or first_two in {"97", "98"}


def payment_details(_case: Case, value: Any, _today: date) -> None:
    """If an IBAN is given, its check digits must be right."""
    if not isinstance(value, str) or value in NO_VALUE:
        return
    upper = value.upper()
    for match in _IBAN_LIKE.finditer(upper):
        # "… 189 BIC AGRIFRPP": the IBAN is the valid run at the start of the match, not the
        # match with the BIC's letters run into it.
        if longest_valid_iban(upper[match.start():]):
            continue
        candidate = re.sub(r"\s", "", match.group(0))
        raise ParseError("error.iban", {"iban": iban.format(candidate)})


def not_in_past(_case: Case, value: Any, today: date) -> None:
    if isinstance(value, str) and value not in NO_VALUE and date.fromisoformat(value) < today:
        raise ParseError("error.date_past")


# Suspending one's own performance (C. civ. 1219-1220) is notified first with a short deadline
# (LEGAL_FACTS A7): the notice leaves the debtor the customary 8 days of a demand to pay.
SUSPENSION_NOTICE_DAYS = 8


def suspension_start(_case: Case, value: Any, today: date) -> None:
    """Services are suspended no sooner than 8 days after the notice, sent today."""
    first = today + timedelta(days=SUSPENSION_NOTICE_DAYS)
    if isinstance(value, str) and value not in NO_VALUE and date.fromisoformat(value) < first:
        raise ParseError("error.suspend_too_soon", {"first": first.isoformat(),
                                                    "days": SUSPENSION_NOTICE_DAYS})


def not_in_future(_case: Case, value: Any, today: date) -> None:
    if isinstance(value, str) and value not in NO_VALUE and date.fromisoformat(value) > today:
        raise ParseError("error.date_future")


def reminder_after_invoice(case: Case, value: Any, today: date) -> None:
    not_in_future(case, value, today)
    issued = [i.issue_date for i in case.invoices()]
    if issued and date.fromisoformat(value) < min(issued):
        raise ParseError("error.reminder_before_invoice")


def sent_after_invoice(case: Case, value: Any, today: date) -> None:
    """A letter already sent ("none" if not): not in the future, not before the invoice."""
    if value != "none":
        reminder_after_invoice(case, value, today)


def judgment_before_publication(case: Case, value: Any, today: date) -> None:
    not_in_future(case, value, today)
    published = case.day("insolvency_date")
    if published is not None and date.fromisoformat(value) > published:
        raise ParseError("error.judgment_after_publication")


# Dates in the right order, sums in the right currency ----------------------------------------
def invoice_date(case: Case, value: Any, today: date) -> None:
    not_in_future(case, value, today)
    # Interest before our rate tables start would have to borrow a later rate: refused.
    first = first_covered_day(case.jurisdiction)
    if date.fromisoformat(value) < first:
        raise ParseError("error.before_rate_tables", {"first": first.isoformat()})


def due_after_issue(case: Case, value: Any, _today: date) -> None:
    issued = case.day("issue_date")
    if value != "none" and issued and date.fromisoformat(value) < issued:
        raise ParseError("error.due_before_issue", {"issued": issued.isoformat()})


def in_case_currency(case: Case, value: Any, _today: date) -> None:
    # The law of each jurisdiction is computed in its own currency (EUR, or CAD in Quebec).
    if isinstance(value, dict) and value.get("currency") != case.currency:
        raise ParseError("error.currency", {"currency": case.currency})


def past_or_today(case: Case, value: Any, today: date) -> None:
    if value != "today":
        not_in_future(case, value, today)


def paid_below_total(case: Case, value: Any, today: date) -> None:
    in_case_currency(case, value, today)
    # Checked against the invoice being entered, the one whose answers are in ``answers``.
    total = case.money("invoice_amount")
    if isinstance(value, dict) and total and Decimal(value["amount"]) >= total.amount:
        raise ParseError("error.paid_too_much")


def payments_fit(case: Case, value: Any, today: date) -> None:
    """Dated sums, none before the invoice nor in the future, together at most its amount (an
    invoice paid in full but late still owes its late interest)."""
    issued = case.day("issue_date")
    total = case.money("invoice_amount")
    received = sum((Decimal(p["amount"]) for p in value), Decimal(0))
    for payment in value:
        in_case_currency(case, payment, today)
        day = date.fromisoformat(payment["on"])
        if day > today:
            raise ParseError("error.date_future")
        if issued and day < issued:
            raise ParseError("error.payment_before_issue", {"issued": issued.isoformat()})
    if total and received > total.amount:
        raise ParseError("error.payments_too_much")


def format_company_id(jurisdiction: str, value: str) -> str:
    """A registration number written the usual way: ``732 829 320``, ``0403.170.701``."""
    digits = re.sub(r"[\s.\-]", "", value.upper()).removeprefix("BE")
    if not digits.isdigit():
        return value
    if jurisdiction == "fr" and len(digits) == 9:
        return str(siren.format(digits))
    if jurisdiction == "fr" and len(digits) == 14:
        return str(siret.format(digits))
    if jurisdiction == "be" and len(digits) in {9, 10}:
        digits = digits.zfill(10)
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return value
