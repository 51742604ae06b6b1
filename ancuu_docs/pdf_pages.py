"""A PDF's pages as images and their text, to read a PDF or a scan in the page (PDFium, through
pypdfium2). Bounded: a page is drawn at most MAX_WIDTH pixels wide and MAX_PIXELS in all,
whatever size the PDF claims for it."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium

MAX_WIDTH = 1400
MAX_PIXELS = 1400 * 2000


class UnreadablePdf(Exception):
    """PDFium could not open the file or the page."""


@dataclass(frozen=True)
class PdfPage:
    number: int  # from 1
    text: str


def pages(data: bytes, limit: int) -> list[PdfPage]:
    """The first `limit` pages' numbers and text layers (what a scan's OCR wrote, or the
    PDF's own text): a file of ten thousand pages is not read through for a page view."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(str(exc)) from exc
    try:
        found = []
        for index in range(min(len(document), limit)):
            page = document[index]
            textpage = page.get_textpage()
            found.append(PdfPage(index + 1, textpage.get_text_range().replace("\r\n", "\n").strip()))
            textpage.close()
            page.close()
        return found
    finally:
        document.close()


def render(data: bytes, number: int, width: int) -> bytes:
    """Page `number` (from 1) as a PNG `width` pixels wide (within the bounds)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(str(exc)) from exc
    try:
        if not 1 <= number <= len(document):
            raise UnreadablePdf(f"no page {number}")
        page = document[number - 1]
        page_width, page_height = page.get_size()
        width = min(width, MAX_WIDTH)
        scale = width / page_width if page_width > 0 else 1.0
        if page_width * page_height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (page_width * page_height)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=False)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        page.close()
        return out.getvalue()
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(str(exc)) from exc
    finally:
        document.close()
