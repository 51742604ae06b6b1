"""The Party document layout as python-docx building blocks with docxtpl tags: the header
table, the title block, styled body sections, tables with declared widths, the footer with
"Nơi nhận" and the signature block. `builder` assembles the five templates from them."""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ..docx_fields import add_field

FONT = "Times New Roman"

# Sizes from the domain reference, in points.
SIZE_PARTY = 15  # ĐẢNG CỘNG SẢN VIỆT NAM
SIZE_HEADER = 14  # superior body, issuing body, number, place and date
SIZE_TYPE = 16  # NGHỊ QUYẾT, BÁO CÁO, …
SIZE_SUBJECT = 14
SIZE_BODY = 14
SIZE_RECIPIENTS = 12
SIZE_TABLE = 12
SIZE_DRAFT_MARK = 12
# "ĐẢNG CỘNG SẢN VIỆT NAM" at 15 pt bold is 7.29 cm wide in Times New Roman (measured with
# Liberation Serif Bold, its metric twin); the rule under it is drawn as long as that, with
# a little slack so a renderer's rounding never wraps the line.
PARTY_TEXT_CM = 7.29
RULE_SLACK_CM = 0.15
CELL_MARGIN_CM = 0.19  # Word's and LibreOffice's default left and right cell margins
SIGNATURE_ROOM_LINES = 4  # blank lines for the signature and the seal


# ------------------------------------------------------------------ low-level helpers


def _run(paragraph, text: str, *, size: float = SIZE_BODY, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    # East-Asian and complex-script slots too, so Word never falls back to another font.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    return run


def _para(container, text: str = "", *, align=None, indent=False, space_after=0, keep=False, **style):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if keep:
        fmt.keep_with_next = True
    if text:
        _run(paragraph, text, **style)
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); it vanishes on render."""
    return _para(container, text, size=SIZE_BODY)


def _first_cell_paragraph(cell, text: str = "", **style):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if "align" in style:
        paragraph.alignment = style.pop("align")
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _bottom_rule(paragraph) -> None:
    """The rule under "ĐẢNG CỘNG SẢN VIỆT NAM": a bottom border on its paragraph."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Declared widths, honoured by Word and LibreOffice alike: the grid (which LibreOffice
    reads), each cell, the table's total, and a fixed layout so nothing is shared out evenly."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    total = tbl_pr.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        tbl_pr.append(total)
    total.set(qn("w:w"), str(sum(round(Cm(w).twips) for w in widths_cm)))
    total.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


# ------------------------------------------------------------------ the layout blocks


def new_document() -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE_BODY)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # Defaults from the domain reference; the renderer applies the configured margins.
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)

    # Page numbers from page 2, centred in the top margin; the first page carries the
    # "DỰ THẢO n" mark in its upper corner instead.
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(first, "{% if draft %}DỰ THẢO {{ version }}{% endif %}", size=SIZE_DRAFT_MARK, bold=True)
    later = section.header.paragraphs[0]
    later.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(later, "PAGE", shown="2")
    return doc


HEADER_WIDTHS = [7.5, 9.0]


def header_table(doc) -> None:
    """One row per line, so the place-and-date line stands level with "Số" whatever the
    fonts: issuing bodies, "*" and the number on the left; the party's name, its rule and
    the date on the right. The draft's date until issued, then the issue date."""
    table = doc.add_table(rows=4, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, HEADER_WIDTHS)
    center = WD_ALIGN_PARAGRAPH.CENTER
    left = [table.cell(row, 0) for row in range(4)]
    right = [table.cell(row, 1) for row in range(4)]
    _first_cell_paragraph(left[0], "{{ org.superior_body }}", size=SIZE_HEADER, align=center)
    _first_cell_paragraph(left[1], "{{ org.issuing_body }}", size=SIZE_HEADER, bold=True, align=center)
    _first_cell_paragraph(left[2], "*", size=SIZE_HEADER, align=center)
    _first_cell_paragraph(left[3], "Số {{ number_line }}", size=SIZE_HEADER, align=center)
    party = _first_cell_paragraph(
        right[0], "ĐẢNG CỘNG SẢN VIỆT NAM", size=SIZE_PARTY, bold=True, align=center
    )
    _bottom_rule(party)
    # The rule spans the paragraph between its indents: indent it down to the text's length.
    room = HEADER_WIDTHS[1] - 2 * CELL_MARGIN_CM
    indent = Cm(max(0.0, (room - PARTY_TEXT_CM - RULE_SLACK_CM) / 2))
    party.paragraph_format.left_indent = party.paragraph_format.right_indent = indent
    for cell in right[1:3]:
        _first_cell_paragraph(cell).paragraph_format.space_after = Pt(0)
    _first_cell_paragraph(
        right[3],
        "{{ org.place }}, {{ (issue.date if issue else date) | vn_date }}",
        size=SIZE_HEADER,
        italic=True,
        align=center,
    )


