"""Text the bot can keep: refused at the door rather than stored to fail later.

JSON may carry a lone UTF-16 surrogate (``"\\ud800"``), which Python accepts in a ``str`` but no
UTF-8 file can hold: stored, it made every later save of the chat fail. Such input is refused
with a message, before the turn touches the account.
"""

from __future__ import annotations

from dataclasses import astuple

from flows.conversation import Event


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unreadable(event: Event) -> bool:
    """Whether any text in the event could not be written to disk as UTF-8."""
    return any(isinstance(value, str) and not storable(value) for value in astuple(event))
