"""Meetings react to documents: approving a meeting's minutes closes the meeting."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..signals import document_approved
from .models import Meeting, MeetingStatus
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
