"""The files a debtor sends with their objection: how many, how big, and how the case keeps them.

The bytes are screened exactly as the creditor's evidence is (``flows.evidence.screening``, in
the screening workers, with the same budget), under the debtor's own ``POLICY``. Kept, each is
a record of ``case.evidence`` like the creditor's files, marked ``"from": "debtor"``: the export
lists it, the chronology names it (``debtor_file``), the creditor receives it with the
objection, and is never asked what it proves (it is the other side's evidence).

On the web page the files come with the form. On Telegram the debtor sends them one by one
after typing their reasons, then presses Done: meanwhile the objection waits in the debtor's
record (``DRAFT``) with the files already received, so that nothing is lost on the way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flows import limits
from flows.debtor.record import DebtorSide
from flows.evidence import screening
from flows.i18n import catalog, t
from flows.model import Account, Case, new_id

MB = 1024 * 1024
# 10 MB a file, not Telegram's 20 MB: a phone photo or a scanned delivery note is a few MB, and
# the web page has no Telegram in front of it: anyone holding the letter can post straight to
# the bot's server, so one objection costs at most 5 x 10 MB of disk and screening work, and
# the case takes no more of the debtor's files than that, whatever they try.
MAX_FILE_BYTES = 10 * MB
MAX_FILES = 5
POLICY = screening.Policy(max_bytes=MAX_FILE_BYTES, quota_bytes=MAX_FILES * MAX_FILE_BYTES)

FROM_DEBTOR = "debtor"
DRAFT = "contest_draft"  # the objection typed on Telegram, waiting for Done, and its files
# Refusals said in the debtor's own words; the others are the evidence's (a dangerous file,
# an archive…), which read the same for anyone.
_OWN_REFUSALS = frozenset({"too_big", "too_many", "quota", "case_full", "no_case"})


def is_from_debtor(record: dict[str, Any]) -> bool:
    return record.get("from") == FROM_DEBTOR


def kept(case: Case) -> list[dict[str, Any]]:
    """The debtor's files the case keeps, in the order received."""
    return [record for record in case.evidence if is_from_debtor(record)]


# The Telegram draft --------------------------------------------------------------------------
def draft(case: Case) -> dict[str, Any] | None:
    """The objection waiting for Done: ``reason``, ``text`` and the ``files`` received."""
    value = DebtorSide.read(case).data.get(DRAFT)
    return value if isinstance(value, dict) else None


def start_draft(case: Case, reason: str, text: str) -> None:
    """The reasons typed: files may come now. Files of an earlier draft stay with it."""
    earlier = draft(case) or {}
    DebtorSide(case).data[DRAFT] = {"reason": reason, "text": text,
                                    "files": list(earlier.get("files", []))}


def draft_files(case: Case) -> list[dict[str, Any]]:
    found = draft(case)
    return list(found.get("files", [])) if found else []


def drop_draft(case: Case) -> None:
    DebtorSide.read(case).data.pop(DRAFT, None)


def draft_blobs(account: Account) -> set[tuple[str, str]]:
    """(case id, blob name) of every file waiting with an objection, in every case."""
    return {(case.id, str(record.get("stored_as", ""))) for case in account.cases
            for record in draft_files(case)}


def held_by(case: Case) -> set[str]:
    """The blob names the case's records hold: its evidence, and the waiting objection's files
    (the same bytes, the same name: a debtor's file may be the creditor's evidence too)."""
    return {str(record.get("stored_as", "")) for record in [*case.evidence, *draft_files(case)]}


def unheld(account: Account, blobs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Those of ``blobs`` (case id, name) that no record holds any more: an objection dropped
    unsent (link revoked, case closed) leaves its files to be deleted, not kept unseen."""
    cases = {case.id: case for case in account.cases}
    return sorted((case_id, name) for case_id, name in blobs
                  if name and (case_id not in cases or name not in held_by(cases[case_id])))


def add_to_draft(case: Case, record: dict[str, Any]) -> bool:
    """Keep ``record`` with the waiting objection; False when the same bytes are already in."""
    found = draft(case)
    if found is None:
        return False
    files = list(found.get("files", []))
    if any(item.get("sha256") == record["sha256"] for item in files):
        return False
    found["files"] = [*files, record]
    return True


# Room and records -----------------------------------------------------------------------------
def held(files: list[dict[str, Any]]) -> int:
    """What the objection's files already weigh (the debtor's quota counts this)."""
    return sum(int(record.get("size") or 0) for record in files)


def room(case: Case, already: list[dict[str, Any]], size: int | None) -> str:
    """Why one more file (of ``size`` bytes, None: not known yet) cannot join ``already``, the
    objection's files: a refusal code, or '' when it may."""
    if len(already) >= MAX_FILES:
        return "too_many"
    if limits.evidence_full(case, size):
        return "case_full"
    return ""


def record(name: str, mime_type: str, size: int, sha256: str, now: datetime) -> dict[str, Any]:
    """The evidence record of a screened, kept file of the debtor's."""
    return {"id": new_id(), "name": screening.clean_name(name), "mime": mime_type, "size": size,
            "sha256": sha256, "received_at": now.isoformat(), "stored_as": f"evidence/{sha256}",
            "caption": "", "proves": None, "from": FROM_DEBTOR}


def refusal_text(lang: str, code: str, detail: str = "") -> str:
    """Why a file of the debtor's was not kept, in their language."""
    if code in _OWN_REFUSALS:
        return t(lang, f"debtor.files.refused.{code}", count=MAX_FILES,
                 mb=MAX_FILE_BYTES // MB)
    key = f"casefile.evidence.refused.{code}"
    if key not in catalog("en"):
        key = "casefile.evidence.refused.unreadable"
    return t(lang, key, name=detail, size="")
