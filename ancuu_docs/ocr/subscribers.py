"""OCR reacts to documents: a scan or a photo that arrives gets a job; one staged for a
registration has its first page read."""

from __future__ import annotations

from .. import storage
from ..database import after_commit
from ..signals import document_created, intake_staged, version_added
from . import engine
from .services import enqueue, start_in_process


@document_created.connect
@version_added.connect
def queue_scans(doc, *, actor, version) -> None:
    """Inside the upload's transaction: a version that needs reading gets a job."""
    if version is None or doc.is_secret:
        return
    if engine.needs_ocr(version.media_type, storage.read(version.sha256)):
        enqueue(version)


@intake_staged.connect
def read_staged_scan(intake) -> None:
    """A scan staged for a registration: its first page is read once the staging commits."""
    after_commit(start_in_process)
