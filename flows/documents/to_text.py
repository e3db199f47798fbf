"""A document as plain text: what to paste into an e-mail, and what the snapshots keep.

Paragraphs are separated by a blank line and never hard-wrapped (the mail client wraps them);
address blocks stay one line per line; tables become aligned columns; lists get bullets.
"""

from __future__ import annotations

from flows.documents.html_tree import Element, collapse, parse

# Blocks whose lines belong together (an address, a signature): no blank line between them.
LINE_GROUPS = {"sender", "recipient", "signature", "signature-email", "refs", "lines",
               "email-head", "party"}
HIDDEN = {"pdf-only", "page-break"}


def html_to_text(html: str) -> str:
    parsed = parse(html)
    paragraphs = _blocks(parsed.body)
    return "\n\n".join(p for p in paragraphs if p.strip()) + "\n"


def _blocks(node: Element) -> list[str]:
    out: list[str] = []
    pending_inline: list[Element | str] = []

    def flush() -> None:
        if pending_inline:
            text = Element("span", children=list(pending_inline)).text()
            if text:
                out.append(text)
            pending_inline.clear()

    for child in node.children:
        if isinstance(child, str) or not (child.is_block or child.tag == "hr"):
            pending_inline.append(child)
            continue
        flush()
        out += _block(child)
    flush()
    return out


def _block(node: Element) -> list[str]:
    if any(node.has(c) for c in HIDDEN) or node.tag == "hr":
        return []
    if node.tag == "table" and (node.has("signatures") or node.has("columns")):
        # Blocks side by side on paper (signatures, parties): one after the other in text.
        return ["\n".join(_blocks(cell)) for cell in node.find_all("td") if _has_text(cell)]
    if node.tag == "table":
        return [_table(node)]
    if node.tag in {"ul", "ol"}:
        return [_list(node)]
    if node.tag in {"h1", "h2"}:
        title = node.text()
        rule = ("=" if node.tag == "h1" else "-") * min(len(title), 72)
        return [f"{title}\n{rule}"]
    if not node.has_blocks():
        text = node.text()
        if node.has("mode"):
            text = text.upper()
        return [text] if text else []
    inner = _blocks(node)
    if any(node.has(c) for c in LINE_GROUPS):
        return ["\n".join(inner)]
    return inner


def _has_text(node: Element) -> bool:
    return bool(node.text().strip())


def _list(node: Element) -> str:
    items = [child for child in node.elements() if child.tag == "li"]
    lines = []
    for number, item in enumerate(items, start=1):
        mark = f"{number}." if node.tag == "ol" else "•"
        if item.has("held"):
            mark = "[x]"
        elif item.has("missing"):
            mark = "[ ]"
        text = "\n".join(_blocks(item)) if item.has_blocks() else item.text()
        indent = " " * (len(mark) + 1)
        lines.append(f"{mark} " + text.replace("\n", "\n" + indent))
    return "\n".join(lines)


def _table(node: Element) -> str:
    rows: list[list[tuple[str, bool]]] = []
    header_rows = 0
    for row in node.find_all("tr"):
        cells = [c for c in row.elements() if c.tag in {"td", "th"}]
        line: list[tuple[str, bool]] = []
        for cell in cells:
            text = collapse(cell.text()).replace("\n", " ")
            line.append((text, cell.has("num")))
            for _ in range(int(cell.attrs.get("colspan", "1") or "1") - 1):
                line.append(("", False))
        if cells and all(c.tag == "th" for c in cells) and len(rows) == header_rows:
            header_rows += 1
        rows.append(line)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [("", False)] * (width - len(r)) for r in rows]
    sizes = [max(len(r[i][0]) for r in rows) for i in range(width)]
    rendered = []
    for index, line in enumerate(rows):
        padded = [text.rjust(sizes[i]) if num else text.ljust(sizes[i])
                  for i, (text, num) in enumerate(line)]
        rendered.append("  ".join(padded).rstrip())
        if index + 1 == header_rows:
            rendered.append("  ".join("-" * s for s in sizes))
    return "\n".join(rendered)
