"""What a version says, shown in its page so that nobody has to download it to read it: a DOCX
as HTML (the Party header's table, headings, lists, tables), an ODT or text file as its
paragraphs, a PDF or a scan as page images with each page's text beside them (for copying and
finding). The caller has already been allowed to read the document."""

from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape

from .. import pdf_pages, storage
from ..docx_html import docx_to_html
from ..errors import NotFound
from ..extract import DOCX, ODT, PDF, TXT, check_package
from .models import DocumentVersion
from .services import upload_limits

log = logging.getLogger(__name__)

# Pages are drawn this wide: sharp on a phone's 3x screen, light enough for a desktop.
PAGE_WIDTH = 1200

# Paragraphs shown of a text without layout (an ODT, a TXT): enough for any resolution.
MAX_PARAGRAPHS = 5000


NOT_SHOWN = "Không hiển thị được nội dung tệp này trong trang, hãy tải về để đọc."


@lru_cache(maxsize=64)
def _docx(sha256: str) -> str:
    """Rendered once per file: versions never change, and many members read the same one.
    Bounded as uploads are (a file stored before a bound was set is held to it too); a file
    the renderer cannot read is said so, never an error page."""
    data = storage.read(sha256)
    try:
        check_package(data, upload_limits())
        return docx_to_html(data)
    except Exception:  # a damaged or hostile file: the reader downloads it instead
        log.warning("version file %s not shown in the page", sha256, exc_info=True)
        return f'<div class="page"><p class="muted">{NOT_SHOWN}</p></div>'


def content_html(version: DocumentVersion | None) -> Markup | None:
    """The version's body as HTML, or None when it has no text to show in the page (a PDF or a
    scan is read as page images instead)."""
    if version is None:
        return None
    if version.media_type == DOCX:
        return Markup(_docx(version.sha256))
    if version.media_type in (ODT, TXT) and version.text:
        paragraphs = [line.strip() for line in version.text.splitlines() if line.strip()]
        body = "".join(f"<p>{escape(line)}</p>" for line in paragraphs[:MAX_PARAGRAPHS])
        return Markup(f'<div class="page">{body}</div>')
    return None


def pdf_of(version: DocumentVersion) -> str | None:
    """The PDF whose pages are shown: the searchable PDF OCR made of a scan or a photo (the
    same pages, with a text layer), else the version's own PDF."""
    rendition = version.rendition("ocr")
    if rendition is not None:
        return rendition.sha256
    return version.sha256 if version.media_type == PDF else None


@lru_cache(maxsize=64)
def _pages(sha256: str, limit: int) -> tuple[pdf_pages.PdfPage, ...]:
    try:
        return tuple(pdf_pages.pages(storage.read(sha256), limit))
    except pdf_pages.UnreadablePdf:
        return ()


def page_list(version: DocumentVersion | None) -> list[pdf_pages.PdfPage]:
    """The pages to show (at most OCR_MAX_PAGES), each with its text; none for a file that is
    not read as pages."""
    if version is None or (sha256 := pdf_of(version)) is None:
        return []
    return list(_pages(sha256, current_app.config["OCR_MAX_PAGES"]))


def page_png(version: DocumentVersion, number: int) -> bytes:
    """Page `number` as a PNG, drawn once and kept in instance/cache/pages/ (files never
    change, so neither do their pages)."""
    sha256 = pdf_of(version)
    if sha256 is None or not 1 <= number <= len(page_list(version)):
        raise NotFound("Không có trang này.")
    cached = Path(current_app.instance_path) / "cache" / "pages" / sha256 / f"{number}-{PAGE_WIDTH}.png"
    if cached.exists():
        return cached.read_bytes()
    try:
        png = pdf_pages.render(storage.read(sha256), number, PAGE_WIDTH)
    except pdf_pages.UnreadablePdf:
        raise NotFound("Không đọc được trang này của tệp.") from None
    cached.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=cached.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(png)
    os.replace(name, cached)  # whole or not at all, whoever draws the same page at once
    return png
