"""The lifecycle: draft → in review → approved (numbered, dated), and supersession.

Approval renders the issued file before its transaction, never inside it: rendering a large
DOCX takes seconds, and a transaction holds the write lock (all of SQLite's) for its whole
length. The file is made with the number the approval would give at that moment
(`IssuePlan`); the transaction then numbers the document only if that is still the number
and the document is still as it was, else it starts again with the next one, so the number
in the file is always the number given and the lock is held for milliseconds.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from ... import storage
from ...audit.services import record
from ...auth.models import User
from ...auth.policy import Action, can
from ...database import after_commit, locked_counter, on_rollback, unit_of_work
from ...errors import Conflict, DomainError, Forbidden, InvalidInput
from ...extensions import db
from ...extract import check_package
from ...signals import document_approved, document_moved
from ...timeutil import local_today, utcnow
from ...wiring import wired
from ..commands import Move
from ..issuing import ISSUED_COMMENT, fill_party_docx, is_docx
from ..models import Document, DocumentRelation, NumberCounter
from ..policy import may_move
from ..types import TRANSITIONS, Relation, Status, format_number
from .reading import get_document
from .versions import Upload, append_version, check_upload, lock_document, upload_limits

_COUNTERS = "ancuu_number_counters"


def allowed_transitions(actor: User, doc: Document) -> list[Status]:
    if not can(actor, Action.TRANSITION, doc):
        return []
    steps = [target for target in TRANSITIONS[Status(doc.status)] if may_move(actor, doc, target)]
    return sorted(steps, key=list(Status).index)


def check_can_transition(actor: User, doc: Document) -> None:
    if not can(actor, Action.TRANSITION, doc):
        raise Forbidden("Bạn không có quyền chuyển trạng thái văn bản.")


def transition(actor: User, document_id: int, step: Move) -> Document:
    """Move a document along its lifecycle; approval numbers it, dates it (today, or the
    `issue_date` given) and names its signer (see `default_signer`)."""
    doc = get_document(actor, document_id)
    check_can_transition(actor, doc)
    target = step.to
    if not may_move(actor, doc, target):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được phê duyệt, rút hoặc trả lại văn bản này.")
    if target != Status.APPROVED:
        with unit_of_work():
            locked = lock_document(document_id)
            move(actor, locked, target)
        return locked
    _check_in_term(step.issue_date, doc.term)
    _check_step(doc, target)  # before the file is rendered for nothing

    def work(plan: IssuePlan) -> Document:
        locked = lock_document(document_id)
        move(actor, locked, target, plan=plan)
        return locked

    return issuing(document_id, issued=step.issue_date, signer=step.signer or None, work=work)


# ---------------------------------------------------------------- issuing


@dataclass(frozen=True)
class IssuePlan:
    """What approving a document gives, made before its transaction: the number it would get,
    the date, the signer, the recipients, and the issued file made with them (or why the file
    keeps its bytes)."""

    version_n: int | None  # the version the file was made from
    number_seq: int
    number: str
    issue_date: date
    signer: str | None
    recipients: str | None
    file: Upload | None
    note: str = ""


class StaleIssue(Exception):
    """Since the plan was made, another approval took its number or the document changed."""


# Approvals of one type at the same moment: each round, one of them takes the number it
# rendered and the others render again with the next one.
ISSUE_ATTEMPTS = 10
T = TypeVar("T")


def issuing(
    document_id: int, *, issued: date | None, signer: str | None, work: Callable[[IssuePlan], T]
) -> T:
    """`work(plan)` in one unit of work, the document's issued file rendered before it (see the
    module's docstring); again with a new plan when the plan went stale meanwhile."""
    for _attempt in range(ISSUE_ATTEMPTS):
        plan = plan_issue(db.session.get(Document, document_id), issued=issued, signer=signer)
        try:
            with unit_of_work():
                return work(plan)
        except StaleIssue:
            db.session.expire_all()
            time.sleep(random.uniform(0, 0.05))  # approvals that met once do not meet again
    raise Conflict(
        "Trong lúc dựng bản ban hành, số vừa được cấp cho văn bản khác hoặc văn bản vừa thay đổi. "
        "Hãy thử phê duyệt lại."
    )


def plan_issue(doc: Document, *, issued: date | None = None, signer: str | None = None) -> IssuePlan:
    """Outside any transaction: the number approving `doc` gives now and its issued file."""
    counter = db.session.get(NumberCounter, (doc.term, doc.doc_type), populate_existing=True)
    seq = (counter.last_value if counter else 0) + 1
    number = format_number(seq, doc.doc_type, current_app.config["NUMBER_SYMBOL"])
    issue_date = issued or doc.issue_date or local_today()
    signed = signer or default_signer(doc)
    version = doc.current_version
    file, note = _issued_file(doc, number=number, issue_date=issue_date, signer=signed)
    plan = IssuePlan(
        version_n=version.n if version else None,
        number_seq=seq,
        number=number,
        issue_date=issue_date,
        signer=signed,
        recipients=doc.recipients or _draft_detail(doc, "recipients"),
        file=file,
        note=note,
    )
    db.session.rollback()  # no snapshot held while the unit of work waits for the lock
    return plan


