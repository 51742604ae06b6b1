"""Users, passwords and API tokens. `actor=None` means the command line, which is trusted."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import parsing
from ..database import unit_of_work
from ..errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyAttempts
from ..extensions import db
from ..signals import user_changed
from ..timeutil import utcnow
from .commands import NewUser, OwnPassword, UserChange, check_password
from .models import LoginFailure, User
from .policy import Action, can


def _changed(actor: User | None, action: str, user: User | None, **details: object) -> None:
    """Inside the transaction: announce it (audit, above auth, records it)."""
    user_changed.send(user, actor=actor, action=action, details=details)


def _require_admin(actor: User | None) -> None:
    if actor is not None and not can(actor, Action.MANAGE_USERS):
        raise Forbidden("Chỉ quản trị được quản lý người dùng.")


def list_users(actor: User | None) -> list[User]:
    _require_admin(actor)
    return list(db.session.scalars(select(User).order_by(User.username)))


def get_user(actor: User | None, user_id: int) -> User:
    _require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy người dùng.")
    return user


def create_user(actor: User | None, account: NewUser) -> User:
    _require_admin(actor)
    username = account.username
    with unit_of_work():
        if db.session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"Tên đăng nhập «{username}» đã có.", field="username")
        user = User(username=username, display_name=account.display_name or username, role=account.role)
        user.set_password(account.password)
        db.session.add(user)
        db.session.flush()
        _changed(actor, "user.create", user, username=username, role=account.role.value)
    return user


def update_user(actor: User | None, user_id: int, change: UserChange) -> User:
    _require_admin(actor)
    with unit_of_work():
        user = get_user(actor, user_id)
        changes: dict[str, object] = {}
        if change.role is not None and change.role != user.role:
            if actor is not None and user.id == actor.id:
                raise InvalidInput("Không tự đổi vai trò của chính mình.", field="role")
            user.role = change.role
            changes["role"] = user.role
        if change.active is not None and change.active != user.active:
            if actor is not None and user.id == actor.id:
                raise InvalidInput("Không tự khóa tài khoản của chính mình.", field="active")
            user.active = change.active
            changes["active"] = change.active
            user.session_version += 1  # a locked account's sessions end now
        if change.committee is not None and change.committee != user.committee:
            user.committee = change.committee
            changes["committee"] = user.committee.label
        if change.password:
            changes.update(_new_password(user, change.password))
        if changes:
            _changed(actor, "user.update", user, username=user.username, **changes)
    return user


def change_own_password(user: User, passwords: OwnPassword, address: str | None = None) -> None:
    """A user's own password: the current one first (a session left open is not enough, and
    guesses count against the login throttle), the new one twice. Every other session of
    theirs ends and their API token stops working; this session goes on."""
    _refuse_when_throttled(
        user.username, (address or "")[:45], field="current_password", what="Nhập sai mật khẩu hiện tại"
    )
    current, new, repeated = passwords.current_password, passwords.new_password, passwords.repeat_password
    check = parsing.Checks()
    if not user.check_password(current):
        with unit_of_work():
            db.session.add(LoginFailure(username=user.username, address=(address or "")[:45]))
        check.add("current_password", "Mật khẩu hiện tại không đúng.")
    new = check(check_password, new, field="new_password")
    if new is not None and new != repeated:
        check.add("repeat_password", "Hai lần nhập mật khẩu mới không khớp.")
    if new is not None and user.check_password(new):
        check.add("new_password", "Mật khẩu mới phải khác mật khẩu hiện tại.")
    check.done()
    with unit_of_work():
        fresh = db.session.get(User, user.id)
        details = _new_password(fresh, new)
        _changed(fresh, "user.password", fresh, **details)


def _new_password(user: User, password: str) -> dict[str, str]:
    """Set a new password: every session opened with the old one ends, and the API token
    goes with it (whoever held the old password may have taken it). The audit's details."""
    user.set_password(password)
    user.session_version += 1
    details = {"password": "đã đổi"}
    if user.api_token_hash is not None:
        user.api_token_hash = None
        details["token"] = "đã thu hồi"
    return details


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))


