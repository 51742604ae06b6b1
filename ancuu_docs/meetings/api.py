"""JSON API for meetings under /api/v1. Members read; the secretariat creates and changes."""

from __future__ import annotations

from flask import jsonify

from ..auth.api import api_blueprint, api_user
from ..documents.schemas import document_json
from ..parsing import json_object
from ..web import download
from . import minutes as minutes_service
from . import package as package_service
from . import services
from .schemas import meeting_json

bp = api_blueprint("meetings_api", __name__)


def _meeting(meeting_id: int, status: int = 200):
    actor = api_user()
    return jsonify(meeting_json(actor, services.get_meeting(actor, meeting_id))), status


@bp.get("/meetings")
def list_meetings():
    actor = api_user()
    return jsonify([meeting_json(actor, m, full=False) for m in services.list_meetings(actor)])


@bp.post("/meetings")
def create_meeting():
    meeting = services.create_meeting(api_user(), json_object())
    return _meeting(meeting.id, 201)


@bp.get("/meetings/<int:meeting_id>")
def get_meeting(meeting_id: int):
    return _meeting(meeting_id)


@bp.post("/meetings/<int:meeting_id>/agenda")
def add_agenda_item(meeting_id: int):
    services.add_agenda_item(api_user(), meeting_id, json_object())
    return _meeting(meeting_id, 201)


@bp.post("/meetings/<int:meeting_id>/attendance")
def hold(meeting_id: int):
    services.hold_meeting(api_user(), meeting_id, json_object())
    return _meeting(meeting_id)


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision")
def decide(meeting_id: int, item_id: int):
    services.record_decision(api_user(), meeting_id, item_id, json_object())
    return _meeting(meeting_id, 201)


@bp.post("/meetings/<int:meeting_id>/minutes")
def minutes(meeting_id: int):
    return jsonify(document_json(minutes_service.generate_minutes(api_user(), meeting_id))), 201


@bp.post("/meetings/<int:meeting_id>/close")
def close(meeting_id: int):
    services.close_meeting(api_user(), meeting_id)
    return _meeting(meeting_id)


@bp.get("/meetings/<int:meeting_id>/package")
def package(meeting_id: int):
    filename, data = package_service.package(api_user(), meeting_id)
    return download(data, filename, "application/zip")