def _check_step(doc: Document, target: Status) -> None:
    source = Status(doc.status)
    if target not in TRANSITIONS[source]:
        raise Conflict(f"Không thể chuyển văn bản từ «{source.label}» sang «{target.label}».")


def move(
    actor: User,
    doc: Document,
    target: Status,
    *,
    plan: IssuePlan | None = None,
    issued: date | None = None,
    signer: str | None = None,
    keep_file: bool = False,
) -> None:
    """One lifecycle step of a locked document, inside the caller's unit of work.

    Approval numbers and dates the document as its `plan` says, adds the plan's issued file
    and marks the documents it replaces superseded, in the same transaction (StaleIssue when
    the plan no longer holds); receivers of `document_approved` (the meeting whose minutes it
    is) act in it too. An archive's file (`keep_file`) is numbered as it is, with its own
    signer (or `signer`) and date (or `issued`): no file is made for it.
    """
    source = Status(doc.status)
    _check_step(doc, target)
    doc.status = target
    doc.updated_at = utcnow()
    details: dict[str, object] = {"from": source.value, "to": target.value}
    if target == Status.APPROVED:
        doc.issued_at = doc.updated_at
        if keep_file:
            _issue_number(doc, issued)
            doc.signer = signer or doc.signer
        elif plan is None:
            raise RuntimeError("an approval's issued file is rendered before its transaction (issuing())")
        else:
            _issue_as_planned(actor, doc, plan)
        details["number"] = doc.number
        if doc.issue_note:
            details["issue_note"] = doc.issue_note
    record(actor, "document.transition", doc, version_n=doc.current_version.n, **details)
    document_moved.send(doc, actor=actor, source=source, target=target)
    if target == Status.APPROVED:
        _supersede_replaced(actor, doc)
        document_approved.send(doc, actor=actor, number=doc.number, issued=doc.issue_date)


def approve(actor: User, doc: Document, plan: IssuePlan) -> None:
    """Approve a locked draft or document in review inside the caller's unit of work, as
    `plan` (made by issuing()) says; a draft passes through review first, both steps audited."""
    if doc.status == Status.DRAFT:
        move(actor, doc, Status.IN_REVIEW)
    move(actor, doc, Status.APPROVED, plan=plan)


def _draft_detail(doc: Document, key: str) -> str | None:
    answer = wired().draft_details
    details = answer(doc) if answer is not None else None
    return (details.get(key) or None) if details else None


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


def _check_in_term(issued: date | None, term: str) -> None:
    if issued is not None and issued < term_start(term):
        raise InvalidInput(
            f"Ngày ban hành không được trước nhiệm kỳ {term} (từ {term_start(term):%d/%m/%Y}).",
            field="issue_date",
        )


def _issued_file(
    doc: Document, *, number: str, issue_date: date, signer: str | None
) -> tuple[Upload | None, str]:
    """The issued version of a DOCX (checked and its text read): rendered again by the feature
    that generated it, or filled in here; None and why, when the file keeps its bytes.
    Bounded as uploads are; Conflict (approval refused, no number spent) when it cannot be
    made."""
    version = doc.current_version
    if version is None or not is_docx(version.media_type):
        return None, ""  # a PDF (perhaps signed) or another file keeps its bytes
    unreadable = (
        f"Không tạo được bản ban hành từ tệp DOCX của phiên bản {version.n} (tệp hỏng hoặc "
        "không đọc được): chưa phê duyệt, chưa cấp số. Hãy tải lên tệp DOCX mở được rồi thử lại."
    )
    data = storage.read(version.sha256)
    try:
        check_package(data, upload_limits())
    except DomainError as err:
        raise Conflict(f"{unreadable} {err.message}") from err
    try:
        renderer = wired().issued_file
        issued = renderer and renderer(doc, version=version, number=number, issued=issue_date, signer=signer)
        if issued is None:
            issued = fill_party_docx(data, number=number, issued=issue_date, filename=version.filename)
    except DomainError:
        raise
    except Exception as exc:
        raise Conflict(unreadable) from exc
    if issued.data is None:
        return None, issued.note
    upload = Upload(issued.data, issued.filename)
    return Upload(issued.data, issued.filename, extracted=check_upload(upload)), ""


def _issue_as_planned(actor: User, doc: Document, plan: IssuePlan) -> None:
    current = doc.current_version.n if doc.current_version else None
    if current != plan.version_n:
        raise StaleIssue("a new version since the plan")
    counter = _locked_counter(doc.term, doc.doc_type)
    if counter.last_value + 1 != plan.number_seq:
        raise StaleIssue("the number was given meanwhile")
    counter.last_value = plan.number_seq
    doc.number_seq, doc.number, doc.issue_date = plan.number_seq, plan.number, plan.issue_date
    doc.signer, doc.recipients = plan.signer, plan.recipients
    if plan.file is None:
        doc.issue_note = plan.note or doc.issue_note
        return
    append_version(actor, doc, plan.file, comment=ISSUED_COMMENT)


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
