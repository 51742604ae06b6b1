"""Cells of every XLSX the application writes: text stays text.

A spreadsheet runs what looks like a formula. A subject, an issuer or a signer typed by
anyone (`=HYPERLINK("http://…"&A1,"bấm")`, `=cmd|' /C calc'!A0`, `=1+1`) would become a live
formula cell in the office's books (CWE-1236): openpyxl itself makes any string starting with
"=" a formula, and Excel and LibreOffice read "+", "-" and "@" as the start of one when the
cell is edited. Every cell goes through `put`, which keeps such a string a string cell and
marks it quoted (Excel's leading apostrophe), so it shows and edits as the words typed.
"""

from __future__ import annotations

from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet may take for the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def put(sheet: Worksheet, row: int, column: int, value: object, *, style: str | None = None) -> Cell:
    """Write one cell: numbers and dates as themselves, any text as a string cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if style is not None:
        cell.style = style
    if looks_like_formula(value):
        cell.data_type = TYPE_STRING
        cell.quotePrefix = True
    return cell
