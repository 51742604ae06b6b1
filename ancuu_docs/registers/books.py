"""The books the secretariat keeps per year: documents received (sổ đăng ký văn bản đến), in
arrival order, and documents sent (sổ đăng ký văn bản đi), in order of issue; and the same two
for state-secret documents (any độ mật), apart, seen by the office only.

Each book is a list of entries (one dict per row, the same for the page, the API and the
files) and its columns; `book_files.py` lays them out as XLSX, PDF and DOCX.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, select

from ..auth.models import User
from ..auth.policy import is_office
from ..documents.models import Document
from ..documents.policy import readable_documents
from ..documents.types import DOC_TYPES, SECURITY_LABELS, Origin, SecurityLevel, Status, Urgency
from ..errors import NotFound
from ..extensions import db
from ..timeutil import local_today
from .commands import BookFilters
from .issuers import grouped_name, key_of, listed_names


@dataclass(frozen=True)
class Book:
    """One of the registers: its address (`kind`), which way its documents went, whether it is
    the secret one (seen by the office only), its printed title and its file name."""

    kind: str
    incoming: bool
    secret: bool
    title: str
    file_stem: str

    @property
    def columns(self) -> list[tuple[str, str, int]]:
        return COLUMNS["incoming" if self.incoming else "outgoing"]


BOOKS = {
    book.kind: book
    for book in (
        Book("incoming", True, False, "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "so-van-ban-den"),
        Book("outgoing", False, False, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "so-van-ban-di"),
        Book("incoming-secret", True, True, "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN", "so-van-ban-mat-den"),
        Book("outgoing-secret", False, True, "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐI", "so-van-ban-mat-di"),
    )
}
KINDS = tuple(BOOKS)
# (key, heading, relative width): the register forms of appendix IV (Decree 30/2020), left to
# right. "Ký nhận" stays blank: it is signed on the printed book.
COLUMNS = {
    "incoming": [
        ("arrival_number", "Số đến", 5),
        ("received_date", "Ngày đến", 8),
        ("issuer", "Tác giả", 13),
        ("number", "Số và ký hiệu", 10),
        ("issue_date", "Ngày tháng văn bản", 8),
        ("subject", "Tên loại và trích yếu nội dung", 26),
        ("security", "Độ mật", 6),
        ("urgency", "Độ khẩn", 6),
        ("handler", "Đơn vị hoặc người nhận", 11),
        ("reply_due", "Hạn giải quyết", 8),
        ("replied_date", "Ngày trả lời", 8),
        ("receipt", "Ký nhận", 7),
        ("note", "Ghi chú", 10),
    ],
    "outgoing": [
        ("number", "Số và ký hiệu", 10),
        ("issue_date", "Ngày tháng", 8),
        ("subject", "Tên loại và trích yếu nội dung", 28),
        ("signer", "Người ký", 12),
        ("recipients", "Nơi nhận", 20),
        ("archive_holder", "Đơn vị/người nhận bản lưu", 12),
        ("copies", "Số lượng bản", 6),
        ("sent_date", "Ngày gửi", 8),
        ("receipt", "Ký nhận", 7),
        ("note", "Ghi chú", 10),
    ],
}


# The columns that hold a date (written dd/mm/yyyy in every entry; date cells in XLSX).
DATE_COLUMNS = frozenset({"received_date", "issue_date", "reply_due", "replied_date", "sent_date"})


def book_named(actor: User, kind: str) -> Book:
    """The book at this address, for this user: the secret ones are the office's, and to anyone
    else they are not there at all (404, not 403: their existence is not to be learnt)."""
    book = BOOKS.get(kind)
    if book is None or (book.secret and not is_office(actor)):
        raise NotFound("Không có sổ này.")
    return book


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _subject(doc: Document) -> str:
    """ "Tên loại và trích yếu": the type written once ("Chỉ thị về …"), whether or not the
    subject as entered begins with it."""
    name = DOC_TYPES.get(doc.doc_type, doc.doc_type)
    title = doc.title
    if not title:
        return f"{name} (trích yếu không ghi)"
    folded = _folded(title)
    if folded == _folded(name) or folded.startswith(_folded(name) + " "):
        return title
    if folded.startswith("về "):  # "Về công tác …" follows the type: "Chỉ thị về công tác …"
        title = "về" + title[2:]
    return f"{name} {title}"


def _note(doc: Document) -> str:
    cancelled = f"Đã hủy: {doc.cancel_reason}" if doc.cancelled_at is not None else ""
    return "\n".join(filter(None, [cancelled, doc.register_note or ""]))


def entry(book: Book, doc: Document) -> dict:
    """One row of a register: the dates as printed (dd/mm/yyyy), everything as text."""
    common = {
        "id": doc.id,
        "number": doc.number or "",
        "issue_date": _day(doc.issue_date),
        "subject": _subject(doc),
        "receipt": "",
        "note": _note(doc),
        "cancelled": doc.cancelled_at is not None,
    }
    if book.incoming:
        return {
            **common,
            "arrival_number": doc.arrival_number,
            "received_date": _day(doc.received_date),
            "issuer": doc.issuer or "",
            "security": SECURITY_LABELS[doc.security_level] if doc.is_secret else "",
            "urgency": "" if doc.urgency == Urgency.NORMAL else Urgency(doc.urgency).label,
            "handler": doc.handler or "",
            "reply_due": _day(doc.reply_due),
            "replied_date": _day(doc.replied_date),
            "overdue": _overdue(doc),
        }
    return {
        **common,
        "signer": doc.signer or "",
        "recipients": "; ".join(
            line.strip(" -–,.;") for line in (doc.recipients or "").splitlines() if line.strip(" -–,.;")
        ),
        "archive_holder": doc.archive_holder or "",
        "copies": doc.copies or "",
        "sent_date": _day(doc.sent_date),
    }


def _overdue(doc: Document) -> bool:
    return bool(
        doc.reply_due and doc.reply_due < local_today() and not doc.replied_date and doc.cancelled_at is None
    )


def _in_book(book: Book, query):
    """The query narrowed to the book's documents (of any year)."""
    if book.incoming:
        return query.where(Document.origin == Origin.INCOMING, Document.arrival_secret == book.secret)
    secret = Document.security_level != SecurityLevel.NONE
    return query.where(
        Document.origin == Origin.INTERNAL,
        Document.number.is_not(None),
        Document.status.in_([Status.APPROVED, Status.SUPERSEDED]),
        secret if book.secret else ~secret,
    )


