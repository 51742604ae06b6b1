"""Who may find a meeting by its text: every signed-in user reads meetings, but a meeting whose
agenda puts a confidential document to the conference is found by search only by those who
read confidential documents (its agenda titles and discussion speak of the document; the
package leaves the document out for the others)."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..auth.models import User
from ..documents.models import Document
from ..documents.policy import reads_all_documents
from .models import AgendaItem


def _about_confidential() -> Select:
    return (
        select(AgendaItem.meeting_id)
        .join(Document, Document.id == AgendaItem.document_id)
        .where(Document.confidential.is_(True))
    )


def hidden_meetings(user: User | None) -> Select | None:
    """The ids of the meetings this user may not read, as a query; None when they read all."""
    return None if reads_all_documents(user) else _about_confidential()
