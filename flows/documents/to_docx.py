"""A document as an editable Word file (DOCX), built from the same HTML as its PDF.

The layout follows ``templates/common/letter.css`` closely enough that a user who edits the DOCX
in Word or LibreOffice gets the same letter: A4, the same margins, the sender top left, the
recipient block on the right, place and date right-aligned, a bold subject line, justified
paragraphs, amount tables with right-aligned figures, the signature block on the right, and
page numbers from the second page on.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from flows.documents.html_tree import Element, Run, parse, runs

FONT = "Cambria"  # present in Word, replaced by a metric-compatible font in LibreOffice
SIZE = Pt(10.5)
RIGHT_BLOCK = Cm(9.5)  # the recipient and signature column, as in letter.css
GREY = RGBColor(0x55, 0x55, 0x55)
QR_SIZE = Cm(2.8)  # the QR codes, as img.qr in letter.css
LINE_GROUPS = {"sender", "recipient", "signature", "signature-email", "refs", "lines",
               "email-head", "party"}


def html_to_docx(html: str, author: str = "") -> bytes:
    parsed = parse(html)
    document = Document()
    _page_setup(document)
    document.core_properties.title = parsed.title
    document.core_properties.author = author
    writer = _Writer(document)
    writer.blocks(parsed.body, {})
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    # No number on the first page, "n / N" from the second on, like the PDF.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for part in (_field("PAGE"), " / ", _field("NUMPAGES")):
        if isinstance(part, str):
            run = footer.add_run(part)
        else:
            run = footer.add_run()
            run._r.append(part)
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY


def _field(code: str) -> Any:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    return field


class _Writer:
    def __init__(self, document: Any) -> None:
        self.document = document

    # Blocks ------------------------------------------------------------------------------
    def blocks(self, node: Element, style: dict[str, Any]) -> None:
        pending: list[Element | str] = []
        for child in node.children:
            if isinstance(child, str) or not (child.is_block or child.tag == "hr"):
                pending.append(child)
                continue
            self._inline_group(pending, style)
            pending = []
            self.block(child, style)
        self._inline_group(pending, style)

    def _inline_group(self, items: list[Element | str], style: dict[str, Any]) -> None:
        if not items:
            return
        wrapper = Element("span", children=list(items))
        if wrapper.text():
            self.paragraph(wrapper, style)

    def block(self, node: Element, style: dict[str, Any]) -> None:
        if node.has("page-break"):
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            return
        if node.tag == "hr":
            return
        style = {**style, **_style_for(node)}
        if node.tag == "table":
            self.table(node, style)
            return
        if node.tag in {"ul", "ol"}:
            for number, item in enumerate(node.elements(), start=1):
                mark = f"{number}." if node.tag == "ol" else "•"
                if item.has("held"):
                    mark = "☑"
                elif item.has("missing"):
                    mark = "☐"
                self.paragraph(item, {**style, "list_mark": mark, "space_after": Pt(3)})
            return
        if not node.has_blocks():
            if node.text():
                self.paragraph(node, style)
            return
        grouped = any(node.has(c) for c in LINE_GROUPS)
        inner = {**style, "space_after": Pt(0)} if grouped else style
        inner.pop("group_before", None)
        start = len(self.document.paragraphs)
        self.blocks(node, inner)
        written = self.document.paragraphs[start:]
        if grouped and written:
            written[-1].paragraph_format.space_after = style.get("group_after", Pt(10))
            if "group_before" in style:
                written[0].paragraph_format.space_before = style["group_before"]

    def paragraph(self, node: Element, style: dict[str, Any]) -> None:
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_after = style.get("space_after", Pt(6))
        if "space_before" in style:
            fmt.space_before = style["space_before"]
        if "indent" in style:
            fmt.left_indent = style["indent"]
        if "align" in style:
            paragraph.alignment = style["align"]
        mark = style.get("list_mark")
        if mark:
            fmt.left_indent = Cm(0.8) + style.get("indent", Cm(0))
            fmt.first_line_indent = Cm(-0.6)
            paragraph.add_run(f"{mark}\t" if len(mark) > 1 else f"{mark}  ")
        content = runs(node) if not node.has_blocks() else [Run(node.text())]
        for part in content:
            self._run(paragraph, part, style)

    def _run(self, paragraph: Any, part: Run, style: dict[str, Any]) -> None:
        if part.image:
            paragraph.add_run().add_picture(io.BytesIO(part.image), width=QR_SIZE)
            return
        pieces = part.text.split("\n")
        for index, piece in enumerate(pieces):
            run = paragraph.add_run(piece)
            if index < len(pieces) - 1:
                run.add_break()
            run.bold = part.bold or style.get("bold", False) or None
            run.italic = part.italic or style.get("italic", False) or None
            if style.get("caps"):
                run.font.all_caps = True
            if "size" in style:
                run.font.size = style["size"]
            if style.get("grey"):
                run.font.color.rgb = GREY

    # Tables ------------------------------------------------------------------------------
    def table(self, node: Element, style: dict[str, Any]) -> None:
        rows = [row for row in node.find_all("tr")]
        if not rows:
            return
        width = max(sum(int(c.attrs.get("colspan", "1") or "1") for c in _cells(r)) for r in rows)
        plain = node.has("signatures") or node.has("plain") or node.has("columns")
        table = self.document.add_table(rows=0, cols=width)
        if not plain:
            table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row in rows:
            cells = table.add_row().cells
            column = 0
            for cell in _cells(row):
                span = int(cell.attrs.get("colspan", "1") or "1")
                target = cells[column]
                if span > 1:
                    target = target.merge(cells[column + span - 1])
                column += span
                paragraph = target.paragraphs[0]
                cell_style = {
                    "bold": cell.tag == "th" or row.has("total"),
                    "size": style.get("size", Pt(9.5)),
                }
                if cell.has("num"):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if cell.has_blocks():
                    first = True
                    for child in cell.elements():
                        target_paragraph = paragraph if first else target.add_paragraph()
                        first = False
                        for part in runs(child):
                            self._run(target_paragraph, part, cell_style)
                else:
                    for part in runs(cell):
                        self._run(paragraph, part, cell_style)
        self.document.add_paragraph().paragraph_format.space_after = Pt(4)


def _cells(row: Element) -> list[Element]:
    return [c for c in row.elements() if c.tag in {"td", "th"}]


def _style_for(node: Element) -> dict[str, Any]:
    """The Word formatting that matches an element's class in letter.css."""
    style: dict[str, Any] = {}
    if node.tag == "h1":
        style.update(bold=True, size=Pt(15), space_after=Pt(10))
    elif node.tag == "h2":
        style.update(bold=True, size=Pt(12), space_before=Pt(10), space_after=Pt(6))
    elif node.tag == "h3":
        style.update(bold=True, space_before=Pt(6), space_after=Pt(4))
    elif node.tag == "p":
        style.update(align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(7))
    if node.has("sender"):
        style.update(group_after=Pt(30))
    if node.has("recipient"):
        style.update(indent=RIGHT_BLOCK, group_after=Pt(26))
    if node.has("place-date"):
        style.update(align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=Pt(18))
    if node.has("mode"):
        style.update(bold=True, caps=True, space_after=Pt(6))
    if node.has("subject"):
        style.update(bold=True, space_after=Pt(14))
    if node.has("refs"):
        style.update(group_after=Pt(12))
    if node.has("signature"):
        style.update(indent=RIGHT_BLOCK, group_before=Pt(30), group_after=Pt(6))
    if node.has("name"):
        style.update(bold=True)
    if node.has("muted"):
        style.update(grey=True, size=Pt(9))
    if node.has("center"):
        style.update(align=WD_ALIGN_PARAGRAPH.CENTER)
    return style
