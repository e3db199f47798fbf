"""How much one user may pile up: cases, notes, evidence files and bytes per case.

Every save rewrites the chat's whole file and every turn loads it, so what one user keeps sets
what each of their messages costs. These bounds are far above any real collection of unpaid
invoices, and bound what one chat can cost: at all of them at once its file is about 12 MB,
a second to load and encode, done in a worker thread and in pieces so that other chats' replies
are not held up meanwhile (``bot.storage.json_pieces``). The bytes of the evidence files are
not in it, only their records; the space they take is bounded per case here and per user by
``flows.evidence.screening.Policy``.
"""

from __future__ import annotations

from flows.model import Account, Case

MB = 1024 * 1024
MAX_CASES = 100  # open and closed together
MAX_NOTES_PER_CASE = 500
MAX_FILES_PER_CASE = 300
MAX_BYTES_PER_CASE = 100 * MB


def cases_full(account: Account) -> bool:
    return len(account.cases) >= MAX_CASES


def notes_full(case: Case) -> bool:
    return sum(1 for event in case.events if event.get("kind") == "note") >= MAX_NOTES_PER_CASE


def evidence_full(case: Case, size: int | None) -> bool:
    """Whether the case can take no more files, or not one of ``size`` bytes (None: unknown
    yet, only the number of files counts)."""
    if len(case.evidence) >= MAX_FILES_PER_CASE:
        return True
    held = sum(int(record.get("size") or 0) for record in case.evidence)
    return size is not None and held + size > MAX_BYTES_PER_CASE
