"""What meetings make searchable: the record, its agenda, discussion and conclusions; who may
find a meeting follows meetings' policy (a meeting about a confidential document is hidden
from those who do not read confidential documents)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from flask import url_for
from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..searchable import Restriction, SearchEntry, SearchProvider, in_chunks
from ..signals import meeting_changed
from .models import Meeting, MeetingStatus
from .policy import hidden_meetings
from .services import meeting_title

KIND = "meeting"


class MeetingSearch(SearchProvider):
    kind = KIND
    model = Meeting
    changed_by = (meeting_changed,)
    facet_labels: ClassVar = {
        "doc_type": {KIND: "Hội nghị"},
        "status": {s.value: s.label for s in MeetingStatus},
    }

    def _entry(self, meeting: Meeting) -> SearchEntry:
        lines = []
        for item in meeting.agenda:
            lines.append(f"{item.position}. {item.title} ({item.presenter})")
            lines.extend(line for line in item.discussion.splitlines() if line.strip())
            if item.decision is not None:
                lines.append(item.decision.conclusion or item.decision.outcome_label)
        return SearchEntry(
            key=self.key(meeting.id),
            kind=KIND,
            title=meeting_title(meeting),
            summary=f"{meeting.place}. Chủ trì: {meeting.chair_name}.",
            content="\n".join(lines),
            number="",
            doc_type=KIND,
            status=meeting.status,
            term=meeting.term,
            date=datetime.combine(meeting.date, datetime.min.time()),
            stamp=meeting.updated_at.isoformat(),
            # Who may not find a meeting depends on the documents on its agenda, which change
            # without the meeting: those few are asked of the database on every search.
            public=True,
        )

    def entries(self, session, ids, chunk):
        return in_chunks(session, select(Meeting), Meeting.id, self._entry, ids, chunk)

    def stamps(self, session) -> dict[int, str]:
        return {i: at.isoformat() for i, at in session.execute(select(Meeting.id, Meeting.updated_at))}

    def changed_since(self, session, when) -> list[int]:
        return list(session.scalars(select(Meeting.id).where(Meeting.updated_at >= when)))

    def count(self, session) -> int:
        return session.scalar(select(func.count()).select_from(Meeting)) or 0

    def restriction(self, user: User, pending: list[int]) -> Restriction | None:
        hidden = hidden_meetings(user)
        return (
            None if hidden is None else Restriction(hidden=frozenset(db.session.scalars(hidden.distinct())))
        )

    def hits(self, user: User, ids: list[int]) -> dict[int, dict]:
        restriction = self.restriction(user, [])
        hidden = restriction.hidden if restriction else frozenset()
        wanted = [i for i in ids if i not in hidden]
        if not wanted:
            return {}
        meetings = db.session.scalars(select(Meeting).where(Meeting.id.in_(wanted)))
        return {
            meeting.id: {
                "kind": KIND,
                "id": meeting.id,
                "title": meeting_title(meeting),
                "number": None,
                "doc_type": KIND,
                "status": meeting.status,
                "term": meeting.term,
                "url": url_for("meetings.show", meeting_id=meeting.id),
                "badges": ["Hội nghị", meeting.status_label],
            }
            for meeting in meetings
        }


PROVIDER = MeetingSearch()
