"""Who the debtor is, from a company number: the register's answer read into the case's terms.

The bot asks the French administration's company search ("Recherche d'entreprises", no key,
https://recherche-entreprises.api.gouv.fr/docs/) from ``bot/company_registry.py``; this module
holds no network, only the reading: which result is the number typed, its legal name, its
registered office's address, its legal form, whether that form makes it a trader (which decides
the court: commercial court / TAE or tribunal judiciaire, ``flows/law/france_courts.py``), and
whether it is still active. The answers it proposes are shown for confirmation, never taken
silently.

Belgium's enterprise number and Quebec's NEQ are only checked (python-stdnum for Belgium): no
register is asked, the name and address are typed as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from stdnum.be import vat as be_enterprise
from stdnum.fr import siren, siret

from flows.law import tables
from flows.model import Case

LEGAL_FORMS_FILE = "fr_legal_forms"
TRADER, NON_TRADER = "trader", "non_trader"
FOUND = "insolvency_found"  # the chronology entry of a BODACC alert (flows.insolvency_watch)
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class CompanyNumber:
    """A company number typed by the user, checked: ``digits`` without spaces, ``siren`` the
    French company's nine digits (empty outside France)."""

    jurisdiction: str
    digits: str

    @property
    def siren(self) -> str:
        return self.digits[:9] if self.jurisdiction == "fr" else ""

    @property
    def shown(self) -> str:
        """As it is printed: ``123 456 789`` / ``123 456 789 00012``, ``0123.456.789``."""
        if self.jurisdiction == "fr":
            return (siren.format(self.digits) if len(self.digits) == 9
                    else siret.format(self.digits))
        if self.jurisdiction == "be":
            return f"{self.digits[:4]}.{self.digits[4:7]}.{self.digits[7:]}"
        return self.digits


def company_number(text: str, jurisdiction: str) -> CompanyNumber | None:
    """The company number ``text`` is, when it is nothing else: a valid SIREN or SIRET in France
    (check digit, python-stdnum), an enterprise number in Belgium (BE prefix and dots allowed),
    ten digits in Quebec (the NEQ has no published check digit)."""
    digits = _SEPARATORS.sub("", text.strip().upper())
    if jurisdiction == "be":
        digits = digits.removeprefix("BE")
        if len(digits) == 9:
            digits = "0" + digits  # older numbers are written without the leading 0
    if not digits.isdecimal() or not digits.isascii():
        return None
    if jurisdiction == "fr":
        valid = (len(digits) == 9 and siren.is_valid(digits)) or (
            len(digits) == 14 and siret.is_valid(digits))
    elif jurisdiction == "be":
        valid = len(digits) == 10 and be_enterprise.is_valid(digits)
    else:
        valid = len(digits) == 10
    return CompanyNumber(jurisdiction, digits) if valid else None


@dataclass(frozen=True)
class Company:
    """The register's record of one French company, read."""

    siren: str
    name: str
    address: str  # the registered office: street, then postcode and town, one a line
    legal_form: str  # INSEE's category code (``5710`` is a SAS), "" when not given
    trader: str  # TRADER, NON_TRADER, or "" when the form does not settle it
    active: bool
    closed_on: date | None


def from_search(answer: Any, number: CompanyNumber) -> Company | None:
    """The company ``number`` names in a ``/search`` answer, None when it is not among the
    results (a search by number can also match other companies' text)."""
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        return None
    for record in results:
        if isinstance(record, dict) and str(record.get("siren", "")) == number.siren:
            return _company(record)
    return None


def _company(record: dict[str, Any]) -> Company:
    seat = record.get("siege") if isinstance(record.get("siege"), dict) else {}
    assert isinstance(seat, dict)
    name = _text(record.get("nom_raison_sociale")) or _text(record.get("nom_complet"))
    form = _text(record.get("nature_juridique"))
    closed = _text(record.get("date_fermeture"))
    return Company(
        siren=str(record["siren"]),
        name=name,
        address=_address(seat),
        legal_form=form,
        trader=trader_by_form(form),
        active=_text(record.get("etat_administratif")) != "C",
        closed_on=_day(closed),
    )


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _address(seat: dict[str, Any]) -> str:
    """"12 RUE DE LA PAIX 75002 PARIS 2" as a letter's address: the street, then the postcode
    and town on their own line (the town as the register spells it)."""
    whole = _text(seat.get("adresse"))
    postcode, town = _text(seat.get("code_postal")), _text(seat.get("libelle_commune"))
    if postcode and postcode in whole:
        street = whole[:whole.index(postcode)].strip(" ,")
        if street and town:
            return f"{street}\n{postcode} {town}"
    return whole


def trader_by_form(code: str) -> str:
    """Whether the legal form makes the debtor a trader (commercial companies by form, C. com.
    L210-1), not one (civil companies, associations), or "" when it does not say."""
    forms: dict[str, str] = tables.data_file(LEGAL_FORMS_FILE)["forms"]
    verdict = forms.get(code[:2], "unknown")
    return verdict if verdict in {TRADER, NON_TRADER} else ""


def form_group(code: str) -> str:
    """The two-digit group the catalogs name (``lookup.form.57`` is a SAS)."""
    return code[:2]


# The insolvency watch's side that the journey needs (no import of the watch itself) -----------
def watched(case: Case) -> str:
    """The SIREN the insolvency watch asks the BODACC about, "" when there is none to ask
    about: a French business debtor's, on a case still open and not alerted yet."""
    if case.jurisdiction != "fr" or case.state == "closed" or alerted(case):
        return ""
    if case.text("debtor_kind") != "business":
        return ""
    digits = "".join(case.text("debtor_id").split())
    return digits[:9] if digits[:9].isdecimal() and len(digits) in {9, 14} else ""


def alerted(case: Case) -> bool:
    """Whether a BODACC announcement was already told for this case: never twice."""
    return any(event.get("kind") == FOUND for event in case.events)


