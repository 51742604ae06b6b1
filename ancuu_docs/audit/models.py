from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..timeutil import utcnow


class AuditEvent(db.Model):
    """Who did what to which object, when and from where; written in the change's transaction."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    # "document", "meeting", "user", "template": the object the event is about, if any.
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None]
    version_n: Mapped[int | None]
    ip_address: Mapped[str | None] = mapped_column(String(45))
    details_json: Mapped[str] = mapped_column(Text, default="{}")

    actor: Mapped[User | None] = relationship()

    @property
    def details(self) -> dict:
        return json.loads(self.details_json or "{}")
