"""Word fields written into a DOCX the application makes: Word and LibreOffice fill them in
when they lay the pages out (a page number, the number of pages)."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def add_field(paragraph, instruction: str, shown: str = "1") -> None:
    """A simple field (`PAGE`, `NUMPAGES`) at the end of `paragraph`, showing `shown` until a
    word processor computes it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
