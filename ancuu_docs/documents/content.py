"""What a version says, shown in its page so that nobody has to download it to read it: a DOCX
as HTML (the Party header's table, headings, lists, tables), an ODT or text file as its
paragraphs. The caller has already been allowed to read the document."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from .. import storage
from ..docx_html import docx_to_html
from ..extract import DOCX, ODT, TXT
from .models import DocumentVersion

# Paragraphs shown of a text without layout (an ODT, a TXT): enough for any resolution.
MAX_PARAGRAPHS = 5000


@lru_cache(maxsize=64)
def _docx(sha256: str) -> str:
    """Rendered once per file: versions never change, and many members read the same one."""
    return docx_to_html(storage.read(sha256))


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
