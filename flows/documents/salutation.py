"""How a letter greets its reader: "Monsieur Durand," when the debtor's contact person is
known with a civility, "Madame, Monsieur," otherwise ("Dear Mr Durand," / "Dear Sir or
Madam," in English), with the closing formula to match (catalog ``documents.greeting``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.i18n import t

# What people type before a name: Monsieur, M., Mr → "mr"; Madame, Mme, Mrs, Ms → "ms".
CIVILITIES = {"monsieur": "mr", "m": "mr", "mr": "mr",
              "madame": "ms", "mme": "ms", "mrs": "ms", "ms": "ms"}
_FIRST_WORD = re.compile(r"^\s*([A-Za-zÀ-ÿ]+)\.?\s+(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Greeting:
    """The opening and the closing words of a letter to one reader."""

    salutation: str  # "Monsieur Durand," — a paragraph of its own
    closing: str  # "Je vous prie d'agréer, Monsieur, l'expression de mes salutations…"
    named: bool  # a named person, not "Madame, Monsieur"


def addressee(contact: str) -> tuple[str, str] | None:
    """The civility code and surname in "Monsieur Paul Durand, gérant" (``("mr",
    "Durand")``); None when the text does not start with a civility and a name."""
    match = _FIRST_WORD.match(contact)
    if match is None:
        return None
    civility = CIVILITIES.get(match.group(1).lower())
    name = match.group(2).split(",")[0].strip()
    if civility is None or not name:
        return None
    return civility, name.split()[-1]


def greeting(contact: str, lang: str) -> Greeting:
    """The greeting of a letter to ``contact`` (the person as typed, "" when none)."""
    person = addressee(contact) if contact else None
    if person is None:
        return Greeting(t(lang, "documents.greeting.anyone"),
                        t(lang, "documents.greeting.closing_anyone"), False)
    civility, surname = person
    title = t(lang, f"documents.greeting.{civility}")
    return Greeting(t(lang, "documents.greeting.named", title=title, surname=surname),
                    t(lang, f"documents.greeting.closing_{civility}"), True)
