"""The index from a debtor's token to the creditor's chat and case (bot/debtor_links.py)."""

from __future__ import annotations

from pathlib import Path

from bot.debtor_links import DebtorLinks
from bot.service import Assistant
from bot.storage import StoredChat, TinyDBStorage
from flows.debtor import answers, link
from flows.model import Account
from tests.followup_cases import FORMAL_DEMAND, NOW, followed, press_reminder, reminder


def creditor(chat_id: str = "1001") -> Account:
    return followed(FORMAL_DEMAND, chat_id=chat_id).account


def test_a_token_finds_its_chat_and_case_until_revoked(tmp_path: Path) -> None:
    storage, links = TinyDBStorage(tmp_path), DebtorLinks(tmp_path)
    links.load(storage.accounts)
    assistant = Assistant(storage, lambda: NOW, links)
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    assistant.save(StoredChat(account))
    assert links.find(token) == ("1001", case.id)
    assert token not in (tmp_path / "debtor" / "links.log").read_text()  # only its hash
    again = DebtorLinks(tmp_path)  # after a restart, from the log
    again.load(storage.accounts)
    assert again.find(token) == ("1001", case.id)
    link.revoke(case, NOW)
    assistant.save(StoredChat(account))
    assert links.find(token) is None
    assert links.find("not a token at all") is None


def test_a_debtor_chat_finds_the_case_it_opened_and_loses_it_when_the_case_closes(
        tmp_path: Path) -> None:
    storage, links = TinyDBStorage(tmp_path), DebtorLinks(tmp_path)
    links.load(storage.accounts)
    assistant = Assistant(storage, lambda: NOW, links)
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    answers.opened(case, "2002", "en", NOW)
    assistant.save(StoredChat(account))
    assert links.debtor("2002") == ("1001", case.id)
    case.state = "closed"
    assistant.save(StoredChat(account))
    assert links.debtor("2002") is None
    assert links.find(token) is None


def test_a_lost_index_is_rebuilt_from_the_chat_files(tmp_path: Path) -> None:
    storage = TinyDBStorage(tmp_path)
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    storage.accounts.save(StoredChat(account), None)  # without the index (the log was lost)
    links = DebtorLinks(tmp_path)
    links.load(storage.accounts)
    assert links.find(token) == ("1001", account.cases[0].id)


def test_erasing_the_creditor_forgets_the_links(tmp_path: Path) -> None:
    storage, links = TinyDBStorage(tmp_path), DebtorLinks(tmp_path)
    links.load(storage.accounts)
    assistant = Assistant(storage, lambda: NOW, links)
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    assistant.save(StoredChat(account))
    assistant._erase("1001")
    assert links.find(token) is None
    assert "1001" not in (tmp_path / "debtor" / "links.log").read_text()


def test_closing_the_case_forgets_the_debtors_chat_and_the_link_dies(tmp_path: Path) -> None:
    storage, links = TinyDBStorage(tmp_path), DebtorLinks(tmp_path)
    links.load(storage.accounts)
    assistant = Assistant(storage, lambda: NOW, links)
    d = followed(FORMAL_DEMAND)  # the demand is drawn: its letter carries the case's link
    case = d.case
    token = link.live(case)
    assert token
    answers.opened(case, "987654321", "en", NOW)
    assistant.save(StoredChat(d.account))
    assert links.debtor("987654321") == ("1001", case.id)
    # The creditor says the debtor paid: the case closes, through the journey as in the chat.
    press_reminder(d, "paid", reminder(d, "demand_ended"))
    assert d.case.state == "closed"
    assistant.save(StoredChat(d.account))
    chat_file = (tmp_path / "chats" / "1001" / "chat.json").read_text()
    assert "987654321" not in chat_file  # the debtor's chat id is gone from the case
    assert token not in chat_file
    saved = assistant.load("1001")
    assert saved is not None
    assert link.find(saved.account, token) is None
    assert links.debtor("987654321") is None
    assert links.find(token) is None
    again = DebtorLinks(tmp_path)  # and after a restart, from the index's log
    again.load(storage.accounts)
    assert again.debtor("987654321") is None
    assert again.find(token) is None
