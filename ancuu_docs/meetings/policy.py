"""Who reads what of a meeting. Every signed-in user reads meetings, but an agenda item about a
restricted document (confidential, or secret) is unnamed to whoever may not read that
document: its title, discussion and conclusion speak of the document, so the page, the API
and the home page say "Nội dung hạn chế" instead; search finds such a meeting only for those
who read restricted documents; the package leaves the document out; the minutes that name
it are themselves restricted."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from ..auth.models import User
from ..auth.policy import Action, can
from ..documents.models import Document
from ..documents.policy import reads_all_documents
from ..documents.types import SecurityLevel
from .models import AgendaItem, Meeting

RESTRICTED_ITEM = "Nội dung hạn chế"


def _about_restricted() -> Select:
    return (
        select(AgendaItem.meeting_id)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(or_(Document.confidential.is_(True), Document.security_level != SecurityLevel.NONE))
    )


def hidden_meetings(user: User | None) -> Select | None:
    """The ids of the meetings this user may not read, as a query; None when they read all."""
    return None if reads_all_documents(user) else _about_restricted()


def is_restricted(doc: Document | None) -> bool:
    return doc is not None and (doc.confidential or doc.security_level != SecurityLevel.NONE)


def names_restricted(meeting: Meeting) -> bool:
    """Whether the meeting's record speaks of a restricted document (its minutes then are)."""
    return any(is_restricted(item.document) for item in meeting.agenda)


def unnamed_items(user: User, meeting: Meeting) -> set[int]:
    """The agenda items this user sees as "Nội dung hạn chế"."""
    return {
        item.id
        for item in meeting.agenda
        if is_restricted(item.document) and not can(user, Action.READ, item.document)
    }
