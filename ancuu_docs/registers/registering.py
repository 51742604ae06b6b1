"""Registering documents already issued: those that arrive from other bodies (with their
printed issuer, number and dates, and an arrival number in the year's incoming register), our
own from before the system (with their printed number, which the counter then steps past), and
secret ones, by their metadata only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import IntegrityError

from .. import parsing, storage
from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import locked_counter, unit_of_work
from ..documents.models import Document, NumberCounter
from ..documents.services.versions import SIGNER_MAX, TITLE_MAX, Upload, check_upload, store_version
from ..documents.types import DOC_TYPES, SECRET_FILE, Origin, SecurityLevel, Status, Urgency, format_number
from ..errors import Conflict, Forbidden, InvalidInput
from ..extensions import db
from ..signals import document_created
from ..timeutil import local_today, utcnow
from .models import ArrivalCounter

NUMBER_MAX = 64
# "05-NQ/ĐU": our own number as printed (registered from before the system).
_OUR_NUMBER = re.compile(r"^\s*(\d{1,4})\s*-\s*([A-Za-zĐđ]{1,5})\s*/\s*(\S+)\s*$")


@dataclass
class Registration:
    """What a registration form or API call sends, before it is checked."""

    origin: object = Origin.INTERNAL
    doc_type: object = None
    title: object = None
    summary: object = ""
    number: object = None
    issue_date: object = None
    issuer: object = None
    term: object = None
    received_date: object = None
    urgency: object = None
    handler: object = None
    reply_due: object = None
    security_level: object = None
    confidential: object = False
    signer: object = None


def is_registration(origin: object, number: object, security_level: object) -> bool:
    """An incoming document, a number printed already, or a secret one: registered as issued
    (the rest is a new draft of ours)."""
    return (
        str(origin or Origin.INTERNAL) == Origin.INCOMING
        or bool(str(number or "").strip())
        or str(security_level or SecurityLevel.NONE) != SecurityLevel.NONE
    )


def register_document(actor: User, data: Registration, upload: Upload | None = None) -> Document:
    if not can(actor, Action.CREATE_CONFIDENTIAL):  # the office's register
        raise Forbidden("Chỉ Văn phòng Đảng ủy được đăng ký văn bản đã ban hành và văn bản đến.")
    check = parsing.Checks()
    origin = (
        check(parsing.member, data.origin or Origin.INTERNAL, Origin, field="origin", label="nguồn văn bản")
        or Origin.INTERNAL
    )
    level = (
        check(
            parsing.member,
            data.security_level or SecurityLevel.NONE,
            SecurityLevel,
            field="security_level",
            label="độ mật",
        )
        or SecurityLevel.NONE
    )
    code = check(parsing.choice, data.doc_type, DOC_TYPES, field="doc_type", label="loại văn bản")
    title = check(
        parsing.text,
        data.title,
        field="title",
        label="trích yếu",
        limit=TITLE_MAX,
        required=level != SecurityLevel.TUYET_MAT,
    )
    summary = check(parsing.text, data.summary, field="summary", label="tóm tắt", limit=5000)
    if summary and level != SecurityLevel.NONE:
        check.add(
            "summary", "Văn bản mật không ghi tóm tắt nội dung: chỉ đăng ký số, ngày, cơ quan ban hành."
        )
    number = check(
        parsing.text, data.number, field="number", label="số, ký hiệu", limit=NUMBER_MAX, required=True
    )
    issued = check(parsing.day, data.issue_date, field="issue_date", label="ngày ban hành")
    term = check(_term, data.term, field="term") or current_app.config["PARTY_TERM"]
    signer = check(parsing.text, data.signer, field="signer", label="người ký", limit=SIGNER_MAX)
    confidential = check(parsing.boolean, data.confidential, field="confidential", label="hạn chế")
    incoming = {}
    if origin == Origin.INCOMING:
        incoming = {
            "issuer": check(
                parsing.text, data.issuer, field="issuer", label="cơ quan ban hành", limit=200, required=True
            ),
            "received_date": check(
                parsing.day, data.received_date, field="received_date", label="ngày đến", required=False
            )
            or local_today(),
            "urgency": check(
                parsing.member, data.urgency or Urgency.NORMAL, Urgency, field="urgency", label="độ khẩn"
            ),
            "handler": check(parsing.text, data.handler, field="handler", label="người xử lý", limit=200)
            or None,
            "reply_due": check(
                parsing.day, data.reply_due, field="reply_due", label="hạn trả lời", required=False
            ),
        }
    if issued is not None and issued > local_today():
        check.add("issue_date", "Ngày ban hành không được sau hôm nay.")
    if issued is not None and origin == Origin.INTERNAL and term and not _in_term(issued, term):
        check.add("issue_date", f"Ngày ban hành không thuộc nhiệm kỳ {term}.")
    received = incoming.get("received_date")
    if issued is not None and received is not None and received < issued:
        check.add("received_date", "Ngày đến không được trước ngày ban hành.")
    if received is not None and received > local_today():
        check.add("received_date", "Ngày đến không được sau hôm nay.")
    seq = None
    if origin == Origin.INTERNAL and number and code:
        seq = check(_our_number, number, code, field="number")
    if upload is not None and level != SecurityLevel.NONE:
        check.add("file", SECRET_FILE)
    extracted = check(check_upload, upload) if upload is not None and level == SecurityLevel.NONE else None
    check.done()

    def work() -> Document:
        doc = Document(
            doc_type=code,
            title=title or "",
            summary=summary or "",
            status=Status.APPROVED,
            issued_at=utcnow(),
            term=term,
            number=number.strip() if origin == Origin.INCOMING else _format(seq, code),
            number_seq=seq,
            issue_date=issued,
            signer=signer or None,
            confidential=bool(confidential),
            origin=origin,
            registered=True,
            security_level=level,
            created_by_id=actor.id,
            **incoming,
        )
        if origin == Origin.INTERNAL:
            _claim_number(doc)
        else:
            _give_arrival_number(doc)
        db.session.add(doc)
        try:
            db.session.flush()
        except IntegrityError as exc:  # another writer took the same number meanwhile
            if doc.origin == Origin.INCOMING:
                raise Conflict("Sổ văn bản đến đang được ghi cùng lúc: vui lòng gửi lại.") from exc
            raise Conflict(
                f"Số {doc.number} của nhiệm kỳ {doc.term} đã có trong sổ.", field="number"
            ) from exc
        version = None
        if extracted is not None:
            version = store_version(doc, actor, upload=upload, extracted=extracted, comment="Bản đăng ký")
        record(
            actor,
            "document.register",
            doc,
            version_n=version.n if version else None,
            origin=origin.value,
            number=doc.number,
            arrival=doc.arrival_number,
            security_level=level.value,
        )
        document_created.send(doc, actor=actor, version=version)
        return doc

    with unit_of_work():
        if extracted is not None:
            storage.put_in_unit(upload.data)
        return work()


_TERM = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


def _term(value: object, *, field: str) -> str | None:
    """ "2020-2025": a five-year term, as the register writes it."""
    text = parsing.text(value, field=field, label="nhiệm kỳ", limit=16)
    if not text:
        return None
    match = _TERM.match(text)
    if not match or not 0 < int(match.group(2)) - int(match.group(1)) <= 5:
        raise InvalidInput("Nhiệm kỳ viết dạng «2020-2025».", field=field)
    return f"{match.group(1)}-{match.group(2)}"


def _in_term(day, term: str) -> bool:
    first, last = (int(year) for year in term.split("-"))
    return first <= day.year <= last


def _our_number(value: str, code: str, *, field: str) -> int:
    match = _OUR_NUMBER.match(value)
    symbol = current_app.config["NUMBER_SYMBOL"]
    if not match:
        raise InvalidInput(f"Số, ký hiệu của văn bản Đảng ủy viết như in: «05-{code}/{symbol}».", field=field)
    seq, printed_code, printed_symbol = int(match.group(1)), match.group(2), match.group(3)
    if printed_code.upper() != code.upper():
        raise InvalidInput(f"Ký hiệu «{printed_code}» không khớp loại văn bản đã chọn ({code}).", field=field)
    if printed_symbol.upper() != symbol.upper():
        raise InvalidInput(
            f"Văn bản của Đảng ủy mang ký hiệu «/{symbol}»; văn bản của cơ quan khác đăng ký là văn bản đến.",
            field=field,
        )
    if seq < 1:
        raise InvalidInput("Số văn bản bắt đầu từ 01.", field=field)
    return seq


def _format(seq: int | None, code: str) -> str | None:
    return format_number(seq, code, current_app.config["NUMBER_SYMBOL"]) if seq else None


def _claim_number(doc: Document) -> None:
    """Our number as printed: refused if the term's type already has it; in the current term
    the counter steps past it, so approval never gives it again."""
    taken = (
        db.session.query(Document.id)
        .filter_by(term=doc.term, doc_type=doc.doc_type, number_seq=doc.number_seq)
        .first()
    )
    if taken is not None:
        raise Conflict(
            f"Số {doc.number} của nhiệm kỳ {doc.term} đã có trong sổ.",
            field="number",
            extra={"document_id": taken.id},
        )
    counter = locked_counter(NumberCounter, term=doc.term, doc_type=doc.doc_type)
    counter.last_value = max(counter.last_value, doc.number_seq)


def _give_arrival_number(doc: Document) -> None:
    """The next arrival number of the year it arrived: 1, 2, 3 …, one writer at a time (the
    counter row is locked in the registering transaction, like document numbers)."""
    year = doc.received_date.year
    counter = locked_counter(ArrivalCounter, year=year)
    counter.last_value += 1
    doc.arrival_year, doc.arrival_number = year, counter.last_value
