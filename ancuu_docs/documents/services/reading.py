"""Reading documents: one, a page of them, the ones a user may still change."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ... import parsing
from ...auth.models import User
from ...auth.policy import Action, can
from ...errors import InvalidInput, NotFound
from ...extensions import db
from ..models import Document, DocumentReader, DocumentVersion
from ..policy import readable_documents
from ..types import DOC_TYPES, EDITABLE, STATUS_LABELS


def get_document(actor: User, document_id: int) -> Document:
    """The document, if this user may read it; otherwise 404, as if it did not exist."""
    doc = db.session.get(Document, document_id)
    if doc is None or not can(actor, Action.READ, doc):
        raise NotFound("Không tìm thấy văn bản.")
    return doc


def get_version(actor: User, document_id: int, n: int) -> DocumentVersion:
    version = get_document(actor, document_id).version(n)
    if version is None:
        raise NotFound(f"Văn bản không có phiên bản {n}.")
    return version


# How lists may be ordered: the label shown, and the columns. "date" is the issue date, or the
# last change for what is not issued yet: the date the list shows.
SORT_LABELS = {
    "date": "Ngày (mới trước)",
    "number": "Số văn bản",
    "type": "Loại văn bản",
    "title": "Trích yếu (A–Z)",
    "updated": "Mới cập nhật",
    "issued": "Ngày ban hành",
}
_SHOWN_DATE = func.coalesce(Document.issue_date, Document.updated_at)
SORTS = {
    "date": (_SHOWN_DATE.desc(), Document.id.desc()),
    "number": (
        Document.number_seq.is_(None),
        Document.term.desc(),
        Document.number_seq.desc(),
        Document.id.desc(),
    ),
    "type": (Document.doc_type, _SHOWN_DATE.desc(), Document.id.desc()),
    "title": (Document.title, Document.id),
    "updated": (Document.updated_at.desc(), Document.id.desc()),
    "issued": (
        Document.issue_date.is_(None),
        Document.issue_date.desc(),
        Document.number_seq.desc(),
        Document.id.desc(),
    ),
}


def list_documents(
    actor: User,
    *,
    doc_type: str | None = None,
    status: str | None = None,
    term: str | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 25,
):
    """A page (Flask-SQLAlchemy Pagination) of the documents this user may read: the latest
    dated first (issued: the issue date; else the last change), or as `sort` says (SORTS)."""
    query = select(Document).where(readable_documents(actor))
    if doc_type:
        if doc_type not in DOC_TYPES:
            raise InvalidInput(f"Loại văn bản «{doc_type}» không có.", field="doc_type")
        query = query.where(Document.doc_type == doc_type)
    if status:
        if status not in STATUS_LABELS:
            raise InvalidInput(f"Trạng thái «{status}» không có.", field="status")
        query = query.where(Document.status == status)
    if term:
        term = parsing.text(term, field="term", label="nhiệm kỳ", limit=20, one_line=True)
        query = query.where(Document.term == term)
    order = SORTS.get(sort or "date")
    if order is None:
        raise InvalidInput(f"Cách sắp xếp «{sort}» không có.", field="sort")
    versions = selectinload(Document.versions)
    query = query.options(
        versions.selectinload(DocumentVersion.author),
        versions.selectinload(DocumentVersion.renditions),
        versions.selectinload(DocumentVersion.signatures),
    ).order_by(*order)
    return db.paginate(query, page=max(1, page), per_page=max(1, per_page), max_per_page=200, error_out=False)


def editable_documents(actor: User, action: Action) -> list[Document]:
    """Drafts and documents in review on which the user may do `action`, newest first."""
    docs = db.session.scalars(
        select(Document)
        .where(Document.status.in_([s.value for s in EDITABLE]))
        .order_by(Document.updated_at.desc())
    )
    return [doc for doc in docs if can(actor, action, doc)]


def known_terms() -> list[str]:
    terms = set(db.session.scalars(select(Document.term).distinct()))
    terms.add(current_app.config["PARTY_TERM"])
    return sorted(terms, reverse=True)


def grant_reading(granted_by: User, doc: Document, users: list[User], reason: str) -> list[User]:
    """Let these users read this document whatever their role (inside the caller's unit of
    work). Returns those newly granted; a grant is never taken back."""
    granted = set(
        db.session.scalars(select(DocumentReader.user_id).where(DocumentReader.document_id == doc.id))
    )
    new = [user for user in users if user.id not in granted]
    for user in new:
        db.session.add(
            DocumentReader(
                document_id=doc.id, user_id=user.id, granted_by_id=granted_by.id, reason=reason[:200]
            )
        )
    return new
