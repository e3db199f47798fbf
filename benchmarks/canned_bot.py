"""Impayés with the journey's work taken out: ``python -m benchmarks.canned_bot``.

The real Telegram adapter, settings and handlers, sending exactly the messages and keyboards
of the typed journey — but each reply is the one computed in advance for that step, with no
chat file read, no turn, no save. Measured next to the real bot, it splits our cost per update
into what python-telegram-bot spends sending our (richer) replies, and what our own work adds.
"""

from __future__ import annotations

import sys

from benchmarks import datagen
from bot import service
from bot.telegram_app import main as telegram_main
from flows.conversation import Event, Text
from flows.turn import turn

START = "debtor_name"


def canned_replies() -> list[service.Decided]:
    account = datagen.journey_until(START)
    return [service.Decided(turn(account, Text(text), datagen.NOW), lambda: None)
            for text in datagen.typed_script(START)]


def main() -> int:
    replies = canned_replies()
    step: dict[str, int] = {}

    def decide(self: service.Assistant, chat_id: str, event: Event,
               language_code: str | None = None,
               update_id: int | None = None) -> service.Decided:
        index = step.get(chat_id, 0)
        step[chat_id] = index + 1
        return replies[index % len(replies)]

    service.Assistant.decide = decide  # type: ignore[method-assign]

    return telegram_main([])


if __name__ == "__main__":
    sys.exit(main())
