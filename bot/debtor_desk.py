"""The debtor's answers delivered to both chats: the only part of the bot that acts across chats.

A debtor has no account: their link's token (``/start <token>``, then in every button) finds
the creditor's chat and case (``bot.debtor_links``), confirmed against the chat file. Each
answer is worked out in ``flows.debtor.chat`` under the *creditor's* chat lock (the case is
theirs), saved, then shown: the debtor's reply in the debtor's chat, the creditor's in theirs
with its buttons, and the documents an answer calls for to both (the plan agreement, the
acknowledgement to sign). Only the creditor's lock is
ever held, so two people who are each other's debtor never wait on each other.

The web page calls ``act`` with the same effect.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime

from telegram import Bot, CallbackQuery
from telegram.error import TelegramError

from bot.debtor_links import DebtorLinks
from bot.service import Assistant, Document, DrawingFailed
from bot.telegram_view import bubbles, keyboard, send_files
from flows import followup
from flows.conversation import Reply
from flows.debtor import chat, link
from flows.debtor.agreement import document_job
from flows.debtor.answers import Answered
from flows.debtor.chat import Exchange
from flows.debtor.record import DebtorSide
from flows.i18n import normalize_language
from flows.model import Account, Case

log = logging.getLogger("impayes.debtor")

# What a debtor's or a creditor's button does, given the case, its today, and now.
Step = Callable[[Account, Case, date, datetime], Exchange]


class DebtorDesk:
    def __init__(self, assistant: Assistant, links: DebtorLinks) -> None:
        self.assistant = assistant
        self.links = links
        self.locks = assistant.storage.locks

    # Telegram: the debtor ------------------------------------------------------------------
    async def open(self, bot: Bot, debtor_chat: int, language_code: str | None,
                   token: str) -> None:
        """``/start <token>``: the claim and the four answers, or "this link does not work"."""
        lang = normalize_language(language_code)

        def step(account: Account, case: Case, today: date, now: datetime) -> Exchange:
            return chat.open_link(case, str(debtor_chat), lang, account.lang, today, now)
        if not await self._run(bot, self.links.find(token), token, step, debtor_chat):
            await bot.send_message(debtor_chat, chat.unknown_link(lang).messages[0])

    async def debtor_press(self, bot: Bot, query: CallbackQuery, token: str,
                           choice: str) -> None:
        """A button under one of the debtor's messages (the token rides in it)."""
        lang = normalize_language(query.from_user.language_code)
        debtor_chat = query.from_user.id

        def step(account: Account, case: Case, today: date, now: datetime) -> Exchange:
            DebtorSide(case).remember_chat(str(debtor_chat), lang)
            return chat.debtor_press(case, choice, lang, account.lang, today, now)
        await _answer(query)
        if not await self._run(bot, self.links.find(token), token, step, debtor_chat):
            await bot.send_message(debtor_chat, chat.unknown_link(lang).messages[0])

    async def debtor_typed(self, bot: Bot, debtor_chat: int, text: str) -> bool:
        """Text from a chat that opened a debtor's link, when the bot asked that debtor
        something (their name, their reasons); False: not for the debtor's side."""
        where = self.links.debtor(str(debtor_chat))
        if where is None:
            return False
        stored = await asyncio.to_thread(self.assistant.load, where[0])
        case = stored.account.case(where[1]) if stored is not None else None
        if case is None or DebtorSide.read(case).chat != str(debtor_chat) \
                or not DebtorSide.read(case).awaiting:
            return False

        def step(account: Account, case: Case, today: date, now: datetime) -> Exchange:
            side = DebtorSide.read(case)
            return chat.debtor_typed(case, text, side.lang, account.lang, today, now)
        return await self._run(bot, where, DebtorSide.read(case).token, step, debtor_chat)

    # Telegram: the creditor ----------------------------------------------------------------
    async def creditor_press(self, bot: Bot, query: CallbackQuery, case_id: str,
                             choice: str) -> None:
        """Accept / counter-propose / refuse under a plan the debtor proposed."""
        creditor_chat = str(query.from_user.id)

        def step(account: Account, case: Case, today: date, now: datetime) -> Exchange:
            side = DebtorSide.read(case)
            return chat.creditor_press(case, choice, account.lang, side.lang or account.lang,
                                       today, now)
        await _answer(query)
        await self._run(bot, (creditor_chat, case_id), None, step, None)

    # The web page --------------------------------------------------------------------------
    async def act(self, bot: Bot, token: str,
                  do: Callable[[Case, date, datetime], Answered]) -> Answered | None:
        """A debtor's answer from the web page: ``do`` changes the case (a function of
        ``flows.debtor.answers``); the creditor is told as from Telegram. None: the link does
        not work (answer as for a mistyped one)."""
        done: list[Answered] = []

        def step(account: Account, case: Case, today: date, now: datetime) -> Exchange:
            answered = do(case, today, now)
            done.append(answered)
            side = DebtorSide.read(case)
            exchange = chat.exchange(case, answered, side.lang or account.lang, account.lang)
            if not side.chat:
                exchange.debtor = None  # the debtor reads the answer on the page
            return exchange
        if not await self._run(bot, self.links.find(token), token, step, None):
            return None
        return done[0] if done else None

    # Inside --------------------------------------------------------------------------------
    async def _run(self, bot: Bot, where: tuple[str, str] | None, token: str | None,
                   step: Step, debtor_chat: int | None) -> bool:
        """Under the creditor's lock: find the case (checking ``token`` when given), run
        ``step``, save, show both replies. False when the case is not found."""
        if where is None:
            return False
        creditor_chat, case_id = where
        async with self.locks[creditor_chat]:
            stored = await asyncio.to_thread(self.assistant.load, creditor_chat)
            case = stored.account.case(case_id) if stored is not None else None
            if stored is None or case is None or (token is not None
                                                  and not link.holds(case, token)):
                return False
            account = stored.account
            now = self.assistant.clock()
            exchange = step(account, case, followup.local_today(account, now), now)
            followup.refresh(account, now)  # an agreed plan starts its instalment reminders
            await asyncio.to_thread(self.assistant.save, stored)
            side = DebtorSide.read(case)
            target = int(side.chat) if side.chat else debtor_chat
            files = await self._documents(creditor_chat, case, exchange.documents,
                                          account.lang, side.lang,
                                          followup.local_today(account, now))
            if exchange.creditor is not None:
                await _show(bot, int(creditor_chat), exchange.creditor,
                            files.get(account.lang, []))
            if exchange.debtor is not None and target is not None:
                await _show(bot, target, exchange.debtor,
                            files.get(side.lang or account.lang, []))
        return True

    async def _documents(self, creditor_chat: str, case: Case, kinds: tuple[str, ...],
                         creditor_lang: str, debtor_lang: str,
                         today: date) -> dict[str, list[Document]]:
        """The documents an answer calls for, drawn in each side's language (once when they
        share one), kept in the creditor's case."""
        if not kinds:
            return {}
        langs = list(dict.fromkeys([creditor_lang, debtor_lang or creditor_lang]))
        jobs = [document_job(case, kind, lang, today) for kind in kinds for lang in langs]
        try:
            rendered = await asyncio.to_thread(self.assistant.render, creditor_chat, jobs)
        except DrawingFailed:
            log.error("the debtor's documents could not be drawn for chat %s", creditor_chat)
            return {}
        files: dict[str, list[Document]] = {}
        for item in rendered:
            files.setdefault(item.job.lang, []).append(item.document)
        return files


async def _show(bot: Bot, chat_id: int, reply: Reply, documents: list[Document]) -> None:
    chunks, question = bubbles(reply)
    for chunk in chunks:
        await bot.send_message(chat_id, chunk)
    if documents:
        await send_files(bot, chat_id, documents)
    if reply.prompt is not None and question is not None:
        await bot.send_message(chat_id, question, reply_markup=keyboard(reply.prompt))


async def _answer(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError as error:
        log.info("button answer failed: %s", type(error).__name__)
