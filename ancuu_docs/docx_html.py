"""A DOCX as simple HTML: a clerk's preview before filing, and a version read in the page.

The caller bounds the file first (`extract.check_package`: XML items, nesting); the blocks
shown are bounded here too, so a file of a million empty paragraphs never becomes a page of
a million paragraphs."""

from __future__ import annotations

import io
from html import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from docx.text.paragraph import Paragraph

_ALIGN = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
}


# Blocks (paragraphs and tables) shown of one file: far more than any document has.
MAX_BLOCKS = 5000
CUT_SHORT = "Văn bản dài quá, trang chỉ hiển thị phần đầu: hãy tải về để đọc hết."


def docx_to_html(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = ['<div class="page">']
    sections = document.sections  # none in a file without w:sectPr: Word opens it all the same
    header = sections[0].first_page_header.paragraphs if len(sections) else []
    mark = " ".join(p.text for p in header if p.text.strip())
    if mark:
        parts.append(f'<p class="draft-mark">{escape(mark)}</p>')
    for shown, child in enumerate(document.element.body.iterchildren()):
        if shown == MAX_BLOCKS:
            parts.append(f'<p class="muted">{CUT_SHORT}</p>')
            break
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(_paragraph(Paragraph(child, document)))
        elif tag == "tbl":
            parts.append(_table(Table(child, document)))
    parts.append("</div>")
    return "".join(parts)


def _paragraph(paragraph: Paragraph) -> str:
    html = []
    for run in paragraph.runs:
        text = escape(run.text)
        if not text:
            continue
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.underline:
            text = f"<u>{text}</u>"
        html.append(text)
    # Classes, not style attributes: the pages' Content-Security-Policy allows no inline style.
    classes = [f"align-{_ALIGN[paragraph.alignment]}"] if paragraph.alignment in _ALIGN else []
    if paragraph.paragraph_format.first_line_indent:
        classes.append("indent")
    attributes = f' class="{" ".join(classes)}"' if classes else ""
    return f"<p{attributes}>{''.join(html) or '&nbsp;'}</p>"


def _table(table: Table) -> str:
    bordered = table.style is not None and table.style.name == "Table Grid"
    rows = []
    for row in table.rows:
        cells = "".join(
            "<td>" + "".join(_paragraph(p) for p in cell.paragraphs) + "</td>" for cell in row.cells
        )
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="{"grid" if bordered else "layout"}">{"".join(rows)}</table>'
