"""What every storage backend promises (``bot/storage/interface.py``), checked on each of them.

The ``storage`` fixture (``tests/conftest.py``) runs each test once per backend listed in
``testing/backends.py``: a new backend passes these before the bot may use it.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Storage, StoredChat
from flows.debtor import answers, link
from flows.model import Account
from tests.followup_cases import FORMAL_DEMAND, followed

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def chat(chat_id: str = "42", debtor: str = "Société Générale d'Été") -> StoredChat:
    account = Account.new(chat_id, "fr")
    case = account.open_new_case(NOW)
    case.answers.update({"debtor_name": debtor,
                         "invoice_amount": {"amount": "1200.50", "currency": "EUR"}})
    return StoredChat(account, seen_updates=[7, 8],
                      pending_documents=[{"job": {"case_id": case.id, "kind": "demand_letter"},
                                          "attempts": 1}])


# Accounts -----------------------------------------------------------------------------------
def test_a_chat_never_written_is_not_there(storage: Storage) -> None:
    assert storage.accounts.load("404") is None
    assert list(storage.accounts.chat_ids()) == []


def test_a_written_chat_reads_back_whole_with_its_envelope(storage: Storage) -> None:
    written = chat()
    storage.accounts.save(written, None)
    loaded = storage.accounts.load("42")
    assert loaded is not None
    assert loaded.account.to_json() == written.account.to_json()
    assert loaded.account.cases[0].answers["debtor_name"] == "Société Générale d'Été"
    assert loaded.seen_updates == [7, 8]
    assert loaded.pending_documents == written.pending_documents


def test_prepare_takes_the_chat_as_it_is_then_writes_only_when_called(
        storage: Storage) -> None:
    first = chat(debtor="Dupont SARL")
    storage.accounts.save(first, None)
    changed = chat(debtor="Martin SAS")
    write = storage.accounts.prepare(changed, None)
    changed.account.cases[0].answers["debtor_name"] = "changed after prepare"
    changed.seen_updates.append(9)
    loaded = storage.accounts.load("42")
    assert loaded is not None
    assert loaded.account.cases[0].answers["debtor_name"] == "Dupont SARL"  # not yet
    write()
    loaded = storage.accounts.load("42")
    assert loaded is not None
    assert loaded.account.cases[0].answers["debtor_name"] == "Martin SAS"
    assert loaded.seen_updates == [7, 8]


def test_chats_are_listed_and_kept_apart(storage: Storage) -> None:
    for chat_id, debtor in (("1", "Alpha"), ("2", "Bêta"), ("-100", "Gamma")):
        storage.accounts.save(chat(chat_id, debtor), None)
    assert sorted(storage.accounts.chat_ids()) == ["-100", "1", "2"]
    loaded = storage.accounts.load("2")
    assert loaded is not None
    assert loaded.account.cases[0].answers["debtor_name"] == "Bêta"


def test_delete_erases_the_chat_its_files_and_its_reminders(storage: Storage) -> None:
    kept = chat("42")
    case_id = kept.account.cases[0].id
    storage.accounts.save(kept, NOW)
    storage.accounts.save(chat("43"), NOW + timedelta(hours=1))
    storage.blobs.put("42", case_id, "documents/mise_en_demeure.pdf", b"%PDF-1.7")
    storage.accounts.delete("42")
    assert storage.accounts.load("42") is None
    assert storage.blobs.get("42", case_id, "documents/mise_en_demeure.pdf") is None
    assert storage.blobs.names("42", case_id) == []
    assert list(storage.accounts.chat_ids()) == ["43"]
    assert storage.reminders.claim_due(NOW + timedelta(days=1)) == ["43"]
    storage.accounts.delete("404")  # nothing held: nothing to do, no error


@pytest.mark.parametrize("chat_id", ["../etc", "a/b", "", "x" * 100])
def test_unsafe_chat_ids_are_refused(storage: Storage, chat_id: str) -> None:
    with pytest.raises(ValueError, match="invalid chat id"):
        storage.accounts.load(chat_id)


# Blobs --------------------------------------------------------------------------------------
def test_blobs_are_kept_by_case_and_name(storage: Storage) -> None:
    storage.blobs.put("42", "case1", "documents/relance_1.pdf", b"one")
    storage.blobs.put("42", "case1", "evidence/ab12", b"\x00\xff")
    storage.blobs.put("42", "case2", "documents/relance_1.pdf", b"other case")
    storage.blobs.put("7", "case1", "documents/relance_1.pdf", b"other chat")
    assert storage.blobs.get("42", "case1", "documents/relance_1.pdf") == b"one"
    assert storage.blobs.get("42", "case1", "evidence/ab12") == b"\x00\xff"
    assert storage.blobs.names("42", "case1") == ["documents/relance_1.pdf", "evidence/ab12"]
    assert storage.blobs.get("42", "case1", "documents/missing.pdf") is None
    storage.blobs.put("42", "case1", "documents/relance_1.pdf", b"drawn again")
    assert storage.blobs.get("42", "case1", "documents/relance_1.pdf") == b"drawn again"


def test_a_blob_dropped_is_gone_and_only_it(storage: Storage) -> None:
    storage.blobs.put("42", "case1", "evidence/ab12", b"the debtor's")
    storage.blobs.put("42", "case1", "evidence/cd34", b"the creditor's")
    storage.blobs.put("42", "case2", "evidence/ab12", b"another case's")
    storage.blobs.drop("42", "case1", "evidence/ab12")
    assert storage.blobs.get("42", "case1", "evidence/ab12") is None
    assert storage.blobs.names("42", "case1") == ["evidence/cd34"]
    assert storage.blobs.get("42", "case2", "evidence/ab12") == b"another case's"
    storage.blobs.drop("42", "case1", "evidence/ab12")  # already gone: nothing to do
    storage.blobs.drop("404", "case9", "evidence/ab12")


@pytest.mark.parametrize("name", ["../chat.json", "/etc/passwd", "documents/../../x", ""])
def test_blob_names_stay_inside_their_case(storage: Storage, name: str) -> None:
    with pytest.raises(ValueError, match="invalid blob name"):
        storage.blobs.put("42", "case1", name, b"x")
    with pytest.raises(ValueError, match="invalid blob name"):
        storage.blobs.drop("42", "case1", name)


def test_a_scratch_file_moves_in_as_a_blob(storage: Storage) -> None:
    first = storage.blobs.scratch("42", "photo.jpg")
    second = storage.blobs.scratch("42", "photo.jpg")
    assert first != second
    assert not first.exists()
    first.write_bytes(b"\xff\xd8 a photo")
    storage.blobs.put_file("42", "case1", "evidence/cafe", first)
    assert not first.exists()
    assert storage.blobs.get("42", "case1", "evidence/cafe") == b"\xff\xd8 a photo"


def test_sweep_removes_what_interrupted_work_left_and_nothing_else(storage: Storage) -> None:
    storage.accounts.save(chat("42"), None)
    storage.blobs.put("42", "case1", "documents/relance_1.pdf", b"kept")
    left = storage.blobs.scratch("42", "impayes_export.zip")
    left.write_bytes(b"PK an export never sent")
    started = datetime.now(UTC).timestamp() + 60  # the files above are older than "now"
    assert storage.sweep(started) >= 1
    assert not left.exists()
    assert storage.blobs.get("42", "case1", "documents/relance_1.pdf") == b"kept"
    assert storage.accounts.load("42") is not None


# The reminder index ------------------------------------------------------------------------
def wake(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def test_the_index_follows_every_write(storage: Storage) -> None:
    storage.reminders.open(lambda _account: None)
    storage.accounts.save(chat("1"), wake(3))
    storage.accounts.save(chat("2"), wake(1))
    storage.accounts.save(chat("3"), None)
    assert storage.reminders.next_due() == wake(1)
    storage.accounts.save(chat("2"), wake(5))  # pushed back
    assert storage.reminders.next_due() == wake(3)
    assert storage.reminders.claim_due(wake(2)) == []
    assert sorted(storage.reminders.claim_due(wake(6))) == ["1", "2"]


def test_a_due_chat_is_claimed_once_until_released(storage: Storage) -> None:
    storage.reminders.open(lambda _account: None)
    storage.accounts.save(chat("1"), wake(1))
    storage.accounts.save(chat("2"), wake(2))
    storage.accounts.save(chat("3"), wake(30))
    assert sorted(storage.reminders.claim_due(wake(2))) == ["1", "2"]
    assert storage.reminders.claim_due(wake(2)) == []  # claimed already
    assert storage.reminders.next_due() == wake(30)  # a claimed chat is not waited for
    # Chat 1's reminder was sent and marked: the write plans its next one, then the release.
    storage.accounts.save(chat("1"), wake(24))
    storage.reminders.release("1")
    # Chat 2's delivery failed before any write: released, it is due again at once.
    storage.reminders.release("2")
    assert storage.reminders.claim_due(wake(2)) == ["2"]
    storage.reminders.release("2")
    assert storage.reminders.next_due() == wake(2)
    assert sorted(storage.reminders.claim_due(wake(25))) == ["1", "2"]


def test_racing_claimers_never_get_the_same_chat(storage: Storage) -> None:
    storage.reminders.open(lambda _account: None)
    for number in range(200):
        storage.reminders.plan(str(number), wake(number % 5))
    claims: list[list[str]] = []
    start = threading.Barrier(4)

    def claimer() -> None:
        start.wait()
        mine: list[str] = []
        for _ in range(20):
            mine += storage.reminders.claim_due(wake(10))
        claims.append(mine)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [chat_id for mine in claims for chat_id in mine]
    assert sorted(every, key=int) == [str(number) for number in range(200)]


def test_planning_without_a_write_and_nothing_planned(storage: Storage) -> None:
    storage.reminders.open(lambda _account: None)
    assert storage.reminders.next_due() is None
    woken: list[datetime] = []
    storage.reminders.watch(woken.append)
    storage.reminders.plan("9", wake(8))  # a reminder waits for the morning
    assert storage.reminders.next_due() == wake(8)
    # A watcher may be woken more than once for one plan (PostgreSQL also relays its own
    # NOTIFY back, from another thread): waking is idempotent, the time is what matters.
    assert set(woken) == {wake(8)}
    storage.reminders.plan("9", None)
    assert storage.reminders.next_due() is None
    assert storage.reminders.claim_due(wake(100)) == []


def test_the_index_survives_a_restart(storage: Storage) -> None:
    storage.reminders.open(lambda _account: None)
    storage.accounts.save(chat("1"), wake(1))
    storage.accounts.save(chat("2"), wake(2))
    storage.accounts.save(chat("2"), None)
    # Opened again (as after a restart): what was planned is still planned.
    assert storage.reminders.open(lambda _account: None) == 1
    assert storage.reminders.claim_due(wake(3)) == ["1"]


# The outbox log -------------------------------------------------------------------------------
def test_the_outbox_log_keeps_its_lines_in_order(storage: Storage) -> None:
    assert storage.outbox.read() == []
    for line in ("+42", "+7", "-42", "~7"):
        storage.outbox.append(line)
    assert storage.outbox.read() == ["+42", "+7", "-42", "~7"]
    storage.outbox.rewrite(["~7", "+7"])
    storage.outbox.append("+9")
    assert storage.outbox.read() == ["~7", "+7", "+9"]
    storage.outbox.close()
    assert storage.outbox.read() == ["~7", "+7", "+9"]


# The per-chat lock ----------------------------------------------------------------------------
async def test_one_chat_waits_for_its_own_lock_and_other_chats_do_not(
        storage: Storage) -> None:
    order: list[str] = []
    other_chat_in = asyncio.Event()

    async def work(chat_id: str, name: str) -> None:
        async with storage.locks[chat_id]:
            order.append(f"{name} in")
            if name == "c":
                other_chat_in.set()
            if name == "a":
                # Chat 1 keeps its lock until chat 2 is in: were chat 2 waiting for it, this
                # times out. No pause to outlast, however loaded the machine.
                await asyncio.wait_for(other_chat_in.wait(), timeout=20)
            order.append(f"{name} out")

    await asyncio.gather(work("1", "a"), work("1", "b"), work("2", "c"))
    first, second = sorted("ab", key=lambda name: order.index(f"{name} in"))
    assert order.index(f"{first} out") < order.index(f"{second} in")  # same chat: in turn
    assert order.index("c in") < order.index("a out")  # another chat did not wait


def test_scratch_paths_are_local_files(storage: Storage) -> None:
    path = storage.blobs.scratch("42", "x.zip")
    assert isinstance(path, Path)
    path.write_bytes(b"scratch")
    storage.accounts.delete("42")
    assert not path.exists()  # erased with the chat


# The debtors' links ---------------------------------------------------------------------------
def creditor(chat_id: str = "1001") -> Account:
    return followed(FORMAL_DEMAND, chat_id=chat_id).account


def test_a_link_finds_its_chat_and_case_once_written_until_revoked(storage: Storage) -> None:
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    write = storage.accounts.prepare(StoredChat(account), None)
    assert storage.debtor_tokens.find(token) is None  # prepared, not yet written
    write()
    assert storage.debtor_tokens.find(token) == ("1001", case.id)
    assert storage.debtor_tokens.find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert storage.debtor_tokens.find("not a token at all") is None
    link.revoke(case, NOW)
    storage.accounts.save(StoredChat(account), None)
    assert storage.debtor_tokens.find(token) is None
    fresh = link.issue(case, NOW)  # the next letter carries a new link
    storage.accounts.save(StoredChat(account), None)
    assert storage.debtor_tokens.find(fresh) == ("1001", case.id)


def test_a_debtor_chat_finds_the_case_it_opened_until_the_case_closes(
        storage: Storage) -> None:
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    storage.accounts.save(StoredChat(account), None)
    assert storage.debtor_tokens.debtor("2002") is None  # not opened yet
    answers.opened(case, "2002", "en", NOW)
    storage.accounts.save(StoredChat(account), None)
    assert storage.debtor_tokens.debtor("2002") == ("1001", case.id)
    case.state = "closed"
    storage.accounts.save(StoredChat(account), None)
    assert storage.debtor_tokens.debtor("2002") is None
    assert storage.debtor_tokens.find(token) is None


def test_links_of_two_creditors_are_kept_apart_and_erased_with_their_chat(
        storage: Storage) -> None:
    first, second = creditor("1001"), creditor("1002")
    first_token = link.issue(first.cases[0], NOW)
    second_token = link.issue(second.cases[0], NOW)
    answers.opened(first.cases[0], "2002", "fr", NOW)
    for account in (first, second):
        storage.accounts.save(StoredChat(account), None)
    # Chat 1002 was itself a debtor of chat 1001 once (a debtor chat may be anyone's).
    answers.opened(first.cases[0], "1002", "fr", NOW)
    storage.accounts.save(StoredChat(first), None)
    assert storage.debtor_tokens.debtor("1002") == ("1001", first.cases[0].id)
    storage.accounts.delete("1002")
    assert storage.debtor_tokens.find(second_token) is None
    assert storage.debtor_tokens.debtor("1002") is None  # its own entry as a debtor too
    assert storage.debtor_tokens.find(first_token) == ("1001", first.cases[0].id)
    storage.accounts.delete("1001")
    assert storage.debtor_tokens.find(first_token) is None
    assert storage.debtor_tokens.debtor("2002") is None


def test_a_debtor_chat_opening_a_first_creditors_link_again_reaches_that_creditor(
        storage: Storage) -> None:
    """A debtor owing two creditors opened both links; the second case closed. Opening the
    first link again must route the debtor's answers to the first creditor, although that
    creditor's account (read back as the bot reads it) already named the debtor's chat: the
    index entry of a debtor chat is shared by every creditor whose link it opened."""
    first, second = creditor("1001"), creditor("1002")
    link.issue(first.cases[0], NOW)
    link.issue(second.cases[0], NOW)
    answers.opened(first.cases[0], "2002", "fr", NOW)
    storage.accounts.save(StoredChat(first), None)
    answers.opened(second.cases[0], "2002", "fr", NOW)
    storage.accounts.save(StoredChat(second), None)
    assert storage.debtor_tokens.debtor("2002") == ("1002", second.cases[0].id)
    second.cases[0].state = "closed"
    storage.accounts.save(StoredChat(second), None)
    assert storage.debtor_tokens.debtor("2002") is None
    again = storage.accounts.load("1001")
    assert again is not None
    answers.opened(again.account.cases[0], "2002", "fr", NOW)  # /start <first link> again
    storage.accounts.save(again, None)
    assert storage.debtor_tokens.debtor("2002") == ("1001", first.cases[0].id)
