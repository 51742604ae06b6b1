"""The lifecycle: draft → in review → approved (numbered, dated), and supersession."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from ... import parsing, storage
from ...audit.services import record
from ...auth.models import User
from ...auth.policy import Action, can
from ...database import after_commit, locked_counter, on_rollback, unit_of_work
from ...errors import Conflict, DomainError, Forbidden, InvalidInput
from ...extensions import db
from ...signals import document_approved, document_moved, draft_details, render_issued_file, values_from
from ...timeutil import local_today, utcnow
from ..issuing import ISSUED_COMMENT, fill_party_docx, is_docx
from ..models import Document, DocumentRelation, NumberCounter
from ..policy import may_move
from ..types import TRANSITIONS, Relation, Status, format_number
from .reading import get_document
from .versions import SIGNER_MAX, Upload, append_version, lock_document

_COUNTERS = "ancuu_number_counters"


def allowed_transitions(actor: User, doc: Document) -> list[Status]:
    if not can(actor, Action.TRANSITION, doc):
        return []
    steps = [target for target in TRANSITIONS[Status(doc.status)] if may_move(actor, doc, target)]
    return sorted(steps, key=list(Status).index)


def transition(
    actor: User, document_id: int, to: str | None, *, issue_date: object = None, signer: object = None
) -> Document:
    """Move a document along its lifecycle; approval numbers it, dates it (today, or the
    `issue_date` given) and names its signer (see `default_signer`)."""
    doc = get_document(actor, document_id)
    if not can(actor, Action.TRANSITION, doc):
        raise Forbidden("Bạn không có quyền chuyển trạng thái văn bản.")
    target = Status(parsing.choice(to, [s.value for s in Status], field="to", label="trạng thái đích"))
    if not may_move(actor, doc, target):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được phê duyệt, rút hoặc trả lại văn bản này.")
    issued, signed_by = None, None
    if target == Status.APPROVED:
        check = parsing.Checks()
        issued = check(_issue_date, issue_date, doc.term)
        signed_by = check(parsing.text, signer, field="signer", label="người ký", limit=SIGNER_MAX)
        check.done()

    with unit_of_work():
        locked = lock_document(document_id)
        move(actor, locked, target, issued=issued, signer=signed_by)
    return locked


def move(
    actor: User,
    doc: Document,
    target: Status,
    *,
    issued: date | None = None,
    signer: str | None = None,
    keep_file: bool = False,
) -> None:
    """One lifecycle step of a locked document, inside the caller's unit of work.

    Approval numbers and dates the document, adds its issued file and marks the documents it
    replaces superseded, in the same transaction (a file that cannot be issued refuses the
    approval, and the number goes back unused); receivers of `document_approved` (the meeting whose minutes it
    is) act in it too.
    """
    source = Status(doc.status)
    if target not in TRANSITIONS[source]:
        raise Conflict(f"Không thể chuyển văn bản từ «{source.label}» sang «{target.label}».")
    doc.status = target
    doc.updated_at = utcnow()
    details: dict[str, object] = {"from": source.value, "to": target.value}
    if target == Status.APPROVED:
        doc.issued_at = doc.updated_at
        _issue_number(doc, issued)
        if not keep_file:  # an archive's file keeps its own signer; nobody is put in its place
            doc.signer = signer or default_signer(doc)
            doc.recipients = doc.recipients or _draft_detail(doc, "recipients")
            _issue_file(actor, doc)
        elif signer:
            doc.signer = signer
        details["number"] = doc.number
        if doc.issue_note:
            details["issue_note"] = doc.issue_note
    record(actor, "document.transition", doc, version_n=doc.current_version.n, **details)
    document_moved.send(doc, actor=actor, source=source, target=target)
    if target == Status.APPROVED:
        _supersede_replaced(actor, doc)
        document_approved.send(doc, actor=actor, number=doc.number, issued=doc.issue_date)


def approve(actor: User, doc: Document, *, issued: date | None = None, signer: str | None = None) -> None:
    """Approve a locked draft or document in review inside the caller's unit of work (a draft
    passes through review first, and both steps are audited)."""
    if doc.status == Status.DRAFT:
        move(actor, doc, Status.IN_REVIEW)
    move(actor, doc, Status.APPROVED, issued=issued, signer=signer)


def _draft_detail(doc: Document, key: str) -> str | None:
    details = values_from(draft_details, doc)
    return (details[0].get(key) or None) if details else None


def default_signer(doc: Document) -> str | None:
    """Who signs when the approval names no one: the document's recorded signer, else the one
    its draft names, else the configured secretary."""
    return doc.signer or _draft_detail(doc, "signer") or current_app.config["SECRETARY_NAME"] or None


def term_start(term: str) -> date:
    """The first day a document of a term can bear: 1 January of the term's first year."""
    return date(int(term[:4]), 1, 1)


def next_number(doc: Document) -> str:
    """The number approving this document would give now (shown before confirming)."""
    counter = db.session.get(NumberCounter, (doc.term, doc.doc_type))
    last = counter.last_value if counter else 0
    return format_number(last + 1, doc.doc_type, current_app.config["NUMBER_SYMBOL"])


def _issue_date(value: object, term: str) -> date | None:
    issued = parsing.day(value, field="issue_date", label="ngày ban hành", required=False)
    if issued is not None and issued > local_today():
        raise InvalidInput("Ngày ban hành không được sau hôm nay.", field="issue_date")
    if issued is not None and issued < term_start(term):
        raise InvalidInput(
            f"Ngày ban hành không được trước nhiệm kỳ {term} (từ {term_start(term):%d/%m/%Y}).",
            field="issue_date",
        )
    return issued


def _issue_file(actor: User, doc: Document) -> None:
    """The issued version of a DOCX: rendered again by the feature that generated it, or
    filled in here; refused approval (with the reason) when it cannot be made."""
    version = doc.current_version
    if not is_docx(version.media_type):
        return  # a PDF (perhaps signed) or another file keeps its bytes
    try:
        answers = values_from(render_issued_file, doc, version=version)
        issued = (
            answers[0]
            if answers
            else fill_party_docx(
                storage.read(version.sha256),
                number=doc.number,
                issued=doc.issue_date,
                filename=version.filename,
            )
        )
    except DomainError:
        raise
    except Exception as exc:
        raise Conflict(
            f"Không tạo được bản ban hành từ tệp DOCX của phiên bản {version.n} (tệp hỏng hoặc "
            "không đọc được): chưa phê duyệt, chưa cấp số. Hãy tải lên tệp DOCX mở được rồi thử lại."
        ) from exc
    if issued.data is None:
        doc.issue_note = issued.note
        return
    append_version(actor, doc, Upload(issued.data, issued.filename), comment=ISSUED_COMMENT)


def _locked_counter(term: str, doc_type: str) -> NumberCounter:
    """The counter row, read and locked once per transaction (a bulk import numbers many
    documents in one); held here because the session only keeps clean rows weakly."""
    held = db.session.info.setdefault(_COUNTERS, {})
    if not held:
        after_commit(held.clear)
        on_rollback(held.clear)
    counter = held.get((term, doc_type))
    if counter is None:
        counter = held[(term, doc_type)] = locked_counter(NumberCounter, term=term, doc_type=doc_type)
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
            record(actor, "document.transition", old, version_n=old.current_n or None, **details)
            document_moved.send(old, actor=actor, source=Status.APPROVED, target=Status.SUPERSEDED)
