"""The bot as its own process (``python -m bot telegram``) against the fake Bot API.

For the tests that must kill it (crash test), reach it over HTTP (webhook mode) or measure it
from outside (benchmarks). Its log goes to a file, so a test can also check that no token or
secret ever reaches it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from testing import forkserver
from testing.fakebot import FakeBotApi
from testing.forkserver import Process

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now (for the bot's webhook server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_env(api: FakeBotApi, data_dir: Path, now: datetime | None = None,
            **extra: str) -> dict[str, str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
           "IMPAYES_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    if now is not None:
        env["IMPAYES_NOW"] = now.replace(tzinfo=None).isoformat()
    env.update(extra)
    return env


def launch(api: FakeBotApi, data_dir: Path, log: Path, now: datetime | None = None,
           args: Sequence[str] = (), module: Sequence[str] = ("bot", "telegram"),
           **extra_env: str) -> Process:
    """Start ``python -m bot telegram ARGS`` (or another module) writing its log to ``log``,
    forked from a process that has imported the bot already (``testing.forkserver``).

    In a session of its own, so that ``kill`` reaches every process it starts (its screening
    workers, an OCR run), as a power cut would, and a test leaves nothing running.
    """
    with log.open("ab") as out:
        return forkserver.start([*module, *args], ROOT, bot_env(api, data_dir, now, **extra_env),
                                stdout=out, stderr=out)


def kill(process: Process) -> None:
    """SIGKILL the bot and everything it started: no handler runs, no buffer is flushed, as
    in a power cut. The group is killed even when the bot is already dead (it may have killed
    itself, ``testing.killed_bot``): its children outlive it by design only until
    ``bot.parent_watch`` ends them, and a test must not rely on that to clean up."""
    with contextlib.suppress(ProcessLookupError):  # nothing of it left
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(15)


def polling_started(api: FakeBotApi, since: int, timeout: float = 30) -> None:
    """Wait until a process started after ``since`` is about to poll for updates.

    PTB deletes any webhook just before its first getUpdates, and the fake records a
    getUpdates only when it returns (up to the long-poll timeout later), so deleteWebhook is
    the sign that the bot is ready.
    """
    api.wait_for("deleteWebhook", timeout=timeout, since=since)
