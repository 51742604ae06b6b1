from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..documents.models import Document
from ..extensions import db
from ..timeutil import utcnow


class Group(StrEnum):
    """Who a draft is circulated to."""

    EXECUTIVE = "executive"
    STANDING = "standing"
    NAMED = "named"

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]


GROUP_LABELS = {
    Group.EXECUTIVE: "Ban Chấp hành Đảng bộ",
    Group.STANDING: "Ban Thường vụ Đảng ủy",
    Group.NAMED: "Những người được chọn",
}


class Choice(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CHOICE_LABELS[self]


CHOICE_LABELS = {
    Choice.AGREE: "Đồng ý",
    Choice.DISAGREE: "Không đồng ý",
    Choice.OTHER: "Ý kiến khác",
}


class Consultation(db.Model):
    __tablename__ = "consultations"
    audit_type = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    group: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text, default="")
    # The last moment answers are taken (UTC): the end of the chosen day, local time.
    deadline: Mapped[datetime]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]  # closed early by the secretariat

    document: Mapped[Document] = relationship()
    opened_by: Mapped[User] = relationship()
    invitees: Mapped[list[ConsultationInvitee]] = relationship(
        back_populates="consultation", order_by="ConsultationInvitee.id"
    )
    answers: Mapped[list[ConsultationAnswer]] = relationship(
        back_populates="consultation", order_by="ConsultationAnswer.id"
    )

    @property
    def group_label(self) -> str:
        return Group(self.group).label

    def is_open(self, now: datetime | None = None) -> bool:
        return self.closed_at is None and (now or utcnow()) <= self.deadline

    @property
    def ends_at(self) -> datetime:
        return (
            self.closed_at if self.closed_at is not None and self.closed_at < self.deadline else self.deadline
        )


class ConsultationInvitee(db.Model):
    __tablename__ = "consultation_invitees"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    consultation: Mapped[Consultation] = relationship(back_populates="invitees")
    user: Mapped[User] = relationship()


class ConsultationAnswer(db.Model):
    """One answer as given: changing it adds a row, so nothing said is ever lost; the latest
    row of a person for a version is their answer on that version."""

    __tablename__ = "consultation_answers"
    audit_type = "consultation_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version_n: Mapped[int]
    choice: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="answers")
    user: Mapped[User] = relationship()

    @property
    def choice_label(self) -> str:
        return Choice(self.choice).label
