"""Telegram's text limits, counted as Telegram counts them: in UTF-16 code units.

An emoji outside the Basic Multilingual Plane is one Python character but two UTF-16 units, so
a message of 3 000 emoji fits ``len(text) <= 4096`` and is still refused by Telegram ("message
is too long"). Every cut below is made in those units, never inside a surrogate pair.
"""

from __future__ import annotations

MAX_TEXT = 4096  # units in a message's text


def units(text: str) -> int:
    """The length Telegram checks: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to at most ``limit`` units, on a character boundary."""
    if len(text) * 2 <= limit or units(text) <= limit:
        return text
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return text[:index]
    return text


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """``text`` in messages of at most ``limit`` units, cut between lines where it can be
    (a line longer than a message is cut inside, on a character boundary)."""
    if units(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while units(line) > limit:
            head = clip(line, limit)
            parts.append(head)
            line = line[len(head):]
        if current and units(current) + 1 + units(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts
