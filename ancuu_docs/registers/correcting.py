"""Correcting and cancelling a registered entry. An entry is corrected, never deleted: each
change is audited old → new, its arrival number stays; a wrong entry is cancelled with a reason
and stays in its book, marked, its number never given again."""

from __future__ import annotations

from datetime import date
from enum import Enum

from ..audit.services import record
from ..auth.models import User
from ..database import unit_of_work
from ..documents.commands import SECRET_SUMMARY
from ..documents.models import Document
from ..documents.services import get_document, lock_document
from ..documents.types import Origin, SecurityLevel
from ..errors import Conflict
from ..extensions import db
from ..parsing import Checks
from ..signals import document_updated
from ..timeutil import utcnow
from . import issuers
from .commands import CORRECTABLE, Cancellation, EntryCorrection
from .registering import check_may_register, claim_number, format_our_number, our_number

# Columns only a document that came in has.
INCOMING_ONLY = {
    "issuer": "cơ quan ban hành",
    "received_date": "ngày đến",
    "handler": "đơn vị hoặc người nhận",
    "reply_due": "hạn giải quyết",
}


def correct_entry(actor: User, document_id: int, correction: EntryCorrection) -> Document:
    """Correct the columns `correction` names, each change audited old → new."""
    doc = get_document(actor, document_id)
    check_may_register(actor)
    check_correctable(doc)
    changes = correction.changes()
    after = {key: getattr(doc, key) for key in _COLUMNS} | changes
    _check_secrecy(doc, after)
    _check_entry(doc, after, changes, confirmed=correction.new_issuer)
    if doc.origin == Origin.INTERNAL and {"number", "doc_type"} & changes.keys():
        seq = our_number(after["number"], after["doc_type"])  # ours: the number as we write it
        changes["number"] = format_our_number(seq, after["doc_type"])
    with unit_of_work():
        locked = lock_document(document_id)
        check_correctable(locked)
        changed = {k: v for k, v in changes.items() if getattr(locked, k) != v}
        if not changed:
            return locked
        described = {k: {"from": _shown(getattr(locked, k)), "to": _shown(v)} for k, v in changed.items()}
        with db.session.no_autoflush:  # the number is checked free before the row claims it
            for key, value in changed.items():
                setattr(locked, key, value)
            if doc.origin == Origin.INTERNAL and {"number", "doc_type"} & changed.keys():
                locked.number_seq = seq
                claim_number(locked)
        locked.updated_at = utcnow()
        record(actor, "document.correct", locked, changes=described, arrival=locked.arrival_number)
        document_updated.send(locked, actor=actor, changes=described)
    return locked


# The document's columns a correction may change (the command's `note` is `register_note`).
_COLUMNS = tuple("register_note" if name == "note" else name for name in CORRECTABLE)


def check_correctable(doc: Document) -> None:
    if not doc.registered:
        raise Conflict(
            "Chỉ sửa được mục đã đăng ký vào sổ. Văn bản Đảng ủy ban hành trên hệ thống giữ như đã "
            "ban hành; sửa nơi nhận, ngày gửi ở phần sổ văn bản đi."
        )
    if doc.cancelled_at is not None:
        raise Conflict("Mục sổ này đã hủy: không sửa nữa.")


def _check_secrecy(doc: Document, after: dict) -> None:
    """Secret content is never stored here; and an arrival number belongs to one book."""
    secret = after["security_level"] != SecurityLevel.NONE
    if secret and not doc.is_secret and doc.versions:
        raise Conflict(
            "Mục này đã lưu tệp nội dung, mà văn bản mật chỉ được đăng ký bằng thông tin, không lưu "
            "nội dung. Hãy hủy mục này (ghi lý do) rồi đăng ký lại văn bản vào sổ văn bản mật, "
            "không kèm tệp.",
            field="security_level",
        )
    if doc.incoming and secret != doc.arrival_secret:
        here, there = (
            ("sổ văn bản mật đến", "sổ văn bản đến")
            if doc.arrival_secret
            else (
                "sổ văn bản đến",
                "sổ văn bản mật đến",
            )
        )
        raise Conflict(
            f"Số đến {doc.arrival_number}/{doc.arrival_year} thuộc {here}, và số đến không đổi. "
            f"Hãy hủy mục này (ghi lý do) rồi đăng ký lại văn bản vào {there}.",
            field="security_level",
        )


def _check_entry(doc: Document, after: dict, changes: dict, *, confirmed: bool) -> None:
    """The entry as it would stand: every rule of registering still holds."""
    check = Checks()
    retyped = doc.incoming and changes.get("issuer") and changes["issuer"] != doc.issuer
    if retyped and (asked := issuers.question(changes["issuer"], confirmed=confirmed)):
        check.add("issuer", asked)
    if not after["title"] and after["security_level"] != SecurityLevel.TUYET_MAT:
        check.add("title", "Cần nhập trích yếu.")
    if after["summary"] and after["security_level"] != SecurityLevel.NONE:
        check.add("summary", SECRET_SUMMARY)
    if doc.incoming:
        if not after["issuer"]:
            check.add("issuer", "Cần nhập cơ quan ban hành.")
        received: date | None = after["received_date"]
        if received is None:
            check.add("received_date", "Cần nhập ngày đến.")
        elif received.year != doc.arrival_year:
            check.add(
                "received_date",
                f"Số đến {doc.arrival_number} thuộc sổ năm {doc.arrival_year}: ngày đến phải trong năm "
                f"{doc.arrival_year}. Nếu văn bản đến năm khác, hãy hủy mục này và đăng ký lại.",
            )
        elif after["issue_date"] and received < after["issue_date"]:
            check.add("received_date", "Ngày đến không được trước ngày văn bản.")
    else:
        for name, label in INCOMING_ONLY.items():
            if changes.get(name):
                check.add(name, f"Văn bản của Đảng ủy không có {label} (chỉ văn bản đến có).")
        if {"number", "doc_type"} & changes.keys():
            check(our_number, after["number"], after["doc_type"])
        first, last = (int(year) for year in doc.term.split("-"))
        if "issue_date" in changes and not first <= after["issue_date"].year <= last:
            check.add("issue_date", f"Ngày ban hành không thuộc nhiệm kỳ {doc.term}.")
    check.done()


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Enum):
        return str(value.value)
    return "" if value is None else str(value)


def cancel_entry(actor: User, document_id: int, cancellation: Cancellation) -> Document:
    """Cancel a wrong entry: it stays in its book marked "Đã hủy" with the reason; its number
    (arrival number, or our printed number) is never given again."""
    doc = get_document(actor, document_id)
    check_may_register(actor)
    check_correctable(doc)
    with unit_of_work():
        locked = lock_document(document_id)
        check_correctable(locked)
        locked.cancelled_at = utcnow()
        locked.cancel_reason = cancellation.reason
        locked.updated_at = locked.cancelled_at
        record(actor, "document.cancel", locked, reason=cancellation.reason, arrival=locked.arrival_number)
        described = {"cancelled": {"from": False, "to": True}}
        document_updated.send(locked, actor=actor, changes=described)
    return locked
