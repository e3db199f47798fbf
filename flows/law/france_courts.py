"""France: which court hears a claim against a business debtor, named for its postcode.

Claims against a trader (commerçant, commercial company) go to the commercial court of the
debtor's seat, a tribunal des activités économiques (TAE) in the 12 pilot cities; claims against
a non-trader (SCI, association, liberal profession) or a consumer go to the tribunal judiciaire
(LEGAL_FACTS A10.1, F0). The territory is always the debtor's (CPC 42, 1406). We hold the TAE
areas only (``data/fr_tae_courts.toml``), not the map of every commercial court, so outside
them the court is named by the debtor's town and the bot says what it assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.law import tables
from flows.law.messages import Message, Source

COURTS_FILE = "fr_tae_courts"
# The forms for an injonction de payer (LEGAL_FACTS A10.1; check the version in force).
COMMERCIAL_FORM = "12946"
JUDICIAL_FORM = "12948"


@dataclass(frozen=True)
class NamedCourt:
    """The court for this debtor, the Cerfa form of its injonction de payer, and what we
    assumed to name it (None when the postcode settles it)."""

    name: Message
    form: str
    assumed: Message | None
    source: Source


def judicial_court(town: str) -> NamedCourt:
    name = (Message.of("law.court.fr.judicial_of_town", town=town) if town
            else Message.of("law.court.fr.judicial"))
    assumed = Message.of("law.court.fr.assumed_judicial", town=town) if town else None
    return NamedCourt(name, JUDICIAL_FORM, assumed, Source("CPC 1406"))


def commercial_court(postcode: str, town: str, on: date) -> NamedCourt:
    data: dict[str, Any] = tables.data_file(COURTS_FILE)
    meta = data["meta"]
    source = Source(meta["article"], meta["source"], meta["verified"])
    piloting = meta["valid_from"] <= on <= meta["valid_to"]
    courts = data["court"] if piloting else []
    for court in courts:
        if postcode and any(postcode.startswith(prefix) for prefix in court["postcodes"]):
            return NamedCourt(Message.of("law.court.fr.tae_of", city=court["city"]),
                              COMMERCIAL_FORM,
                              Message.of("law.court.fr.assumed_tae", postcode=postcode,
                                         city=court["city"]),
                              source)
    for court in courts:
        if postcode[:2] == court["department"]:
            return NamedCourt(Message.of("law.court.fr.commercial_or_tae_of", town=town,
                                         city=court["city"]),
                              COMMERCIAL_FORM,
                              Message.of("law.court.fr.assumed_department", town=town,
                                         city=court["city"]),
                              source)
    if town:
        return NamedCourt(Message.of("law.court.fr.commercial_of_town", town=town),
                          COMMERCIAL_FORM,
                          Message.of("law.court.fr.assumed_town", town=town), source)
    if piloting:
        cities = ", ".join(court["city"] for court in data["court"])
        return NamedCourt(Message.of("law.court.fr.commercial_or_tae", cities=cities),
                          COMMERCIAL_FORM, None, source)
    return NamedCourt(Message.of("law.court.fr.commercial"), COMMERCIAL_FORM, None, source)
