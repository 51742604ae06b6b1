"""Meetings react to documents: approving a meeting's minutes closes the meeting; restricting a
document on a meeting's agenda restricts the minutes that name it."""

from __future__ import annotations

from sqlalchemy import select

from ..documents import services as documents
from ..extensions import db
from ..signals import document_approved, document_updated
from .minutes import RESTRICTED_MINUTES
from .models import AgendaItem, Meeting, MeetingStatus
from .services import changed, check_can_close


@document_approved.connect
def close_meeting_of_minutes(doc, *, actor, number: str, issued) -> None:
    """Inside the approval's transaction: a refusal (an item still without its vote) undoes it."""
    meeting = db.session.scalars(select(Meeting).where(Meeting.minutes_document_id == doc.id)).first()
    if meeting is None or meeting.status == MeetingStatus.CLOSED:
        return
    check_can_close(meeting)
    meeting.status = MeetingStatus.CLOSED
    changed(actor, "meeting.close", meeting, by_minutes=number)


@document_updated.connect
def restrict_minutes_naming(doc, *, actor, changes: dict) -> None:
    """Inside the restricting transaction: the minutes of every meeting that put `doc` on its
    agenda speak of it, so they are restricted with it."""
    if changes.get("confidential", {}).get("to") is not True:
        return
    meetings = db.session.scalars(
        select(Meeting)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.document_id == doc.id)
    )
    for meeting in meetings:
        if meeting.minutes_document is not None:
            documents.restrict(actor, meeting.minutes_document, reason=RESTRICTED_MINUTES)
