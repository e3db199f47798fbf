"""A worker process that ends when the bot ends, however the bot ends.

The screening workers (``bot.screening_pool``) wait for work on a queue whose both ends they
inherited, so the bot's death closes nothing they read: a bot SIGKILLed by the OOM killer or a
supervisor used to leave them waiting forever, reparented to init, each holding its memory.
A clean stop shuts the pool down; this is for the deaths that run no code in the bot.

On Linux the kernel does it: ``PR_SET_PDEATHSIG`` (prctl(2)) sends the worker SIGKILL the
moment its parent dies, with nothing to poll. Elsewhere, or if the call is refused, a daemon
thread looks at the parent's pid every second: an orphan is adopted by another process, so a
changed ``os.getppid()`` means the bot is gone. The resource tracker the workers share with
the bot needs neither: it ends by itself once every process holding its pipe has ended.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 1.0  # the portable watch's delay: a dead bot's worker ends within it


def follow_parent(parent: int) -> None:
    """A pool's initializer: end this worker when ``parent`` (the bot's pid) ends.

    ``parent`` is given by the bot rather than read here: the bot may already be dead when a
    worker starts, and its orphan would read its new parent's pid instead.
    """
    if not kernel_signals_parent_death():
        threading.Thread(target=watch, args=(parent, POLL_SECONDS), daemon=True,
                         name="parent-watch").start()
    if os.getppid() != parent:  # died before the kernel was asked: it will never tell
        os._exit(1)


def kernel_signals_parent_death() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where it cannot.

    The kernel watches the parent *thread* that started the worker; the pool starts its
    workers from the bot's event loop thread, which lives as long as the bot does.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done: int = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl in this C library
        return False
    return done == 0


def watch(parent: int, every: float) -> None:
    """End this process once its parent is no longer ``parent`` (the portable way)."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)
