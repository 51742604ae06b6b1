"""The audit trail: one row per change, written in the same transaction as the change.

Features above audit call `record()`; auth, below it, announces `user_changed` and the
subscriber here records it. Each feature names its own actions and object types by answering
`signals.get_audit_labels`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from flask import has_request_context, request
from sqlalchemy import select

from ..auth.models import User
from ..auth.policy import Action, can
from ..errors import Forbidden
from ..extensions import db
from ..signals import get_audit_labels, values_from
from ..timeutil import day_start_utc
from .models import AuditEvent


def _client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    actor: User | None,
    action: str,
    target: object | None = None,
    /,
    *,
    version_n: int | None = None,
    **details: object,
) -> AuditEvent:
    """Add the event to the current transaction. `target` is the object it is about: anything
    with `audit_type` (a class attribute naming its kind) and `id`."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=target.audit_type if target is not None else None,
        object_id=target.id if target is not None else None,
        version_n=version_n,
        ip_address=_client_address(),
        details_json=json.dumps(details, ensure_ascii=False, default=str),
    )
    db.session.add(event)
    return event


@dataclass(frozen=True)
class Labels:
    actions: dict[str, str]
    # object_type -> (label, endpoint of its page, the endpoint's id argument)
    objects: dict[str, tuple[str, str, str]]


def labels() -> Labels:
    actions: dict[str, str] = {}
    objects: dict[str, tuple[str, str, str]] = {}
    for answer in values_from(get_audit_labels):
        actions.update(answer.get("actions", {}))
        objects.update(answer.get("objects", {}))
    return Labels(actions, objects)


@dataclass(frozen=True)
class EventFilters:
    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def list_events(actor: User, filters: EventFilters = EventFilters(), *, page: int = 1, per_page: int = 50):
    if not can(actor, Action.VIEW_AUDIT):
        raise Forbidden("Chỉ Văn phòng Đảng ủy và quản trị xem được nhật ký.")
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= day_start_utc(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < day_start_utc(filters.date_to + timedelta(days=1)))
    return db.paginate(query, page=page, per_page=per_page, max_per_page=200, error_out=False)


def people() -> list[User]:
    """Everyone who appears in the log, for the filter."""
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(select(AuditEvent.actor_id).distinct())).order_by(User.username)
        )
    )
