"""What the export says: the chronology of each case, the evidence index, the read-me.

``bot.export`` writes the zip; everything a person reads in it is worded here, in the user's
language, from the account alone.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flows import formatting
from flows.casefile import human_size, item_label, title
from flows.debtor.chronology import DEBTOR_EVENTS
from flows.debtor.chronology import event_text as debtor_event_text
from flows.debtor.files import is_from_debtor
from flows.evidence import locker, screening
from flows.i18n import catalog, t
from flows.model import Account, Case
from flows.money import Money

ROOT = "impayes_export"


def archive_name(now: datetime, part: int = 1, parts: int = 1) -> str:
    stamp = now.strftime("%Y%m%d")
    return f"{ROOT}_{stamp}.zip" if parts == 1 else f"{ROOT}_{stamp}_{part}of{parts}.zip"


def slug(text: str, limit: int = 40) -> str:
    """Plain ASCII for a folder name: ``ACME Rénovation SARL`` → ``acme-renovation-sarl``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def case_folder(case: Case, number: int, lang: str) -> str:
    """``cases/01_acme-renovation-sarl_1a2b3c4d``: numbered, named, unique."""
    name = slug(title(case, lang)) or "case"
    return f"cases/{number:02d}_{name}_{case.id}"


def evidence_names(case: Case) -> list[tuple[dict[str, Any], str]]:
    """Each kept file with its name inside the case folder, numbered so none collide."""
    named = []
    for number, record in enumerate(locker.files(case), start=1):
        name = screening.clean_name(str(record.get("name", "")), fallback="file")
        safe = re.sub(r'[<>:"/\\|?*]', "_", name)
        named.append((record, f"evidence/{number:02d}_{safe}"))
    return named


def evidence_index(case: Case, lang: str) -> list[list[str]]:
    """The evidence index: one row per file, with the header first."""
    rows = [[t(lang, f"casefile.index.{column}") for column in
             ("file", "name", "type", "size", "received", "sha256", "proves", "caption")]]
    for record, path in evidence_names(case):
        proves = record.get("proves")
        rows.append([
            path, str(record.get("name", "")), str(record.get("mime", "")),
            str(record.get("size", "")), str(record.get("received_at", "")),
            str(record.get("sha256", "")),
            (t(lang, "casefile.index.from_debtor") if is_from_debtor(record)
             else item_label(lang, str(proves), long=True) if proves else ""),
            str(record.get("caption", "")),
        ])
    return rows


def chronology(case: Case, lang: str) -> list[tuple[str, str, str]]:
    """(when, kind, what happened) for every entry, the case's opening first."""
    entries = [(case.created_at, "opened", t(lang, "casefile.chronology.opened"))]
    for event in case.events:
        entries.append((str(event.get("at", "")), str(event.get("kind", "")),
                        event_text(case, event, lang)))
    return entries


def event_text(case: Case, event: dict[str, Any], lang: str) -> str:
    """One chronology entry in words."""
    kind = str(event.get("kind", ""))
    params: dict[str, Any] = dict(event.get("params", {}))
    if kind == "evidence":
        return t(lang, "casefile.chronology.evidence", name=params.get("name", ""),
                 size=human_size(int(params.get("size", 0)), lang),
                 sha256=params.get("sha256", ""))
    if kind == "documents":
        remedy = str(params.get("remedy", ""))
        return t(lang, "casefile.chronology.documents",
                 remedy=t(lang, f"remedy.{remedy}") if remedy else "",
                 files=", ".join(str(f) for f in params.get("files", [])))
    if kind == "outcome":
        return t(lang, "casefile.chronology.outcome",
                 outcome=t(lang, f"choice.outcome.{params.get('outcome', '')}"))
    if kind == "payment":
        return t(lang, "casefile.chronology.payment",
                 amount=_amount(params.get("amount"), case, lang))
    if kind in DEBTOR_EVENTS:
        return debtor_event_text(event, lang, case.jurisdiction, case.currency)
    key = f"casefile.chronology.{kind}"
    if key in catalog("en"):
        return t(lang, key, **params)
    details = ", ".join(f"{name}: {value}" for name, value in params.items())
    return f"{kind} — {details}" if details else kind


def _amount(value: Any, case: Case, lang: str) -> str:
    try:
        return formatting.money(Money(Decimal(str(value)), case.currency), lang,
                                case.jurisdiction)
    except (InvalidOperation, ValueError):
        return str(value)


def _when(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp


def chronology_text(case: Case, lang: str) -> str:
    lines = [t(lang, "casefile.chronology.title", case=title(case, lang)), ""]
    for stamp, _kind, text in chronology(case, lang):
        first, *rest = text.split("\n")
        lines.append(f"{_when(stamp)}  {first}")
        lines += [f"                  {line}" for line in rest]
    return "\n".join(lines) + "\n"


def chronology_rows(case: Case, lang: str) -> list[list[str]]:
    rows = [[t(lang, f"casefile.index.{column}") for column in ("at", "kind", "what")]]
    rows += [[stamp, kind, text] for stamp, kind, text in chronology(case, lang)]
    return rows


def readme(account: Account, lang: str, now: datetime) -> str:
    return t(lang, "casefile.export.readme", date=formatting.day(now.date(), lang),
             time=now.strftime("%H:%M"), count=len(account.cases)) + "\n"
