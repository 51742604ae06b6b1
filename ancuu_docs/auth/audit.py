"""How the audit log names what happens to users."""

from ..signals import get_audit_labels

ACTIONS = {
    "user.login": "Đăng nhập",
    "user.login_failed": "Đăng nhập thất bại",
    "user.login_throttled": "Đăng nhập bị tạm khóa (sai quá nhiều lần)",
    "user.logout": "Đăng xuất",
    "user.create": "Tạo người dùng",
    "user.update": "Sửa người dùng",
    "user.token": "Cấp mã API",
}


@get_audit_labels.connect
def _labels(_sender) -> dict:
    # No link: the user pages are the admins', and the secretariat reads the log too.
    return {"actions": ACTIONS, "objects": {"user": ("Người dùng", None, None)}}
