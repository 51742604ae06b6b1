"""The audit trail: one row per change, written in the same transaction as the change."""

from __future__ import annotations

import json

from flask import has_request_context, request
from sqlalchemy import select

from ..auth.models import User
from ..auth.policy import Action, can
from ..errors import Forbidden
from ..extensions import db
from ..pagination import Page, paginate
from .models import AuditEvent, Document

ACTION_LABELS = {
    "document.create": "Tạo tài liệu",
    "version.add": "Thêm phiên bản",
    "version.restore": "Khôi phục phiên bản",
    "document.update": "Sửa thông tin",
    "document.transition": "Chuyển trạng thái",
    "document.relation": "Thêm quan hệ văn bản",
    "meeting.create": "Tạo hội nghị",
    "meeting.agenda": "Thêm nội dung hội nghị",
    "meeting.hold": "Ghi thành phần hội nghị",
    "meeting.decision": "Ghi biểu quyết",
    "meeting.minutes": "Tạo biên bản",
    "meeting.close": "Kết thúc hội nghị",
    "user.login": "Đăng nhập",
    "user.login_failed": "Đăng nhập thất bại",
    "user.logout": "Đăng xuất",
    "user.create": "Tạo người dùng",
    "user.update": "Sửa người dùng",
    "user.token": "Cấp mã API",
    "template.version": "Tải lên mẫu văn bản",
}


def _client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    actor: User | None,
    action: str,
    document: Document | None = None,
    version_n: int | None = None,
    **details: object,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        document_id=document.id if document else None,
        version_n=version_n,
        ip_address=_client_address(),
        details_json=json.dumps(details, ensure_ascii=False, default=str),
    )
    db.session.add(event)
    return event


def list_events(actor: User, *, page: int = 1, per_page: int = 50, document_id: int | None = None) -> Page:
    if not can(actor, Action.VIEW_AUDIT):
        raise Forbidden("Chỉ Văn phòng Đảng ủy và quản trị xem được nhật ký.")
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if document_id is not None:
        query = query.where(AuditEvent.document_id == document_id)
    return paginate(query, page=page, per_page=per_page)
