"""The fake Bot API behaves enough like Telegram for python-telegram-bot to run against it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from testing.fakebot import ApiCall, FakeBotApi

CHAT = 4242
LETTER_PDF = b"%PDF-1.4\n% une lettre de mise en demeure\n" + bytes(range(256)) * 40


# ---------------------------------------------------------------------- a tiny bot


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the user and asks a yes/no question."""
    assert update.message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Oui", callback_data="yes")],
            [InlineKeyboardButton("Non", callback_data="no")],
        ]
    )
    await update.message.reply_text("Bonjour ! Facture impayée ?", reply_markup=keyboard)


async def send_letter(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends the drafted letter as a PDF."""
    assert update.message is not None
    await update.message.reply_document(
        document=LETTER_PDF, filename="mise-en-demeure.pdf", caption="Votre lettre"
    )


async def answer_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledges the tap and shows the choice in place of the question."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Choix : {query.data}")


async def receive_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Downloads a document or photo and tells its size and SHA-256."""
    message = update.message
    assert message is not None
    attachment = message.document or message.photo[-1]
    telegram_file = await attachment.get_file()
    content = await telegram_file.download_as_bytearray()
    digest = hashlib.sha256(content).hexdigest()
    await message.reply_text(f"Reçu {len(content)} octets, sha256 {digest}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeats what the user wrote."""
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_text(update.message.text)


def build_demo_bot(api: FakeBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("lettre", send_letter))
    app.add_handler(CallbackQueryHandler(answer_choice))
    app.add_handler(MessageHandler(filters.Document.ALL | filters.PHOTO, receive_file))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


# ---------------------------------------------------------------------- fixtures and helpers



@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    app = build_demo_bot(api)
    await asyncio.wait_for(app.initialize(), 10)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await asyncio.wait_for(_shut_down(app), 15)


async def _shut_down(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert app.updater is not None
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


def call_api(api: FakeBotApi, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """One raw Bot API request with a JSON body, as any HTTP client could make it."""
    request = urllib.request.Request(
        f"{api.base_url}{api.token}/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sent_to(chat_id: int) -> Any:
    def match(call: ApiCall) -> bool:
        return call.method == "sendMessage" and call.params.get("chat_id") == chat_id

    match.__name__ = f"sendMessage to {chat_id}"
    return match


# ---------------------------------------------------------------------- the bot end to end


async def test_bot_identity_comes_from_get_me(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    assert bot.bot.username == "impayes_test_bot"
    assert bot.bot.id == int(api.token.split(":")[0])
    assert api.tokens_seen == {api.token}


async def test_start_command_shows_a_keyboard_the_test_can_read(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    update = api.send_text(CHAT, "/start")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    call = await api.await_for(sent_to(CHAT), timeout=5)

    assert call.result["text"] == "Bonjour ! Facture impayée ?"
    assert call.result["from"]["is_bot"] is True
    assert api.last_keyboard(CHAT) == [
        ("Oui", "yes", call.result["message_id"]),
        ("Non", "no", call.result["message_id"]),
    ]


async def test_echo_replies_arrive_in_order(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    for text in ("un", "deux", "trois"):
        api.send_text(CHAT, text)

    await api.await_for_count(3, sent_to(CHAT), timeout=5)

    assert api.texts_to(CHAT) == ["un", "deux", "trois"]
    ids = [sent.message_id for sent in api.messages_to(CHAT)]
    assert ids == sorted(set(ids))


async def test_pressing_a_button_is_answered_and_edits_the_question(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.send_text(CHAT, "/start")
    await api.await_for(sent_to(CHAT), timeout=5)
    mark = api.mark()

    update = api.press_button_labelled(CHAT, "Non")

    assert update["callback_query"]["message"]["text"] == "Bonjour ! Facture impayée ?"
    await api.await_for("editMessageText", timeout=5, since=mark)
    assert [call.method for call in api.calls()[mark:] if call.method != "getUpdates"] == [
        "answerCallbackQuery",
        "editMessageText",
    ]
    last = api.messages_to(CHAT)[-1]
    assert (last.text, last.edited) == ("Choix : no", True)
    assert api.unanswered_callback_queries() == set()
    assert api.last_keyboard(CHAT) == []  # the edit removed the keyboard


async def test_letter_is_received_as_a_pdf_with_its_caption(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.send_text(CHAT, "/lettre")

    call = await api.await_for("sendDocument", timeout=5)

    [letter] = api.documents_to(CHAT)
    assert letter.filename == "mise-en-demeure.pdf"
    assert letter.content == LETTER_PDF
    assert letter.caption == "Votre lettre"
    assert letter.mime_type == "application/pdf"
    assert call.result["document"]["file_size"] == len(LETTER_PDF)


async def test_bot_downloads_a_document_and_a_photo_the_user_sent(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    invoice = b"Facture F-2024-017, 1 200,00 EUR TTC\n" * 100
    photo = b"\xff\xd8\xff\xe0 pretend JPEG" * 50

    api.send_document(CHAT, "facture.txt", invoice, "text/plain")
    await api.await_for(sent_to(CHAT), timeout=5)
    api.send_photo(CHAT, photo)
    await api.await_for_count(2, sent_to(CHAT), timeout=5)

    assert api.texts_to(CHAT) == [
        f"Reçu {len(invoice)} octets, sha256 {hashlib.sha256(invoice).hexdigest()}",
        f"Reçu {len(photo)} octets, sha256 {hashlib.sha256(photo).hexdigest()}",
    ]


async def test_same_update_id_sent_twice_reaches_the_bot_twice(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.send_text(CHAT, "première fois", update_id=500)
    await api.await_for(sent_to(CHAT), timeout=5)

    retried = api.send_text(CHAT, "encore", update_id=500)
    await api.await_for_count(2, sent_to(CHAT), timeout=5)

    assert retried["update_id"] == 500
    assert api.texts_to(CHAT) == ["première fois", "encore"]


async def test_rate_limit_reaches_ptb_as_retry_after(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.rate_limit("sendMessage", times=1, retry_after=7)

    with pytest.raises(RetryAfter) as raised:
        await bot.bot.send_message(CHAT, "trop vite")
    assert "retry in 7 seconds" in str(raised.value).lower()

    message = await bot.bot.send_message(CHAT, "ça passe")
    assert message.text == "ça passe"
    assert [call.error_code for call in api.calls("sendMessage")] == [429, None]


async def test_editing_to_the_same_text_is_refused_like_telegram(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    message = await bot.bot.send_message(CHAT, "<b>Montant</b> : 1 200 €", parse_mode="HTML")
    assert message.text == "Montant : 1 200 €"

    with pytest.raises(BadRequest, match="not modified"):
        await bot.bot.edit_message_text(
            "<b>Montant</b> : 1 200 €",
            chat_id=CHAT,
            message_id=message.message_id,
            parse_mode="HTML",
        )
    with pytest.raises(BadRequest, match="empty"):
        await bot.bot.send_message(CHAT, "   ")


async def test_keyboard_removal_and_deletion_show_in_the_chat(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Payé", callback_data="paid")]])
    question = await bot.bot.send_message(CHAT, "Réglé ?", reply_markup=keyboard)
    assert api.last_keyboard(CHAT) == [("Payé", "paid", question.message_id)]

    await bot.bot.edit_message_reply_markup(CHAT, question.message_id, reply_markup=None)
    assert api.last_keyboard(CHAT) == []
    await bot.bot.delete_message(CHAT, question.message_id)
    assert api.message(CHAT, question.message_id) is None
    with pytest.raises(BadRequest, match="not found"):
        await bot.bot.delete_message(CHAT, question.message_id)


async def test_reply_quotes_the_users_message(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    asked = api.send_text(CHAT, "Combien ?")["message"]

    answer = await bot.bot.send_message(
        CHAT, "1 200 €", reply_parameters=ReplyParameters(asked["message_id"])
    )

    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "Combien ?"


async def test_a_user_who_blocked_the_bot_gets_forbidden(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.inject_error(
        "sendMessage", 403, "Forbidden: bot was blocked by the user", times=None, chat_id=CHAT
    )

    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.bot.send_message(CHAT, "Rappel : échéance demain")
    assert (await bot.bot.send_message(CHAT + 1, "Rappel")).text == "Rappel"


async def test_commands_are_stored_per_language(
    api: FakeBotApi, bot: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    await bot.bot.set_my_commands([("start", "Commencer")], language_code="fr")

    assert [c.command for c in await bot.bot.get_my_commands(language_code="fr")] == ["start"]
    assert await bot.bot.get_my_commands() == ()
    await bot.bot.delete_my_commands(language_code="fr")
    assert await bot.bot.get_my_commands(language_code="fr") == ()


async def test_blocking_wait_is_refused_inside_the_bots_event_loop(api: FakeBotApi) -> None:
    with pytest.raises(RuntimeError, match="await_for"):
        api.wait_for("sendMessage", timeout=0.1)


# ---------------------------------------------------------------------- webhook mode


async def test_webhook_mode_checks_the_secret_and_handles_updates(api: FakeBotApi) -> None:
    app = build_demo_bot(api)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    await asyncio.wait_for(app.initialize(), 10)
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1", port=port, url_path="hook", webhook_url=url, secret_token="s3cret"
    )
    try:
        assert api.webhook["url"] == url
        assert api.webhook["secret_token"] == "s3cret"

        update = api.send_text(CHAT, "par webhook")
        assert await api.apost_webhook(url, update, secret_token="faux") == 403
        assert api.pending_update_count == 1  # refused: Telegram still holds it
        assert await api.apost_webhook(url, update, secret_token="s3cret") == 200
        assert api.pending_update_count == 0  # taken: Telegram forgets it

        await api.await_for(sent_to(CHAT), timeout=5)
        assert api.texts_to(CHAT) == ["par webhook"]
    finally:
        await asyncio.wait_for(_shut_down(app), 15)


async def test_queued_updates_are_pushed_to_the_webhook_when_asked() -> None:
    with FakeBotApi(deliver_webhooks=True) as api:
        app = build_demo_bot(api)
        port = free_port()
        await asyncio.wait_for(app.initialize(), 10)
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
        try:
            api.send_text(CHAT, "poussé")
            api.send_text(CHAT, "par Telegram")
            await api.await_for_count(2, sent_to(CHAT), timeout=5)
            assert api.texts_to(CHAT) == ["poussé", "par Telegram"]
            assert api.pending_update_count == 0
        finally:
            await asyncio.wait_for(_shut_down(app), 15)


async def test_webhook_updates_wait_while_the_bot_is_down() -> None:
    received: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        received.append(await request.json())
        return web.Response()

    port = free_port()
    with FakeBotApi(deliver_webhooks=True) as api:
        status, _ = await asyncio.to_thread(
            call_api, api, "setWebhook", url=f"http://127.0.0.1:{port}/", secret_token="s3cret"
        )
        assert status == 200
        api.send_text(CHAT, "pendant la panne")
        await asyncio.sleep(0.3)
        assert api.pending_update_count == 1
        assert "Connection failed" in api.webhook["last_error_message"]

        app = web.Application()
        app.router.add_post("/", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            for _ in range(50):
                if received:
                    break
                await asyncio.sleep(0.1)
        finally:
            await runner.cleanup()

    assert [update["message"]["text"] for update in received] == ["pendant la panne"]


# ---------------------------------------------------------------------- raw protocol


def test_unknown_method_gets_telegrams_404(api: FakeBotApi) -> None:
    assert call_api(api, "sendTelepathy", chat_id=1) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )


def test_offset_confirms_delivered_updates_and_drops_them(api: FakeBotApi) -> None:
    for text in ("a", "b", "c"):
        api.send_text(CHAT, text)

    _, first = call_api(api, "getUpdates", limit=2)
    _, again = call_api(api, "getUpdates")  # nothing confirmed yet: delivered again
    last_id = again["result"][-1]["update_id"]
    _, after = call_api(api, "getUpdates", offset=last_id + 1)

    assert [u["message"]["text"] for u in first["result"]] == ["a", "b"]
    assert [u["message"]["text"] for u in again["result"]] == ["a", "b", "c"]
    assert after["result"] == []
    assert api.pending_update_count == 0


def test_long_poll_answers_as_soon_as_an_update_arrives(api: FakeBotApi) -> None:
    answers: list[tuple[float, dict[str, Any]]] = []

    def poll() -> None:
        _, body = call_api(api, "getUpdates", timeout=10)
        answers.append((time.monotonic(), body))

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)  # let the long poll reach the server and wait
    enqueued_at = time.monotonic()
    api.send_text(CHAT, "réveille-toi")
    poller.join(15)

    [(answered_at, body)] = answers
    assert [u["message"]["text"] for u in body["result"]] == ["réveille-toi"]
    assert answered_at - enqueued_at < 1


def test_empty_long_poll_waits_for_its_timeout(api: FakeBotApi) -> None:
    started = time.monotonic()
    _, body = call_api(api, "getUpdates", timeout=0.5)
    assert body == {"ok": True, "result": []}
    assert 0.45 < time.monotonic() - started < 3


def test_second_poller_ends_the_first_with_a_conflict(api: FakeBotApi) -> None:
    statuses: list[int] = []
    first = threading.Thread(
        target=lambda: statuses.append(call_api(api, "getUpdates", timeout=10)[0])
    )
    first.start()
    time.sleep(0.3)  # let the first long poll reach the server and wait

    assert call_api(api, "getUpdates", timeout=0)[0] == 200
    first.join(5)

    assert statuses == [409]


def test_stopping_the_server_ends_a_long_poll_at_once() -> None:
    api = FakeBotApi().start()
    outcome: list[float] = []

    def poll() -> None:
        started = time.monotonic()
        with contextlib.suppress(OSError):  # the connection may be closed under it
            call_api(api, "getUpdates", timeout=30)
        outcome.append(time.monotonic() - started)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    api.stop()
    poller.join(10)

    [elapsed] = outcome
    assert elapsed < 5


def test_wait_for_timeout_lists_the_calls_it_saw(api: FakeBotApi) -> None:
    call_api(api, "getMe")
    with pytest.raises(AssertionError, match=r"(?s)sendMessage.*getMe"):
        api.wait_for("sendMessage", timeout=0.1)


def test_form_and_query_parameters_are_decoded_like_telegram_reads_them(api: FakeBotApi) -> None:
    api.send_text(CHAT, "/start")
    query = urllib.parse.urlencode(
        {"chat_id": CHAT, "text": "123", "reply_markup": '{"inline_keyboard": []}'}
    )
    with urllib.request.urlopen(f"{api.base_url}{api.token}/sendMessage?{query}", timeout=5) as r:
        body = json.loads(r.read())

    [call] = api.calls("sendMessage")
    assert (call.params["chat_id"], call.params["text"]) == (CHAT, "123")
    assert body["result"]["text"] == "123"
    assert body["result"]["chat"] == {"id": CHAT, "type": "private", "first_name": "Camille"}


def test_registered_file_is_served_by_get_file(api: FakeBotApi) -> None:
    stored = api.register_file(b"preuve de livraison", mime_type="text/plain")

    _, body = call_api(api, "getFile", file_id=stored.file_id)
    path = body["result"]["file_path"]
    with urllib.request.urlopen(f"{api.base_file_url}{api.token}/{path}", timeout=5) as r:
        assert r.read() == b"preuve de livraison"
    assert call_api(api, "getFile", file_id="inconnu")[0] == 400


# ---------------------------------------------------------------------- a bot in its own process

CHILD_BOT = """
import os
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def echo(update, context):
    await update.message.reply_text("écho : " + update.message.text)

app = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(
    os.environ["TELEGRAM_BASE_URL"]).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=1)
"""


def test_bot_killed_and_restarted_answers_what_was_sent_while_it_was_down(
    api: FakeBotApi, tmp_path: Path
) -> None:
    script = tmp_path / "child_bot.py"
    script.write_text(CHILD_BOT, encoding="utf-8")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url}

    def launch() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(script)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    child = launch()
    try:
        first = api.send_text(CHAT, "avant")
        api.wait_for(sent_to(CHAT), timeout=20)
        # Wait until the bot has confirmed the update, then kill it mid long poll.
        api.wait_for(
            lambda c: c.method == "getUpdates"
            and (c.params.get("offset") or 0) > first["update_id"],
            timeout=10,
        )
        child.send_signal(signal.SIGKILL)
        child.wait(10)

        api.send_text(CHAT, "pendant la panne")
        child = launch()
        api.wait_for_count(2, sent_to(CHAT), timeout=20)
        time.sleep(0.3)  # a wrongly redelivered "avant" would show up here
    finally:
        child.kill()
        child.wait(10)

    assert api.texts_to(CHAT) == ["écho : avant", "écho : pendant la panne"]
