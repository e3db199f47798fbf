"""What the index of debtors' links holds for one account (both backends write it with it).

A debtor opens a case by its link's token (the web page, ``/start <token>`` in Telegram) and
then types answers in a Telegram chat of their own; neither names the creditor's chat. The
index maps a hash of each live token, and each debtor chat that opened one, to the creditor's
(chat, case): the truth stays in the creditor's account (``flows.debtor.link``), the index only
says where to look, and a lookup is checked against the account. The tokens themselves are
never stored: only the first 32 hex digits of their SHA-256, so the index leaks no working link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flows.debtor import link
from flows.model import Account

Where = tuple[str, str]  # (creditor chat, case id)


def token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class LinkEntries:
    """One account's entries: token hash → where, debtor chat → where."""

    tokens: dict[str, Where] = field(default_factory=dict)
    debtors: dict[str, Where] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tokens or self.debtors)


def entries_of(account: Account) -> LinkEntries:
    """The entries one account owns: its live links, and the debtor chats that opened them."""
    live = link.live_tokens(account)
    tokens = {token_key(token): (account.chat_id, case_id) for token, case_id in live.items()}
    # A debtor chat counts only while the link it opened is the case's live one.
    debtors = {chat: (account.chat_id, live[token])
               for chat, token in link.debtor_chats(account).items() if token in live}
    return LinkEntries(tokens, debtors)
