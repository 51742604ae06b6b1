"""Who may do what to a document, on top of the roles auth defines.

The same rule twice: `document_rule` for one document (pages, endpoints), and
`readable_documents` as a WHERE clause for lists, searches and registers. A test keeps them
in step.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from ..auth.models import Role, User
from ..auth.policy import Action, is_active, is_office, register_object_rule
from ..extensions import db
from .models import Document, DocumentReader
from .types import EDITABLE, SecurityLevel, Status

# What every member reads. A draft in review is read by the office, its author, and those it
# is circulated to for comments (DocumentReader), not by every member.
PUBLIC_STATUSES = (Status.APPROVED, Status.SUPERSEDED)
OWN_STATUSES = (Status.DRAFT, Status.IN_REVIEW)


def _own(user: User, doc: Document) -> bool:
    return user.role == Role.CLERK and doc.created_by_id == user.id and not doc.confidential


def _own_draft(user: User, doc: Document) -> bool:
    return _own(user, doc) and doc.status == Status.DRAFT


def _granted(user: User, doc: Document) -> bool:
    query = select(DocumentReader.id).where(
        DocumentReader.document_id == doc.id, DocumentReader.user_id == user.id
    )
    return db.session.scalar(query.limit(1)) is not None


def is_public(doc: Document) -> bool:
    """Whether every active member reads it (search indexes this with the document)."""
    return not doc.confidential and doc.security_level == SecurityLevel.NONE and doc.status in PUBLIC_STATUSES


def document_rule(user: User, action: Action, doc: Document) -> bool:
    if action == Action.READ:
        if is_office(user):
            return True
        if doc.security_level != SecurityLevel.NONE or doc.confidential:
            return False  # restricted later: even those once asked for comments no longer read it
        if is_public(doc) or (_own(user, doc) and doc.status in OWN_STATUSES):
            return True
        return _granted(user, doc)  # asked for comments (a query: only when nothing else says yes)
    if action == Action.ADD_VERSION:
        if doc.security_level != SecurityLevel.NONE:
            return False  # a secret document is never stored here, in any version
        if doc.registered:  # a scan, then a clearer copy: the office files them
            return is_office(user) and doc.status == Status.APPROVED
        return doc.status in EDITABLE and (is_office(user) or _own_draft(user, doc))
    if action == Action.TRANSITION:  # some step of the lifecycle; which ones: may_move()
        return is_office(user) or (_own(user, doc) and doc.status in (Status.DRAFT, Status.IN_REVIEW))
    if action == Action.EDIT:
        return is_office(user)
    raise ValueError(f"{action} is not asked of a document")


# A clerk sends their own draft to review and may take it back; everything else is the office's.
CLERK_MOVES = frozenset({(Status.DRAFT, Status.IN_REVIEW), (Status.IN_REVIEW, Status.DRAFT)})


def may_move(user: User, doc: Document, target: Status) -> bool:
    """Whether this user may take this lifecycle step (allowed by the lifecycle or not)."""
    if is_office(user):
        return True
    return _own(user, doc) and (Status(doc.status), target) in CLERK_MOVES


def reads_all_documents(user: User | None) -> bool:
    return is_office(user)


def readable_documents(user: User | None) -> ColumnElement[bool]:
    """The same rule as can(user, READ, doc), as a WHERE clause."""
    if not is_active(user):
        return false()
    if is_office(user):
        return true()
    return or_(public_documents(), readable_beyond_public(user))


def public_documents() -> ColumnElement[bool]:
    """`is_public`, as a WHERE clause."""
    return and_(
        Document.confidential.is_(False),
        Document.security_level == SecurityLevel.NONE,
        Document.status.in_(PUBLIC_STATUSES),
    )


def readable_beyond_public(user: User) -> ColumnElement[bool]:
    """What an active member or clerk reads that not every member does: drafts they were asked
    to comment on, and a clerk's own drafts. Both are looked up by the user (indexed columns),
    never by scanning the documents."""
    granted = and_(
        Document.confidential.is_(False),
        Document.security_level == SecurityLevel.NONE,
        Document.id.in_(select(DocumentReader.document_id).where(DocumentReader.user_id == user.id)),
    )
    if user.role == Role.CLERK:
        own = and_(
            Document.created_by_id == user.id,
            Document.confidential.is_(False),
            Document.status.in_(OWN_STATUSES),
        )
        return or_(own, granted)
    return granted


register_object_rule(Document, document_rule)