def title_block(
    doc, type_name: str, *, meeting: bool, subject: bool = True, upper_meeting: bool = True
) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "", size=SIZE_BODY)
    _para(doc, type_name, align=center, size=SIZE_TYPE, bold=True, keep=True)
    if meeting:
        tag(doc, "{%p if meeting %}")
        text = "{{ meeting | upper }}" if upper_meeting else "{{ meeting }}"
        _para(doc, text, align=center, size=SIZE_SUBJECT, bold=True, keep=True)
        tag(doc, "{%p endif %}")
    if subject:
        _para(doc, "{{ subject }}", align=center, size=SIZE_SUBJECT, bold=True, keep=True)
    _para(doc, "-----", align=center, size=SIZE_SUBJECT, space_after=6)


def sections_block(doc, variable: str, *, last: bool = False) -> None:
    """A long-text field as styled paragraphs: "I-" and short "1." headings bold, everything
    else (a numbered whole sentence, "a)" items, "-" bullets) body text. With `last`, the
    final block keeps with what follows, so the signature never stands alone on a page."""
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    tag(doc, f"{{%p for block in {variable} | sections %}}")
    if last:
        tag(doc, "{%p if loop.last %}")
        _para(doc, "{{ block.text }}", align=justify, indent=True, space_after=6, keep=True)
        tag(doc, '{%p elif block.kind in ("heading1", "heading2") %}')
    else:
        tag(doc, '{%p if block.kind in ("heading1", "heading2") %}')
    _para(doc, "{{ block.text }}", align=justify, indent=True, space_after=3, bold=True, keep=True)
    tag(doc, '{%p elif block.kind in ("heading3", "bullet", "item") %}')
    _para(doc, "{{ block.text }}", align=justify, indent=True, space_after=3)
    tag(doc, "{%p else %}")
    _para(doc, "{{ block.text }}", align=justify, indent=True, space_after=6)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def heading(doc, text: str) -> None:
    _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=3, bold=True, keep=True)


def rows_table(doc, variable: str, columns: list[tuple[str, str, float]]) -> None:
    """A table with a header row and one row per item of `variable` (rows the clerk fills)."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [width for _key, _label, width in columns])
    for cell, (_key, label, _width) in zip(table.rows[0].cells, columns, strict=True):
        _first_cell_paragraph(cell, label, size=SIZE_TABLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _first_cell_paragraph(table.rows[1].cells[0], f"{{%tr for row in {variable} %}}", size=SIZE_TABLE)
    for cell, (key, _label, _width) in zip(table.rows[2].cells, columns, strict=True):
        _first_cell_paragraph(cell, f"{{{{ row.{key} }}}}", size=SIZE_TABLE)
    _first_cell_paragraph(table.rows[3].cells[0], "{%tr endfor %}", size=SIZE_TABLE)
    # Header repeats on each page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    _para(doc, "", size=6)


def _keep_together(table) -> None:
    """No row split across pages, every paragraph kept with the next: the block moves as one
    (Word and LibreOffice both read keep-with-next on a table's paragraphs this way)."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.keep_together = True


def _spacer(doc) -> None:
    """The blank line between the body and the signature block, kept with both."""
    _para(doc, "", size=SIZE_BODY, keep=True)


def footer_table(doc) -> None:
    """Nơi nhận on the left (the label 14, upright, underlined); the signature block on the
    right, the issue's signer once issued, with room for the signature and the seal."""
    _spacer(doc)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    label = _first_cell_paragraph(left)
    _run(label, "Nơi nhận:", size=SIZE_HEADER, underline=True)
    tag(left, "{%p for line in recipients | lines %}")
    _para(left, "{{ line }}", size=SIZE_RECIPIENTS)
    tag(left, "{%p endfor %}")
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_cell_paragraph(
        right, "{{ signature_authority | upper }}", size=SIZE_HEADER, bold=True, align=center
    )
    _para(right, "{{ signer_title | upper }}", align=center, size=SIZE_HEADER, bold=True)
    for _ in range(SIGNATURE_ROOM_LINES):
        _para(right, "", size=SIZE_HEADER)
    _para(
        right,
        "{{ issue.signer if issue and issue.signer else signer_name }}",
        align=center,
        size=SIZE_HEADER,
        bold=True,
    )
    _keep_together(table)


def minutes_signatures(doc) -> None:
    _spacer(doc)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.25, 8.25])
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, title, name in (
        (table.rows[0].cells[0], "NGƯỜI GHI BIÊN BẢN", "{{ secretary_name }}"),
        (table.rows[0].cells[1], "CHỦ TRÌ HỘI NGHỊ", "{{ chair_name }}"),
    ):
        _first_cell_paragraph(cell, title, size=SIZE_HEADER, bold=True, align=center)
        for _ in range(SIGNATURE_ROOM_LINES):
            _para(cell, "", size=SIZE_HEADER)
        _para(cell, name, align=center, size=SIZE_HEADER, bold=True)
    _keep_together(table)


def body_line(doc, text: str, *, keep: bool = False, **style) -> None:
    _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=3, keep=keep, **style)
