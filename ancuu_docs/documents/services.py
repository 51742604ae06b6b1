"""What can be done to documents. Web views, the API, the CLI and the tests all call these.

Each service checks the policy, validates its input, and writes in one unit of work:
the rows, the audit event and (where a file comes in) the stored bytes, so a refused
request leaves nothing behind.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import storage
from ..auth.models import User
from ..auth.policy import Action, can, readable_documents
from ..database import after_commit, on_rollback, unit_of_work
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..extract import Extracted, Limits, inspect_upload
from ..pagination import Page, paginate
from ..search.indexing import enqueue_document
from ..timeutil import local_today, utcnow
from .audit import record
from .models import Document, DocumentRelation, DocumentVersion, NumberCounter
from .types import DOC_TYPES, EDITABLE, STATUS_LABELS, TRANSITIONS, Relation, Status, format_number

TITLE_MAX = 500
MINUTES_TYPE = "BB"
_COUNTERS = "ancuu_number_counters"
SUMMARY_MAX = 5000
COMMENT_MAX = 2000
SIGNER_MAX = 200


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its bytes and the name the user gave it."""

    data: bytes
    filename: str
    # Already checked and extracted (by the bulk importer's worker processes).
    extracted: Extracted | None = None

    @classmethod
    def from_file(cls, file) -> Upload | None:
        """From a request's file field (Werkzeug FileStorage); None when no file was chosen."""
        if file is None or not file.filename:
            return None
        return cls(data=file.read(), filename=file.filename)


# ---------------------------------------------------------------- reading


def get_document(actor: User, document_id: int) -> Document:
    """The document, if this user may read it; otherwise 404, as if it did not exist."""
    doc = db.session.get(Document, document_id)
    if doc is None or not can(actor, Action.READ, doc):
        raise NotFound("Không tìm thấy tài liệu.")
    return doc


def get_version(actor: User, document_id: int, n: int) -> DocumentVersion:
    version = get_document(actor, document_id).version(n)
    if version is None:
        raise NotFound(f"Tài liệu không có phiên bản {n}.")
    return version


