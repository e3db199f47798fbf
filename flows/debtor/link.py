"""The debtor's link: one random token per case, printed in every letter to the debtor.

128 random bits (``secrets.token_urlsafe(16)``: 22 characters a Telegram ``/start`` parameter
and a URL both carry). The token is the only key: whoever holds the letter may see that claim
and answer it, nothing else. It dies when the creditor revokes it (``/revoke``; a later letter
then carries a new one) and when the case is closed. An unknown, revoked or dead token is
answered exactly like a mistyped one, so that nothing tells them apart.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from flows.debtor.files import DRAFT
from flows.debtor.record import DebtorSide, stamp
from flows.model import Account, Case

TOKEN_BYTES = 16  # 128 bits
# What ``token_urlsafe(16)`` produces: 22 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{22}$")


def looks_like_token(text: str) -> bool:
    return bool(TOKEN_SHAPE.match(text))


def is_open(case: Case) -> bool:
    return case.closed is None and case.state != "closed"


def issue(case: Case, now: datetime) -> str:
    """The case's live token, made now if it has none (first letter, or after a revocation)."""
    side = DebtorSide(case)
    if not side.token:
        side.data["token"] = secrets.token_urlsafe(TOKEN_BYTES)
        side.data["issued_at"] = stamp(now)
    return side.token


def revoke(case: Case, now: datetime) -> bool:
    """The token stops working at once; False when there was none. What the debtor already
    answered stays in the case; their chat is forgotten (they can no longer act)."""
    side = DebtorSide.read(case)
    if not side.token:
        return False
    side = DebtorSide(case)
    for name in _ABOUT_THE_DEBTOR:
        side.data.pop(name, None)
    side.data["revoked_at"] = stamp(now)
    case.log(now, "debtor_link_revoked")
    return True


# What the debtor's record holds about the debtor themselves and what they were doing, as
# opposed to what they answered (which the case keeps: it is the creditor's evidence).
_ABOUT_THE_DEBTOR = ("token", "issued_at", "chat", "lang", "awaiting", "contest_reason",
                     "ack_pending", DRAFT)


def case_closed(case: Case) -> None:
    """The case was just closed: its link is dead (``is_open``) and the debtor's chat, language
    and unfinished answers are forgotten, so nothing more reaches them from this case."""
    side = DebtorSide.read(case)
    for name in _ABOUT_THE_DEBTOR:
        side.data.pop(name, None)


def live(case: Case) -> str:
    """The token that works now for this case ('' when none: never issued, revoked, closed)."""
    token = DebtorSide.read(case).token
    return token if token and is_open(case) else ""


def holds(case: Case, token: str) -> bool:
    """Whether ``token`` opens this case now (compared in constant time)."""
    mine = live(case)
    return bool(mine) and secrets.compare_digest(mine.encode(), token.encode())


def find(account: Account, token: str) -> Case | None:
    """The open case of this account that ``token`` opens, if any."""
    return next((case for case in account.cases if holds(case, token)), None)


def live_tokens(account: Account) -> dict[str, str]:
    """token → case id, for every case of the account whose link works now (what the
    storage's index of tokens keeps for this chat)."""
    return {token: case.id for case in account.cases if (token := live(case))}


def debtor_chats(account: Account) -> dict[str, str]:
    """The debtors' chat → token, for the live links a debtor opened in Telegram (so that
    their typed answers find the case)."""
    found = {}
    for case in account.cases:
        side = DebtorSide.read(case)
        if side.chat and live(case):
            found[side.chat] = side.token
    return found


def deep_link(bot_username: str, token: str) -> str:
    """The Telegram link that opens the bot with ``/start <token>``."""
    return f"https://t.me/{bot_username}?start={token}"
