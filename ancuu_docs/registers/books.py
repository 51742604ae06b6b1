"""The two books the secretariat keeps per year: documents received (sổ đăng ký văn bản
đến), in arrival order, and documents sent (sổ đăng ký văn bản đi), in order of issue.

Each book is a list of entries (one dict per row, the same for the page, the API and the
files) and its columns; `book_files.py` lays them out as XLSX, PDF and DOCX.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import extract, select

from ..auth.models import User
from ..documents.models import Document
from ..documents.policy import readable_documents
from ..documents.types import DOC_TYPES, SECURITY_LABELS, Origin, SecurityLevel, Status, Urgency
from ..errors import InvalidInput
from ..extensions import db
from ..timeutil import local_today
from .commands import BookFilters

KINDS = ("incoming", "outgoing")
TITLES = {"incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI"}
# (key, heading, relative width): the usual register layout, left to right.
COLUMNS = {
    "incoming": [
        ("arrival_number", "Số đến", 6),
        ("received_date", "Ngày đến", 10),
        ("issuer", "Cơ quan ban hành", 20),
        ("number", "Số, ký hiệu", 13),
        ("issue_date", "Ngày văn bản", 10),
        ("subject", "Loại và trích yếu nội dung", 36),
        ("handler", "Người xử lý", 15),
        ("reply_due", "Hạn trả lời", 10),
        ("replied_date", "Ngày trả lời", 10),
    ],
    "outgoing": [
        ("number", "Số, ký hiệu", 13),
        ("issue_date", "Ngày văn bản", 10),
        ("subject", "Loại và trích yếu nội dung", 44),
        ("signer", "Người ký", 17),
        ("recipients", "Nơi nhận", 30),
        ("copies", "Số bản", 7),
        ("sent_date", "Ngày gửi", 10),
    ],
}


# The columns that hold a date (written dd/mm/yyyy in every entry; date cells in XLSX).
DATE_COLUMNS = frozenset({"received_date", "issue_date", "reply_due", "replied_date", "sent_date"})


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput("Sổ là «incoming» (văn bản đến) hoặc «outgoing» (văn bản đi).", field="kind")


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _subject(doc: Document) -> str:
    secret = "" if doc.security_level == SecurityLevel.NONE else f" [{SECURITY_LABELS[doc.security_level]}]"
    return f"{DOC_TYPES.get(doc.doc_type, doc.doc_type)} {doc.display_title}{secret}"


def entry(kind: str, doc: Document) -> dict:
    """One row of a register: the dates as printed (dd/mm/yyyy), everything as text."""
    if kind == "incoming":
        urgency = "" if doc.urgency == Urgency.NORMAL else f" ({Urgency(doc.urgency).label})"
        return {
            "id": doc.id,
            "arrival_number": doc.arrival_number,
            "received_date": _day(doc.received_date),
            "issuer": doc.issuer or "",
            "number": doc.number or "",
            "issue_date": _day(doc.issue_date),
            "subject": _subject(doc) + urgency,
            "handler": doc.handler or "",
            "reply_due": _day(doc.reply_due),
            "replied_date": _day(doc.replied_date),
            "overdue": bool(doc.reply_due and doc.reply_due < local_today() and not doc.replied_date),
        }
    return {
        "id": doc.id,
        "number": doc.number or "",
        "issue_date": _day(doc.issue_date),
        "subject": _subject(doc),
        "signer": doc.signer or "",
        "recipients": "; ".join(
            line.strip(" -–,.;") for line in (doc.recipients or "").splitlines() if line.strip(" -–,.;")
        ),
        "copies": doc.copies or "",
        "sent_date": _day(doc.sent_date),
    }


def entries(actor: User, kind: str, filters: BookFilters) -> list[dict]:
    """The register's rows this user may read, in register order."""
    query = select(Document).where(readable_documents(actor))
    if kind == "incoming":
        query = query.where(Document.origin == Origin.INCOMING, Document.arrival_year == filters.year)
        if filters.overdue:
            query = query.where(
                Document.reply_due.is_not(None),
                Document.reply_due < local_today(),
                Document.replied_date.is_(None),
            )
        query = query.order_by(Document.arrival_number)
    else:
        start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
        query = query.where(
            Document.origin == Origin.INTERNAL,
            Document.number.is_not(None),
            Document.status.in_([Status.APPROVED, Status.SUPERSEDED]),
            Document.issue_date.between(start, end),
        ).order_by(Document.issue_date, Document.doc_type, Document.number_seq, Document.id)
    if filters.doc_type:
        query = query.where(Document.doc_type == filters.doc_type)
    docs = db.session.scalars(query)
    if filters.issuer:  # compared in Python: SQLite's lower() knows A-Z only, not "Ủ" or "Đ"
        wanted = _folded(filters.issuer)
        docs = (doc for doc in docs if _folded(doc.issuer or "") == wanted)
    return [entry(kind, doc) for doc in docs]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def issuers(actor: User) -> list[str]:
    """The issuers the incoming register holds, for its filter."""
    rows = db.session.scalars(
        select(Document.issuer)
        .where(readable_documents(actor), Document.origin == Origin.INCOMING, Document.issuer.is_not(None))
        .distinct()
        .order_by(Document.issuer)
    )
    return list(rows)


def years(actor: User, kind: str) -> list[int]:
    """The years the book has entries in that this user may read, in order."""
    if kind == "incoming":
        year = Document.arrival_year
        query = select(year).where(Document.origin == Origin.INCOMING)
    else:
        year = extract("year", Document.issue_date)
        query = select(year).where(
            Document.origin == Origin.INTERNAL,
            Document.number.is_not(None),
            Document.issue_date.is_not(None),
            Document.status.in_([Status.APPROVED, Status.SUPERSEDED]),
        )
    rows = db.session.scalars(query.where(readable_documents(actor), year.is_not(None)).distinct())
    return sorted(int(value) for value in rows)


def with_year(filters: BookFilters, known: list[int]) -> BookFilters:
    """The filters with their year: the one asked for, else the latest of the book's `known`
    years (a book opens on its last page, not on an empty new year), else this year."""
    if filters.year is not None:
        return filters
    return filters.model_copy(update={"year": known[-1] if known else local_today().year})
