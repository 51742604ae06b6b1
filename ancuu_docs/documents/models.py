from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..database import ImmutableRow
from ..extensions import db
from ..timeutil import utcnow
from .types import (
    CANCELLED_LABEL,
    DOC_TYPES,
    INCOMING_LABEL,
    STATUS_LABELS,
    Origin,
    SecurityLevel,
    Status,
    Urgency,
)


class Document(db.Model):
    __tablename__ = "documents"
    audit_type = "document"
    __table_args__ = (
        # The database itself guarantees a number is given once per term and type.
        UniqueConstraint("term", "doc_type", "number_seq"),
        # The incoming registers number arrivals 1, 2, 3 … per year, once each: the general
        # register and the secret one each have their own series.
        UniqueConstraint("arrival_year", "arrival_secret", "arrival_number"),
        Index("ix_documents_listing", "status", "doc_type", "term"),
        # The read rule's columns (lists and counts of what a member may read): read from this
        # index alone, never from the wide rows.
        Index("ix_documents_readable", "status", "confidential", "security_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT)
    term: Mapped[str] = mapped_column(String(16))
    number_seq: Mapped[int | None]
    number: Mapped[str | None] = mapped_column(String(64))
    issue_date: Mapped[date | None]
    signer: Mapped[str | None] = mapped_column(String(200))
    confidential: Mapped[bool] = mapped_column(default=False)
    # What approval could not do to the file (an uploaded DOCX without a "Số" line).
    issue_note: Mapped[str | None] = mapped_column(Text)
    # Where it comes from: ours, or issued by another body (issuer, printed number, arrival).
    origin: Mapped[str] = mapped_column(String(16), default=Origin.INTERNAL, server_default="internal")
    # Registered already issued (from outside, or ours from before): files are its scans.
    registered: Mapped[bool] = mapped_column(default=False, server_default="0")
    issuer: Mapped[str | None] = mapped_column(String(200))
    received_date: Mapped[date | None]
    arrival_year: Mapped[int | None]
    arrival_number: Mapped[int | None]
    # Numbered in the secret incoming register's series (its book for good: the number stays).
    arrival_secret: Mapped[bool] = mapped_column(default=False, server_default="0")
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.NORMAL, server_default="thuong")
    handler: Mapped[str | None] = mapped_column(String(200))
    reply_due: Mapped[date | None]
    replied_date: Mapped[date | None]  # the reply went: no longer overdue
    # Độ mật: a secret document is registered by its metadata only (no file, no text).
    security_level: Mapped[str] = mapped_column(
        String(16), default=SecurityLevel.NONE, server_default="none", index=True
    )
    # The outgoing register: where it was sent, how many copies, when.
    recipients: Mapped[str | None] = mapped_column(Text)
    copies: Mapped[int | None]
    sent_date: Mapped[date | None]
    # Đơn vị/người nhận bản lưu (outgoing register), and either register's Ghi chú.
    archive_holder: Mapped[str | None] = mapped_column(String(200))
    register_note: Mapped[str | None] = mapped_column(Text)
    # A wrong entry is cancelled, never deleted: it stays in its book, marked, its number kept.
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it became issued here (approved, or registered as issued): "new since my last visit"
    # goes by this, not by the date printed on it.
    issued_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.n"
    )

    @property
    def current_version(self) -> DocumentVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def current_n(self) -> int:
        """The current version's number; 0 for an entry registered without a file."""
        return self.versions[-1].n if self.versions else 0

    @property
    def doc_type_name(self) -> str:
        return DOC_TYPES.get(self.doc_type, self.doc_type)

    @property
    def incoming(self) -> bool:
        return self.origin == Origin.INCOMING

    @property
    def status_label(self) -> str:
        """What the document is to the office: one that came in is "Văn bản đến", never
        "Đã ban hành" (we did not issue it)."""
        if self.cancelled_at is not None:
            return CANCELLED_LABEL
        if self.incoming and self.status == Status.APPROVED:
            return INCOMING_LABEL
        return STATUS_LABELS[Status(self.status)]

    @property
    def date_label(self) -> str:
        """How the date printed on it is named: ours is issued, another body's is dated."""
        return "Ngày văn bản" if self.incoming else "Ngày ban hành"

    @property
    def display_title(self) -> str:
        """A "Tuyệt mật" entry may be registered without its subject."""
        return self.title or "(trích yếu không ghi)"

    @property
    def is_secret(self) -> bool:
        return self.security_level != SecurityLevel.NONE

    @property
    def is_incoming(self) -> bool:
        return self.origin == Origin.INCOMING

    def version(self, n: int) -> DocumentVersion | None:
        return next((v for v in self.versions if v.n == n), None)


