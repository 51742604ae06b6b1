"""JSON of consultations: one schema, for the API and whatever else serialises them."""

from __future__ import annotations

from flask import url_for

from ..auth.models import User
from ..auth.policy import is_office
from ..timeutil import to_local
from .models import Consultation, ConsultationAnswer
from .services import own_answers, tally


def answer_json(row: ConsultationAnswer) -> dict:
    return {
        "id": row.id,
        "user": {"id": row.user_id, "name": row.user.display_name},
        "version": row.version_n,
        "choice": row.choice,
        "choice_label": row.choice_label,
        "comment": row.comment,
        "answered_at": to_local(row.answered_at).isoformat(),
    }


def consultation_json(actor: User, consultation: Consultation) -> dict:
    """What the office sees (the tally, every comment, who has not answered), or what someone
    asked sees (the consultation and their own answers)."""
    doc = consultation.document
    data = {
        "id": consultation.id,
        "document": {"id": doc.id, "title": doc.title, "current_version": doc.current_n},
        "group": consultation.group,
        "group_label": consultation.group_label,
        "question": consultation.question,
        "deadline": to_local(consultation.deadline).date().isoformat(),
        "open": consultation.is_open(),
        "closed_at": to_local(consultation.closed_at).isoformat() if consultation.closed_at else None,
        "asked": [{"id": i.user_id, "name": i.user.display_name} for i in consultation.invitees],
        "url": url_for("consultation.show", consultation_id=consultation.id),
    }
    if is_office(actor):
        data["tally"] = [
            {
                "version": t.n,
                "counts": t.counts,
                "answered": t.answered,
                "answers": [answer_json(a) for a in t.answers],
                "history": [answer_json(a) for a in t.history],
                "not_answered": [{"id": u.id, "name": u.display_name} for u in t.not_answered],
            }
            for t in tally(consultation)
        ]
    else:
        data["my_answers"] = {str(n): answer_json(a) for n, a in own_answers(actor, consultation).items()}
    return data
