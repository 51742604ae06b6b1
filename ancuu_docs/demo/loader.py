"""Load the demo: accounts, and the second conference's documents, drafted from the built-in
templates exactly as a clerk would draft them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select

from ..auth import services as user_services
from ..auth.models import User
from ..documents import services as documents
from ..documents.types import Status
from ..drafting import services as drafting
from ..extensions import db
from . import content

# (username, password, role, display name)
DEMO_ACCOUNTS = [
    ("quantri", "quantri-2025", "admin", "Quản trị hệ thống"),
    ("vanphong", "vanphong-2025", "secretariat", "Trần Thị Hoa - Chánh Văn phòng Đảng ủy"),
    ("vanthu", "vanthu-2025", "clerk", "Lê Văn Bình - Văn thư"),
    ("dangvien", "dangvien-2025", "member", "Nguyễn Văn An - Đảng viên Chi bộ Khu vực 3"),
]

CONFERENCE_DAY = date(2025, 11, 5)


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load_demo(progress: Callable[[str], None] = lambda _label: None) -> int:
    users = {}
    for username, password, role, name in DEMO_ACCOUNTS:
        users[role] = user_services.find_user(username) or user_services.create_user(
            None, username=username, role=role, password=password, display_name=name
        )
    office, clerk = users["secretariat"], users["clerk"]

    def add(spec: dict, author: User, status: Status) -> int:
        doc = drafting.generate_draft(author, spec["template"], spec["fields"], title=spec["title"])
        doc = documents.update_metadata(office, doc.id, summary=spec["summary"])
        path = {Status.DRAFT: [], Status.IN_REVIEW: [Status.IN_REVIEW]}.get(
            status, [Status.IN_REVIEW, Status.APPROVED]
        )
        for step in path:
            doc = documents.transition(office, doc.id, step, issue_date=CONFERENCE_DAY)
        progress(f"{spec['title'][:70]} ({doc.number or Status(doc.status).label})")
        return doc.id

    add(content.REPORT, office, Status.APPROVED)
    add(content.WORK_PROGRAMME, office, Status.APPROVED)
    add(content.INSPECTION_PROGRAMME, office, Status.APPROVED)
    add(content.RESOLUTION_LIFESTYLE, clerk, Status.DRAFT)
    add(content.RESOLUTION_INFRASTRUCTURE, clerk, Status.DRAFT)
    land = content.RESOLUTION_LAND
    land_id = add(land, clerk, Status.DRAFT)
    revised = {**land["fields"], "body": content.RESOLUTION_LAND_REVISED_BODY}
    drafting.generate_draft(clerk, land["template"], revised, document_id=land_id, base_version=1)
    return 6
