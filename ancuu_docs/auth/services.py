"""Users, passwords and API tokens. `actor=None` means the command line, which is trusted."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from .. import parsing
from ..database import unit_of_work
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..signals import user_changed
from .models import Role, User
from .policy import Action, can

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
PASSWORD_MIN = 8


def _changed(actor: User | None, action: str, user: User | None, **details: object) -> None:
    """Inside the transaction: announce it (audit, above auth, records it)."""
    user_changed.send(user, actor=actor, action=action, details=details)


def signed_out(user: User) -> None:
    with unit_of_work():
        _changed(user, "user.logout", user)


def _require_admin(actor: User | None) -> None:
    if actor is not None and not can(actor, Action.MANAGE_USERS):
        raise Forbidden("Chỉ quản trị được quản lý người dùng.")


def _check_role(role: str | None) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidInput(
            f"Vai trò «{role}» không hợp lệ. Dùng: {', '.join(r.value for r in Role)}.", field="role"
        ) from None


def check_password(password: str | None, *, field: str = "password", required: bool = True) -> str:
    """A new password: at least PASSWORD_MIN characters (blank allowed where not required)."""
    if not password and not required:
        return ""
    if not password or len(password) < PASSWORD_MIN:
        raise InvalidInput(f"Mật khẩu cần ít nhất {PASSWORD_MIN} ký tự.", field=field)
    return password


def list_users(actor: User | None) -> list[User]:
    _require_admin(actor)
    return list(db.session.scalars(select(User).order_by(User.username)))


def get_user(actor: User | None, user_id: int) -> User:
    _require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy người dùng.")
    return user


def create_user(
    actor: User | None,
    *,
    username: str | None,
    role: str | None,
    password: str | None,
    display_name: str | None = None,
) -> User:
    _require_admin(actor)
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(
            "Tên đăng nhập gồm 3-64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang.",
            field="username",
        )
    checked_role = _check_role(role)
    check_password(password)
    display = parsing.text(display_name, field="display_name", label="họ tên", limit=200) or username
    with unit_of_work():
        if db.session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"Tên đăng nhập «{username}» đã có.", field="username")
        user = User(username=username, display_name=display, role=checked_role)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        _changed(actor, "user.create", user, username=username, role=checked_role.value)
    return user


def update_user(
    actor: User | None,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    _require_admin(actor)
    with unit_of_work():
        user = get_user(actor, user_id)
        changes: dict[str, object] = {}
        if role is not None and role != user.role:
            if actor is not None and user.id == actor.id:
                raise InvalidInput("Không tự đổi vai trò của chính mình.", field="role")
            user.role = _check_role(role)
            changes["role"] = user.role
        if active is not None and active != user.active:
            if actor is not None and user.id == actor.id:
                raise InvalidInput("Không tự khóa tài khoản của chính mình.", field="active")
            user.active = active
            changes["active"] = active
        if password:
            user.set_password(check_password(password))
            changes["password"] = "đã đổi"
        if changes:
            _changed(actor, "user.update", user, username=user.username, **changes)
    return user


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None; both outcomes are audited."""
    user = find_user(username)
    ok = user is not None and user.active and user.check_password(password or "")
    with unit_of_work():
        if ok:
            _changed(user, "user.login", user)
        else:
            _changed(None, "user.login_failed", None, username=(username or "")[:64])
    return user if ok else None


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(actor: User | None, user_id: int) -> str:
    """A new API token for the user; the previous one stops working. Shown once."""
    _require_admin(actor)
    token = secrets.token_urlsafe(32)
    with unit_of_work():
        user = get_user(actor, user_id)
        user.api_token_hash = _token_digest(token)
        _changed(actor, "user.token", user, username=user.username)
    return token


def user_for_token(token: str) -> User | None:
    if not token:
        return None
    user = db.session.scalar(select(User).where(User.api_token_hash == _token_digest(token)))
    return user if user is not None and user.active else None
