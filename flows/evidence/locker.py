"""The evidence locker: what a case keeps of the files it was sent, and what each one proves.

The evidence kept in a case is a list of plain records in ``case.evidence``, each
tied (or not yet) to an item of the case's evidence checklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.debtor.files import is_from_debtor
from flows.documents.context import checklist
from flows.model import Account, Case
from flows.questions import BY_KEY


def files(case: Case) -> list[dict[str, Any]]:
    """The files kept for a case, in the order received (each a plain JSON record)."""
    return list(case.evidence)


def find(case: Case, evidence_id: str) -> dict[str, Any] | None:
    return next((f for f in files(case) if f.get("id") == evidence_id), None)


def find_by_hash(case: Case, sha256: str) -> dict[str, Any] | None:
    return next((f for f in files(case) if f.get("sha256") == sha256), None)


def bytes_held(account: Account) -> int:
    """What a user keeps in the locker, every case together (the quota counts this)."""
    return sum(int(f.get("size", 0)) for case in account.cases for f in files(case))


def target_case(account: Account) -> Case | None:
    """The case a file sent now belongs to: the one open, if any."""
    return account.current


def keep(case: Case, record: dict[str, Any]) -> None:
    case.evidence = [*files(case), record]


def untagged(case: Case) -> list[dict[str, Any]]:
    """Files the user has not yet said anything about (the debtor's own files prove nothing
    for the user: they are not asked about)."""
    return [f for f in files(case) if f.get("proves") is None and not is_from_debtor(f)]


# Against the checklist ----------------------------------------------------------------------
OTHER = "other"


def checklist_codes(case: Case) -> list[str]:
    """The checklist items a file may prove, for this case and its remedy."""
    return [str(item["code"]) for item in checklist(case)]


def question_for(code: str, case: Case) -> str | None:
    """The evidence question a checklist item answers (``contract`` → ``ev_contract``)."""
    key = f"ev_{code}"
    question = BY_KEY.get(key)
    return key if question is not None and question.applies(case) else None


@dataclass(frozen=True)
class Item:
    code: str
    held: bool | None  # what the user said (None: not asked yet)
    files: tuple[dict[str, Any], ...]

    @property
    def proven(self) -> bool:
        return bool(self.files)


def inventory(case: Case) -> tuple[list[Item], list[dict[str, Any]]]:
    """The checklist with the files proving each item, and the user's files linked to none
    (the debtor's files are neither: ``flows.debtor.files.kept``)."""
    kept = files(case)
    items = []
    for entry in checklist(case):
        code = str(entry["code"])
        held = entry["held"] if isinstance(entry["held"], bool) else None
        items.append(Item(code, held, tuple(f for f in kept if f.get("proves") == code)))
    codes = {item.code for item in items}
    loose = [f for f in kept if f.get("proves") not in codes and not is_from_debtor(f)]
    return items, loose