def entries(actor: User, book: Book, filters: BookFilters) -> list[dict]:
    """The register's rows this user may read, in register order."""
    query = _in_book(book, select(Document).where(readable_documents(actor)))
    if book.incoming:
        query = query.where(Document.arrival_year == filters.year)
        if filters.overdue:
            query = query.where(
                Document.reply_due.is_not(None),
                Document.reply_due < local_today(),
                Document.replied_date.is_(None),
                Document.cancelled_at.is_(None),
            )
        query = query.order_by(Document.arrival_number)
    else:
        start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
        query = query.where(Document.issue_date.between(start, end)).order_by(
            Document.issue_date, Document.doc_type, Document.number_seq, Document.id
        )
    if filters.doc_type:
        query = query.where(Document.doc_type == filters.doc_type)
    docs = db.session.scalars(query)
    if filters.issuer:  # folded in Python: every variant of the body's name is that body
        wanted = key_of(filters.issuer)
        docs = (doc for doc in docs if key_of(doc.issuer or "") == wanted)
    return [entry(book, doc) for doc in docs]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def issuers(actor: User, book: Book) -> list[str]:
    """The bodies an incoming register holds, for its filter: one name for all the ways it was
    written (the listed one, when the body is on the list)."""
    rows = db.session.scalars(
        _in_book(book, select(Document.issuer))
        .where(readable_documents(actor), Document.issuer.is_not(None))
        .distinct()
        .order_by(Document.issuer)
    )
    known = listed_names()
    return sorted({grouped_name(name, known) for name in rows}, key=key_of)


def years(actor: User, book: Book) -> list[int]:
    """The years the book has entries in that this user may read, in order."""
    year = Document.arrival_year if book.incoming else extract("year", Document.issue_date)
    query = _in_book(book, select(year)).where(readable_documents(actor), year.is_not(None))
    return sorted(int(value) for value in db.session.scalars(query.distinct()))


def with_year(filters: BookFilters, known: list[int]) -> BookFilters:
    """The filters with their year: the one asked for, else the latest of the book's `known`
    years (a book opens on its last page, not on an empty new year), else this year."""
    if filters.year is not None:
        return filters
    return filters.model_copy(update={"year": known[-1] if known else local_today().year})
