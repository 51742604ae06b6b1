"""Searching as a user: only what they may read, in the shape the page and the API show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import current_app, url_for
from sqlalchemy import not_, select

from ..auth.models import User
from ..auth.policy import readable_documents, reads_all_documents
from ..documents.models import Document
from ..documents.types import DOC_TYPES, STATUS_LABELS
from ..errors import InvalidInput
from ..extensions import db
from ..meetings.models import Meeting
from ..meetings.services import meeting_title
from . import indexing
from .engine import Filters, NeedsRebuild, QueryError

QUERY_MAX = 500
PER_PAGE_MAX = 100
SORTS = ("relevance", "date")
# Fewer hits than this and a "did you mean" is looked for.
FEW_HITS = 3


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    doc_type: str | None = None
    status: str | None = None
    term: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    def filters(self) -> Filters:
        return Filters(self.doc_type, self.status, self.term, self.date_from, self.date_to)


def _date(args: Mapping, name: str) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"Ngày «{value}» không hợp lệ (dạng YYYY-MM-DD).", field=name) from None


def _int(args: Mapping, name: str, default: int, low: int, high: int) -> int:
    value = (args.get(name) or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(f"Tham số «{name}» phải là số nguyên.", field=name) from None
    if not low <= number <= high:
        raise InvalidInput(f"Tham số «{name}» phải từ {low} đến {high}.", field=name)
    return number


def parse_params(args: Mapping) -> SearchParams:
    """Search parameters from a query string, or InvalidInput saying which one is wrong."""
    q = (args.get("q") or "").strip()
    if len(q) > QUERY_MAX:
        raise InvalidInput(f"Câu tìm kiếm quá dài (tối đa {QUERY_MAX} ký tự).", field="q")
    doc_type = (args.get("doc_type") or "").strip() or None
    if doc_type and doc_type not in DOC_TYPES:
        raise InvalidInput(f"Loại tài liệu «{doc_type}» không có.", field="doc_type")
    status = (args.get("status") or "").strip() or None
    if status and status not in STATUS_LABELS:
        raise InvalidInput(f"Trạng thái «{status}» không có.", field="status")
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise InvalidInput("Sắp xếp theo «relevance» (mức liên quan) hoặc «date» (ngày).", field="sort")
    date_from, date_to = _date(args, "date_from"), _date(args, "date_to")
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("Ngày bắt đầu sau ngày kết thúc.", field="date_from")
    return SearchParams(
        q=q,
        doc_type=doc_type,
        status=status,
        term=(args.get("term") or "").strip() or None,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_int(args, "page", 1, 1, 10_000),
        per_page=_int(args, "per_page", current_app.config["SEARCH_PER_PAGE"], 1, PER_PAGE_MAX),
    )


def hidden_keys(actor: User) -> set[str] | None:
    """Index keys this user may not see, from the database's permissions at this moment
    (never from fields in the index, which can be stale); None when they see everything.

    Asked as the complement: in a records archive the documents hidden from a member (drafts,
    confidential ones) are few, the readable ones many. Every signed-in user reads meetings.
    """
    if reads_all_documents(actor):
        return None
    ids = db.session.scalars(select(Document.id).where(not_(readable_documents(actor))))
    return {indexing.document_key(doc_id) for doc_id in ids}


def _prepare() -> None:
    # Bring the index up to date first: searching right after a change finds it.
    indexing.flush_outbox()
    indexing.ensure_index()


def search(actor: User, params: SearchParams) -> dict:
    _prepare()
    hidden = hidden_keys(actor)
    store = indexing.store()

    def run():
        return store.search(
            params.q,
            hidden_keys=hidden,
            filters=params.filters(),
            sort=params.sort,
            page=params.page,
            per_page=params.per_page,
        )

    try:
        try:
            results = run()
        except NeedsRebuild:  # the index files are damaged or gone: build them again, once
            indexing.ensure_index(verify=True)
            results = run()
    except QueryError:
        raise InvalidInput(
            "Không hiểu câu tìm kiếm. Hãy gõ các từ cần tìm, cụm từ trong ngoặc kép, "
            "hoặc dùng OR, NOT, dấu * ở cuối từ.",
            field="q",
        ) from None

    objects = _readable_objects(actor, [hit.key for hit in results.hits])
    hits = []
    for hit in results.hits:
        found = objects.get(hit.key)
        if found is None:  # changed since it was indexed, and no longer readable: never shown
            continue
        hits.append(
            {
                **found,
                "score": hit.score,
                "highlights": {"title": hit.title_html, "content": hit.content_html},
            }
        )
    suggestion = None
    if params.q and results.total < FEW_HITS:
        suggestion = _suggestion(params.q, hidden, results.total)
    return {
        "total": results.total,
        "page": params.page,
        "per_page": params.per_page,
        "hits": hits,
        "facets": results.facets,
        "suggestion": suggestion,
    }


def _suggestion(q: str, hidden: set[str] | None, total: int) -> str | None:
    """A corrected query, offered only when it finds more among what this user may read,
    so no word of a document they may not read is ever suggested."""
    store = indexing.store()
    try:
        corrected = store.corrections(q)
        if corrected and corrected != q and store.count(corrected, hidden_keys=hidden) > total:
            return corrected
    except QueryError:
        return None
    return None


def _readable_documents(actor: User, keys: list[str]) -> dict[str, Document]:
    ids = indexing.ids_of(keys, indexing.DOCUMENT)
    if not ids:
        return {}
    docs = db.session.scalars(select(Document).where(Document.id.in_(ids), readable_documents(actor)))
    return {indexing.document_key(doc.id): doc for doc in docs}


def _readable_objects(actor: User, keys: list[str]) -> dict[str, dict]:
    """Hit fields, read from the database now (not from the index), for what the user may read."""
    found = {
        key: {
            "kind": indexing.DOCUMENT,
            "id": doc.id,
            "title": doc.title,
            "number": doc.number,
            "doc_type": doc.doc_type,
            "status": doc.status,
            "term": doc.term,
            "url": url_for("documents.show", document_id=doc.id),
        }
        for key, doc in _readable_documents(actor, keys).items()
    }
    meeting_ids = indexing.ids_of(keys, indexing.MEETING)
    if meeting_ids:
        for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids))):
            found[f"{indexing.MEETING}:{meeting.id}"] = {
                "kind": indexing.MEETING,
                "id": meeting.id,
                "title": meeting_title(meeting),
                "number": None,
                "doc_type": indexing.MEETING,
                "status": meeting.status,
                "term": meeting.term,
                "url": url_for("meetings.show", meeting_id=meeting.id),
            }
    return found


def similar_documents(actor: User, doc: Document, limit: int = 5) -> list[Document]:
    """More like this, among what the user may read."""
    _prepare()
    keys = indexing.store().similar(
        indexing.document_key(doc.id), hidden_keys=hidden_keys(actor), limit=limit
    )
    docs = _readable_documents(actor, keys)
    return [docs[key] for key in keys if key in docs]
