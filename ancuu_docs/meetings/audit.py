"""How the audit log names what happens to meetings."""

from ..signals import get_audit_labels

ACTIONS = {
    "meeting.create": "Tạo hội nghị",
    "meeting.agenda": "Thêm nội dung hội nghị",
    "meeting.hold": "Ghi thành phần hội nghị",
    "meeting.decision": "Ghi biểu quyết",
    "meeting.minutes": "Tạo biên bản",
    "meeting.close": "Kết thúc hội nghị",
}


@get_audit_labels.connect
def _labels(_sender) -> dict:
    return {"actions": ACTIONS, "objects": {"meeting": ("Hội nghị", "meetings.show", "meeting_id")}}
