from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..timeutil import utcnow


class Role(StrEnum):
    MEMBER = "member"
    CLERK = "clerk"
    SECRETARIAT = "secretariat"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


class Committee(StrEnum):
    """Whether a user sits on the ward Party Committee (Ban Chấp hành) or its standing
    committee (Ban Thường vụ, whose members also sit on the committee): drafts are
    circulated to them for comments."""

    NONE = ""
    EXECUTIVE = "executive"
    STANDING = "standing"

    @property
    def label(self) -> str:
        return COMMITTEE_LABELS[self]


COMMITTEE_LABELS = {
    Committee.NONE: "Không",
    Committee.EXECUTIVE: "Ủy viên Ban Chấp hành",
    Committee.STANDING: "Ủy viên Ban Thường vụ",
}

ROLE_LABELS = {
    Role.MEMBER: "Đảng viên",
    Role.CLERK: "Văn thư",
    Role.SECRETARIAT: "Văn phòng Đảng ủy",
    Role.ADMIN: "Quản trị",
}


class User(UserMixin, db.Model):
    __tablename__ = "users"
    audit_type = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the bearer token; the token itself is shown once and never stored.
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the session cookie: raised on logout, password change and deactivation, so every
    # session issued before stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    committee: Mapped[str] = mapped_column(String(16), default=Committee.NONE, server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "Since my last visit" is since the login before this one: it stays put while the user
    # looks around, and moves on at the next login.
    last_login_at: Mapped[datetime | None]
    previous_login_at: Mapped[datetime | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sessions of deactivated users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginFailure(db.Model):
    """A wrong password or unknown name, kept for throttling (per account and per address)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(45), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
