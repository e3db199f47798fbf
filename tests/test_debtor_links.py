"""The index from a debtor's token to the creditor's chat and case (bot/debtor_links.py)."""

from __future__ import annotations

from pathlib import Path

from bot.debtor_links import DebtorLinks
from bot.service import Assistant
from bot.storage import ChatStore
from flows.debtor import answers, link
from flows.model import Account
from tests.followup_cases import FORMAL_DEMAND, NOW, followed


def creditor(chat_id: str = "1001") -> Account:
    return followed(FORMAL_DEMAND, chat_id=chat_id).account


def test_a_token_finds_its_chat_and_case_until_revoked(tmp_path: Path) -> None:
    store, links = ChatStore(tmp_path), DebtorLinks(tmp_path)
    links.load(store)
    assistant = Assistant(store, lambda: NOW, links)
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    assistant.save(account)
    assert links.find(token) == ("1001", case.id)
    assert token not in (tmp_path / "debtor" / "links.log").read_text()  # only its hash
    again = DebtorLinks(tmp_path)  # after a restart, from the log
    again.load(store)
    assert again.find(token) == ("1001", case.id)
    link.revoke(case, NOW)
    assistant.save(account)
    assert links.find(token) is None
    assert links.find("not a token at all") is None


def test_a_debtor_chat_finds_the_case_it_opened_and_loses_it_when_the_case_closes(
        tmp_path: Path) -> None:
    store, links = ChatStore(tmp_path), DebtorLinks(tmp_path)
    links.load(store)
    assistant = Assistant(store, lambda: NOW, links)
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    answers.opened(case, "2002", "en", NOW)
    assistant.save(account)
    assert links.debtor("2002") == ("1001", case.id)
    case.state = "closed"
    assistant.save(account)
    assert links.debtor("2002") is None
    assert links.find(token) is None


def test_a_lost_index_is_rebuilt_from_the_chat_files(tmp_path: Path) -> None:
    store = ChatStore(tmp_path)
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    store.save(account)  # saved without the index (say, the log was deleted)
    links = DebtorLinks(tmp_path)
    links.load(store)
    assert links.find(token) == ("1001", account.cases[0].id)


def test_erasing_the_creditor_forgets_the_links(tmp_path: Path) -> None:
    store, links = ChatStore(tmp_path), DebtorLinks(tmp_path)
    links.load(store)
    assistant = Assistant(store, lambda: NOW, links)
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    assistant.save(account)
    assistant._erase("1001")
    assert links.find(token) is None
    assert "1001" not in (tmp_path / "debtor" / "links.log").read_text()
