"""Registering documents already issued: those that arrive from other bodies (with their
printed issuer, number and dates, and an arrival number in the year's incoming register), our
own from before the system (with their printed number, which the counter then steps past), and
secret ones, by their metadata only.
"""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy.exc import IntegrityError

from .. import parsing, storage
from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import locked_counter, unit_of_work
from ..documents.models import Document, NumberCounter
from ..documents.services.versions import Upload, check_upload, store_version
from ..documents.types import SECRET_FILE, Origin, SecurityLevel, Status, format_number
from ..errors import Conflict, Forbidden, InvalidInput
from ..extensions import db
from ..signals import document_created
from ..timeutil import local_today, utcnow
from . import issuers
from .commands import Registration
from .models import ArrivalCounter

# "05-NQ/ĐU": our own number as printed (registered from before the system).
_OUR_NUMBER = re.compile(r"^\s*(\d{1,4})\s*-\s*([A-Za-zĐđ]{1,5})\s*/\s*(\S+)\s*$")


def check_may_register(actor: User) -> None:
    if not can(actor, Action.CREATE_CONFIDENTIAL):  # the office's register
        raise Forbidden("Chỉ Văn phòng Đảng ủy được đăng ký văn bản đã ban hành và văn bản đến.")


def register_document(actor: User, data: Registration, upload: Upload | None = None) -> Document:
    """Register `data` (parsed at the edge) as an issued document, in one unit of work: the
    row, its number or arrival number, its file (never a secret one's) and the audit event."""
    check_may_register(actor)
    term = data.term or current_app.config["PARTY_TERM"]
    check = parsing.Checks()
    if data.origin == Origin.INTERNAL and not _in_term(data.issue_date, term):
        check.add("issue_date", f"Ngày ban hành không thuộc nhiệm kỳ {term}.")
    seq = check(our_number, data.number, data.doc_type) if data.origin == Origin.INTERNAL else None
    if data.incoming and (asked := issuers.question(data.issuer, confirmed=data.new_issuer)):
        check.add("issuer", asked)
    secret = data.security_level != SecurityLevel.NONE
    if upload is not None and secret:
        check.add("file", SECRET_FILE)
    extracted = check(check_upload, upload) if upload is not None and not secret else None
    check.done()
    with unit_of_work():
        if extracted is not None:
            storage.put_in_unit(upload.data)
        doc = _new_entry(actor, data, term, seq)
        version = None
        if extracted is not None:
            version = store_version(doc, actor, upload=upload, extracted=extracted, comment="Bản đăng ký")
        record(
            actor,
            "document.register",
            doc,
            version_n=version.n if version else None,
            origin=data.origin.value,
            number=doc.number,
            arrival=doc.arrival_number,
            security_level=data.security_level.value,
        )
        document_created.send(doc, actor=actor, version=version)
    return doc


def _new_entry(actor: User, data: Registration, term: str, seq: int | None) -> Document:
    """The entry's row, numbered: ours claims its printed number, an incoming one the next
    arrival number of its year."""
    incoming = {}
    if data.incoming:
        incoming = {
            "issuer": data.issuer,
            "received_date": data.received_date or local_today(),
            "urgency": data.urgency,
            "handler": data.handler or None,
            "reply_due": data.reply_due,
        }
    doc = Document(
        doc_type=data.doc_type,
        title=data.title,
        summary=data.summary,
        status=Status.APPROVED,
        issued_at=utcnow(),
        term=term,
        number=data.number if data.incoming else format_our_number(seq, data.doc_type),
        number_seq=seq,
        issue_date=data.issue_date,
        signer=data.signer or None,
        confidential=data.confidential,
        origin=data.origin,
        registered=True,
        security_level=data.security_level,
        created_by_id=actor.id,
        **incoming,
    )
    if data.incoming:
        _give_arrival_number(doc)
    else:
        claim_number(doc)
    db.session.add(doc)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another writer took the same number meanwhile
        if data.incoming:
            raise Conflict("Sổ văn bản đến đang được ghi cùng lúc: vui lòng gửi lại.") from exc
        raise Conflict(f"Số {doc.number} của nhiệm kỳ {doc.term} đã có trong sổ.", field="number") from exc
    return doc


def _in_term(day, term: str) -> bool:
    first, last = (int(year) for year in term.split("-"))
    return first <= day.year <= last


def our_number(value: str, code: str, *, field: str = "number") -> int:
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


def format_our_number(seq: int | None, code: str) -> str | None:
    """ "05-NQ/ĐU": our number, written as the counter writes it."""
    return format_number(seq, code, current_app.config["NUMBER_SYMBOL"]) if seq else None


def claim_number(doc: Document) -> None:
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
    """The next arrival number of the year it arrived in its register (a secret document in the
    secret one's own series): 1, 2, 3 …, one writer at a time (the counter row is locked in the
    registering transaction, like document numbers)."""
    year, secret = doc.received_date.year, doc.is_secret
    counter = locked_counter(ArrivalCounter, year=year, secret=secret)
    counter.last_value += 1
    doc.arrival_year, doc.arrival_secret, doc.arrival_number = year, secret, counter.last_value
