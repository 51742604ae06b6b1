"""How the audit log names what happens to consultations."""

from ..signals import get_audit_labels

ACTIONS = {
    "consultation.open": "Gửi dự thảo lấy ý kiến",
    "consultation.answer": "Cho ý kiến về dự thảo",
    "consultation.close": "Kết thúc lấy ý kiến",
}


@get_audit_labels.connect
def _labels(_sender) -> dict:
    return {
        "actions": ACTIONS,
        "objects": {"consultation": ("Đợt lấy ý kiến", "consultation.show", "consultation_id")},
    }
