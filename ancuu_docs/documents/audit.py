"""How the audit log names what happens to documents: actions, the details' words, the
documents' titles."""

from sqlalchemy import select

from ..extensions import db
from .models import Document
from .types import RELATION_LABELS, SECURITY_LABELS, STATUS_LABELS, Origin

ACTIONS = {
    "document.create": "Tạo văn bản",
    "version.add": "Thêm phiên bản",
    "version.restore": "Khôi phục phiên bản",
    "document.update": "Sửa thông tin",
    "document.register": "Đăng ký văn bản đã ban hành",
    "document.dispatch": "Ghi sổ văn bản đi",
    "document.handling": "Ghi xử lý văn bản đến",
    "document.correct": "Sửa mục sổ",
    "document.cancel": "Hủy mục sổ",
    "issuer.add": "Thêm cơ quan gửi văn bản",
    "issuer.rename": "Sửa tên cơ quan gửi văn bản",
    "issuer.remove": "Bỏ cơ quan khỏi danh sách gửi văn bản",
    "version.signatures": "Kiểm tra chữ ký số",
    "document.transition": "Chuyển trạng thái",
    "document.relation": "Thêm quan hệ văn bản",
}

DETAILS = {
    "number": "Số",
    "issue_note": "Ghi chú ban hành",
    "replaced_by": "Bị thay thế bởi",
    "relation": "Quan hệ",
    "target": "Văn bản liên quan",
    "title": "Trích yếu",
    "summary": "Tóm tắt",
    "signer": "Người ký",
    "confidential": "Hạn chế",
    "filename": "Tệp",
    "doc_type": "Loại",
    "restored_from": "Khôi phục từ phiên bản",
    "arrival": "Số đến",
    "origin": "Nguồn",
    "security_level": "Độ mật",
    "signatures": "Chữ ký số",
    "handler": "Người xử lý",
    "reply_due": "Hạn trả lời",
    "replied_date": "Ngày trả lời",
    "recipients": "Nơi nhận",
    "copies": "Số bản",
    "sent_date": "Ngày gửi",
    "issuer": "Cơ quan ban hành",
    "received_date": "Ngày đến",
    "urgency": "Độ khẩn",
    "reason": "Lý do",
    "archive_holder": "Đơn vị, người nhận bản lưu",
    "register_note": "Ghi chú",
    "cancelled": "Đã hủy",
    "issuer_name": "Tên cơ quan",
}


def _titles(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Document).where(Document.id.in_(ids))).scalars()
    return {doc.id: doc.display_title for doc in rows}


def audit_labels() -> dict:
    statuses = {status.value: label for status, label in STATUS_LABELS.items()}
    return {
        "actions": ACTIONS,
        "objects": {
            "document": ("Văn bản", "documents.show", "document_id"),
            "issuer": ("Cơ quan gửi văn bản", "registers.issuer_edit", "issuer_id"),
        },
        "details": DETAILS,
        "values": {
            "to": statuses,
            "relation": {relation.value: labels[0] for relation, labels in RELATION_LABELS.items()},
            "security_level": {level.value: label for level, label in SECURITY_LABELS.items()},
            "origin": {Origin.INTERNAL.value: "Của Đảng ủy", Origin.INCOMING.value: "Văn bản đến"},
        },
        "names": {"document": _titles},
    }
