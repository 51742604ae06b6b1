"""How the audit log names what happens to documents."""

from ..signals import get_audit_labels

ACTIONS = {
    "document.create": "Tạo tài liệu",
    "version.add": "Thêm phiên bản",
    "version.restore": "Khôi phục phiên bản",
    "document.update": "Sửa thông tin",
    "document.register": "Đăng ký văn bản đã ban hành",
    "document.dispatch": "Ghi sổ văn bản đi",
    "document.handling": "Ghi xử lý văn bản đến",
    "version.signatures": "Kiểm tra chữ ký số",
    "document.transition": "Chuyển trạng thái",
    "document.relation": "Thêm quan hệ văn bản",
}


@get_audit_labels.connect
def _labels(_sender) -> dict:
    return {"actions": ACTIONS, "objects": {"document": ("Tài liệu", "documents.show", "document_id")}}
