"""The debtor's personal links, printed on every letter addressed to them.

The token is the case's (128 random bits, revocable); where it leads depends on how the bot
runs, which only the adapter knows at start: its Telegram username (from ``getMe``) gives the
deep link ``https://t.me/<bot>?start=<token>``, and a public address (webhook mode) the web page
``https://<address>/d/<token>`` for debtors without Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass

WEB_PATH = "/d/"


@dataclass(frozen=True)
class LinkBases:
    """Where the debtor's links point: the bot's username, the public address ("" if none)."""

    bot_username: str = ""
    public_url: str = ""


NO_LINKS = LinkBases()


def telegram_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def web_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{WEB_PATH}{token}"


def links_for(token: str, bases: LinkBases) -> dict[str, str]:
    """The debtor's links for ``token``: ``telegram`` and ``web``, each only when it exists."""
    if not token:
        return {}
    links: dict[str, str] = {}
    if bases.bot_username:
        links["telegram"] = telegram_link(bases.bot_username, token)
    if bases.public_url:
        links["web"] = web_link(bases.public_url, token)
    return links
