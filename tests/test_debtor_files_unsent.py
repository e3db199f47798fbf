"""An objection the debtor never sent (they pressed no Done) whose link dies, by the creditor's
/revoke or the case closing: its files are deleted with it, not kept unseen in the creditor's
case until the chat is erased. The same bytes held by another record of the case (the creditor's
own evidence) stay. On both backends."""

from __future__ import annotations

import hashlib
from datetime import datetime

from bot.debtor_desk import DebtorDesk
from bot.debtor_files import DebtorFiles
from bot.screening_pool import ScreeningPool
from bot.service import Assistant
from bot.storage import Storage, StoredChat
from flows.conversation import Command, Press
from flows.debtor import files as debtor_files
from flows.debtor import link
from flows.debtor.record import DebtorSide
from flows.evidence import locker
from flows.model import Account, Case
from tests.followup_cases import FORMAL_DEMAND, NOW, followed, reminder

PHOTO = b"the debtor's photo of two pages out of five"
NOTE = b"the signed delivery note, which the creditor holds too"


def name_of(data: bytes) -> str:
    return f"evidence/{hashlib.sha256(data).hexdigest()}"


def record(data: bytes, file_name: str) -> dict[str, object]:
    return debtor_files.record(file_name, "image/jpeg", len(data),
                               hashlib.sha256(data).hexdigest(), NOW)


def waiting_objection(storage: Storage, account: Account, case: Case) -> None:
    """The creditor's evidence holds NOTE; the debtor typed their reasons and sent PHOTO and
    NOTE, and has not pressed Done. Saved, with every file kept in the case."""
    mine = record(NOTE, "bon de livraison.pdf")
    mine.pop("from")
    locker.keep(case, mine)
    debtor_files.start_draft(case, "quantity", "Deux pages sur cinq.")
    assert debtor_files.add_to_draft(case, record(PHOTO, "photo.jpg"))
    assert debtor_files.add_to_draft(case, record(NOTE, "bon.pdf"))
    storage.accounts.save(StoredChat(account), None)
    for data in (PHOTO, NOTE):
        storage.blobs.put(account.chat_id, case.id, name_of(data), data)


def test_revoking_the_link_deletes_the_unsent_objections_files(storage: Storage) -> None:
    d = followed(FORMAL_DEMAND)
    account, case = d.account, d.case
    link.issue(case, NOW)
    waiting_objection(storage, account, case)
    reply = Assistant(storage, lambda: NOW).handle(account.chat_id, Command("revoke"))
    assert reply is not None
    assert "ne fonctionne plus" in reply.messages[0]
    assert storage.blobs.get(account.chat_id, case.id, name_of(PHOTO)) is None
    assert storage.blobs.get(account.chat_id, case.id, name_of(NOTE)) == NOTE  # the creditor's
    kept = storage.accounts.load(account.chat_id)
    assert kept is not None
    assert debtor_files.draft(kept.account.cases[0]) is None


def test_closing_the_case_deletes_the_unsent_objections_files(storage: Storage) -> None:
    d = followed(FORMAL_DEMAND)
    account, case = d.account, d.case
    link.issue(case, NOW)
    waiting_objection(storage, account, case)
    paid = Press(case.id, "fu", f"paid.{reminder(d, 'demand_ended')['id']}")
    Assistant(storage, lambda: datetime(2026, 12, 2, 9, 5, tzinfo=NOW.tzinfo)).handle(
        account.chat_id, paid)
    kept = storage.accounts.load(account.chat_id)
    assert kept is not None
    assert kept.account.cases[0].state == "closed"
    assert storage.blobs.names(account.chat_id, case.id) == [name_of(NOTE)]


async def test_a_file_kept_just_before_the_link_died_is_deleted(storage: Storage) -> None:
    d = followed(FORMAL_DEMAND)
    account, case = d.account, d.case
    link.issue(case, NOW)
    waiting_objection(storage, account, case)
    link.revoke(case, NOW)  # meanwhile, without the turn that would have deleted the files
    storage.accounts.save(StoredChat(account), None)
    desk = DebtorDesk(Assistant(storage, lambda: NOW), DebtorFiles(storage, ScreeningPool(1)))
    # The debtor's upload, kept before the creditor's lock, finds the case no longer takes it.
    await desk.drop_unheld((account.chat_id, case.id), [name_of(PHOTO), name_of(NOTE)])
    assert storage.blobs.names(account.chat_id, case.id) == [name_of(NOTE)]
    assert DebtorSide.read(case).token == ""
