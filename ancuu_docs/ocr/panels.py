"""OCR's section of the document page: where each version's reading stands, its confidence,
and the searchable PDF once made."""

from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from .services import latest_job


def reading_panel(doc, *, actor) -> Markup | None:
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
