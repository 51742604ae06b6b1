"""Reading a LibreOffice PDF for layout checks: where a phrase is, the lines drawn, fonts."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

CM = 72 / 2.54  # points per centimetre


@dataclass(frozen=True)
class Box:
    page: int
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left


class Pdf:
    def __init__(self, path):
        self.doc = pdfium.PdfDocument(str(path))
        self.pages = [self.doc[i] for i in range(len(self.doc))]
        self.text_pages = [page.get_textpage() for page in self.pages]

    def page_text(self, i: int) -> str:
        return " ".join(self.text_pages[i].get_text_range().split())

    def text(self) -> str:
        return " ".join(self.page_text(i) for i in range(len(self.pages)))

    def find(self, phrase: str, *, after: Box | None = None) -> Box:
        """The first occurrence of `phrase` (on one line), as a box in points."""
        for i, text_page in enumerate(self.text_pages):
            if after is not None and i < after.page:
                continue
            searcher = text_page.search(phrase, match_case=True)
            while (hit := searcher.get_next()) is not None:
                index, count = hit
                boxes = [text_page.get_charbox(k) for k in range(index, index + count)]
                box = Box(
                    i,
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
                if after is None or i > after.page or box.top < after.bottom:
                    return box
        raise AssertionError(f"«{phrase}» not in the PDF")

    def font_of(self, phrase: str) -> tuple[str, int]:
        """The font name and weight of the first character of `phrase`."""
        box = self.find(phrase)
        text_page = self.text_pages[box.page]
        index = text_page.search(phrase, match_case=True).get_next()[0]
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(text_page.raw, index, buffer, 256, ctypes.byref(flags))
        weight = pdfium_c.FPDFText_GetFontWeight(text_page.raw, index)
        return buffer.value.decode(), weight

    def lines(self, page: int, *, horizontal: bool) -> list[Box]:
        """Thin drawn lines (paths) of a page: rules, borders."""
        found = []
        for obj in self.pages[page].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=5):
            left, bottom, right, top = obj.get_bounds()
            thin, long = (top - bottom, right - left) if horizontal else (right - left, top - bottom)
            if thin < 2.5 and long > 5:
                found.append(Box(page, left, bottom, right, top))
        return found
