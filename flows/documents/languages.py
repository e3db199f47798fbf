"""Which language each document is drawn in.

A letter to a debtor and every paper for a court, an administrator, an agency or a lawyer is in
the language of the law it relies on, whatever the chat's language: French in France, in
Belgium (the French-speaking side, the only one served) and in Quebec, where the courts and
the Charter of the French language call for French (``LAW_LANGUAGE``). What the user alone
reads (the evidence checklist, the script of a phone call) is in the chat's language. A user
who chats in another language may ask for a translation of the others, drawn for their
information only and marked as such on every page and in its file name
(``flows.documents.catalog.translation_jobs``).
"""

from __future__ import annotations

LAW_LANGUAGE = {"fr": "fr", "be": "fr", "qc": "fr"}
FOR_THE_USER = frozenset({"evidence_checklist", "phone_script"})


def law_language(jurisdiction: str) -> str:
    return LAW_LANGUAGE.get(jurisdiction, "fr")


def language_of(kind: str, jurisdiction: str, chat_lang: str) -> str:
    """The language ``kind`` is drawn in for a user chatting in ``chat_lang``."""
    return chat_lang if kind in FOR_THE_USER else law_language(jurisdiction)


def translated(kind: str, jurisdiction: str, chat_lang: str) -> bool:
    """Whether the user may ask for ``kind`` in their own language, as a translation."""
    return language_of(kind, jurisdiction, chat_lang) != chat_lang
