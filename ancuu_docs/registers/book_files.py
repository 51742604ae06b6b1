"""The books as files: XLSX to work on, PDF and DOCX to print (A4 landscape, the usual
register layout: the issuing body top left, the register's name and year, one row per entry,
every column headed and bordered)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from flask import current_app
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

from .. import spreadsheets
from ..docx_fields import add_field
from ..errors import Unavailable
from .books import DATE_COLUMNS, Book

MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def filename(book: Book, year: int, fmt: str) -> str:
    return f"{book.file_stem}-{year}.{fmt}"


def make(book: Book, year: int, rows: list[dict], fmt: str) -> bytes:
    return {"xlsx": _xlsx, "pdf": _pdf, "docx": _docx}[fmt](book, year, rows)


def _heading(book: Book, year: int) -> tuple[str, str]:
    return current_app.config["ISSUING_BODY"], f"{book.title} NĂM {year}"


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def _clean(value: object) -> object:
    """Text without control characters (a title pasted from elsewhere may carry them; XLSX and
    DOCX refuse them)."""
    return value.translate(_CONTROL) if isinstance(value, str) else value


def _cells(book: Book, row: dict) -> list[str]:
    return [str(_clean(row.get(key, ""))) for key, _label, _width in book.columns]


def _xlsx(book: Book, year: int, rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ("Văn bản mật " if book.secret else "Văn bản ") + ("đến" if book.incoming else "đi")
    body, title = (_clean(text) for text in _heading(book, year))
    # Named styles, registered once: a cell then takes one by name (setting style objects on
    # every cell costs ten times writing the data).
    thin = Side(style="thin")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    entry_style = NamedStyle(
        name="register-entry", border=box, alignment=Alignment(vertical="top", wrap_text=True)
    )
    heading_style = NamedStyle(
        name="register-heading",
        font=Font(bold=True),
        border=box,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    date_style = NamedStyle(
        name="register-date",
        border=box,
        alignment=Alignment(vertical="top"),
        number_format="DD/MM/YYYY",
    )
    workbook.add_named_style(entry_style)
    workbook.add_named_style(heading_style)
    workbook.add_named_style(date_style)
    spreadsheets.put(sheet, 1, 1, body).font = Font(bold=True)
    spreadsheets.put(sheet, 2, 1, title).font = Font(bold=True, size=14)
    for column, (_key, label, _width) in enumerate(book.columns, start=1):
        spreadsheets.put(sheet, 4, column, label, style="register-heading")
    keys = [key for key, _label, _width in book.columns]
    # Cells addressed by row and column: asking the sheet for its last row scans every cell.
    for line, row in enumerate(rows, start=5):
        for column, key in enumerate(keys, start=1):
            value = row.get(key, "")
            if key in DATE_COLUMNS and value:  # a date cell, sorted and filtered as a date
                spreadsheets.put(sheet, line, column, _as_date(value), style="register-date")
            else:
                spreadsheets.put(sheet, line, column, _clean(value), style="register-entry")
    for index, (_key, _label, width) in enumerate(book.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = width * 0.9
    last = sheet.cell(row=4, column=len(keys)).column_letter
    sheet.auto_filter.ref = f"A4:{last}{4 + len(rows)}"
    sheet.print_title_rows = "4:4"  # the headings on every printed page
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _as_date(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def _font_files() -> tuple[Path, Path]:
    folder = Path(current_app.config["REGISTER_FONT_FOLDER"])
    regular, bold = folder / "LiberationSerif-Regular.ttf", folder / "LiberationSerif-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        raise Unavailable(
            "Máy chủ thiếu phông chữ để in sổ ra PDF (Liberation Serif, gói fonts-liberation2). "
            "Hãy tải sổ dạng DOCX hoặc XLSX, hoặc báo quản trị cài phông."
        )
    return regular, bold


class _RegisterPdf(FPDF):
    def __init__(self, book: Book, year: int):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.book, self.year = book, year
        regular, bold = _font_files()
        self.add_font("Serif", "", str(regular))
        self.add_font("Serif", "B", str(bold))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)

    def header(self) -> None:
        body, title = _heading(self.book, self.year)
        self.set_font("Serif", "B", 11)
        self.cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Serif", "B", 14)
        self.cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Serif", "", 9)
        self.cell(0, 6, f"Trang {self.page_no()}/{{nb}}", align="C")


def _pdf(book: Book, year: int, rows: list[dict]) -> bytes:
    pdf = _RegisterPdf(book, year)
    pdf.add_page()
    pdf.set_font("Serif", "", 9)
    total = sum(width for _key, _label, width in book.columns)
    widths = [pdf.epw * width / total for _key, _label, width in book.columns]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, repeat_headings=1) as table:
        headings = table.row()
        for _key, label, _width in book.columns:
            headings.cell(label)
        for entry in rows:
            line = table.row()
            for text in _cells(book, entry):
                line.cell(text)
    return bytes(pdf.output())


def _docx(book: Book, year: int, rows: list[dict]) -> bytes:
    document = new_docx()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    body, title = _heading(book, year)
    document.add_paragraph().add_run(body).bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold, run.font.size = True, Pt(14)
    columns = book.columns
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False  # the declared widths, not Word's guess from the first row
    total = sum(width for _key, _label, width in columns)
    widths = [Mm((297 - 30) * width / total) for _key, _label, width in columns]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, (_key, label, _width), width in zip(table.rows[0].cells, columns, widths, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        cell.width = width
    _row_flags(table.rows[0], "w:cantSplit", "w:tblHeader")  # repeated on every page (schema order)
    for entry in rows:
        row = table.add_row()
        for cell, text, width in zip(row.cells, _cells(book, entry), widths, strict=True):
            cell.text = text
            cell.width = width
        _row_flags(row, "w:cantSplit")  # an entry never split across two pages
    _page_numbers(section)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _row_flags(row, *flags: str) -> None:
    properties = row._tr.get_or_add_trPr()
    for flag in flags:
        properties.append(OxmlElement(flag))


def _page_numbers(section) -> None:
    """ "Trang x/y" centred in the footer, as Word's PAGE and NUMPAGES fields."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Trang ")
    add_field(paragraph, "PAGE")
    paragraph.add_run("/")
    add_field(paragraph, "NUMPAGES")
