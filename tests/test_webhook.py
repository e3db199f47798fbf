"""Webhook mode: ``python -m bot telegram --webhook-url … --port …``, over HTTP on 127.0.0.1.

Telegram pushes updates to the bot's URL with the secret set by ``setWebhook`` in a header;
anyone else who finds the URL must be turned away before their update reaches a conversation.
"""

from __future__ import annotations

import re
import select
import socket
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from flows.i18n import t
from testing.bot_process import free_port, kill, launch
from testing.fakebot import FakeBotApi
from testing.forkserver import Process
from testing.telegram_harness import question_key

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
SECRET = "s3cret-Webhook_42"
CHAT = 6101


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(deliver_webhooks=True) as server:
        yield server


def start_webhook_bot(api: FakeBotApi, data_dir: Path, log: Path, path: str = "/tg/hook",
                      ) -> tuple[Process, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}{path}"
    mark = api.mark()
    process = launch(api, data_dir, log, NOW, args=["--webhook-url", url, "--port", str(port)],
                     TELEGRAM_WEBHOOK_SECRET=SECRET)
    try:
        api.wait_for("setWebhook", timeout=30, since=mark)
        wait_listening(port)
    except AssertionError:
        kill(process)
        raise AssertionError(log.read_text("utf-8")) from None
    return process, url


def wait_listening(port: int) -> None:
    """PTB registers the webhook and opens its server concurrently: wait for the server."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def question_to(chat_id: int):  # type: ignore[no-untyped-def]
    def match(call) -> bool:  # type: ignore[no-untyped-def]
        return (call.method == "sendMessage" and call.params.get("chat_id") == chat_id
                and question_key(call) is not None)
    return match


def stored(data_dir: Path, chat_id: int) -> str:
    path = data_dir / "chats" / str(chat_id) / "chat.json"
    return path.read_text("utf-8") if path.exists() else ""


def test_webhook_bot_registers_its_url_with_the_secret_and_answers_pushed_updates(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    process, url = start_webhook_bot(api, data_dir, log)
    try:
        assert api.webhook["url"] == url
        assert api.webhook["secret_token"] == SECRET
        mark = api.mark()
        api.send_text(CHAT, "/start")  # Telegram pushes it to the webhook with the secret
        first = api.wait_for(question_to(CHAT), timeout=20, since=mark)
        assert question_key(first) == "jurisdiction"
        assert first.params["text"].endswith("\n\n" + t("fr", "q.jurisdiction"))
        mark = api.mark()
        api.press_button(CHAT, first.result["message_id"], first.params["reply_markup"]
                         ["inline_keyboard"][0][0]["callback_data"])
        assert question_key(api.wait_for(question_to(CHAT), timeout=20, since=mark)) \
            == "debtor_kind"
    finally:
        kill(process)
    assert '"jurisdiction":"fr"' in stored(data_dir, CHAT)
    assert api.pending_update_count == 0
    text = log.read_text("utf-8")
    assert api.token not in text
    assert SECRET not in text


@pytest.fixture(scope="module")
def guarded_bot(tmp_path_factory: pytest.TempPathFactory,
                ) -> Iterator[tuple[FakeBotApi, str, Path, Process]]:
    """One webhook bot for every forged secret and oversized post below: starting a bot
    process for each would be most of their time. Telegram itself does not push to it: only
    what a test posts reaches the bot."""
    folder = tmp_path_factory.mktemp("webhook")
    data_dir = folder / "data"
    data_dir.mkdir()
    with FakeBotApi() as api:
        process, url = start_webhook_bot(api, data_dir, folder / "bot.log")
        try:
            yield api, url, data_dir, process
        finally:
            kill(process)


@pytest.mark.xdist_group("guarded_bot")
@pytest.mark.parametrize(("forger", "secret"), [
    (6201, None), (6202, ""), (6203, "wrong-secret"), (6204, SECRET.lower()),
    (6205, SECRET + "x")])
def test_update_without_the_right_secret_is_refused_and_changes_nothing(
        guarded_bot: tuple[FakeBotApi, str, Path, Process], forger: int,
        secret: str | None) -> None:
    api, url, data_dir, _ = guarded_bot
    forged = api.send_text(forger, "/start")
    assert api.post_webhook(url, forged, secret_token=secret) == 403
    # A genuine update afterwards is answered, and it is the first thing answered.
    genuine = api.send_text(forger + 100, "/start")
    mark = api.mark()
    assert api.post_webhook(url, genuine, secret_token=SECRET) == 200
    api.wait_for(question_to(forger + 100), timeout=20, since=mark)
    assert api.texts_to(forger) == []
    assert stored(data_dir, forger) == ""


def test_webhook_served_at_the_site_root_when_the_url_has_no_path(
        api: FakeBotApi, data_dir: Path, tmp_path: Path) -> None:
    process, url = start_webhook_bot(api, data_dir, tmp_path / "bot.log", path="/")
    try:
        mark = api.mark()
        api.send_text(CHAT, "/start")
        api.wait_for(question_to(CHAT), timeout=20, since=mark)
    finally:
        kill(process)
    assert api.webhook["url"] == url


def test_webhook_mode_refuses_to_start_without_a_secret(api: FakeBotApi, data_dir: Path,
                                                        tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    port = free_port()
    process = launch(api, data_dir, log, NOW,
                     args=["--webhook-url", f"http://127.0.0.1:{port}/hook", "--port", str(port)])
    assert process.wait(30) == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in log.read_text("utf-8")
    assert api.webhook == {}


def raw_post(url: str, declared: int, secret: str | None, chunk: int = 1024 * 1024,
             ) -> tuple[int, int]:
    """POST a body of ``declared`` zero bytes, as fast as the server takes it; returns the
    HTTP status and how many body bytes had been sent when the answer came."""
    parts = urlsplit(url)
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}",
            "Content-Type: application/json", f"Content-Length: {declared}"]
    if secret is not None:
        head.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    sent = 0
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        zeros = b"0" * chunk
        sock.setblocking(False)
        answer = b""
        deadline = time.monotonic() + 60
        while b"\r\n" not in answer and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock] if sent < declared else [],
                                                  [], 1)
            if readable:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
            elif writable:
                try:
                    sent += sock.send(zeros[:declared - sent])
                except (BrokenPipeError, ConnectionResetError):
                    break
    assert answer.startswith(b"HTTP/1.1 "), answer[:80]
    return int(answer.split()[1]), sent


def peak_memory_kb(process: Process) -> int:
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]


@pytest.mark.xdist_group("guarded_bot")
def test_large_posts_without_the_secret_are_refused_before_their_body_is_read(
        guarded_bot: tuple[FakeBotApi, str, Path, Process]) -> None:
    api, url, _, process = guarded_bot
    before = peak_memory_kb(process)
    for _ in range(3):
        status, sent = raw_post(url, 95 * 1024 * 1024, secret=None)
        assert status == 403
        assert sent < 95 * 1024 * 1024  # answered before the body was all sent
    # With the secret, a body no update could need is refused by its declared size.
    status, sent = raw_post(url, 95 * 1024 * 1024, secret=SECRET)
    assert status == 413
    assert sent < 95 * 1024 * 1024
    growth_mb = (peak_memory_kb(process) - before) / 1024
    # A genuine update is still answered.
    genuine = api.send_text(CHAT, "/start")
    mark = api.mark()
    assert api.post_webhook(url, genuine, secret_token=SECRET) == 200
    api.wait_for(question_to(CHAT), timeout=20, since=mark)
    assert growth_mb < 20, f"the bot's peak memory grew by {growth_mb:.0f} MB"
