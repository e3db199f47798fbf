"""The floor: the smallest python-telegram-bot that answers a text, run like our bot.

``python -m benchmarks.echo_bot`` with ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_BASE_URL``: it
polls, and answers each text with one message, with python-telegram-bot's defaults (httpx).
With ``ECHO_CLIENT=aiohttp`` it sends through our client (``bot.http``) instead: the same
floor on the same HTTP client as our bot, for a like-for-like comparison.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await context.bot.send_message(message.chat_id, message.text)


def main() -> None:
    base = os.environ["TELEGRAM_BASE_URL"].rstrip("/")
    builder = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
               .base_url(base if base.endswith("/bot") else base + "/bot"))
    if os.environ.get("ECHO_CLIENT") == "aiohttp":
        from bot.http import AiohttpRequest  # deferred: the floor loads our client only when asked

        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(1))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
