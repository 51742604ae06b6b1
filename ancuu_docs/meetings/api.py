"""JSON API for meetings under /api/v1. Members read; the secretariat creates and changes."""

from __future__ import annotations

from flask import jsonify

from ..auth.api import api_blueprint, api_user
from ..documents.schemas import document_json
from ..parsing import json_object
from ..schema import parse
from ..web import download
from . import minutes as minutes_service
from . import package as package_service
from . import services
from .commands import Attendance, NewAgendaItem, NewMeeting, Vote
from .schemas import meeting_json

bp = api_blueprint("meetings_api", __name__)


def _meeting(meeting_id: int, status: int = 200):
    actor = api_user()
    return jsonify(meeting_json(actor, services.get_meeting(actor, meeting_id))), status


@bp.get("/meetings")
def list_meetings():
    actor = api_user()
    return jsonify([meeting_json(actor, m, full=False) for m in services.list_meetings(actor)])


def _office_on(meeting_id: int):
    """The office, on a meeting it may see: who may, before what they sent."""
    actor = api_user()
    services.require_office(actor)
    services.get_meeting(actor, meeting_id)
    return actor


@bp.post("/meetings")
def create_meeting():
    actor = api_user()
    services.require_office(actor)  # who may, before what they sent
    meeting = services.create_meeting(actor, parse(NewMeeting, json_object()))
    return _meeting(meeting.id, 201)


@bp.get("/meetings/<int:meeting_id>")
def get_meeting(meeting_id: int):
    return _meeting(meeting_id)


@bp.post("/meetings/<int:meeting_id>/agenda")
def add_agenda_item(meeting_id: int):
    actor = _office_on(meeting_id)
    services.add_agenda_item(actor, meeting_id, parse(NewAgendaItem, json_object()))
    return _meeting(meeting_id, 201)


@bp.post("/meetings/<int:meeting_id>/attendance")
def hold(meeting_id: int):
    actor = _office_on(meeting_id)
    services.hold_meeting(actor, meeting_id, parse(Attendance, json_object()))
    return _meeting(meeting_id)


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision")
def decide(meeting_id: int, item_id: int):
    actor = _office_on(meeting_id)
    services.record_decision(actor, meeting_id, item_id, parse(Vote, json_object()))
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
