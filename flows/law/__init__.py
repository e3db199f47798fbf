"""The law the bot applies, one pack per jurisdiction behind one interface.

Call ``pack_for(jurisdiction).rights(invoice, on)`` for the figures of one invoice,
``pack_for(jurisdiction).insolvency(facts)`` for collective proceedings,
``letters(facts)`` / ``insolvency_letters(facts)`` for the legal sentences of the documents
(``flows.law.letters``), ``recommend`` in
``flows.law.remedies`` for the remedy step, and ``render_rights`` / ``rights_to_json`` to show
them. Everything returns frozen dataclasses carrying ``Message`` values, never sentences.
"""

from flows.law.facts import (
    DemandChannel,
    InsolvencyFacts,
    InvalidFacts,
    InvoiceFacts,
    Payment,
    Supply,
    TermKind,
)
from flows.law.messages import Condition, Message, Percent, Source
from flows.law.pack import JurisdictionPack, compute_rights, pack_for
from flows.law.rights import (
    CourtRoute,
    Deadline,
    InsolvencyGuide,
    InterestPeriod,
    Limitation,
    PaymentTerm,
    Rights,
    RouteKind,
)

__all__ = [
    "Condition",
    "CourtRoute",
    "Deadline",
    "DemandChannel",
    "InsolvencyFacts",
    "InsolvencyGuide",
    "InterestPeriod",
    "InvalidFacts",
    "InvoiceFacts",
    "JurisdictionPack",
    "Limitation",
    "Message",
    "Payment",
    "PaymentTerm",
    "Percent",
    "Rights",
    "RouteKind",
    "Source",
    "Supply",
    "TermKind",
    "compute_rights",
    "pack_for",
]
