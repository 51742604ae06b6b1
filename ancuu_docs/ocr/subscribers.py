"""OCR reacts to documents: a scan or a photo that arrives gets a job."""

from __future__ import annotations

from .. import storage
from ..signals import document_created, version_added
from . import engine
from .services import enqueue


@document_created.connect
@version_added.connect
def queue_scans(doc, *, actor, version) -> None:
    """Inside the upload's transaction: a version that needs reading gets a job."""
    if version is None or doc.is_secret:
        return
    if engine.needs_ocr(version.media_type, storage.read(version.sha256)):
        enqueue(version)
