"""A DOCX as simple HTML: a clerk's preview before filing, and a version read in the page."""

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
