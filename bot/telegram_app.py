"""Telegram adapter: python-telegram-bot wiring, nothing of the journey itself.

Updates become events for ``flows.turn.turn`` (through ``bot.service``); replies become
messages, inline keyboards and documents. Handlers of different chats run concurrently; a
per-chat lock keeps one chat's updates in order, so a slow document for one user never holds
up another.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import errno
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    CallbackQuery,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import (
    company_registry,
    export,
    message_size,
    rates,
    recovery,
    redact,
    reminders,
    webhook,
)
from bot.config import Settings
from bot.debtor_desk import DebtorDesk
from bot.debtor_files import DebtorFiles
from bot.evidence import EvidenceDesk
from bot.http import AiohttpRequest
from bot.insolvency import InsolvencyWatch
from bot.outbox import Outbox
from bot.service import Assistant, Decided, DrawingFailed, Rendered
from bot.storage import open_storage
from bot.telegram_view import albums, bubbles, keyboard, press_from, send_files
from flows import casefile
from flows.conversation import (
    ERASE,
    EXPORT,
    Command,
    CompanyLookup,
    DocumentJob,
    Event,
    InsolvencyCheck,
    Reply,
    Text,
    Upload,
)
from flows.debtor.chat import CREDITOR as CREDITOR_BUTTON
from flows.debtor.chat import DEBTOR as DEBTOR_BUTTON
from flows.debtor.link import looks_like_token
from flows.documents.links import LinkBases
from flows.evidence.screening import Policy
from flows.i18n import LANGUAGES, normalize_language, t

log = logging.getLogger("impayes.telegram")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
COMMANDS = ("start", "new", "resume", "back", "cancel", "language", "help",
            *casefile.COMMANDS, "reminders", "settings", "privacy", "revoke")
# Updates of different chats handled at once (one chat's stay in order, see ``locks``).
CONCURRENT_UPDATES = 256
# HTTP connections to the Bot API (through aiohttp, see bot/http.py). Telegram lets a bot send
# about 30 messages a second, which 8 connections carry even at 200 ms a round trip. A request
# waits for a free connection rather than failing after PTB's default 1 s.
CONNECTIONS = 8
POOL_TIMEOUT = 30.0


class TelegramAdapter:
    def __init__(self, settings: Settings, assistant: Assistant) -> None:
        self.settings = settings
        self.assistant = assistant
        # One chat's work at a time, other chats never held up (``bot.storage``'s locks).
        self.locks = assistant.storage.locks
        # Chats owed a reply, should the process die before it is shown (``bot.recovery``).
        self.outbox = Outbox(assistant.storage.outbox)
        self.desk = EvidenceDesk(assistant.storage, Policy(settings.evidence_max_bytes,
                                                           settings.evidence_quota_bytes),
                                 assistant.clock)
        # The debtors' answers (their links' deep links and buttons), across two chats; their
        # files are screened in the same workers as the evidence.
        self.debtors = DebtorDesk(
            assistant, DebtorFiles(assistant.storage, self.desk.screening, self.desk.downloads))
        self.bot: Bot | None = None  # set once the application is up (post_init)
        self.watch = InsolvencyWatch(settings, assistant, self.alert)

    # Handlers ---------------------------------------------------------------------------------
    async def private_only(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Outside a private chat, or from anyone but the chat's own user, nothing goes on:
        in a group every member would share one account (one member could export another's
        case, or confirm their /delete). A command there gets a short answer; chatter none."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or (chat.type == ChatType.PRIVATE and user is not None
                            and user.id == chat.id):
            return
        lang = normalize_language(_language_code(update))
        if update.callback_query is not None:
            await _quietly(update.callback_query.answer(t(lang, "private.only")))
        elif update.message is not None and (update.message.text or "").startswith("/"):
            await _quietly(context.bot.send_message(chat.id, t(lang, "private.only")))
        raise ApplicationHandlerStop

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user sent a slash command such as /start or /new."""
        message = update.effective_message
        if message is None or not message.text:
            return
        name, _, arg = message.text.lstrip("/").partition(" ")
        name = name.split("@")[0].lower()
        if name == "start" and arg.strip() and (
                looks_like_token(arg.strip())
                or await asyncio.to_thread(self.assistant.load, str(message.chat_id))
                is None):
            # A debtor's link from a letter (t.me/<bot>?start=<token>): the debtor's side.
            # Someone we know who types "/start something" just starts; a stranger's broken
            # link gets the answer any link that does not work gets.
            await self.debtors.open(context.bot, message.chat_id, _language_code(update),
                                    arg.strip())
            return
        await self.dispatch(update, context, Command(name, arg.strip()))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user typed an answer."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        if await self.debtors.debtor_typed(
                context.bot, message.chat_id, message.text):
            return  # a debtor answering what the bot asked about their link
        await self.dispatch(update, context, Text(message.text))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user sent something we cannot read as an answer (a sticker, a location…)."""
        await self.dispatch(update, context, Text(""))

    async def on_file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user sent a photo or a document: it goes into the open case's file (or, from
        a debtor whose objection waits for its files, with the objection)."""
        message = update.effective_message
        if message is not None and await self.debtors.debtor_file(
                context.bot, message):
            return
        await self.dispatch(update, context, lambda: self.desk.receive(update, context.bot))

    async def on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user edited a message sent earlier: an answer already given, or a question already
        moved past, so it is never read as the answer to the question now asked (nor run again,
        if it was a command). Telegram cannot show the bot an edit as a new message: say how to
        change an answer instead."""
        chat = update.effective_chat
        if chat is None:
            return
        lang = (await asyncio.to_thread(self.assistant.account, str(chat.id),
                                        _language_code(update))).lang
        await _quietly(context.bot.send_message(chat.id, t(lang, "edit.not_an_answer")))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The user pressed one of the choices under a question."""
        query = update.callback_query
        if query is None:
            return
        await self.dispatch(update, context, press_from(query.data or ""))

    async def on_debtor_button(self, update: Update,
                               context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button about a debtor's link: the debtor's own (``d:<token>:…``) or the
        creditor's answer to a proposed plan (``c:<case>:…``)."""
        query = update.callback_query
        if query is None:
            return
        side, _, rest = (query.data or "").partition(":")
        key, _, choice = rest.partition(":")
        if side == DEBTOR_BUTTON:
            await self.debtors.debtor_press(context.bot, query, key, choice)
        else:
            await self.debtors.creditor_press(context.bot, query, key, choice)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (ids only) and tell the user something went wrong on our side."""
        # The stack without the exception's message: a message may quote what the user typed.
        log.error("update %s failed: %s\n%s", getattr(update, "update_id", "?"),
                  type(context.error).__name__, redact.stack_of(context.error))
        if isinstance(update, Update) and update.effective_chat is not None:
            chat_id = str(update.effective_chat.id)
            lang = (await asyncio.to_thread(self.assistant.account, chat_id,
                                            _language_code(update))).lang
            # A full or read-only disk is ours to fix and passes: not "something went wrong".
            key = "error.unavailable" if _storage_refused(context.error) else "error.internal"
            await _quietly(context.bot.send_message(update.effective_chat.id, t(lang, key)))

    # The turn ------------------------------------------------------------------------------
    async def dispatch(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                       event: Event | Callable[[], Awaitable[Upload | None]]) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        chat_id = str(chat.id)
        async with self.locks[chat_id]:
            if callable(event):
                # A file: screened, downloaded and kept under the chat's lock, in order.
                upload = await event()
                if upload is None:
                    return
                event = upload
            # A small chat's turn runs here, on the event loop (about a millisecond of pure
            # Python: in a worker thread it cost half as much again, fighting this thread for
            # the GIL); only the durable write, which waits on the disk, goes to a thread. A
            # big chat's, or one not seen since the start, runs in a thread (``Assistant``).
            decided = await self.decide(chat_id, event, _language_code(update),
                                        update.update_id)
            if decided is None:
                log.info("update %s for chat %s already handled", update.update_id, chat_id)
                if update.callback_query is not None:
                    await _quietly(update.callback_query.answer())
                return
            await asyncio.to_thread(decided.commit)
            if decided.reply.action == ERASE:
                self.outbox.forget(chat_id)  # erased: not even its id stays behind
            log.info("update %s handled for chat %s", update.update_id, chat_id)
            await self.show(context.bot, chat.id, decided.reply, update.callback_query)
            await self.look_up(context.bot, chat.id, decided.reply)
            self.outbox.replied(chat_id)

    async def decide(self, chat_id: str, event: Event, language_code: str | None = None,
                     update_id: int | None = None) -> Decided | None:
        """``Assistant.decide``: on the event loop for a chat known small, else in a thread."""
        if self.assistant.small(chat_id):
            return self.assistant.decide(chat_id, event, language_code, update_id)
        return await asyncio.to_thread(self.assistant.decide, chat_id, event, language_code,
                                       update_id)

    async def look_up(self, bot: Bot, chat_id: int, reply: Reply) -> None:
        """Ask the outside sources the reply names: the company register while the user waits
        (a few seconds at most), the BODACC in the background."""
        for lookup in reply.lookups:
            if isinstance(lookup, InsolvencyCheck):
                self.watch.check_soon(str(chat_id), lookup.case_id)  # after this chat's turn
            elif isinstance(lookup, CompanyLookup):
                await _quietly(bot.send_chat_action(chat_id, ChatAction.TYPING))
                found = await asyncio.to_thread(company_registry.look_up, self.settings, lookup)
                decided = await self.decide(str(chat_id), found)
                if decided is not None:
                    await asyncio.to_thread(decided.commit)
                    await self.show(bot, chat_id, decided.reply)

    async def alert(self, chat_id: str, reply: Reply) -> None:
        """Push what the insolvency watch found (raises when Telegram refuses: not recorded,
        so the next check tells it again)."""
        if self.bot is None:
            raise RuntimeError("the bot is not running")
        await self.show(self.bot, int(chat_id), reply)

    async def show(self, bot: Bot, chat_id: int, reply: Reply,
                   query: CallbackQuery | None = None) -> None:
        """Show a reply: its messages, its documents once drawn, then its question; ``query``
        is the button press it answers, if any (the startup recovery has none)."""
        if query is not None:
            await _quietly(query.answer(reply.notice or None))
            if reply.chosen is not None and query.message is not None:
                # Mark the question as answered and take its keyboard away.
                text = getattr(query.message, "text", None) or ""
                try:
                    await query.edit_message_text(message_size.clip(f"{text}\n\n→ {reply.chosen}"))
                except BadRequest:
                    await _quietly(query.edit_message_reply_markup(None))
        chunks, question = bubbles(reply)
        for chunk in chunks:
            await bot.send_message(chat_id, chunk)
        if reply.documents:
            # Pending (flows.pending) until every file is sent: a crash while drawing or
            # uploading them leaves them to be sent with the chat's next reply.
            async with uploading(bot, chat_id):
                try:
                    rendered = await asyncio.to_thread(self.assistant.render, str(chat_id),
                                                       reply.documents, True)
                except DrawingFailed:  # kept pending: /documents draws them again
                    lang = (await asyncio.to_thread(self.assistant.account,
                                                    str(chat_id))).lang
                    await bot.send_message(chat_id, t(lang, "documents_retry.failed"))
                else:
                    for album in albums(rendered):
                        message_ids = await send_files(bot, chat_id,
                                                       [item.document for item in album])
                        # Telegram took them: recorded before they are forgotten as pending,
                        # so that a kill in between does not send them again at restart.
                        await asyncio.to_thread(self.assistant.delivered, str(chat_id),
                                                _jobs_of(album), message_ids)
                    await asyncio.to_thread(self.assistant.sent, str(chat_id),
                                            reply.documents)
        if reply.files:
            async with uploading(bot, chat_id):
                await send_files(bot, chat_id, self.assistant.drawn(str(chat_id), reply.files))
        if reply.action == EXPORT:
            # Loaded here only, not per update (in a thread: the chat may be big).
            lang = (await asyncio.to_thread(self.assistant.account, str(chat_id))).lang
            async with uploading(bot, chat_id):
                await export.send(bot, self.assistant.storage, chat_id,
                                  self.assistant.clock(), lang)
        if reply.prompt is not None and question is not None:
            await bot.send_message(chat_id, question, reply_markup=keyboard(reply.prompt))


def _jobs_of(album: list[Rendered]) -> list[DocumentJob]:
    jobs: list[DocumentJob] = []
    for item in album:
        if item.job not in jobs:
            jobs.append(item.job)
    return jobs


STORAGE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})


def _storage_refused(error: BaseException | None) -> bool:
    """Whether the disk refused a write (full, over quota, read-only, failing)."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in STORAGE_ERRORS:
            return True
        error = error.__cause__ or error.__context__
    return False


def _language_code(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None


async def _quietly(awaitable: Any) -> None:
    """Best-effort calls (a toast, a keyboard removal) must not fail the whole reply."""
    try:
        await awaitable
    except TelegramError as error:
        log.info("best-effort call failed: %s", type(error).__name__)


# Telegram shows "sending a file…" for five seconds at most: said again well before it fades.
UPLOAD_ACTION_EVERY = 4.0


@contextlib.asynccontextmanager
async def uploading(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """"Sending a file…" on the user's screen for as long as the block runs (documents drawn,
    then uploaded, which may take longer than the five seconds one chat action lasts)."""

    async def repeat() -> None:
        while True:
            await _quietly(bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT))
            await asyncio.sleep(UPLOAD_ACTION_EVERY)

    task = asyncio.create_task(repeat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def set_commands(application: AnyApplication) -> None:
    """Publish the command menu, the bot's description (shown before the first /start) and its
    short description (its profile), in French (default) and English. The menu is offered in
    private chats only: in a group the bot answers nothing but a pointer to a private chat."""
    for lang in LANGUAGES:
        language_code = None if lang == "fr" else lang
        commands = [BotCommand(name, t(lang, f"commands.{name}")) for name in COMMANDS]
        await application.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(),
                                              language_code=language_code)
        await _quietly(application.bot.set_my_description(
            t(lang, "bot_profile.description"), language_code=language_code))
        await _quietly(application.bot.set_my_short_description(
            t(lang, "bot_profile.short_description"), language_code=language_code))


# The updates the bot handles, asked of Telegram (polling and webhook): new messages, edits (to
# say they are not answers) and button presses. No handler uses chat member updates.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
# New messages in a private chat, the only ones read as commands, answers or files.
NEW_PRIVATE = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE


def build_application(settings: Settings,
                      clock: reminders.Clock | None = None) -> AnyApplication:
    """The bot as ``python -m bot telegram`` runs it; ``clock`` replaces the settings' time
    (tests move it)."""
    if not settings.token:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set")
    redact.install(settings.secrets())  # the token, the webhook secret, the database password
    rates.load_overrides(settings.data_dir)  # rates fetched before this start (bot/rates.py)
    clock = clock or settings.now
    # Every role (accounts, blobs, the reminder index, the outbox, the chat locks), from the
    # settings: the data folder, or the database every instance shares (IMPAYES_DATABASE_URL).
    storage = open_storage(settings.data_dir, settings.database_url)
    adapter = TelegramAdapter(settings, Assistant(storage, clock))
    # Every update of a private chat is noted in the outbox as it comes in and once handled:
    # what a crash leaves owed is answered at the next start (bot/recovery.py).
    queue = recovery.ReceivedUpdates(adapter.outbox)
    owed = recovery.Recovery(adapter, queue)
    pushed = reminders.ReminderService(adapter.assistant, settings.send_rate)

    async def post_init(application: AnyApplication) -> None:
        # Before any update is handled: the outbox is read (the replies a crash swallowed go
        # out in the background), the command menu published, then the reminders' timer armed
        # (what fell due while the bot was down goes out at once).
        owed.start(application.bot)
        # The debtor's links in letters: the bot's username is known once getMe has answered.
        adapter.assistant.link_bases = LinkBases(application.bot.username or "",
                                                 settings.public_url)
        await set_commands(application)
        await pushed.start(application.bot, application.job_queue)
        adapter.bot = application.bot
        adapter.watch.install_daily(application.job_queue)
        rates.install_daily(application.job_queue, settings)

    async def post_stop(_application: AnyApplication) -> None:
        # Updates have stopped coming: no more reminders, and what the recovery has not
        # answered yet stays owed for the next start.
        pushed.stop()
        await owed.stop()

    async def post_shutdown(_application: AnyApplication) -> None:
        owed.close()  # the outbox, last: handled updates are noted in it until the end
        storage.close()

    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .update_queue(queue)
        .concurrent_updates(recovery.AnsweredUpdates(CONCURRENT_UPDATES, adapter.outbox))
        .request(AiohttpRequest(CONNECTIONS, pool_timeout=POOL_TIMEOUT))
        .get_updates_request(AiohttpRequest(1))
        .rate_limiter(reminders.rate_limiter(settings.send_rate))  # within Telegram's limits
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.update(adapter=adapter, recovery=owed, reminders=pushed,
                                debtor_desk=adapter.debtors)
    # Group -1 first: only a private chat's own user gets further (see private_only).
    application.add_handler(TypeHandler(Update, adapter.private_only), group=-1)
    # Then group 0: commands first, then button presses, then typed text, then files for the
    # case file, then anything else.
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE
                                           & filters.ChatType.PRIVATE, adapter.on_edit))
    application.add_handler(CommandHandler(list(COMMANDS), adapter.on_command,
                                           filters=NEW_PRIVATE))
    application.add_handler(MessageHandler(NEW_PRIVATE & filters.COMMAND, adapter.on_command))
    # The debtors' buttons first (their own prefixes), then every other choice.
    application.add_handler(CallbackQueryHandler(
        adapter.on_debtor_button, pattern=f"^({DEBTOR_BUTTON}|{CREDITOR_BUTTON}):"))
    application.add_handler(CallbackQueryHandler(adapter.on_button))
    application.add_handler(MessageHandler(NEW_PRIVATE & filters.TEXT & ~filters.COMMAND,
                                           adapter.on_text))
    application.add_handler(MessageHandler(
        NEW_PRIVATE & (filters.Document.ALL | filters.PHOTO | filters.VIDEO | filters.AUDIO
                       | filters.VOICE | filters.VIDEO_NOTE), adapter.on_file))
    application.add_handler(MessageHandler(NEW_PRIVATE & ~filters.TEXT, adapter.on_other))
    application.add_error_handler(adapter.on_error)
    return application


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        level=logging.INFO)
    # Request URLs carry the bot token: never log them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def webhook_path(webhook_url: str) -> str:
    """The path to serve: the public URL's whole path, so that Telegram's POST to
    ``https://host/a/b`` reaches ``/a/b`` here (the last segment alone, or the host name for a
    bare ``https://host/``, left the bot answering 404 to every update)."""
    return urlsplit(webhook_url).path.strip("/")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot telegram",
                                     description="Run the Impayés Telegram bot.")
    parser.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to")
    parser.add_argument("--listen", default="127.0.0.1", help="address to listen on (webhook)")
    parser.add_argument("--port", type=int, default=8443, help="port to listen on (webhook)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.webhook_url and not settings.public_url:
        # The debtors' page is served beside the webhook, at the same public host.
        parts = urlsplit(args.webhook_url)
        settings = dataclasses.replace(settings, public_url=f"{parts.scheme}://{parts.netloc}")
    if not settings.token:
        print("TELEGRAM_BOT_TOKEN is not set; `python -m bot chat` runs the console chat.",
              file=sys.stderr)
        return 2
    configure_logging()
    application = build_application(settings)
    if args.webhook_url:
        if not settings.webhook_secret:
            print("TELEGRAM_WEBHOOK_SECRET is required in webhook mode.",
                  file=sys.stderr)
            return 2
        # Our own server (bot/webhook.py): the secret checked before any body is read.
        webhook.run(application, args.listen, args.port, webhook_path(args.webhook_url),
                    args.webhook_url, settings.webhook_secret, ALLOWED_UPDATES)
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0
