from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..documents.models import Document
from ..extensions import db
from ..timeutil import utcnow


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"planned": "Dự kiến", "held": "Đã họp", "closed": "Đã kết thúc"}[self.value]


class Body(StrEnum):
    EXECUTIVE = "executive"
    STANDING = "standing"


class Outcome(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"adopted": "Thông qua", "rejected": "Không thông qua"}[self.value]


class Meeting(db.Model):
    __tablename__ = "meetings"
    audit_type = "meeting"
    # "Hội nghị lần thứ hai" names one conference of a body in a term.
    __table_args__ = (UniqueConstraint("term", "body", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(String(16))
    ordinal: Mapped[int]
    expanded: Mapped[bool] = mapped_column(default=False)
    date: Mapped[date]
    start_time: Mapped[time]
    end_time: Mapped[time | None]
    place: Mapped[str] = mapped_column(String(300))
    chair_name: Mapped[str] = mapped_column(String(200))
    chair_position: Mapped[str] = mapped_column(String(200))
    secretary_name: Mapped[str] = mapped_column(String(200))
    secretary_position: Mapped[str] = mapped_column(String(200))
    total_members: Mapped[int]
    present: Mapped[int | None]
    guests: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PLANNED)
    minutes_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship()
    minutes_document: Mapped[Document | None] = relationship()
    absences: Mapped[list[MeetingAbsence]] = relationship(
        back_populates="meeting", order_by="MeetingAbsence.id", cascade="all, delete-orphan"
    )
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="meeting", order_by="AgendaItem.position")

    @property
    def status_label(self) -> str:
        return MeetingStatus(self.status).label


class MeetingAbsence(db.Model):
    __tablename__ = "meeting_absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))

    meeting: Mapped[Meeting] = relationship(back_populates="absences")


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    presenter: Mapped[str] = mapped_column(String(200))
    # "Phó Bí thư Thường trực Đảng ủy": the minutes name presenters with their positions.
    presenter_position: Mapped[str] = mapped_column(String(200), default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    requires_vote: Mapped[bool] = mapped_column(default=True)
    discussion: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    document: Mapped[Document | None] = relationship()
    decision: Mapped[Decision | None] = relationship(back_populates="item", uselist=False)


class Decision(db.Model):
    """The vote on an agenda item and its outcome; recorded once."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    method: Mapped[str] = mapped_column(String(100))
    in_favour: Mapped[int]
    against: Mapped[int]
    abstaining: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(16))
    conclusion: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="decision")

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label
