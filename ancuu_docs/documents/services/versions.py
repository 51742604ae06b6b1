"""New documents and their versions: upload, add, restore; metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ... import storage
from ...audit.services import record
from ...auth.models import User
from ...auth.policy import Action, can
from ...database import unit_of_work
from ...errors import Conflict, Forbidden, InvalidInput
from ...extensions import db
from ...extract import Extracted, Limits, inspect_upload
from ...signals import document_created, document_updated, version_added
from ...timeutil import utcnow
from ..commands import SECRET_SUMMARY, MetadataChange, NewDocument, NewVersion, Restore
from ..models import Document, DocumentVersion
from ..types import EDITABLE, Status
from .reading import get_document, get_version


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


# ---------------------------------------------------------------- input checks


def upload_limits() -> Limits:
    cfg = current_app.config
    return Limits(
        max_bytes=cfg["MAX_UPLOAD_BYTES"],
        max_uncompressed=cfg["MAX_UNCOMPRESSED_BYTES"],
        max_members=cfg["MAX_ARCHIVE_MEMBERS"],
        max_text=cfg["MAX_TEXT_CHARS"],
        max_pixels=cfg["MAX_IMAGE_PIXELS"],
        max_xml_items=cfg["MAX_XML_ITEMS"],
        max_pages=cfg["OCR_MAX_PAGES"],
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


def lock_document(document_id: int) -> Document:
    """Reload the document inside a unit of work, locked against concurrent writers."""
    doc = db.session.scalars(select(Document).where(Document.id == document_id).with_for_update()).one()
    db.session.refresh(doc)
    return doc


def store_version(
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
    db.session.flush()
    return version


def write_with_file(data: bytes, work):
    """Run `work` in a unit of work after storing the bytes. If the transaction rolls back,
    a file this call created is removed, so a refused change leaves neither row nor file.

    The file is stored inside the write lock, so a file this call created cannot be what
    another writer's row points to: removing it on rollback is safe.
    """
    with unit_of_work():
        storage.put_in_unit(data)
        return work()


def append_version(actor: User, doc: Document, upload: Upload, *, comment: str) -> DocumentVersion:
    """A version made by the system inside the caller's unit of work (the issued file on
    approval): stored, audited and announced like an upload; removed again on rollback."""
    extracted = check_upload(upload)
    storage.put_in_unit(upload.data)
    version = store_version(doc, actor, upload=upload, extracted=extracted, comment=comment)
    record(actor, "version.add", doc, version_n=version.n, filename=version.filename)
    version_added.send(doc, actor=actor, version=version)
    return version


def check_can_create(actor: User, *, confidential: bool = False) -> None:
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền tạo văn bản.")
    if confidential and not can(actor, Action.CREATE_CONFIDENTIAL):
        raise Forbidden(
            "Chỉ Văn phòng Đảng ủy được tạo văn bản hạn chế (chỉ Văn phòng đọc).", field="confidential"
        )


def create_document(actor: User, draft: NewDocument, upload: Upload | None) -> Document:
    """A new draft of ours with `upload` as its first version."""
    check_can_create(actor, confidential=draft.confidential)
    extracted = check_upload(upload)

    def work() -> Document:
        doc = Document(
            doc_type=draft.doc_type,
            title=draft.title,
            summary=draft.summary,
            status=Status.DRAFT,
            term=current_app.config["PARTY_TERM"],
            confidential=draft.confidential,
            created_by_id=actor.id,
        )
        db.session.add(doc)
        version = store_version(doc, actor, upload=upload, extracted=extracted, comment=draft.comment)
        record(actor, "document.create", doc, version_n=version.n, title=draft.title, doc_type=draft.doc_type)
        document_created.send(doc, actor=actor, version=version)
        return doc

    return write_with_file(upload.data, work)


def check_can_add_version(actor: User, doc: Document, base_version: int | None = None) -> None:
    """The document takes versions, this user may add one, and (given a base) the base is current."""
    if doc.is_secret:
        raise Conflict("Văn bản mật chỉ đăng ký thông tin: không lưu tệp, không thêm phiên bản.")
    takes_files = doc.status in EDITABLE or (doc.registered and doc.status == Status.APPROVED)
    if not takes_files:
        raise Conflict(
            f"Văn bản đang ở trạng thái «{doc.status_label}», không thể thêm phiên bản.",
            extra={"current_version": doc.current_version.n if doc.current_version else None},
        )
    if not can(actor, Action.ADD_VERSION, doc):
        raise Forbidden("Bạn không có quyền thêm phiên bản cho văn bản này.")
    current = doc.current_version.n if doc.current_version else 0
    if base_version is not None and base_version != current:
        raise Conflict(
            f"Phiên bản {base_version} bạn dựa vào đã cũ: văn bản đã có phiên bản {current}. "
            "Hãy xem phiên bản mới nhất rồi tải lên lại.",
            field="file",
            extra={"current_version": current},
        )


def add_version(actor: User, document_id: int, change: NewVersion, upload: Upload | None) -> Document:
    doc = get_document(actor, document_id)
    check_can_add_version(actor, doc, change.base_version)
    extracted = check_upload(upload)

    def work() -> Document:
        locked = lock_document(document_id)
        check_can_add_version(actor, locked, change.base_version)  # again, now no one else can write
        version = store_version(locked, actor, upload=upload, extracted=extracted, comment=change.comment)
        record(actor, "version.add", locked, version_n=version.n, filename=version.filename)
        version_added.send(locked, actor=actor, version=version)
        return locked

    return write_with_file(upload.data, work)


def restore_version(actor: User, document_id: int, n: int, restore: Restore) -> Document:
    """Copy an older version as the newest one; history stays as it was."""
    old = get_version(actor, document_id, n)
    base = restore.base_version
    check_can_add_version(actor, old.document, base)
    upload = Upload(data=storage.read(old.sha256), filename=old.filename)
    extracted = Extracted(media_type=old.media_type, text=old.text)
    old_n, old_filename = old.n, old.filename

    with unit_of_work():
        locked = lock_document(document_id)
        check_can_add_version(actor, locked, base)
        version = store_version(
            locked,
            actor,
            upload=upload,
            extracted=extracted,
            comment=f"Khôi phục từ phiên bản {old_n}",
            restored_from=old_n,
        )
        record(
            actor, "version.restore", locked, version_n=version.n, restored_from=old_n, filename=old_filename
        )
        version_added.send(locked, actor=actor, version=version)
    return locked


def check_editable(doc: Document, what: str) -> None:
    """Drafts and documents in review change; so does a registered entry's description (a
    typo in its subject), by the office. What was issued here stays as issued."""
    if doc.status not in EDITABLE and not (doc.registered and doc.status == Status.APPROVED):
        raise Conflict(f"Văn bản đang ở trạng thái «{doc.status_label}», không thể {what}.")


def check_can_edit(actor: User, doc: Document, what: str = "sửa thông tin") -> None:
    """Metadata and relations: only by the office (asked first: the state of a document is no
    business of who may not edit it), and only while the document can change."""
    if not can(actor, Action.EDIT, doc):
        raise Forbidden("Bạn không có quyền sửa thông tin văn bản.")
    check_editable(doc, what)


def update_metadata(actor: User, document_id: int, change: MetadataChange) -> Document:
    """Correct a document's description: the fields `change` names, the others as they were."""
    doc = get_document(actor, document_id)
    check_can_edit(actor, doc)
    changes = change.model_dump(exclude_none=True)
    if "signer" in changes:
        changes["signer"] = changes["signer"] or None
    if changes.get("summary") and doc.is_secret:
        raise InvalidInput(SECRET_SUMMARY, field="summary")

    with unit_of_work():
        locked = lock_document(document_id)
        check_editable(locked, "sửa thông tin")
        before = {key: getattr(locked, key) for key in changes}
        changed = {k: v for k, v in changes.items() if before[k] != v}
        if not changed:
            return locked
        for key, value in changed.items():
            setattr(locked, key, value)
        locked.updated_at = utcnow()
        described = {k: {"from": before[k], "to": v} for k, v in changed.items()}
        record(actor, "document.update", locked, changes=described)
        document_updated.send(locked, actor=actor, changes=described)
    return locked


def restrict(actor: User, doc: Document, *, reason: str) -> None:
    """Inside the caller's unit of work: only the office reads `doc` from now on, whatever its
    state (who reads a document is not its content: an issued document may be restricted).
    Used where restriction follows from another document's (the minutes that name it)."""
    if doc.confidential:
        return
    doc.confidential = True
    doc.updated_at = utcnow()
    described = {"confidential": {"from": False, "to": True}}
    record(actor, "document.update", doc, changes=described, reason=reason)
    document_updated.send(doc, actor=actor, changes=described)
