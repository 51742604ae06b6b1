"""What documents make searchable: one entry per document, from its latest version."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from flask import url_for
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from ..searchable import Restriction, SearchEntry, SearchProvider, in_chunks
from ..signals import (
    document_created,
    document_moved,
    document_updated,
    rendition_added,
    version_added,
)
from .models import Document, DocumentVersion, VersionRendition
from .policy import is_public, readable_beyond_public, readable_documents, reads_all_documents
from .schemas import document_brief
from .types import DOC_TYPES, STATUS_LABELS, Origin, SecurityLevel

KIND = "document"
PENDING_CHUNK = 500


def _latest():
    return (
        select(DocumentVersion.document_id, func.max(DocumentVersion.n).label("n"))
        .group_by(DocumentVersion.document_id)
        .subquery()
    )


def _stamp(updated_at: datetime, version_n: int) -> str:
    """What changes whenever the indexed content of a document changes."""
    return f"{updated_at.isoformat()}#{version_n}"


class DocumentSearch(SearchProvider):
    kind = KIND
    model = Document
    changed_by = (document_created, version_added, document_updated, document_moved, rendition_added)
    facet_labels: ClassVar = {
        "doc_type": DOC_TYPES,
        "status": {s.value: label for s, label in STATUS_LABELS.items()},
        "origin": {o.value: o.label for o in Origin},
    }

    def _entry(
        self, doc: Document, text: str | None, version_n: int | None, ocr_text: str | None = None
    ) -> SearchEntry:
        when = doc.issue_date or doc.created_at.date()
        # A secret entry is found by its number, issuer and subject, never by any text; one
        # registered without a file has no text yet.
        secret = doc.security_level != SecurityLevel.NONE
        return SearchEntry(
            key=self.key(doc.id),
            kind=KIND,
            title=doc.title,
            summary="" if secret else "\n".join(filter(None, [doc.summary, doc.issuer])),
            # A scan's own text is empty: what OCR read of it stands in.
            content="" if secret else "\n".join(filter(None, [text, ocr_text])),
            number=doc.number or "",
            doc_type=doc.doc_type,
            status=doc.status,
            term=doc.term,
            date=datetime.combine(when, datetime.min.time()),
            stamp=_stamp(doc.updated_at, version_n or 0),
            origin=doc.origin,
            issuer=doc.issuer or "",
            public=is_public(doc),
        )

    def entries(self, session, ids, chunk):
        latest = _latest()
        ocr_text = (
            select(VersionRendition.text)
            .where(VersionRendition.version_id == DocumentVersion.id, VersionRendition.kind == "ocr")
            .order_by(VersionRendition.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(Document, DocumentVersion.text, DocumentVersion.n, ocr_text)
            .outerjoin(latest, latest.c.document_id == Document.id)
            .outerjoin(
                DocumentVersion,
                and_(DocumentVersion.document_id == Document.id, DocumentVersion.n == latest.c.n),
            )
        )
        return in_chunks(session, query, Document.id, self._entry, ids, chunk)

    def stamps(self, session) -> dict[int, str]:
        latest = _latest()
        rows = session.execute(
            select(Document.id, Document.updated_at, latest.c.n).outerjoin(
                latest, latest.c.document_id == Document.id
            )
        )
        return {doc_id: _stamp(updated_at, n or 0) for doc_id, updated_at, n in rows}

    def changed_since(self, session, when) -> list[int]:
        return list(session.scalars(select(Document.id).where(Document.updated_at >= when)))

    def count(self, session) -> int:
        return session.scalar(select(func.count()).select_from(Document)) or 0

    def restriction(self, user: User, pending: list[int]) -> Restriction | None:
        if reads_all_documents(user):
            return None
        also = set(db.session.scalars(select(Document.id).where(readable_beyond_public(user))))
        hidden = set(pending)  # gone from the database, unless found below
        readable = readable_documents(user)
        # In chunks: behind a large import the outbox holds thousands, more than one statement
        # may name.
        for start in range(0, len(pending), PENDING_CHUNK):
            chunk = pending[start : start + PENDING_CHUNK]
            for doc_id, can_read in db.session.execute(
                select(Document.id, case((readable, True), else_=False)).where(Document.id.in_(chunk))
            ):
                if can_read:
                    hidden.discard(doc_id)
                    also.add(doc_id)
        return Restriction(also=frozenset(also), hidden=frozenset(hidden))

    def hits(self, user: User, ids: list[int]) -> dict[int, dict]:
        if not ids:
            return {}
        docs = db.session.scalars(
            select(Document)
            .where(Document.id.in_(ids), readable_documents(user))
            .options(selectinload(Document.versions))
        )
        return {doc.id: self.hit(user, doc) for doc in docs}

    def hit(self, user: User, doc: Document) -> dict:
        brief = document_brief(user, doc)
        return {
            **brief,
            "kind": KIND,
            "url": url_for("documents.show", document_id=doc.id),
            "badges": [doc.doc_type_name, doc.status_label],
        }


PROVIDER = DocumentSearch()
