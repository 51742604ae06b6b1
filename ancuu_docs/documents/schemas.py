"""Documents as JSON: one shape for the API, the pages that link documents, and search hits."""

from __future__ import annotations

from ..auth.models import User
from ..auth.policy import Action, can
from ..detect import detect
from .models import Document, DocumentVersion, VersionSignature


def _stamp(value) -> str:
    return value.isoformat() + "Z"


SIGNATURE_LABELS = {
    "valid": "Hợp lệ",
    "untrusted": "Hợp lệ, chưa xác định được tổ chức chứng thực",
    "modified": "Tệp đã bị sửa sau khi ký",
    "invalid": "Chữ ký không hợp lệ",
}


# What was added after a signature (pyHanko's modification levels), said for the reader.
CHANGE_LABELS = {
    "LTA_UPDATES": "thêm dấu thời gian lưu trữ",
    "FORM_FILLING": "điền biểu mẫu, thêm chữ ký",
    "ANNOTATIONS": "thêm ghi chú",
    "OTHER": "sửa nội dung",
}


def signature_json(signature: VersionSignature) -> dict:
    return {
        "position": signature.position,
        "signer": signature.signer_name,
        "organisation": signature.organisation,
        "signed_at": _stamp(signature.signed_at) if signature.signed_at else None,
        "timestamp_authority": signature.timestamp_authority or None,
        "status": signature.status,
        "status_label": SIGNATURE_LABELS[signature.status],
        "intact": signature.intact,
        "trusted": signature.trusted,
        "coverage": signature.coverage,
        "modification": signature.modification,
        "checked_at": _stamp(signature.checked_at),
    }


def version_json(version: DocumentVersion) -> dict:
    return {
        "n": version.n,
        "sha256": version.sha256,
        "size": version.size,
        "filename": version.filename,
        "media_type": version.media_type,
        "created_at": _stamp(version.created_at),
        "author": version.author.username,
        "comment": version.comment,
        "restored_from": version.restored_from,
        "signatures": [signature_json(s) for s in version.latest_signatures],
        # Files derived from it (OCR's searchable PDF), never in its place.
        "renditions": [
            {
                "kind": r.kind,
                "filename": r.filename,
                "size": r.size,
                "sha256": r.sha256,
                "confidence": r.confidence,
            }
            for r in version.renditions
        ],
    }


def document_brief(actor: User, doc: Document | None) -> dict | None:
    """A document in a few fields, for links from elsewhere; None if the user may not read it."""
    if doc is None or not can(actor, Action.READ, doc):
        return None
    return {
        "id": doc.id,
        "title": doc.display_title,
        "doc_type": doc.doc_type,
        "status": doc.status,
        "number": doc.number,
        "origin": doc.origin,
        "issuer": doc.issuer,
        "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
        "term": doc.term,
        "current_version": doc.current_version.n if doc.current_version else None,
    }


def detected_json(doc: Document) -> dict:
    """What the header of the current version's first page says (its text, or what OCR read of
    it), for the user to confirm: style, bodies, number, type, place, date, subject."""
    version = doc.current_version
    if version is None or doc.security_level != "none":
        return {}
    text = version.text
    if len(text.strip()) < 200:  # a scan, or a scan with a typed footer: what OCR read too
        rendition = version.rendition("ocr")
        text = "\n".join(filter(None, [text, rendition.text if rendition else ""]))
    return detect(text[:20_000]).as_json()


def document_json(doc: Document, *, relations: dict | None = None) -> dict:
    """The whole document, for a reader (the caller has checked that they may read it)."""
    data = {
        "id": doc.id,
        "doc_type": doc.doc_type,
        "doc_type_name": doc.doc_type_name,
        "title": doc.display_title,
        "summary": doc.summary,
        "status": doc.status,
        "number": doc.number,
        "term": doc.term,
        "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
        "signer": doc.signer,
        "issue_note": doc.issue_note,
        "confidential": doc.confidential,
        "origin": doc.origin,
        "issuer": doc.issuer,
        "received_date": doc.received_date.isoformat() if doc.received_date else None,
        "arrival_year": doc.arrival_year,
        "arrival_number": doc.arrival_number,
        "arrival_secret": doc.arrival_secret,
        "urgency": doc.urgency,
        "handler": doc.handler,
        "reply_due": doc.reply_due.isoformat() if doc.reply_due else None,
        "replied_date": doc.replied_date.isoformat() if doc.replied_date else None,
        "security_level": doc.security_level,
        "recipients": doc.recipients,
        "copies": doc.copies,
        "sent_date": doc.sent_date.isoformat() if doc.sent_date else None,
        "archive_holder": doc.archive_holder,
        "register_note": doc.register_note,
        "cancelled": doc.cancelled_at is not None,
        "cancelled_at": _stamp(doc.cancelled_at) if doc.cancelled_at else None,
        "cancel_reason": doc.cancel_reason,
        "created_by": doc.created_by.username,
        "created_at": _stamp(doc.created_at),
        "updated_at": _stamp(doc.updated_at),
        "current_version": doc.current_version.n if doc.current_version else None,
        "versions": [version_json(v) for v in doc.versions],
        # The current version's signatures, as the latest check found them.
        "signatures": [signature_json(s) for s in doc.current_version.latest_signatures]
        if doc.current_version
        else [],
    }
    if relations is not None:
        data["relations"] = relations
    return data
