"""GET /api/v1/templates and POST /api/v1/drafts."""

from __future__ import annotations

from flask import jsonify

from ..auth.api import api_blueprint, api_user
from ..documents.schemas import document_json
from ..parsing import json_object
from . import services

bp = api_blueprint("drafting_api", __name__)


@bp.get("/templates")
def templates():
    return jsonify([template.as_json() for template in services.list_templates()])


@bp.post("/drafts")
def create_draft():
    body = json_object()
    doc = services.generate_draft(
        api_user(),
        body.get("template"),
        body.get("fields", {}),
        title=body.get("title"),
        document_id=body.get("document_id"),
        base_version=body.get("base_version"),
    )
    return jsonify(document_json(doc)), 201
