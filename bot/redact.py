"""Logs that never carry a secret: quiet the chatty HTTP loggers, mask the token everywhere.

The Bot API puts the token in every request URL, so a library that logs URLs (httpx at INFO)
or an exception that quotes one would write it to the logs. Two defences: those loggers are
kept at WARNING, and every log record is masked as it is created, whichever handler — a file,
the console, a test's capture — later writes it.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from typing import Any

MASK = "«secret»"
NOISY = ("httpx", "httpcore", "apscheduler")  # request URLs and job arguments at INFO
# python-telegram-bot's DEBUG records quote whole updates and request parameters (what users
# typed, names, amounts, file names): kept at INFO even when the bot logs at DEBUG. To see them
# while debugging on test data, set the ``telegram`` logger's level after start (README).
QUOTING = ("telegram",)

_lock = threading.Lock()
_secrets: set[str] = set()
_installed = False


def install(secrets: Iterable[str | None]) -> None:
    """Mask these values in every log record from now on (idempotent, adds to the list)."""
    global _installed
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in QUOTING:
        logging.getLogger(name).setLevel(logging.INFO)
    with _lock:
        _secrets.update(s for s in secrets if s and len(s) >= 8)
        if _installed:
            return
        _installed = True
        previous = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_masking(previous))


def stack_of(error: BaseException | None) -> str:
    """Where an error happened — each cause's type and frames — but never its message, which
    may quote personal data (``ValueError: invalid date 'ACME, 12 rue…'``)."""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts.append("".join(traceback.format_tb(error.__traceback__)) + type(error).__name__)
        error = error.__cause__ or error.__context__
    return "\n-- caused by --\n".join(reversed(parts))


def mask(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _masking(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if not _secrets:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it as usual
            return record
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters reuse exc_text when set: give them the masked traceback.
            text = logging.Formatter().formatException(record.exc_info)
            if mask(text) != text:
                record.exc_text = mask(text)
        return record

    return factory
