"""GET /api/v1/templates and POST /api/v1/drafts."""

from __future__ import annotations

from flask import jsonify

from ..auth.api import api_blueprint, api_user
from ..documents.schemas import document_json
from ..parsing import json_object
from ..schema import parse
from . import services
from .commands import GenerateDraft

bp = api_blueprint("drafting_api", __name__)


@bp.get("/templates")
def templates():
    return jsonify([template.as_json() for template in services.list_templates()])


@bp.post("/drafts")
def create_draft():
    actor = api_user()
    services.check_may_draft(actor)  # who may, before what they sent
    doc = services.generate_draft(actor, parse(GenerateDraft, json_object()))
    return jsonify(document_json(doc)), 201
