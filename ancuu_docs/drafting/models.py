from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..database import ImmutableRow
from ..extensions import db
from ..timeutil import utcnow


class DraftTemplate(db.Model):
    """A template an admin uploaded; built-in templates live as files in templates/docx/."""

    __tablename__ = "draft_templates"
    audit_type = "template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    doc_type: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[DraftTemplateVersion]] = relationship(
        back_populates="template", order_by="DraftTemplateVersion.n"
    )

    @property
    def current(self) -> DraftTemplateVersion:
        return self.versions[-1]


class DraftTemplateVersion(ImmutableRow, db.Model):
    """One immutable revision of an uploaded template: its file and its field declaration."""

    __tablename__ = "draft_template_versions"
    __table_args__ = (UniqueConstraint("template_id", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("draft_templates.id"), index=True)
    n: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    fields_json: Mapped[str] = mapped_column(Text)
    placeholders_json: Mapped[str] = mapped_column(Text, default="[]")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[DraftTemplate] = relationship(back_populates="versions")
    author: Mapped[User] = relationship()


class GeneratedVersion(ImmutableRow, db.Model):
    """How a document version was generated (template, its version, the filled-in fields), so
    approval can render the issued file from the same template with the number, date and
    signer."""

    __tablename__ = "generated_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), unique=True)
    template_key: Mapped[str] = mapped_column(String(40))
    # The uploaded template's version; None for a built-in template (its file in templates/docx).
    template_version: Mapped[int | None]
    fields_json: Mapped[str] = mapped_column(Text)
