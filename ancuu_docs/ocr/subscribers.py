"""OCR reacts to documents: a scan or a photo that arrives gets a job; the document page shows
where the job stands and offers the searchable PDF."""

from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from .. import storage
from ..signals import document_created, document_page_panels, version_added
from . import engine
from .services import enqueue, latest_job


@document_created.connect
@version_added.connect
def queue_scans(doc, *, actor, version) -> None:
    """Inside the upload's transaction: a version that needs reading gets a job."""
    if version is None or doc.is_secret:
        return
    if engine.needs_ocr(version.media_type, storage.read(version.sha256)):
        enqueue(version)


@document_page_panels.connect
def ocr_panel(doc, *, actor) -> Markup | None:
    rows = []
    for version in reversed(doc.versions):
        job = latest_job(version.id)
        if job is None:
            continue
        rows.append(
            {
                "version": version,
                "job": job,
                "rendition": version.rendition("ocr"),
            }
        )
    if not rows:
        return None
    threshold = current_app.config["OCR_CONFIDENCE_WARNING"]
    return Markup(render_template("ocr/panel.html", doc=doc, rows=rows, threshold=threshold))
