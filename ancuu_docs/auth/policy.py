"""The one permission policy: every page, endpoint, list and search asks it.

member       reads documents in review and approved (or superseded) ones that are not confidential;
             reads meetings.
clerk        a member, plus creating drafts and adding versions to drafts they created.
secretariat  everything on documents, confidential ones included.
admin        what secretariat can, plus users and uploaded drafting templates.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, or_, true

from ..documents.models import Document
from ..documents.types import EDITABLE, Status
from .models import Role, User

PUBLIC_STATUSES = (Status.IN_REVIEW, Status.APPROVED, Status.SUPERSEDED)


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    CREATE_CONFIDENTIAL = "create_confidential"
    ADD_VERSION = "add_version"
    EDIT = "edit"
    TRANSITION = "transition"
    VIEW_AUDIT = "view_audit"
    MANAGE_MEETINGS = "manage_meetings"
    MANAGE_USERS = "manage_users"
    MANAGE_TEMPLATES = "manage_templates"


def _is_office(user: User) -> bool:
    return user.role in (Role.SECRETARIAT, Role.ADMIN)


def can(user: User | None, action: Action, doc: Document | None = None) -> bool:
    if user is None or not user.is_active:
        return False
    role = user.role
    if action in (Action.MANAGE_USERS, Action.MANAGE_TEMPLATES):
        return role == Role.ADMIN
    if action in (Action.VIEW_AUDIT, Action.MANAGE_MEETINGS):
        return _is_office(user)
    if action == Action.CREATE:
        return role != Role.MEMBER
    if action == Action.CREATE_CONFIDENTIAL:
        return _is_office(user)
    if doc is None and action in (Action.EDIT, Action.TRANSITION):  # asked in general
        return _is_office(user)
    if doc is None:
        raise ValueError(f"{action} needs a document")
    if action == Action.READ:
        if _is_office(user):
            return True
        if doc.confidential:
            return False
        if doc.status in PUBLIC_STATUSES:
            return True
        return role == Role.CLERK and doc.status == Status.DRAFT and doc.created_by_id == user.id
    if action == Action.ADD_VERSION:
        if doc.status not in EDITABLE:
            return False
        if _is_office(user):
            return True
        return role == Role.CLERK and doc.status == Status.DRAFT and doc.created_by_id == user.id
    if action in (Action.EDIT, Action.TRANSITION):
        return _is_office(user)
    raise ValueError(f"unknown action {action}")


def reads_all_documents(user: User | None) -> bool:
    return user is not None and user.is_active and _is_office(user)


def readable_documents(user: User | None) -> ColumnElement[bool]:
    """The same rule as can(user, READ, doc), as a WHERE clause for lists and searches."""
    if user is None or not user.is_active:
        return false()
    if _is_office(user):
        return true()
    public = and_(Document.confidential.is_(False), Document.status.in_(PUBLIC_STATUSES))
    if user.role == Role.CLERK:
        own_drafts = and_(
            Document.confidential.is_(False),
            Document.status == Status.DRAFT,
            Document.created_by_id == user.id,
        )
        return or_(public, own_drafts)
    return public
