"""JSON in small pieces, for the chats too big to encode or decode in one go.

``json.dumps`` and ``json.loads`` are each one C call that holds the GIL from start to end: on a
chat at the limits of ``flows.limits`` (megabytes of notes and evidence records) they take a
second, and even in a worker thread they stop the event loop, and every other chat's reply, for
all that time. Here a big account is encoded piece by piece (each element of its lists and
dicts, down to one event or one evidence record, is its own ``json.dumps``) and a big file is
decoded with a Python ``object_hook``: between two pieces, and at each decoded object, the
interpreter may hand the GIL over, so a worker thread doing it leaves the event loop running.
The text and the values are the same as the one-call forms', in about the same time (the
pieces are joined once, at the end); only big chats take this path, so the common small chat,
whose turn stays on the event loop, pays nothing for it.
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
# How many levels of dicts and lists are split: the file's tables, the account, its cases, a
# case, and its lists of events or evidence records, which go in slices of ``SLICE``.
DEPTH = 6
SLICE = 64  # events or records a call: a few milliseconds at most, however long their text


def records(account: Account) -> int:
    """What the cost of encoding the account grows with (cheap: no text is built)."""
    return sum(len(case.events) + len(case.evidence) for case in account.cases)


def is_big(account: Account) -> bool:
    """Whether the account is encoded in pieces (and its turns run off the event loop)."""
    return records(account) > BIG_RECORDS


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, in many short calls
    (joined once at the end: joining at every level would copy the whole text each time)."""
    parts: list[str] = []
    _write(value, DEPTH, parts)
    return "".join(parts)


def _write(value: Any, depth: int, parts: list[str]) -> None:
    if depth > 0 and isinstance(value, dict) and all(isinstance(key, str) for key in value):
        parts.append("{")
        for number, (key, item) in enumerate(value.items()):
            parts.append(f"{',' if number else ''}{_one_call(key)}:")
            _write(item, depth - 1, parts)
        parts.append("}")
    elif depth > 1 and isinstance(value, list):
        parts.append("[")
        for number, item in enumerate(value):
            if number:
                parts.append(",")
            _write(item, depth - 1, parts)
        parts.append("]")
    elif depth == 1 and isinstance(value, list) and value:
        slices = (_one_call(value[start:start + SLICE]) for start in range(0, len(value), SLICE))
        parts.append("[" + ",".join(text[1:-1] for text in slices) + "]")
    else:
        parts.append(_one_call(value))


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
