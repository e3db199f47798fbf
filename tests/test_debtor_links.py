"""The bot's saves keep the debtors' links index in step, on every backend: the token a letter
carries finds its case from the moment the save returns, until revoked, closed or erased.

(The index's own promises: tests/test_storage_contract.py and tests/test_debtor_index.py.)"""

from __future__ import annotations

from bot.service import Assistant
from bot.storage import Storage, StoredChat
from flows.debtor import answers, link
from flows.model import Account
from tests.followup_cases import FORMAL_DEMAND, NOW, followed


def creditor(chat_id: str = "1001") -> Account:
    return followed(FORMAL_DEMAND, chat_id=chat_id).account


def test_a_saved_link_opens_its_case_until_revoked(storage: Storage) -> None:
    assistant = Assistant(storage, lambda: NOW)
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    assistant.save(StoredChat(account))
    assert storage.debtor_tokens.find(token) == ("1001", case.id)
    link.revoke(case, NOW)
    assistant.save(StoredChat(account))
    assert storage.debtor_tokens.find(token) is None


def test_a_debtor_chat_finds_its_case_until_the_case_closes(storage: Storage) -> None:
    assistant = Assistant(storage, lambda: NOW)
    account = creditor()
    case = account.cases[0]
    token = link.issue(case, NOW)
    answers.opened(case, "2002", "en", NOW)
    assistant.save(StoredChat(account))
    assert storage.debtor_tokens.debtor("2002") == ("1001", case.id)
    case.state = "closed"
    assistant.save(StoredChat(account))
    assert storage.debtor_tokens.debtor("2002") is None
    assert storage.debtor_tokens.find(token) is None


def test_erasing_the_creditor_forgets_the_links(storage: Storage) -> None:
    assistant = Assistant(storage, lambda: NOW)
    account = creditor()
    token = link.issue(account.cases[0], NOW)
    assistant.save(StoredChat(account))
    assistant._erase("1001")
    assert storage.debtor_tokens.find(token) is None
