"""How the audit log names what happens to users."""

from sqlalchemy import select

from ..extensions import db
from .models import ROLE_LABELS, User

ACTIONS = {
    "user.login": "Đăng nhập",
    "user.login_failed": "Đăng nhập thất bại",
    "user.login_throttled": "Đăng nhập bị tạm chặn (sai quá nhiều lần)",
    "user.logout": "Đăng xuất",
    "user.create": "Tạo người dùng",
    "user.update": "Sửa người dùng",
    "user.token": "Cấp mã API",
    "user.password": "Tự đổi mật khẩu",
}

DETAILS = {
    "username": "Tên đăng nhập",
    "role": "Vai trò",
    "active": "Đang hoạt động",
    "password": "Mật khẩu",
    "committee": "Cấp ủy",
    "display_name": "Họ tên",
    "token": "Mã API",
    "address": "Từ địa chỉ",
    "minutes": "Khóa (phút)",
    "seconds": "Phải đợi (giây)",
}


def _names(ids: list[int]) -> dict[int, str]:
    return {user.id: user.display_name for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def audit_labels() -> dict:
    # No link: the user pages are the admins', and the secretariat reads the log too.
    return {
        "actions": ACTIONS,
        "objects": {"user": ("Người dùng", None, None)},
        "details": DETAILS,
        "values": {"role": {role.value: label for role, label in ROLE_LABELS.items()}},
        "names": {"user": _names},
    }
