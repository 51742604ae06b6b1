"""The books' working columns of a registered or issued document, written after the fact: where
an issued document of ours went (outgoing book), who handles a received one and when it was
answered (incoming book). The document itself stays as issued."""

from __future__ import annotations

from .. import parsing
from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..documents.models import Document
from ..documents.services import get_document, lock_document
from ..documents.types import Origin, Status
from ..errors import Conflict, Forbidden
from ..timeutil import local_today


def record_dispatch(
    actor: User,
    document_id: int,
    *,
    recipients: object = None,
    copies: object = None,
    sent_date: object = None,
) -> Document:
    """The outgoing register's columns of an issued document of ours: where it went, how many
    copies, when. Recorded after issuing (the document itself stays as issued)."""
    doc = get_document(actor, document_id)
    if not can(actor, Action.CREATE_CONFIDENTIAL):
        raise Forbidden("Chỉ Văn phòng Đảng ủy ghi sổ văn bản đi.")
    if (
        doc.origin != Origin.INTERNAL
        or doc.number is None
        or doc.status not in (Status.APPROVED, Status.SUPERSEDED)
    ):
        raise Conflict("Chỉ văn bản của Đảng ủy đã ban hành mới vào sổ văn bản đi.")
    check = parsing.Checks()
    changes = {
        "recipients": check(parsing.text, recipients, field="recipients", label="nơi nhận", limit=5000)
        or None,
        "copies": check(
            parsing.integer, copies, field="copies", label="số bản", low=1, high=10_000, required=False
        ),
        "sent_date": check(parsing.day, sent_date, field="sent_date", label="ngày gửi", required=False),
    }
    sent = changes["sent_date"]
    if sent is not None and sent > local_today():
        check.add("sent_date", "Ngày gửi không được sau hôm nay.")
    if sent is not None and doc.issue_date is not None and sent < doc.issue_date:
        check.add("sent_date", "Ngày gửi không được trước ngày ban hành.")
    check.done()
    return _write_columns(actor, document_id, changes, "document.dispatch")


def record_handling(
    actor: User,
    document_id: int,
    *,
    handler: object = None,
    reply_due: object = None,
    replied_date: object = None,
) -> Document:
    """The incoming register's working columns: who handles it, the reply's deadline, the day
    the reply went (then it is no longer overdue)."""
    doc = get_document(actor, document_id)
    if not can(actor, Action.CREATE_CONFIDENTIAL):
        raise Forbidden("Chỉ Văn phòng Đảng ủy ghi sổ văn bản đến.")
    if doc.origin != Origin.INCOMING:
        raise Conflict("Chỉ văn bản đến có người xử lý và hạn trả lời.")
    check = parsing.Checks()
    changes = {
        "handler": check(parsing.text, handler, field="handler", label="người xử lý", limit=200) or None,
        "reply_due": check(parsing.day, reply_due, field="reply_due", label="hạn trả lời", required=False),
        "replied_date": check(
            parsing.day, replied_date, field="replied_date", label="ngày trả lời", required=False
        ),
    }
    replied = changes["replied_date"]
    if replied is not None and replied > local_today():
        check.add("replied_date", "Ngày trả lời không được sau hôm nay.")
    if replied is not None and doc.received_date and replied < doc.received_date:
        check.add("replied_date", "Ngày trả lời không được trước ngày đến.")
    check.done()
    return _write_columns(actor, document_id, changes, "document.handling")


def _write_columns(actor: User, document_id: int, changes: dict, action: str) -> Document:
    with unit_of_work():
        locked = lock_document(document_id)
        before = {key: getattr(locked, key) for key in changes}
        changed = {k: v for k, v in changes.items() if before[k] != v}
        for key, value in changed.items():
            setattr(locked, key, value)
        if changed:
            described = {k: {"from": str(before[k] or ""), "to": str(v or "")} for k, v in changed.items()}
            record(actor, action, locked, changes=described)
    return locked
