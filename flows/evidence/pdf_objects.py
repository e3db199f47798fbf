"""The names a PDF's objects use, read the way a PDF reader tokenizes them.

Regular expressions on the raw bytes were fooled twice: a comment ``%stream`` was taken for the
start of a stream (hiding the JavaScript after it), and a string ``(obj)`` in an object
stream's dictionary hid the stream's type. This tokenizer follows the PDF syntax (ISO 32000-1,
7.2 and 7.3): comments, literal strings (nested brackets, backslash escapes) and hexadecimal
strings are skipped as units; a name is collected with its ``#xx`` escapes undone; a stream is
skipped by its direct ``/Length`` (else up to ``endstream``), and decoded only when it is an
object stream (``/Type /ObjStm``), whose content is objects again. Image, font and page-drawing
streams are never read as objects: random bytes of a scan would spell ``/JS`` now and then.
Everything runs under the upload's ``Budget``.
"""

from __future__ import annotations

import re
import zlib

from flows.evidence.budget import Budget, OverBudget

# PDF white space and delimiters (ISO 32000-1, 7.2.2).
_WHITE = b"\x00\t\n\x0c\r "
_TOKEN = re.compile(rb"%|\(|<<|>>|<|/|(?<![^\x00\t\n\x0c\r \]>)])stream(?=\r\n|\n|\r)")
_EOL = re.compile(rb"[\r\n]")
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_PART = re.compile(rb"\\.|\(|\)", re.DOTALL)
_LENGTH = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)(?P<ref>[\x00\t\n\x0c\r ]+\d+[\x00\t\n\x0c\r ]+R)?")
_COMMENT = re.compile(rb"%[^\r\n]*")
_ENDSTREAM = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")


class Unreadable(Exception):
    """An object stream whose filters we cannot undo, or that does not inflate."""


def names(data: bytes, budget: Budget) -> set[bytes]:
    """Every name used by the objects of ``data`` (a whole PDF), object streams included."""
    found: set[bytes] = set()
    _scan(data, budget, found, nested=False)
    return found


def _scan(data: bytes, budget: Budget, found: set[bytes], nested: bool) -> None:
    pos, depth = 0, 0
    current: set[bytes] = set()  # names of the outermost dictionary being read
    length: int | None = None
    last: tuple[set[bytes], int | None, int] = (set(), None, -1)  # its names, /Length, end
    steps = 0
    while True:
        steps += 1
        if steps % 4096 == 0:
            budget.tick()
        token = _TOKEN.search(data, pos)
        if token is None:
            return
        kind, pos = token.group(), token.end()
        if kind == b"%":
            eol = _EOL.search(data, pos)
            pos = eol.end() if eol else len(data)
        elif kind == b"(":
            pos = _after_string(data, pos, budget)
        elif kind == b"<<":
            depth += 1
            if depth == 1:
                current, length = set(), None
        elif kind == b">>":
            if depth == 1:
                last = (current, length, pos)
            depth = max(depth - 1, 0)
        elif kind == b"<":
            end = data.find(b">", pos)
            pos = end + 1 if end >= 0 else len(data)
        elif kind == b"/":
            name = _NAME.match(data, token.start())
            assert name is not None  # the pattern accepts an empty name
            pos = name.end()
            value = name.group(1)
            if b"#" in value:
                value = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), value)
            found.add(value)
            if depth >= 1:
                current.add(value)
            if depth == 1 and value == b"Length":
                direct = _LENGTH.match(data, pos)
                if direct is not None and direct.group("ref") is None:
                    length = int(direct.group(1))
        elif not nested and depth == 0:  # ``stream``: after the dictionary that just closed
            dictionary, declared, closed = last
            if closed < 0 or _COMMENT.sub(b"", data[closed:token.start()]).strip(_WHITE):
                continue  # no dictionary right before it: not a stream, as readers see it
            start = pos + (2 if data.startswith(b"\r\n", pos) else 1)
            end = _stream_end(data, start, declared)
            if b"ObjStm" in dictionary:
                _scan(_decoded(data[start:end], dictionary, budget), budget, found, nested=True)
            after = _ENDSTREAM.match(data, end)
            pos = after.end() if after else end
            last = (set(), None, -1)


def _after_string(data: bytes, pos: int, budget: Budget) -> int:
    """The position after a literal string whose opening bracket ends at ``pos``."""
    depth = 1
    for steps, part in enumerate(_STRING_PART.finditer(data, pos), start=1):
        if steps % 4096 == 0:
            budget.tick()
        mark = part.group()
        if mark == b"(":
            depth += 1
        elif mark == b")":
            depth -= 1
            if depth == 0:
                return part.end()
    return len(data)


def _stream_end(data: bytes, start: int, declared: int | None) -> int:
    """Where a stream's bytes end: at its declared length when ``endstream`` follows it there
    (as readers take it), else at the next ``endstream``."""
    if declared is not None and _ENDSTREAM.match(data, start + declared):
        return start + declared
    end = data.find(b"endstream", start)
    return len(data) if end < 0 else end


def _decoded(body: bytes, dictionary: set[bytes], budget: Budget) -> bytes:
    filters = [n for n in dictionary if n.endswith(b"Decode")]
    if not filters:
        budget.spend(len(body), object_stream=True)
        return body
    if filters != [b"FlateDecode"]:
        raise Unreadable  # a chain of filters we do not undo: cannot tell what it holds
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(body, budget.room(object_stream=True))
    except zlib.error as error:
        raise Unreadable from error
    budget.spend(len(inflated), object_stream=True)
    if inflater.unconsumed_tail:
        raise OverBudget
    return inflated
