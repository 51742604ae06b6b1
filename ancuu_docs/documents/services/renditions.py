"""Files derived from a version (OCR's searchable PDF of a scan): kept beside it, never in
its place, so the original stays byte for byte."""

from __future__ import annotations

from ... import storage
from ...auth.models import User
from ...errors import NotFound
from ...extensions import db
from ...signals import rendition_added
from ...timeutil import utcnow
from ..models import DocumentVersion, VersionRendition
from .reading import get_version

RENDITION_LABELS = {"ocr": "Bản PDF đã nhận dạng chữ (OCR)"}


def add_rendition(
    version_id: int,
    *,
    kind: str,
    data: bytes,
    filename: str,
    media_type: str,
    text: str,
    confidence: float | None = None,
) -> VersionRendition:
    """Inside the caller's unit of work: the bytes stored (removed again on rollback), the row
    added, the document marked changed and the change announced (search reads the text)."""
    digest = storage.put_in_unit(data)
    version = db.session.get(DocumentVersion, version_id)
    rendition = VersionRendition(
        version=version,
        kind=kind,
        sha256=digest,
        filename=filename,
        media_type=media_type,
        size=len(data),
        text=text,
        confidence=confidence,
    )
    db.session.add(rendition)
    version.document.updated_at = utcnow()
    db.session.flush()
    rendition_added.send(version.document, version=version, rendition=rendition)
    return rendition


def get_rendition(actor: User, document_id: int, n: int, kind: str) -> VersionRendition:
    """A version's derived file, for a user who may read the document."""
    version = get_version(actor, document_id, n)
    rendition = version.rendition(kind)
    if rendition is None:
        raise NotFound("Phiên bản này chưa có bản đã nhận dạng chữ.")
    return rendition