class DocumentVersion(ImmutableRow, db.Model):
    """One immutable revision: rows are added, never changed or deleted."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    n: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    # Loaded only when asked for: lists and pages need the rows, not every version's full text.
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    # The version this one copies, when it was made by restoring an older one.
    restored_from: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")
    author: Mapped[User] = relationship()
    # Files derived from it and the checks of its signatures, in the order they were made.
    renditions: Mapped[list[VersionRendition]] = relationship(
        back_populates="version", order_by="VersionRendition.id"
    )
    signatures: Mapped[list[VersionSignature]] = relationship(
        back_populates="version", order_by="[VersionSignature.checked_at, VersionSignature.position]"
    )

    def rendition(self, kind: str) -> VersionRendition | None:
        """The latest derived file of this kind ("ocr")."""
        return next((r for r in reversed(self.renditions) if r.kind == kind), None)

    @property
    def latest_signatures(self) -> list[VersionSignature]:
        """The signatures as the latest check found them (checking again adds a new set)."""
        if not self.signatures:
            return []
        last = self.signatures[-1].checked_at
        return [s for s in self.signatures if s.checked_at == last]


class VersionRendition(ImmutableRow, db.Model):
    """A file derived from a version, never replacing it: the searchable PDF OCR made of a scan
    (the original stays byte for byte, a signed PDF valid). Rows are added, never changed."""

    __tablename__ = "version_renditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "ocr"
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # OCR's mean word confidence (0-100), when OCR made it.
    confidence: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[DocumentVersion] = relationship(back_populates="renditions")


class VersionSignature(ImmutableRow, db.Model):
    """One digital signature of a version's PDF as a check found it; checking again adds a new
    set (same `checked_at`), the latest set stands."""

    __tablename__ = "version_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    position: Mapped[int]  # 1, 2, … in signing order
    field_name: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(300), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    signed_at: Mapped[datetime | None]
    timestamp_authority: Mapped[str] = mapped_column(String(300), default="")
    # "valid", "untrusted" (valid, root unknown), "modified" (changed after signing), "invalid"
    status: Mapped[str] = mapped_column(String(16))
    intact: Mapped[bool]
    trusted: Mapped[bool]
    coverage: Mapped[str] = mapped_column(String(32), default="")
    modification: Mapped[str] = mapped_column(String(32), default="")
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[DocumentVersion] = relationship(back_populates="signatures")


class NumberCounter(db.Model):
    """The last number issued per term and document type; numbers are never reused."""

    __tablename__ = "number_counters"

    term: Mapped[str] = mapped_column(String(16), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class DocumentRelation(db.Model):
    """amends / replaces / implements / refers to: another document of the registry, or an
    outside one known by its number only (target_number, e.g. "46-CT/TW")."""

    __tablename__ = "document_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    target_number: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    source: Mapped[Document] = relationship(foreign_keys=[source_id])
    target: Mapped[Document | None] = relationship(foreign_keys=[target_id])


class DocumentReader(db.Model):
    """Someone allowed to read one document they would not read by their role: a committee
    member asked to comment on a draft. Granted by a feature above (comments on drafts),
    kept after the draft moves on, so what they commented on stays readable to them."""

    __tablename__ = "document_readers"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(200), default="")


class Intake(db.Model):
    """A file staged for a registration: kept while what its first page says is read (at once
    for a file with text, by OCR of the first page in the background for a scan or a photo),
    then used by one registration; removed when left unused for a day."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))  # "reading", "done", "failed"
    # What the header says, as the registration's fields: {"issuer", "number", …}.
    fields_json: Mapped[str] = mapped_column(Text, default="{}")
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    # Set while a reader has it; one gone cold means its reader died, and another takes it.
    heartbeat_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
