"""One interface for every jurisdiction, chosen at run time from the case's jurisdiction."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from flows.law.belgium import BelgiumPack
from flows.law.facts import InsolvencyFacts, InvoiceFacts
from flows.law.france import FrancePack
from flows.law.letters import (
    InsolvencyLetterFacts,
    InsolvencyWording,
    LetterFacts,
    LetterWording,
)
from flows.law.quebec import QuebecPack
from flows.law.rights import InsolvencyGuide, Rights
from flows.vocabulary import Jurisdiction


class JurisdictionPack(Protocol):
    """The law of one country as the bot needs it: rights for an invoice, insolvency deadlines."""

    @property
    def jurisdiction(self) -> Jurisdiction: ...

    @property
    def currency(self) -> str: ...

    def rights(self, invoice: InvoiceFacts, on: date) -> Rights:
        """Interest, indemnity, payment term, limitation and court routes as of ``on``."""
        ...

    def insolvency(self, facts: InsolvencyFacts) -> InsolvencyGuide:
        """What to file, where and by when once collective proceedings are opened."""
        ...

    def letters(self, facts: LetterFacts) -> LetterWording:
        """The sentences of the letters that depend on this country's law."""
        ...

    def insolvency_letters(self, facts: InsolvencyLetterFacts) -> InsolvencyWording:
        """The same for the letters to the administrator of a debtor's insolvency."""
        ...


def pack_for(jurisdiction: Jurisdiction) -> JurisdictionPack:
    packs: dict[Jurisdiction, JurisdictionPack] = {
        Jurisdiction.FRANCE: FrancePack(),
        Jurisdiction.BELGIUM: BelgiumPack(),
        Jurisdiction.QUEBEC: QuebecPack(),
    }
    return packs[Jurisdiction(jurisdiction)]


def compute_rights(jurisdiction: Jurisdiction, invoice: InvoiceFacts, on: date) -> Rights:
    return pack_for(jurisdiction).rights(invoice, on)