def list_documents(
    actor: User,
    *,
    doc_type: str | None = None,
    status: str | None = None,
    term: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    query = select(Document).where(readable_documents(actor))
    if doc_type:
        if doc_type not in DOC_TYPES:
            raise InvalidInput(f"Loại tài liệu «{doc_type}» không có.", field="doc_type")
        query = query.where(Document.doc_type == doc_type)
    if status:
        if status not in STATUS_LABELS:
            raise InvalidInput(f"Trạng thái «{status}» không có.", field="status")
        query = query.where(Document.status == status)
    if term:
        query = query.where(Document.term == term)
    query = query.options(selectinload(Document.versions).selectinload(DocumentVersion.author)).order_by(
        Document.updated_at.desc(), Document.id.desc()
    )
    return paginate(query, page=page, per_page=per_page)


def brief(actor: User, doc: Document | None) -> dict | None:
    """A document in a few fields, for links from elsewhere; None if the user may not read it."""
    if doc is None or not can(actor, Action.READ, doc):
        return None
    return {
        "id": doc.id,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "status": doc.status,
        "number": doc.number,
        "current_version": doc.current_version.n,
    }


def editable_documents(actor: User, action: Action) -> list[Document]:
    """Drafts and documents in review on which the user may do `action`, newest first."""
    docs = db.session.scalars(
        select(Document)
        .where(Document.status.in_([s.value for s in EDITABLE]))
        .order_by(Document.updated_at.desc())
    )
    return [doc for doc in docs if can(actor, action, doc)]


def known_terms() -> list[str]:
    terms = set(db.session.scalars(select(Document.term).distinct()))
    terms.add(current_app.config["PARTY_TERM"])
    return sorted(terms, reverse=True)


# ---------------------------------------------------------------- input checks


def _clean_text(value: str | None, *, field: str, label: str, limit: int, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"Cần nhập {label}.", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{label.capitalize()} dài quá {limit} ký tự.", field=field)
    return text


def _check_doc_type(code: str | None) -> str:
    code = (code or "").strip()
    if code not in DOC_TYPES:
        raise InvalidInput(
            f"Loại tài liệu «{code}» không hợp lệ. Dùng một trong: {', '.join(DOC_TYPES)}.",
            field="doc_type",
        )
    return code


def parse_base_version(value: object) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            "Cần cho biết phiên bản gốc (base_version) là một số.", field="base_version"
        ) from None
    if number < 1:
        raise InvalidInput("Phiên bản gốc phải từ 1 trở lên.", field="base_version")
    return number


def upload_limits() -> Limits:
    cfg = current_app.config
    return Limits(
        max_bytes=cfg["MAX_UPLOAD_BYTES"],
        max_uncompressed=cfg["MAX_UNCOMPRESSED_BYTES"],
        max_members=cfg["MAX_ARCHIVE_MEMBERS"],
    )


def check_upload(upload: Upload | None) -> Extracted:
    if upload is None or not upload.filename:
        raise InvalidInput("Cần chọn tệp để tải lên.", field="file")
    return upload.extracted or inspect_upload(upload.data, upload.filename, upload_limits())


def safe_filename(name: str) -> str:
    """The name shown and offered on download: no folders, no control characters."""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "tai-lieu"
    return name[-255:]


# ---------------------------------------------------------------- writing


def _changed(actor: User, action: str, doc: Document, version_n: int | None = None, **details) -> None:
    """Every change to a document, in its transaction: the audit event and the index job."""
    record(actor, action, doc, version_n, **details)
    enqueue_document(doc.id)


def lock_document(document_id: int) -> Document:
    """Reload the document inside a unit of work, locked against concurrent writers."""
    doc = db.session.scalars(select(Document).where(Document.id == document_id).with_for_update()).one()
    db.session.refresh(doc)
    return doc


def _store_version(
    doc: Document,
    actor: User,
    *,
    upload: Upload,
    extracted: Extracted,
    comment: str,
    restored_from: int | None = None,
) -> DocumentVersion:
    current = doc.current_version
    digest = storage.sha256_of(upload.data)
    if current is not None and current.sha256 == digest:
        raise Conflict(
            f"Không có thay đổi: tệp giống hệt phiên bản hiện tại ({current.n}).",
            field="file",
            extra={"current_version": current.n},
        )
    version = DocumentVersion(
        document=doc,
        n=(current.n + 1) if current else 1,
        sha256=digest,
        filename=safe_filename(upload.filename),
        media_type=extracted.media_type,
        size=len(upload.data),
        text=extracted.text,
        author_id=actor.id,
        comment=comment,
        restored_from=restored_from,
    )
    db.session.add(version)
    doc.updated_at = utcnow()
    return version


def write_with_file(data: bytes, work):
    """Run `work` in a unit of work after storing the bytes. If the transaction rolls back,
    a file this call created is removed, so a refused change leaves neither row nor file.

    The file is stored inside the write lock, so a file this call created cannot be what
    another writer's row points to: removing it on rollback is safe.
    """
    with unit_of_work():
        digest, created = storage.put(data)
        if created:
            on_rollback(lambda: storage.discard(digest))
        return work()


def create_document(
    actor: User,
    *,
    upload: Upload | None,
    title: str | None,
    doc_type: str | None,
    summary: str | None = "",
    confidential: bool = False,
    comment: str | None = "",
) -> Document:
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền tạo tài liệu.")
    if confidential and not can(actor, Action.CREATE_CONFIDENTIAL):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được tạo tài liệu mật.", field="confidential")
    title = _clean_text(title, field="title", label="trích yếu", limit=TITLE_MAX, required=True)
    code = _check_doc_type(doc_type)
    summary = _clean_text(summary, field="summary", label="tóm tắt", limit=SUMMARY_MAX, required=False)
    comment = _clean_text(comment, field="comment", label="ghi chú", limit=COMMENT_MAX, required=False)
    extracted = check_upload(upload)

    def work() -> Document:
        doc = Document(
            doc_type=code,
            title=title,
            summary=summary,
            status=Status.DRAFT,
            term=current_app.config["PARTY_TERM"],
            confidential=bool(confidential),
            created_by_id=actor.id,
        )
        db.session.add(doc)
        version = _store_version(doc, actor, upload=upload, extracted=extracted, comment=comment)
        db.session.flush()
        _changed(actor, "document.create", doc, version.n, title=title, doc_type=code)
        return doc

    return write_with_file(upload.data, work)


def check_can_add_version(actor: User, doc: Document, base_version: int) -> None:
    if doc.status not in EDITABLE:
        raise Conflict(
            f"Tài liệu đang ở trạng thái «{doc.status_label}», không thể thêm phiên bản.",
            extra={"current_version": doc.current_version.n if doc.current_version else None},
        )
    if not can(actor, Action.ADD_VERSION, doc):
        raise Forbidden("Bạn không có quyền thêm phiên bản cho tài liệu này.")
    current = doc.current_version.n if doc.current_version else 0
    if base_version != current:
        raise Conflict(
            f"Phiên bản {base_version} bạn dựa vào đã cũ: tài liệu đã có phiên bản {current}. "
            "Hãy xem phiên bản mới nhất rồi tải lên lại.",
            field="file",
            extra={"current_version": current},
        )


def add_version(
    actor: User,
    document_id: int,
    *,
    upload: Upload | None,
    base_version: object,
    comment: str | None = "",
) -> Document:
    doc = get_document(actor, document_id)
    base = parse_base_version(base_version)
    check_can_add_version(actor, doc, base)
    comment = _clean_text(comment, field="comment", label="ghi chú", limit=COMMENT_MAX, required=False)
    extracted = check_upload(upload)

    def work() -> Document:
        locked = lock_document(document_id)
        check_can_add_version(actor, locked, base)  # again, now that no one else can write
        version = _store_version(locked, actor, upload=upload, extracted=extracted, comment=comment)
        db.session.flush()
        _changed(actor, "version.add", locked, version.n, filename=version.filename)
        return locked

    return write_with_file(upload.data, work)


def restore_version(actor: User, document_id: int, n: int, *, base_version: object) -> Document:
    """Copy an older version as the newest one; history stays as it was."""
    old = get_version(actor, document_id, n)
    base = parse_base_version(base_version)
    check_can_add_version(actor, old.document, base)
    upload = Upload(data=storage.read(old.sha256), filename=old.filename)
    extracted = Extracted(media_type=old.media_type, text=old.text)
    old_n, old_filename = old.n, old.filename

    with unit_of_work():
        locked = lock_document(document_id)
        check_can_add_version(actor, locked, base)
        version = _store_version(
            locked,
            actor,
            upload=upload,
            extracted=extracted,
            comment=f"Khôi phục từ phiên bản {old_n}",
            restored_from=old_n,
        )
        db.session.flush()
        _changed(actor, "version.restore", locked, version.n, restored_from=old_n, filename=old_filename)
    return locked


def update_metadata(
    actor: User,
    document_id: int,
    *,
    title: str | None = None,
    summary: str | None = None,
    signer: str | None = None,
    confidential: bool | None = None,
) -> Document:
    doc = get_document(actor, document_id)
    if doc.status not in EDITABLE:
        raise Conflict(f"Tài liệu đang ở trạng thái «{doc.status_label}», không thể sửa thông tin.")
    if not can(actor, Action.EDIT, doc):
        raise Forbidden("Bạn không có quyền sửa thông tin tài liệu.")
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = _clean_text(
            title, field="title", label="trích yếu", limit=TITLE_MAX, required=True
        )
    if summary is not None:
        changes["summary"] = _clean_text(
            summary, field="summary", label="tóm tắt", limit=SUMMARY_MAX, required=False
        )
    if signer is not None:
        changes["signer"] = (
            _clean_text(signer, field="signer", label="người ký", limit=SIGNER_MAX, required=False) or None
        )
    if confidential is not None:
        changes["confidential"] = bool(confidential)

    with unit_of_work():
        locked = lock_document(document_id)
        if locked.status not in EDITABLE:
            raise Conflict(f"Tài liệu đang ở trạng thái «{locked.status_label}», không thể sửa thông tin.")
        before = {key: getattr(locked, key) for key in changes}
        changed = {k: v for k, v in changes.items() if before[k] != v}
        if not changed:
            return locked
        for key, value in changed.items():
            setattr(locked, key, value)
        locked.updated_at = utcnow()
        _changed(
            actor,
            "document.update",
            locked,
            changes={k: {"from": before[k], "to": v} for k, v in changed.items()},
        )
    return locked


def allowed_transitions(actor: User, doc: Document) -> list[Status]:
    if not can(actor, Action.TRANSITION, doc):
        return []
    return sorted(TRANSITIONS[Status(doc.status)], key=list(Status).index)


def transition(actor: User, document_id: int, to: str | None, *, issue_date: object = None) -> Document:
    """Move a document along its lifecycle; approval numbers it and dates it (today, or the
    `issue_date` given when registering a document signed earlier)."""
    doc = get_document(actor, document_id)
    if not can(actor, Action.TRANSITION, doc):
        raise Forbidden("Bạn không có quyền chuyển trạng thái tài liệu.")
    try:
        target = Status(to)
    except ValueError:
        raise InvalidInput(
            f"Trạng thái đích «{to}» không hợp lệ. Dùng: {', '.join(s.value for s in Status)}.",
            field="to",
        ) from None
    issued = _parse_issue_date(issue_date) if target == Status.APPROVED else None

    with unit_of_work():
        locked = lock_document(document_id)
        move(actor, locked, target, issued=issued)
    return locked


def move(actor: User, doc: Document, target: Status, *, issued: date | None = None) -> None:
    """One lifecycle step of a locked document, inside the caller's unit of work.

    Approval numbers and dates the document, marks the documents it replaces superseded, and
    closes the meeting whose minutes it is: all in the same transaction.
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
    _changed(actor, "document.transition", doc, doc.current_version.n, **details)
    if target == Status.APPROVED:
        _supersede_replaced(actor, doc)
        if doc.doc_type == MINUTES_TYPE:
            # Meetings build on documents, so this one call goes the other way (imported here).
            from ..meetings.services import close_meeting_of_minutes

            close_meeting_of_minutes(actor, doc)


def approve(actor: User, doc: Document, *, issued: date | None = None) -> None:
    """Approve a locked draft or document in review inside the caller's unit of work (a draft
    passes through review first, and both steps are audited)."""
    if doc.status == Status.DRAFT:
        move(actor, doc, Status.IN_REVIEW)
    move(actor, doc, Status.APPROVED, issued=issued)


def _parse_issue_date(value: object) -> date | None:
    if value in (None, ""):
        return None
    try:
        issued = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("Ngày ban hành không hợp lệ (dạng YYYY-MM-DD).", field="issue_date") from None
    if issued > local_today():
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


# ---------------------------------------------------------------- comparing


def diff_versions(actor: User, document_id: int, from_n: object, to_n: object) -> dict:
    """Word-level comparison of the extracted text of two versions."""
    numbers = []
    for label, value in (("from", from_n), ("to", to_n)):
        try:
            numbers.append(int(str(value)))
        except (TypeError, ValueError):
            raise InvalidInput(f"Cần số phiên bản «{label}».", field=label) from None
    old = get_version(actor, document_id, numbers[0])
    new = get_version(actor, document_id, numbers[1])
    ops = diff_words(old.text, new.text)
    return {
        "document_id": document_id,
        "from": old.n,
        "to": new.n,
        "ops": ops,
        "inserted_words": sum(len(op["text"].split()) for op in ops if op["op"] == "insert"),
        "deleted_words": sum(len(op["text"].split()) for op in ops if op["op"] == "delete"),
    }


def diff_words(old: str, new: str) -> list[dict]:
    """Word-level opcodes; line breaks are tokens of their own so paragraphs stay apart."""
    a, b = _WORD_OR_BREAK.findall(old), _WORD_OR_BREAK.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops: list[dict] = []

    def emit(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        if ops and ops[-1]["op"] == op:
            ops[-1]["text"] = _join_tokens([ops[-1]["text"], *tokens])
        else:
            ops.append({"op": op, "text": _join_tokens(tokens)})

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", a[i1:i2])
        else:
            emit("delete", a[i1:i2])
            emit("insert", b[j1:j2])
    return ops


_WORD_OR_BREAK = re.compile(r"\n|[^\s]+")


def _join_tokens(tokens: list[str]) -> str:
    out = ""
    for token in tokens:
        if out and not out.endswith("\n") and token != "\n":
            out += " "
        out += token
    return out


# ---------------------------------------------------------------- relations between documents


def _clean_relation(relation: str | None) -> Relation:
    try:
        return Relation(relation)
    except ValueError:
        raise InvalidInput(
            f"Quan hệ «{relation}» không hợp lệ. Dùng: {', '.join(r.value for r in Relation)}.",
            field="relation",
        ) from None


def add_relation(
    actor: User,
    document_id: int,
    *,
    relation: str | None,
    target_id: object = None,
    target_number: str | None = None,
) -> DocumentRelation:
    """Record that a document amends, replaces, implements or refers to another one: a
    document of the registry, or an outside one by its number only ("46-CT/TW")."""
    doc = get_document(actor, document_id)
    if doc.status not in EDITABLE:
        raise Conflict(f"Tài liệu đang ở trạng thái «{doc.status_label}», không thể thêm quan hệ.")
    if not can(actor, Action.EDIT, doc):
        raise Forbidden("Bạn không có quyền sửa thông tin tài liệu.")
    kind = _clean_relation(relation)
    number = (target_number or "").strip()
    target = None
    if target_id not in (None, ""):
        try:
            target = get_document(actor, int(str(target_id)))
        except ValueError:
            raise InvalidInput("Mã tài liệu đích phải là số.", field="target_id") from None
        if target.id == doc.id:
            raise InvalidInput("Tài liệu không thể liên quan đến chính nó.", field="target_id")
    elif not number:
        raise InvalidInput("Cần chọn tài liệu đích hoặc nhập số hiệu văn bản.", field="target_number")
    elif len(number) > 64:
        raise InvalidInput("Số hiệu dài quá 64 ký tự.", field="target_number")
    if kind == Relation.REPLACES and target is None:
        raise InvalidInput("Quan hệ «thay thế» cần một tài liệu trong sổ.", field="target_id")

    with unit_of_work():
        locked = lock_document(document_id)
        link = DocumentRelation(
            source_id=locked.id,
            relation=kind,
            target_id=target.id if target else None,
            target_number=None if target else number,
            created_by_id=actor.id,
        )
        db.session.add(link)
        db.session.flush()
        _changed(
            actor,
            "document.relation",
            locked,
            relation=kind.value,
            target=target.number or target.title if target else number,
        )
    return link


def relations(actor: User, doc: Document) -> dict[str, list[dict]]:
    """Both directions, as readers see them: links to documents they may not read are left out."""
    outgoing = db.session.scalars(select(DocumentRelation).where(DocumentRelation.source_id == doc.id))
    incoming = db.session.scalars(select(DocumentRelation).where(DocumentRelation.target_id == doc.id))

    def other(document: Document | None) -> dict | None:
        return brief(actor, document)

    result: dict[str, list[dict]] = {"outgoing": [], "incoming": []}
    for link in outgoing:
        target = other(link.target)
        if link.target_id is not None and target is None:
            continue
        result["outgoing"].append(
            {
                "relation": link.relation,
                "label": Relation(link.relation).label,
                "document": target,
                "number": link.target_number or (target or {}).get("number"),
            }
        )
    for link in incoming:
        source = other(link.source)
        if source is None:
            continue
        result["incoming"].append(
            {
                "relation": link.relation,
                "label": Relation(link.relation).inverse_label,
                "document": source,
                "number": source["number"],
            }
        )
    return result


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
            _changed(
                actor,
                "document.transition",
                old,
                old.current_version.n,
                **{"from": Status.APPROVED.value, "to": Status.SUPERSEDED.value, "replaced_by": doc.number},
            )
