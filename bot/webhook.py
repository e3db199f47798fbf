"""Webhook mode: our own small aiohttp server in front of the application's update queue.

python-telegram-bot's webhook server (tornado) reads a request's whole body before it looks
at the secret header, up to 100 MB: six 95 MB POSTs from anyone who found the URL took the bot
from 69 MB to 1 GB of memory. Here the secret is checked on the headers alone, a body larger
than any update is refused from its declared length, and the rest is read with a cap. The
lifecycle (initialize, ``post_init``, start, stop, ``post_stop``, shutdown, ``post_shutdown``)
is the one ``Application.run_webhook`` follows, so the outbox, recovery and reminders wired on
those hooks run the same way as under polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from typing import Any

from aiohttp import web
from telegram import Update

from bot import debtor_web

log = logging.getLogger("impayes.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# An update is a few kilobytes (a 4 096-character message with its entities, a poll, a
# shared contact): a megabyte leaves ample room and bounds what a stranger can make us hold.
MAX_UPDATE_BYTES = 1024 * 1024


def web_app(application: Any, path: str, secret: str) -> web.Application:
    """The HTTP side: ``POST /<path>`` with the secret header puts one update in the queue."""
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return _refused(403)  # before a byte of the body is read
        if request.content_type != "application/json":
            return _refused(403)
        if request.content_length is None or request.content_length > MAX_UPDATE_BYTES:
            return _refused(413)
        try:
            body = await request.content.read(MAX_UPDATE_BYTES + 1)
            if len(body) > MAX_UPDATE_BYTES:
                return _refused(413)
            update = Update.de_json(json.loads(body), application.bot)
        except (ValueError, TypeError, KeyError):
            log.info("webhook: an unreadable update was refused")
            return _refused(400)
        await application.update_queue.put(update)
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    app.router.add_post("/" + path.strip("/"), receive)
    # The debtors' page (/d/<token>) beside the webhook: the letters' web link leads here.
    desk = application.bot_data.get("debtor_desk")
    if desk is not None:
        clock = application.bot_data["adapter"].assistant.clock
        debtor_web.add_routes(app, debtor_web.debtor_web(desk, application.bot, clock))
    return app


def _refused(status: int) -> web.Response:
    # Closing the connection: the unread rest of a large body is not waited for.
    return web.Response(status=status, headers={"Connection": "close"})


def run(application: Any, listen: str, port: int, path: str, url: str, secret: str,
        allowed_updates: list[str]) -> None:
    """Serve the webhook until SIGINT or SIGTERM, as ``Application.run_webhook`` would."""
    asyncio.run(_serve(application, listen, port, path, url, secret, allowed_updates))


async def _serve(application: Any, listen: str, port: int, path: str, url: str,
                 secret: str, allowed_updates: list[str]) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    runner = web.AppRunner(web_app(application, path, secret), access_log=None)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        await application.bot.set_webhook(url, secret_token=secret,
                                          allowed_updates=allowed_updates)
        await application.start()
        try:
            await stopping.wait()
        finally:
            await runner.cleanup()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        with contextlib.suppress(Exception):
            await runner.cleanup()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
