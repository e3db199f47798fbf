"""The Bot API client (``bot.http.AiohttpRequest``) under python-telegram-bot's own ``Bot``:
texts, keyboards and files arrive as sent, and network trouble becomes the library's errors."""

from __future__ import annotations

import asyncio
import io
import socket
from urllib.parse import urlencode

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaDocument
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.http import AiohttpRequest, form_body
from testing.fakebot import FakeBotApi

CHAT = 4242


def bot_on(api: FakeBotApi, request: AiohttpRequest | None = None) -> Bot:
    return Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url,
               request=request or AiohttpRequest(), get_updates_request=AiohttpRequest(1))


async def test_a_question_with_its_keyboard_and_accents_arrives_as_sent() -> None:
    with FakeBotApi() as api:
        async with bot_on(api) as bot:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui ✅", callback_data="c:k:y")]])
            message = await bot.send_message(CHAT, "Société d'Été — 1 200,50 € ?",
                                             reply_markup=markup)
        sent = api.messages_to(CHAT)
    assert [m.text for m in sent] == ["Société d'Été — 1 200,50 € ?"]
    assert message.text == "Société d'Été — 1 200,50 € ?"
    assert message.reply_markup is not None
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "c:k:y"


async def test_a_document_is_uploaded_whole_with_its_name() -> None:
    content = b"%PDF-1.7\n" + bytes(range(256)) * 400  # binary, 100 kB
    with FakeBotApi() as api:
        async with bot_on(api) as bot:
            await bot.send_document(CHAT, io.BytesIO(content), filename="Mise_en_demeure.pdf")
        [document] = api.documents_to(CHAT)
    assert document.filename == "Mise_en_demeure.pdf"
    assert document.content == content


async def test_a_document_named_with_spaces_and_accents_keeps_its_name() -> None:
    with FakeBotApi() as api:
        async with bot_on(api) as bot:
            await bot.send_document(CHAT, b"%PDF-1.7 note", filename="bon de livraison réglé.pdf")
        [document] = api.documents_to(CHAT)
    assert document.filename == "bon de livraison réglé.pdf"  # not bon%20de%20livraison…


async def test_nothing_listening_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=2)
    bot = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot", request=request,
              get_updates_request=AiohttpRequest(1))
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(CHAT, "hello")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


async def test_a_server_that_never_answers_is_a_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.3)
    bot = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot", request=request,
              get_updates_request=AiohttpRequest(1))
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "hello")
    finally:
        await request.shutdown()
        server.close()


async def test_a_request_before_initialize_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/", "POST")


async def test_an_upload_the_server_stops_reading_times_out_instead_of_hanging() -> None:
    async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)  # accepts, reads nothing: the client's send buffer fills
        writer.close()

    server = await asyncio.start_server(deaf, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.5, write_timeout=0.5, connect_timeout=0.5,
                             pool_timeout=0.5, media_write_timeout=0.5)
    bot = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot", request=request,
              get_updates_request=AiohttpRequest(1))
    await request.initialize()
    try:
        # Without a limit on the whole exchange it would wait until the server hangs up (and
        # then raise a NetworkError, not TimedOut).
        with pytest.raises(TimedOut):
            await bot.send_document(CHAT, io.BytesIO(bytes(64 * 1024 * 1024)),
                                    filename="big.pdf")
    finally:
        await request.shutdown()
        server.close()


async def test_an_album_of_documents_arrives_whole_and_one_file_alone_is_refused() -> None:
    with FakeBotApi() as api:
        async with bot_on(api) as bot:
            await bot.send_media_group(CHAT, [
                InputMediaDocument(io.BytesIO(b"%PDF-1.7 a"), filename="a.pdf"),
                InputMediaDocument(io.BytesIO(b"PK\x03\x04 b"), filename="b.docx")])
            with pytest.raises(BadRequest, match="(?i)wrong number of media"):
                await bot.send_media_group(CHAT, [
                    InputMediaDocument(io.BytesIO(b"x"), filename="c.pdf")])
        sent = api.documents_to(CHAT)
    assert [(d.filename, d.content) for d in sent] == [("a.pdf", b"%PDF-1.7 a"),
                                                       ("b.docx", b"PK\x03\x04 b")]



async def test_requests_go_through_the_proxy_the_environment_names_unless_no_proxy(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A second fake Bot API stands in for the proxy: a message that reaches it came through it.
    for name in ("http_proxy", "https_proxy", "no_proxy", "NO_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeBotApi() as api, FakeBotApi() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url.removesuffix("/bot"))
        async with bot_on(api) as bot:
            await bot.send_message(CHAT, "par le mandataire")
            await bot.send_message(CHAT, "encore")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # read again by a new client
        async with bot_on(api) as bot:
            await bot.send_message(CHAT, "en direct")
        assert [m.text for m in proxy.messages_to(CHAT)] == ["par le mandataire", "encore"]
        assert [m.text for m in api.messages_to(CHAT)] == ["en direct"]


def test_a_form_is_encoded_exactly_as_urlencode_encodes_it() -> None:
    every_byte = "".join(chr(code) for code in range(256))
    fields = {"chat_id": "-100123", "text": f"Été 1 200,50 € & 3+4=7 % 🙂 «ok»\n{every_byte}",
              "reply_markup": '{"inline_keyboard": [[{"text": "Oui ✅", "callback_data": "c:k"}]]}',
              "clé é": ""}
    assert form_body(fields) == urlencode(fields).encode()
