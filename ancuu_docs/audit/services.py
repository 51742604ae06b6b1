"""The audit trail: one row per change, written in the same transaction as the change.

Features above audit call `record()`; auth, below it, announces `user_changed` and the
subscriber here records it. Each feature names its own actions and object types with an
`audit_labels()` function, listed in `create_app`'s wiring.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import has_request_context, request
from sqlalchemy import select

from ..auth.models import User
from ..auth.policy import Action, can
from ..errors import Forbidden
from ..extensions import db
from ..timeutil import day_start_utc
from ..wiring import wired
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
    # detail key -> how the log names it ("number" -> "Số")
    details: dict[str, str] = field(default_factory=dict)
    # detail key -> {stored value -> shown value} ("to": {"in_review": "Đang xem xét"})
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    # object_type -> names(ids) -> {id: what people call it}, from the feature that owns it
    names: dict[str, Callable[[list[int]], dict[int, str]]] = field(default_factory=dict)


def labels() -> Labels:
    merged = Labels({}, {})
    for answer in (labels_of() for labels_of in wired().audit_labels):
        for name in ("actions", "objects", "details", "values", "names"):
            getattr(merged, name).update(answer.get(name, {}))
    return merged


@dataclass(frozen=True)
class EventLine:
    """One event as the log page says it, in Vietnamese."""

    event: AuditEvent
    who: str
    action: str
    object_label: str | None
    object_name: str | None
    object_url: tuple[str, dict] | None
    details: list[tuple[str, str]]


def _value(key: str, value: object, known: Labels) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict):
        if set(value) <= {"from", "to"}:
            return f"«{_value(key, value.get('from'), known)}» → «{_value(key, value.get('to'), known)}»"
        return "; ".join(f"{known.details.get(k, k)}: {_value(k, v, known)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(key, v, known) for v in value)
    if value is None or value == "":
        return "(trống)"
    text = str(value)
    return known.values.get(key, {}).get(text, text)


def _details(details: dict, known: Labels) -> list[tuple[str, str]]:
    """(label, value) pairs; a change of state reads "Trạng thái: «Dự thảo» → «Đang xem xét»"."""
    details = dict(details)
    lines = []
    if "from" in details and "to" in details:
        source, target = details.pop("from"), details.pop("to")
        values = known.values.get("to", {})
        lines.append(("Trạng thái", f"«{values.get(source, source)}» → «{values.get(target, target)}»"))
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            lines.extend((known.details.get(k, k), _value(k, v, known)) for k, v in value.items())
        else:
            lines.append((known.details.get(key, key), _value(key, value, known)))
    return lines


def describe(events: list[AuditEvent]) -> list[EventLine]:
    """The events as sentences: who (by name), what, on which object (named, linked)."""
    known = labels()
    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.object_type and e.object_id:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    names = {
        kind: known.names[kind](sorted(ids)) if kind in known.names else {} for kind, ids in wanted.items()
    }
    lines = []
    for e in events:
        label = endpoint = arg = None
        if e.object_type:
            label, endpoint, arg = known.objects.get(e.object_type, ("Đối tượng", None, None))
        url = (endpoint, {arg: e.object_id}) if endpoint and e.object_id else None
        lines.append(
            EventLine(
                event=e,
                who=e.actor.display_name if e.actor else "Hệ thống",
                action=known.actions.get(e.action, e.action),
                object_label=label,
                object_name=names.get(e.object_type, {}).get(e.object_id) if e.object_type else None,
                object_url=url,
                details=_details(e.details, known),
            )
        )
    return lines


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
