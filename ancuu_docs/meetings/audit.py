"""How the audit log names what happens to meetings."""

from sqlalchemy import select

from ..extensions import db
from .models import Meeting, Outcome
from .services import meeting_title

ACTIONS = {
    "meeting.create": "Tạo hội nghị",
    "meeting.agenda": "Thêm nội dung hội nghị",
    "meeting.hold": "Ghi thành phần hội nghị",
    "meeting.decision": "Ghi biểu quyết",
    "meeting.minutes": "Tạo biên bản",
    "meeting.close": "Kết thúc hội nghị",
}


DETAILS = {
    "title": "Nội dung",
    "item": "Nội dung biểu quyết",
    "present": "Có mặt",
    "absent": "Vắng mặt",
    "votes": "Biểu quyết",
    "outcome": "Kết quả",
    "document_id": "Mã văn bản",
    "version": "Phiên bản",
    "by_minutes": "Theo biên bản số",
    "in_favour": "Tán thành",
    "against": "Không tán thành",
    "abstaining": "Không biểu quyết",
    "name": "Họ tên",
    "reason": "Lý do",
}


def _titles(ids: list[int]) -> dict[int, str]:
    return {m.id: meeting_title(m) for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)))}


def audit_labels() -> dict:
    return {
        "actions": ACTIONS,
        "objects": {"meeting": ("Hội nghị", "meetings.show", "meeting_id")},
        "details": DETAILS,
        "values": {"outcome": {outcome.value: outcome.label for outcome in Outcome}},
        "names": {"meeting": _titles},
    }