def authenticate(username: str, password: str, address: str | None = None) -> User | None:
    """The active user with these credentials, or None; every outcome is audited.

    Throttled (429) without looking at the password: a name from an address where it failed
    LOGIN_FAILURES_MAX times within LOGIN_LOCK_MINUTES, and any name that failed
    LOGIN_DELAY_AFTER times from anywhere until a delay growing with each failure has passed
    (a stranger slows a member down, never locks them out; one address failing for some
    names never locks the others behind it). Unknown names and deactivated accounts cost the
    same password check as a good one, so timing tells nobody which names exist or existed.
    """
    name = (username or "").strip().lower()[:64]
    address = (address or "")[:45]
    since = _refuse_when_throttled(name, address, field="password")
    user = find_user(name)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
    right = user is not None and user.check_password(password or "")
    ok = right and user.active
    with unit_of_work():
        if ok:  # this address's failures are forgiven; a stranger's elsewhere still count
            db.session.execute(
                delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.address == address)
            )
            user.previous_login_at, user.last_login_at = user.last_login_at, utcnow()
            _changed(user, "user.login", user)
        else:
            db.session.add(LoginFailure(username=name, address=address))
            db.session.execute(delete(LoginFailure).where(LoginFailure.at < since))  # the old ones
            _changed(None, "user.login_failed", None, username=name)
    return user if ok else None


def login_delay(failures: int) -> float:
    """Seconds a name waits after its latest failure, having failed `failures` times in the
    window from any address: none at first, then 1, 2, 4 … up to LOGIN_DELAY_MAX_SECONDS."""
    config = current_app.config
    over = failures - config["LOGIN_DELAY_AFTER"]
    if over < 0:
        return 0.0
    return float(min(2**over, config["LOGIN_DELAY_MAX_SECONDS"]))


def _refuse_when_throttled(name: str, address: str, *, field: str, what: str = "Đăng nhập sai"):
    """TooManyAttempts (audited) while this name is locked from this address, or must wait
    after failures from anywhere; else the start of the window failures are counted in."""
    config = current_app.config
    now = utcnow()
    since = now - timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    failures = db.session.execute(
        select(LoginFailure.address, LoginFailure.at).where(
            LoginFailure.username == name, LoginFailure.at >= since
        )
    ).all()
    here = sum(1 for where, _at in failures if where == address)
    if here >= config["LOGIN_FAILURES_MAX"]:
        _throttled(name, address, minutes=config["LOGIN_LOCK_MINUTES"])
        raise TooManyAttempts(
            f"{what} quá nhiều lần. Vui lòng thử lại sau {config['LOGIN_LOCK_MINUTES']} phút.",
            field=field,
        )
    if failures:
        latest = max(at for _where, at in failures)
        wait = login_delay(len(failures)) - (now - latest).total_seconds()
        if wait > 0:
            seconds = math.ceil(wait)
            _throttled(name, address, seconds=seconds)
            raise TooManyAttempts(
                f"{what} nhiều lần với tài khoản này. Vui lòng đợi {seconds} giây rồi thử lại.",
                field=field,
                headers={"Retry-After": str(seconds)},
            )
    return since


def _throttled(name: str, address: str, **how: int) -> None:
    with unit_of_work():
        _changed(None, "user.login_throttled", None, username=name, address=address, **how)


def _dummy_hash() -> str:
    """A hash made the way real ones are, checked when the name is unknown."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if _DUMMY.get(method) is None:
        _DUMMY[method] = generate_password_hash(secrets.token_hex(16), method)
    return _DUMMY[method]


_DUMMY: dict[str, str] = {}


def signed_out(user: User) -> None:
    """Logout ends the session everywhere: the cookie's session version no longer matches."""
    with unit_of_work():
        fresh = db.session.get(User, user.id)
        fresh.session_version += 1
        _changed(fresh, "user.logout", fresh)


def user_for_session(session_id: str) -> User | None:
    """The user of a session cookie ("id:version"), if that session has not been ended."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


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
