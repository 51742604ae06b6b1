"""Meetings as JSON: one shape for the API and the meeting page."""

from __future__ import annotations

from ..auth.models import User
from ..documents.schemas import document_brief
from ..timeutil import vietnamese_date
from .models import Meeting
from .services import meeting_title


def meeting_json(actor: User, meeting: Meeting, *, full: bool = True) -> dict:
    data = {
        "id": meeting.id,
        "title": meeting_title(meeting),
        "term": meeting.term,
        "body": meeting.body,
        "ordinal": meeting.ordinal,
        "expanded": meeting.expanded,
        "date": meeting.date.isoformat(),
        "date_text": vietnamese_date(meeting.date),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else None,
        "place": meeting.place,
        "status": meeting.status,
    }
    if not full:
        return data
    data.update(
        {
            "chair": {"name": meeting.chair_name, "position": meeting.chair_position},
            "secretary": {"name": meeting.secretary_name, "position": meeting.secretary_position},
            "total_members": meeting.total_members,
            "present": meeting.present,
            "absent": [{"name": a.name, "reason": a.reason} for a in meeting.absences],
            "guests": meeting.guests,
            "agenda": [
                {
                    "id": item.id,
                    "position": item.position,
                    "title": item.title,
                    "presenter": item.presenter,
                    "presenter_position": item.presenter_position,
                    "requires_vote": item.requires_vote,
                    "discussion": item.discussion,
                    "document": document_brief(actor, item.document),
                    "decision": None
                    if item.decision is None
                    else {
                        "method": item.decision.method,
                        "in_favour": item.decision.in_favour,
                        "against": item.decision.against,
                        "abstaining": item.decision.abstaining,
                        "outcome": item.decision.outcome,
                        "conclusion": item.decision.conclusion,
                    },
                }
                for item in meeting.agenda
            ],
            "minutes": document_brief(actor, meeting.minutes_document),
        }
    )
    return data
