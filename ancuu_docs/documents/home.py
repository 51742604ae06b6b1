"""What awaits each user among documents, for the home page: the office's drafts in review and
incoming documents to handle, a clerk's own drafts, everyone's newly issued documents."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template
from markupsafe import Markup
from sqlalchemy import or_, select

from ..auth.models import Role, User
from ..auth.policy import is_office
from ..extensions import db
from ..timeutil import local_today, utcnow
from .models import Document
from .policy import readable_documents
from .types import Origin, Status

SHOWN = 10
# Without a previous login, "new" means issued within this many days.
NEW_DAYS = 30


def _list(query) -> list[Document]:
    return list(db.session.scalars(query.limit(SHOWN)))


def in_review() -> list[Document]:
    return _list(
        select(Document).where(Document.status == Status.IN_REVIEW).order_by(Document.updated_at.desc())
    )


def incoming_to_handle() -> list[Document]:
    """Incoming documents nobody handles yet, or whose reply is due and not sent: the
    nearest deadline first."""
    return _list(
        select(Document)
        .where(
            Document.origin == Origin.INCOMING,
            or_(
                Document.handler.is_(None),
                (Document.reply_due.is_not(None) & Document.replied_date.is_(None)),
            ),
        )
        .order_by(Document.reply_due.is_(None), Document.reply_due, Document.received_date.desc())
    )


def own_drafts(user: User) -> list[Document]:
    return _list(
        select(Document)
        .where(
            readable_documents(user),  # a draft the office has since restricted is no longer theirs
            Document.created_by_id == user.id,
            Document.status.in_([Status.DRAFT, Status.IN_REVIEW]),
        )
        .order_by(Document.updated_at.desc())
    )


def issued_since(user: User, since: datetime | None) -> list[Document]:
    """Issued (approved, or registered as issued) after `since`, whatever date is printed on
    them: a directive dated last week and registered today is new to the reader."""
    since = since or utcnow() - timedelta(days=NEW_DAYS)
    return _list(
        select(Document)
        .where(readable_documents(user), Document.status == Status.APPROVED, Document.issued_at > since)
        .order_by(Document.issued_at.desc(), Document.id.desc())
    )


def _panel(key: str, title: str, docs: list[Document], empty: str, **extra) -> Markup:
    html = render_template(
        "documents/_home.html", key=key, title=title, docs=docs, empty=empty, today=local_today(), **extra
    )
    return Markup(html)


def drafts_panel(user: User, *, since: datetime | None) -> Markup | None:
    """The office: drafts waiting for its review; a clerk: their own drafts."""
    if is_office(user):
        return _panel("cho-xem-xet", "Văn bản chờ xem xét", in_review(), "Không có văn bản nào chờ xem xét.")
    if user.role == Role.CLERK:
        return _panel(
            "du-thao-cua-toi",
            "Dự thảo của tôi",
            own_drafts(user),
            "Đồng chí chưa có dự thảo nào đang soạn hoặc chờ xem xét.",
        )
    return None


def issued_panel(user: User, *, since: datetime | None) -> Markup:
    """What entered the books (issued here, or registered) since the last login, by the day
    it entered: a directive dated months ago and registered today is new to the reader."""
    title = "Văn bản mới từ lần đăng nhập trước" if since else f"Mới vào sổ trong {NEW_DAYS} ngày qua"
    return _panel("moi-ban-hanh", title, issued_since(user, since), "Chưa có văn bản mới.", entered=True)


def incoming_panel(user: User, *, since: datetime | None) -> Markup | None:
    """The office: documents received and not yet answered."""
    if not is_office(user):
        return None
    return _panel(
        "van-ban-den",
        "Văn bản đến cần xử lý",
        incoming_to_handle(),
        "Không có văn bản đến nào chờ xử lý.",
        incoming=True,
    )
