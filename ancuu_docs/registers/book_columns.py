"""The books' working columns of a registered or issued document, written after the fact: where
an issued document of ours went (outgoing book), who handles a received one and when it was
answered (incoming book). The document itself stays as issued."""

from __future__ import annotations

from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..documents.models import Document
from ..documents.services import get_document, lock_document
from ..documents.types import Origin, Status
from ..errors import Conflict, Forbidden, InvalidInput
from .commands import Dispatch, Handling


def record_dispatch(actor: User, document_id: int, columns: Dispatch) -> Document:
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
    if columns.sent_date is not None and doc.issue_date is not None and columns.sent_date < doc.issue_date:
        raise InvalidInput("Ngày gửi không được trước ngày ban hành.", field="sent_date")
    changes = {
        "recipients": columns.recipients or None,
        "archive_holder": columns.archive_holder or None,
        "copies": columns.copies,
        "sent_date": columns.sent_date,
        "register_note": columns.note or None,
    }
    return _write_columns(actor, document_id, changes, "document.dispatch")


def record_handling(actor: User, document_id: int, columns: Handling) -> Document:
    """The incoming register's working columns: who handles it, the reply's deadline, the day
    the reply went (then it is no longer overdue)."""
    doc = get_document(actor, document_id)
    if not can(actor, Action.CREATE_CONFIDENTIAL):
        raise Forbidden("Chỉ Văn phòng Đảng ủy ghi sổ văn bản đến.")
    if doc.origin != Origin.INCOMING:
        raise Conflict("Chỉ văn bản đến có người xử lý và hạn trả lời.")
    replied = columns.replied_date
    if replied is not None and doc.received_date and replied < doc.received_date:
        raise InvalidInput("Ngày trả lời không được trước ngày đến.", field="replied_date")
    changes = {
        "handler": columns.handler or None,
        "reply_due": columns.reply_due,
        "replied_date": replied,
        "register_note": columns.note or None,
    }
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
