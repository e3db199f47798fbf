"""The floor: the smallest python-telegram-bot that answers a text, run like our bot.

``python -m benchmarks.echo_bot`` with ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_BASE_URL``: it
polls, and answers each text with one message. Anything our bot costs above this is ours.
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
    application = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
                   .base_url(base if base.endswith("/bot") else base + "/bot").build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
