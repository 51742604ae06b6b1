"""Meetings as JSON: one shape for the API and the meeting page."""

from __future__ import annotations

from ..auth.models import User
from ..documents.schemas import document_brief
from ..timeutil import vietnamese_date
from .models import AgendaItem, Meeting
from .policy import RESTRICTED_ITEM, unnamed_items
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
    unnamed = unnamed_items(actor, meeting)
    data.update(
        {
            "chair": {"name": meeting.chair_name, "position": meeting.chair_position},
            "secretary": {"name": meeting.secretary_name, "position": meeting.secretary_position},
            "total_members": meeting.total_members,
            "present": meeting.present,
            "absent": [{"name": a.name, "reason": a.reason} for a in meeting.absences],
            "guests": meeting.guests,
            "agenda": [_item_json(actor, item, unnamed=item.id in unnamed) for item in meeting.agenda],
            "minutes": document_brief(actor, meeting.minutes_document),
        }
    )
    return data


def _item_json(actor: User, item: AgendaItem, *, unnamed: bool) -> dict:
    """An agenda item; one about a document this reader may not read keeps its place, its
    presenter and its vote, not its words."""
    decision = item.decision
    return {
        "id": item.id,
        "position": item.position,
        "title": RESTRICTED_ITEM if unnamed else item.title,
        "presenter": item.presenter,
        "presenter_position": item.presenter_position,
        "requires_vote": item.requires_vote,
        "discussion": "" if unnamed else item.discussion,
        "document": document_brief(actor, item.document),
        "decision": None
        if decision is None
        else {
            "method": decision.method,
            "in_favour": decision.in_favour,
            "against": decision.against,
            "abstaining": decision.abstaining,
            "outcome": decision.outcome,
            "conclusion": "" if unnamed else decision.conclusion,
        },
    }
