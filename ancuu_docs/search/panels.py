"""Search's section of the document page: similar documents this user may read."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from . import services


def similar_documents_panel(doc, *, actor) -> Markup | None:
    similar = services.similar(actor, doc)
    if not similar:
        return None
    return Markup(render_template("search/_similar.html", similar=similar))
