"""The minutes of a meeting, drafted from its record with the BB template and filed as a
document; approving them closes the meeting (`subscribers.py`)."""

from __future__ import annotations

from ..auth.models import User
from ..database import unit_of_work
from ..documents import services as documents
from ..documents.models import Document
from ..drafting import services as drafting
from ..errors import Conflict
from ..extensions import db
from .models import Meeting, MeetingStatus
from .policy import names_restricted
from .services import changed, get_meeting, lock_meeting, meeting_title, refuse_closed, require_office

MINUTES_TEMPLATE = "minutes"
RESTRICTED_MINUTES = "Biên bản nêu văn bản hạn chế"


def presenter(item) -> str:
    """ "Nguyễn Văn A, Phó Bí thư Thường trực Đảng ủy,": with the position when known."""
    return f"{item.presenter}, {item.presenter_position}," if item.presenter_position else item.presenter


def minutes_fields(meeting: Meeting) -> dict:
    """The BB template's fields from the meeting record: the proceedings numbered 2.1, 2.2
    under "2. Diễn biến", each presenter with their position; the votes with their counts
    (the template words them "13/14 đồng chí có mặt tán thành (92,86%)")."""
    proceedings, votes = [], []
    for item in meeting.agenda:
        proceedings.append(f"2.{item.position}. {item.title}")
        what = f" {item.document.title}" if item.document else ""
        proceedings.append(f"Đồng chí {presenter(item)} trình bày{what}.")
        proceedings.extend(line for line in item.discussion.splitlines() if line.strip())
        if item.decision:
            d = item.decision
            votes.append(
                {
                    "item": item.title,
                    "method": d.method,
                    "in_favour": str(d.in_favour),
                    "against": str(d.against),
                    "abstaining": str(d.abstaining),
                }
            )
    conclusions = [
        f"- {item.title}: {item.decision.conclusion or item.decision.outcome_label}."
        for item in meeting.agenda
        if item.decision
    ]
    return {
        "meeting": meeting_title(meeting),
        "date": meeting.date,
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": (meeting.end_time or meeting.start_time).strftime("%H:%M"),
        "venue": meeting.place,
        "agenda_summary": "; ".join(item.title for item in meeting.agenda) or "(chưa có nội dung)",
        "chair_name": meeting.chair_name,
        "chair_position": meeting.chair_position,
        "secretary_name": meeting.secretary_name,
        "secretary_position": meeting.secretary_position,
        "total_members": meeting.total_members,
        "present": meeting.present,
        "absent": [{"name": a.name, "reason": a.reason} for a in meeting.absences],
        "guests": meeting.guests,
        "proceedings": "\n".join(proceedings) or "(chưa có nội dung)",
        "conclusions": "\n".join(conclusions) or "Hội nghị thống nhất các nội dung đã thảo luận.",
        "votes": votes,
    }


class _MeetingChanged(Exception):
    """The record changed while its minutes were being rendered."""


def generate_minutes(actor: User, meeting_id: int) -> Document:
    """The minutes drafted from the meeting record (BB template), filed as the meeting's
    minutes document: version 1 the first time, the next version after that. Rendered before
    the transaction that files them; rendered again if the record changed meanwhile."""
    require_office(actor)
    for _attempt in range(3):
        meeting = get_meeting(actor, meeting_id)
        refuse_closed(meeting)
        if meeting.status != MeetingStatus.HELD:
            raise Conflict("Hội nghị chưa họp: ghi thành phần dự họp trước khi tạo biên bản.")
        seen, existing = meeting.updated_at, meeting.minutes_document
        base = existing.current_version.n if existing else 0
        rendered = drafting.render_for_filing(MINUTES_TEMPLATE, minutes_fields(meeting), version=base + 1)
        db.session.rollback()
        try:
            with unit_of_work():
                return _file_minutes(actor, meeting_id, rendered, seen=seen, base=base)
        except _MeetingChanged:
            continue
    raise Conflict("Hội nghị vừa được sửa trong lúc soạn biên bản: hãy tạo biên bản lại.")


def _file_minutes(actor: User, meeting_id: int, rendered, *, seen, base: int) -> Document:
    meeting = lock_meeting(meeting_id)
    if meeting.updated_at != seen:
        raise _MeetingChanged()
    title = f"Biên bản {meeting_title(meeting)}"
    existing = meeting.minutes_document
    restricted = names_restricted(meeting)  # the minutes name it: only the office reads them
    if existing is None:
        doc = drafting.file_rendered(actor, rendered, title=title, confidential=restricted)
        meeting.minutes_document_id = doc.id
    else:
        if restricted:
            documents.restrict(actor, existing, reason=RESTRICTED_MINUTES)
        doc = drafting.file_rendered(actor, rendered, title=title, document_id=existing.id, base_version=base)
    changed(actor, "meeting.minutes", meeting, document_id=doc.id, version=doc.current_version.n)
    return doc
