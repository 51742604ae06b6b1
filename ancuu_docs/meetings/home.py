"""The next conference on the home page: when, where, and what it will decide."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.policy import Action, can
from ..extensions import db
from ..timeutil import local_today
from .models import AgendaItem, Meeting, MeetingStatus
from .policy import unnamed_items
from .services import meeting_title


def next_meeting() -> Meeting | None:
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.status == MeetingStatus.PLANNED, Meeting.date >= local_today())
        .order_by(Meeting.date, Meeting.start_time, Meeting.id)
        .options(selectinload(Meeting.agenda).selectinload(AgendaItem.document))
    ).first()


def next_meeting_panel(user: User, *, since: datetime | None) -> Markup:
    meeting = next_meeting()
    html = render_template(
        "meetings/_home.html",
        meeting=meeting,
        title=meeting_title(meeting) if meeting else "",
        # An agenda item links its document only for who may read it, and one about a
        # restricted document is unnamed for the others.
        readable={
            item.id
            for item in (meeting.agenda if meeting else [])
            if item.document and can(user, Action.READ, item.document)
        },
        restricted=unnamed_items(user, meeting) if meeting else set(),
    )
    return Markup(html)
