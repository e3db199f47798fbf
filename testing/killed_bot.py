"""``python -m bot telegram`` that kills itself with SIGKILL at a point a test names.

``IMPAYES_TEST_KILL_BEFORE=<method>`` names a method of ``bot.service.Assistant``: the process
SIGKILLs itself as that method is first called, before it does anything, as a power cut would
at that instant. Only the tests start the bot this way (``python -m testing.killed_bot``);
nothing of it is in ``bot/``.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from bot import telegram_app
from bot.service import Assistant

KILL_BEFORE = "IMPAYES_TEST_KILL_BEFORE"


def arm(method: str) -> None:
    if not callable(getattr(Assistant, method, None)):
        raise SystemExit(f"{KILL_BEFORE}: Assistant has no method {method!r}")

    def killed(*_args: Any, **_kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(Assistant, method, killed)


def main() -> int:
    method = os.environ.get(KILL_BEFORE)
    if method:
        arm(method)
    return telegram_app.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
