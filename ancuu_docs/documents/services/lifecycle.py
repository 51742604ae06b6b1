"""The lifecycle: draft → in review → approved (numbered, dated), and supersession."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from ... import parsing
from ...audit.services import record
from ...auth.models import User
from ...auth.policy import Action, can
from ...database import after_commit, on_rollback, unit_of_work
from ...errors import Conflict, Forbidden, InvalidInput
from ...extensions import db
from ...signals import document_approved, document_moved
from ...timeutil import local_today, utcnow
from ..models import Document, DocumentRelation, NumberCounter
from ..policy import may_move
from ..types import TRANSITIONS, Relation, Status, format_number
from .reading import get_document
from .versions import lock_document

_COUNTERS = "ancuu_number_counters"


def allowed_transitions(actor: User, doc: Document) -> list[Status]:
    if not can(actor, Action.TRANSITION, doc):
        return []
    steps = [target for target in TRANSITIONS[Status(doc.status)] if may_move(actor, doc, target)]
    return sorted(steps, key=list(Status).index)


def transition(actor: User, document_id: int, to: str | None, *, issue_date: object = None) -> Document:
    """Move a document along its lifecycle; approval numbers it and dates it (today, or the
    `issue_date` given when registering a document signed earlier)."""
    doc = get_document(actor, document_id)
    if not can(actor, Action.TRANSITION, doc):
        raise Forbidden("Bạn không có quyền chuyển trạng thái tài liệu.")
    target = Status(parsing.choice(to, [s.value for s in Status], field="to", label="trạng thái đích"))
    if not may_move(actor, doc, target):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được phê duyệt, rút hoặc trả lại tài liệu này.")
    issued = _issue_date(issue_date) if target == Status.APPROVED else None

    with unit_of_work():
        locked = lock_document(document_id)
        move(actor, locked, target, issued=issued)
    return locked


def move(actor: User, doc: Document, target: Status, *, issued: date | None = None) -> None:
    """One lifecycle step of a locked document, inside the caller's unit of work.

    Approval numbers and dates the document and marks the documents it replaces superseded,
    in the same transaction; receivers of `document_approved` (the meeting whose minutes it
    is) act in it too.
    """
    source = Status(doc.status)
    if target not in TRANSITIONS[source]:
        raise Conflict(f"Không thể chuyển tài liệu từ «{source.label}» sang «{target.label}».")
    doc.status = target
    doc.updated_at = utcnow()
    details: dict[str, object] = {"from": source.value, "to": target.value}
    if target == Status.APPROVED:
        _issue_number(doc, issued)
        details["number"] = doc.number
    record(actor, "document.transition", doc, version_n=doc.current_version.n, **details)
    document_moved.send(doc, actor=actor, source=source, target=target)
    if target == Status.APPROVED:
        _supersede_replaced(actor, doc)
        document_approved.send(doc, actor=actor, number=doc.number, issued=doc.issue_date)


def approve(actor: User, doc: Document, *, issued: date | None = None) -> None:
    """Approve a locked draft or document in review inside the caller's unit of work (a draft
    passes through review first, and both steps are audited)."""
    if doc.status == Status.DRAFT:
        move(actor, doc, Status.IN_REVIEW)
    move(actor, doc, Status.APPROVED, issued=issued)


def _issue_date(value: object) -> date | None:
    issued = parsing.day(value, field="issue_date", label="ngày ban hành", required=False)
    if issued is not None and issued > local_today():
        raise InvalidInput("Ngày ban hành không được sau hôm nay.", field="issue_date")
    return issued


def _locked_counter(term: str, doc_type: str) -> NumberCounter:
    """The counter row, read and locked once per transaction (a bulk import numbers many
    documents in one); held here because the session only keeps clean rows weakly."""
    held = db.session.info.setdefault(_COUNTERS, {})
    if not held:
        after_commit(held.clear)
        on_rollback(held.clear)
    counter = held.get((term, doc_type))
    if counter is None:
        counter = db.session.get(NumberCounter, (term, doc_type), with_for_update=True)
        if counter is None:
            counter = NumberCounter(term=term, doc_type=doc_type, last_value=0)
            db.session.add(counter)
        held[(term, doc_type)] = counter
    return counter


def _issue_number(doc: Document, issued: date | None) -> None:
    """Give the next number of the term and type, in the approving transaction.

    The counter row is locked (BEGIN IMMEDIATE on SQLite, FOR UPDATE elsewhere) so two
    approvals queue; it only ever grows, so a number is never given twice.
    """
    counter = _locked_counter(doc.term, doc.doc_type)
    counter.last_value += 1
    doc.number_seq = counter.last_value
    doc.number = format_number(counter.last_value, doc.doc_type, current_app.config["NUMBER_SYMBOL"])
    doc.issue_date = issued or doc.issue_date or local_today()


def _supersede_replaced(actor: User, doc: Document) -> None:
    """Approving a document that replaces another marks the other superseded."""
    # Relations are flushed when added, so the rows waiting to be written need not be.
    with db.session.no_autoflush:
        replaced = db.session.scalars(
            select(Document)
            .join(DocumentRelation, DocumentRelation.target_id == Document.id)
            .where(DocumentRelation.source_id == doc.id, DocumentRelation.relation == Relation.REPLACES)
        ).all()
    for old in replaced:
        if old.status == Status.APPROVED:
            old.status = Status.SUPERSEDED
            old.updated_at = utcnow()
            details = {
                "from": Status.APPROVED.value,
                "to": Status.SUPERSEDED.value,
                "replaced_by": doc.number,
            }
            record(actor, "document.transition", old, version_n=old.current_version.n, **details)
            document_moved.send(old, actor=actor, source=Status.APPROVED, target=Status.SUPERSEDED)
