"""JSON API for comments on drafts under /api/v1: the office opens, tallies, closes and
exports; those asked read their consultations and answer."""

from __future__ import annotations

from flask import jsonify

from ..auth.api import api_blueprint, api_user
from ..parsing import json_object
from ..schema import parse
from ..web import download
from . import services
from .commands import Answer, OpenConsultation
from .schemas import consultation_json
from .summary import DOCX_MEDIA_TYPE, summary_file

bp = api_blueprint("consultation_api", __name__)


def _consultation(consultation_id: int, status: int = 200):
    actor = api_user()
    return jsonify(consultation_json(actor, services.get_consultation(actor, consultation_id))), status


@bp.get("/consultations")
def list_consultations():
    actor = api_user()
    return jsonify([consultation_json(actor, c) for c in services.list_consultations(actor)])


@bp.post("/documents/<int:document_id>/consultations")
def open_consultation(document_id: int):
    actor = api_user()
    services.require_office(actor)  # who may, before what they sent
    consultation = services.open_consultation(actor, document_id, parse(OpenConsultation, json_object()))
    return _consultation(consultation.id, 201)


@bp.get("/consultations/<int:consultation_id>")
def get_consultation(consultation_id: int):
    return _consultation(consultation_id)


@bp.post("/consultations/<int:consultation_id>/answers")
def answer(consultation_id: int):
    actor = api_user()
    services.require_invited(actor, services.get_consultation(actor, consultation_id))
    services.answer(actor, consultation_id, parse(Answer, json_object()))
    return _consultation(consultation_id, 201)


@bp.post("/consultations/<int:consultation_id>/close")
def close(consultation_id: int):
    services.close_consultation(api_user(), consultation_id)
    return _consultation(consultation_id)


@bp.get("/consultations/<int:consultation_id>/summary.docx")
def summary(consultation_id: int):
    return download(*summary_file(api_user(), consultation_id), DOCX_MEDIA_TYPE)
