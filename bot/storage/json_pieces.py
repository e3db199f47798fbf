"""JSON in small pieces, for the chats too big to encode or decode in one go.

``json.dumps`` and ``json.loads`` are each one C call that holds the GIL from start to end: on a
chat at the limits of ``flows.limits`` (megabytes of notes and evidence records) they take a
second, and even in a worker thread they stop the event loop, and every other chat's reply, for
all that time. Here a big account is encoded piece by piece (each element of its lists and
dicts, down to one event or one evidence record, is its own ``json.dumps``) and a big file is
decoded with a Python ``object_hook``: between two pieces, and at each decoded object, the
interpreter may hand the GIL over, so a worker thread doing it leaves the event loop running.
The text and the values are the same as the one-call forms'; only big chats take this path
(the pieces cost a little more in all), so the common small chat pays nothing.
"""

from __future__ import annotations

import json
from typing import Any

from flows.model import Account

# JSON text longer than this (bytes) is decoded in pieces: about a hundred times a busy chat.
BIG_TEXT = 256 * 1024
# An account holding more records than this (events and evidence records, every case together)
# is encoded in pieces; a busy real chat holds a few hundred.
BIG_RECORDS = 2000
# How many levels of lists and dicts are split: the file's tables, the account, its cases, a
# case, its events or evidence records, and each of those.
DEPTH = 6


def records(account: Account) -> int:
    """What the cost of encoding the account grows with (cheap: no text is built)."""
    return sum(len(case.events) + len(case.evidence) for case in account.cases)


def dumps(value: Any, depth: int = DEPTH) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, in many short calls."""
    if depth > 0 and isinstance(value, list):
        return "[" + ",".join(dumps(item, depth - 1) for item in value) + "]"
    if depth > 0 and isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return "{" + ",".join(f"{_one_call(key)}:{dumps(item, depth - 1)}"
                              for key, item in value.items()) + "}"
    return _one_call(value)


def _one_call(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: bytes | str) -> Any:
    """``json.loads(text)``; a big text with a Python hook at each object (see above)."""
    if len(text) <= BIG_TEXT:
        return json.loads(text)
    return json.loads(text, object_hook=_as_is)


def _as_is(document: dict[str, Any]) -> dict[str, Any]:
    # Python code run at each decoded object: where the interpreter may switch threads.
    return document
