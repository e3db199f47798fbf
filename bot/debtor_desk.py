"""The debtor's answers delivered to both chats: the only part of the bot that acts across chats.

A debtor has no account: their link's token (``/start <token>``, then in every button) finds
the creditor's chat and case (the storage's ``debtor_tokens``, shared by every instance),
confirmed against the chat file. Each
answer is worked out in ``flows.debtor.chat`` under the *creditor's* chat lock (the case is
theirs), saved, then shown: the debtor's reply in the debtor's chat, the creditor's in theirs
with its buttons, and the documents an answer calls for to both (the plan agreement, the
acknowledgement to sign). Only the creditor's lock is
ever held, so two people who are each other's debtor never wait on each other.

The web page calls ``act`` with the same effect. The files a debtor sends with an objection
(``bot.debtor_files``) are screened and kept before the creditor's lock is taken; the creditor
receives them after the objection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from telegram import Bot, CallbackQuery, Message
from telegram.error import TelegramError

from bot.debtor_files import DebtorFiles, Screened, discard, stored_as
from bot.evidence import Attachment, attachment_of
from bot.service import Assistant, Document, DrawingFailed
from bot.storage.locks import LocalChatLocks
from bot.telegram_view import bubbles, keyboard, send_files
from flows import followup
from flows.conversation import Reply
from flows.debtor import chat, link
from flows.debtor import files as debtor_files
from flows.debtor.agreement import document_job
from flows.debtor.answers import Answered
from flows.debtor.chat import Exchange
from flows.debtor.record import DebtorSide
from flows.i18n import normalize_language, t
from flows.model import Account, Case

log = logging.getLogger("impayes.debtor")

# What a debtor's or a creditor's button does, given the case, its today, and now.
Step = Callable[[Account, Case, date, datetime], Exchange]


class DebtorDesk:
    def __init__(self, assistant: Assistant, files: DebtorFiles) -> None:
        self.assistant = assistant
        self.links = assistant.storage.debtor_tokens
        self.locks = assistant.storage.locks
        self.files = files
        # One debtor's files are taken in order (an album comes as updates handled at once).
        # Not the chat locks: a debtor holding their own chat's lock while waiting for the
        # creditor's could wait forever on a creditor who is, in turn, their debtor.
        self._uploads = LocalChatLocks()

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

    async def debtor_file(self, bot: Bot, message: Message) -> bool:
        """A file from a chat that opened a debtor's link, while their objection waits for
        Done: screened, kept with it. False: not for the debtor's side (the chat's own case)."""
        debtor_chat = message.chat_id
        where = self.links.debtor(str(debtor_chat))
        attached = attachment_of(message, self.assistant.clock())
        if where is None or attached is None:
            return False
        async with self._uploads[str(debtor_chat)]:
            case = await self._read_case(where)
            if case is None or DebtorSide.read(case).chat != str(debtor_chat):
                return False
            token = DebtorSide.read(case).token
            if debtor_files.draft(case) is None:
                own = await asyncio.to_thread(self.assistant.load, str(debtor_chat))
                if own is not None:
                    return False  # a user of the bot, sending a file for their own case

                def not_now(account: Account, case: Case, today: date,
                            now: datetime) -> Exchange:
                    return chat.debtor_file(case, None, None, DebtorSide.read(case).lang)
                return await self._run(bot, where, token, not_now, debtor_chat)
            already = debtor_files.draft_files(case)
            kept, refusal = await self._receive(bot, attached, where, case, already)

            taken: list[bool] = []

            def step(account: Account, case: Case, today: date, now: datetime) -> Exchange:
                found, refused = None, refusal
                if kept is not None:
                    code = debtor_files.room(case, debtor_files.draft_files(case), kept.size)
                    if code:
                        refused = (code, "")
                    else:
                        found = debtor_files.record(kept.name, kept.mime_type, kept.size,
                                                    kept.sha256, now)
                exchange = chat.debtor_file(case, found, refused, DebtorSide.read(case).lang)
                taken.append(kept is not None and stored_as(kept) in debtor_files.held_by(case))
                return exchange
            answered = await self._run(bot, where, token, step, debtor_chat)
            if kept is not None and not any(taken):
                await self.drop_unheld(where, [stored_as(kept)])
            return answered

    async def _receive(self, bot: Bot, attached: Attachment, where: tuple[str, str], case: Case,
                       already: list[dict[str, Any]]
                       ) -> tuple[Screened | None, tuple[str, str] | None]:
        """Download, screen and keep one Telegram file of the debtor's: the file kept, or
        the refusal (code, detail)."""
        code = debtor_files.room(case, already, attached.size)
        if code:
            return None, (code, "")
        held = debtor_files.held(already)
        target = await asyncio.to_thread(self.files.scratch, where[0])
        refused = await self.files.download(bot, attached, target, held)
        if refused is not None:
            await discard([target])
            return None, (refused.code, refused.detail)
        screened = await self.files.screen(target, attached.name, attached.mime_type, held)
        if not isinstance(screened, Screened):
            return None, (screened.code, screened.detail)
        await asyncio.to_thread(self.files.keep, where[0], where[1], screened)
        return screened, None

    async def drop_unheld(self, where: tuple[str, str], names: list[str]) -> None:
        """Files of the debtor's kept in the case before the creditor's lock was taken, that
        the case did not take after all (the link revoked or the case closed meanwhile, no
        room left): deleted, unless a record of the case holds the same bytes."""
        async with self.locks[where[0]]:
            case = await self._read_case(where)
            held = debtor_files.held_by(case) if case is not None else set()
            for name in names:
                if name not in held:
                    await asyncio.to_thread(self.files.drop, where[0], where[1], name)

    async def _read_case(self, where: tuple[str, str]) -> Case | None:
        stored = await asyncio.to_thread(self.assistant.load, where[0])
        return stored.account.case(where[1]) if stored is not None else None

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
                await self._send_debtor_files(bot, creditor_chat, case.id, exchange.files,
                                              account.lang)
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

    async def _send_debtor_files(self, bot: Bot, creditor_chat: str, case_id: str,
                                 records: tuple[dict[str, Any], ...], lang: str) -> None:
        """The debtor's files, one by one (a file at a time in memory), each named."""
        for record in records:
            data = await asyncio.to_thread(self.files.read, creditor_chat, case_id,
                                           str(record.get("stored_as", "")))
            if data is None:
                log.error("a debtor's file is missing in chat %s", creditor_chat)
                continue
            name = str(record.get("name", "file"))
            await bot.send_document(int(creditor_chat), data, filename=name,
                                    caption=t(lang, "debtor.files.caption", name=name))


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
