"""The insolvency watch's plumbing: ask the BODACC, hold the chat's lock, save, say it.

``GET <IMPAYES_BODACC_API_URL>/catalog/datasets/annonces-commerciales/records`` with an ODSQL
``where`` on ``registre`` (the SIREN) and ``familleavis="collective"`` answers
``{"total_count": n, "results": [...]}`` (Opendatasoft's Explore API v2.1, the DILA's BODACC
open data: https://bodacc-datadila.opendatasoft.com/explore/dataset/annonces-commerciales/api/).
What an announcement means for the case is ``flows.insolvency_watch``'s to say.

When: once as soon as a SIREN is entered (in the background: the reply that acknowledged it
has already gone), then daily for every open case with one when ``IMPAYES_LOOKUPS=
daily`` (off by default, as the ECB job). The daily pass reads every chat file once: fine for a
daily job on one machine; a watch index like the reminders' would spare it past that.

Delivery follows the reminders' rule (``bot/reminders.py``): the alert is sent, then the case
saved with the announcement recorded. A crash between the two may send it again at the next
check; a failed send saves nothing, so the next check alerts again: late rather than never.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.config import Settings
from bot.public_api import SourceUnavailable, fetch_json
from bot.service import TURN_LOCK, Assistant
from bot.storage import StoredChat
from flows.company import watched
from flows.conversation import Reply
from flows.insolvency_watch import Announcement, alert, openings

log = logging.getLogger("impayes.insolvency")

DATASET_PATH = "/catalog/datasets/annonces-commerciales/records"
FIRST_DAILY_PASS = timedelta(minutes=2)

Deliver = Callable[[str, Reply], Awaitable[None]]


def fetch_openings(settings: Settings, siren: str) -> list[Announcement]:
    """The opening judgments the BODACC has published against ``siren``, newest first."""
    if not settings.lookups:
        return []
    answer = fetch_json(settings.bodacc_api_url, DATASET_PATH, {
        "where": f'registre like "{siren}" and familleavis="collective"',
        "order_by": "dateparution desc",
        "limit": "20",
    })
    return openings(answer, siren)


def alerts_for(settings: Settings, assistant: Assistant, chat_id: str,
               case_id: str | None) -> tuple[StoredChat | None, list[Reply]]:
    """Ask the BODACC about the chat's watched cases (one, or all): the chat changed by
    what was found (None when nothing was) and the alerts to send. Network and storage: to
    be run off the event loop."""
    chat = assistant.load(chat_id)
    if chat is None:
        return None, []
    account, clock = chat.account, assistant.clock
    replies = []
    for case in list(account.cases):
        if case_id is not None and case.id != case_id:
            continue
        siren = watched(case)
        if not siren:
            continue
        try:
            found = fetch_openings(settings, siren)
        except SourceUnavailable as error:
            log.info("BODACC not available for a case of chat %s: %s", chat_id, error)
            continue
        with TURN_LOCK:
            reply = alert(account, case, found, clock())
        if reply is not None:
            replies.append(reply)
    return (chat if replies else None), replies


class InsolvencyWatch:
    """Checks chats against the BODACC and delivers what it finds, under each chat's lock."""

    def __init__(self, settings: Settings, assistant: Assistant, deliver: Deliver) -> None:
        self.settings, self.assistant = settings, assistant
        self.locks = assistant.storage.locks
        self.deliver = deliver
        self._background: set[asyncio.Task[int]] = set()

    async def check(self, chat_id: str, case_id: str | None = None) -> int:
        """Check one chat (one case of it): how many alerts went out."""
        async with self.locks[chat_id]:
            chat, replies = await asyncio.to_thread(
                alerts_for, self.settings, self.assistant, chat_id, case_id)
            for reply in replies:
                await self.deliver(chat_id, reply)
            if chat is not None:
                await asyncio.to_thread(self.assistant.save, chat)
            return len(replies)

    def check_soon(self, chat_id: str, case_id: str) -> None:
        """The first check of a SIREN just entered, in the background."""
        task = asyncio.get_running_loop().create_task(self._quietly(chat_id, case_id))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _quietly(self, chat_id: str, case_id: str | None) -> int:
        try:
            return await self.check(chat_id, case_id)
        except Exception:
            log.exception("insolvency check for chat %s failed", chat_id)
            return 0

    async def check_everyone(self) -> int:
        """The daily pass: every chat with a watched case, one after the other."""
        sent = 0
        accounts = self.assistant.storage.accounts
        for chat_id in await asyncio.to_thread(lambda: list(accounts.chat_ids())):
            if chat_id.lstrip("-").isdigit():  # console users get theirs in the console
                sent += await self._quietly(chat_id, None)
        log.info("insolvency watch: %d alerts", sent)
        return sent

    def install_daily(self, job_queue: Any) -> None:
        """When ``IMPAYES_LOOKUPS=daily``: the pass once a day."""
        if not self.settings.insolvency_watch or not self.settings.lookups or job_queue is None:
            return

        async def run(_context: Any) -> None:
            await self.check_everyone()

        job_queue.run_repeating(run, interval=timedelta(days=1), first=FIRST_DAILY_PASS,
                                name="insolvency_watch")
