"""A DOCX as simple HTML, so a clerk sees the draft before filing it."""

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


def docx_to_html(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = ['<div class="page">']
    mark = " ".join(p.text for p in document.sections[0].first_page_header.paragraphs if p.text.strip())
    if mark:
        parts.append(f'<p class="draft-mark">{escape(mark)}</p>')
    for child in document.element.body.iterchildren():
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
    align = _ALIGN.get(paragraph.alignment)
    style = f' style="text-align:{align}"' if align else ""
    indent = ' class="indent"' if paragraph.paragraph_format.first_line_indent else ""
    return f"<p{style}{indent}>{''.join(html) or '&nbsp;'}</p>"


def _table(table: Table) -> str:
    bordered = table.style is not None and table.style.name == "Table Grid"
    rows = []
    for row in table.rows:
        cells = "".join(
            "<td>" + "".join(_paragraph(p) for p in cell.paragraphs) + "</td>" for cell in row.cells
        )
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="{"grid" if bordered else "layout"}">{"".join(rows)}</table>'
