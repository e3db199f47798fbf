"""Our document HTML read back as a small tree, so DOCX and plain text say what the PDF says.

Every document is written once, as HTML from a template (the PDF is that HTML drawn by
WeasyPrint). The DOCX and the e-mail text are derived from the same HTML through this tree, so
the three forms can never drift apart. Only the small vocabulary our templates use is
understood: block tags (``div p h1 h2 h3 ul ol li table tr th td``), inline tags (``strong b em
i span br``) and a few classes that carry layout (``sender``, ``recipient``, ``place-date``,
``subject``, ``signature``…; see ``templates/common/letter.css``).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

BLOCK_TAGS = {"div", "p", "h1", "h2", "h3", "ul", "ol", "li", "table", "tr", "th", "td",
              "thead", "tbody", "section", "header", "footer", "blockquote"}
VOID_TAGS = {"br", "meta", "link", "hr", "img"}
SKIPPED_TAGS = {"head", "style", "script", "title"}
_SPACES = re.compile(r"[ \t\r\n\f]+")


@dataclass
class Element:
    tag: str
    classes: frozenset[str] = frozenset()
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def has(self, cls: str) -> bool:
        return cls in self.classes

    @property
    def is_block(self) -> bool:
        return self.tag in BLOCK_TAGS

    def elements(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element)]

    def has_blocks(self) -> bool:
        return any(c.is_block or c.tag == "hr" for c in self.elements())

    def text(self) -> str:
        """The visible text of this element, whitespace collapsed as a browser would."""
        return collapse("".join(_raw_text(self)))

    def find_all(self, tag: str) -> list[Element]:
        found = [self] if self.tag == tag else []
        for child in self.elements():
            found += child.find_all(tag)
        return found


def _raw_text(node: Element | str) -> list[str]:
    if isinstance(node, str):
        return [node]
    if node.tag == "br":
        return ["\n"]
    parts: list[str] = []
    for child in node.children:
        parts += _raw_text(child)
    return parts


def collapse(text: str) -> str:
    """Collapse runs of spaces and newlines to one space, keeping explicit ``<br>`` breaks."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with its emphasis, or a picture (``image``: PNG bytes, from an
    ``<img>`` whose source is a ``data:image/png;base64,`` address: the QR codes)."""

    text: str
    bold: bool = False
    italic: bool = False
    image: bytes = b""


PNG_DATA = "data:image/png;base64,"


def runs(node: Element) -> list[Run]:
    """The inline content of a block as runs, whitespace collapsed across run boundaries."""
    out: list[Run] = []

    def walk(item: Element | str, bold: bool, italic: bool) -> None:
        if isinstance(item, str):
            text = _SPACES.sub(" ", item)
            if text:
                out.append(Run(text, bold, italic))
            return
        if item.tag == "br":
            out.append(Run("\n", bold, italic))
            return
        if item.tag == "img":
            source = item.attrs.get("src", "")
            if source.startswith(PNG_DATA):
                out.append(Run("", image=base64.b64decode(source[len(PNG_DATA):])))
            return
        bold = bold or item.tag in {"strong", "b"}
        italic = italic or item.tag in {"em", "i"}
        for child in item.children:
            walk(child, bold, italic)

    walk(node, False, False)
    return _tidy(out)


def _tidy(parts: list[Run]) -> list[Run]:
    """Drop spaces at line starts and ends, and doubled spaces between runs."""
    tidy: list[Run] = []
    at_line_start = True
    for part in parts:
        if part.image:
            tidy.append(part)
            continue
        text = part.text
        if text == "\n":
            if tidy:
                tidy[-1] = replace(tidy[-1], text=tidy[-1].text.rstrip(" "))
            tidy.append(part)
            at_line_start = True
            continue
        if at_line_start or (tidy and tidy[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if not text:
            continue
        tidy.append(Run(text, part.bold, part.italic))
        at_line_start = False
    if tidy:
        tidy[-1] = replace(tidy[-1], text=tidy[-1].text.rstrip(" "))
    return [r for r in tidy if r.text or r.image]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document")
        self.stack = [self.root]
        self.title = ""
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
            self._in_title = tag == "title"
            return
        if self._skipping:
            return
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, frozenset(values.get("class", "").split()), values)
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and not self._skipping and tag not in SKIPPED_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping -= 1
            self._in_title = False
            return
        if self._skipping or tag in VOID_TAGS:
            return
        # Close up to the matching tag (tolerates a forgotten closing tag inside it).
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self.stack[-1].children.append(data)


@dataclass(frozen=True)
class Parsed:
    title: str
    body: Element


def parse(html: str) -> Parsed:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    bodies = builder.root.find_all("body")
    body = bodies[0] if bodies else builder.root
    return Parsed(collapse(builder.title), body)
