"""How the audit log names what happens to consultations."""

from sqlalchemy import select

from ..extensions import db
from .models import Consultation

ACTIONS = {
    "consultation.open": "Gửi dự thảo lấy ý kiến",
    "consultation.answer": "Cho ý kiến về dự thảo",
    "consultation.close": "Kết thúc lấy ý kiến",
}


DETAILS = {
    "document": "Văn bản",
    "group": "Hỏi ý kiến",
    "asked": "Người được hỏi",
    "deadline": "Hạn góp ý",
    "choice": "Ý kiến",
    "comment": "Góp ý",
    "reason": "Lý do",
}


def _titles(ids: list[int]) -> dict[int, str]:
    rows = db.session.scalars(select(Consultation).where(Consultation.id.in_(ids)))
    return {c.id: c.document.title for c in rows}


def audit_labels() -> dict:
    return {
        "actions": ACTIONS,
        "objects": {"consultation": ("Lấy ý kiến về", "consultation.show", "consultation_id")},
        "details": DETAILS,
        "names": {"consultation": _titles},
    }
