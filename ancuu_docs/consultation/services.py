"""Circulating a draft for comments, answering, the tally. Pages, the API and tests call these.

The office opens a consultation on a document in review; everyone asked may read that
document (documents' DocumentReader grant) and answer for the version they read, as often
as they like until the deadline: each answer is a new row, the latest per version counts.
A new version asks again; the answers on older versions stay, tallied under their version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..audit.services import record
from ..auth.models import Committee, User
from ..auth.policy import Action, can, is_active, is_office
from ..database import unit_of_work
from ..documents import services as documents
from ..documents.models import Document
from ..documents.policy import readable_documents
from ..documents.types import SecurityLevel, Status
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..timeutil import day_start_utc, utcnow
from .commands import Answer, OpenConsultation
from .models import Choice, Consultation, ConsultationAnswer, ConsultationInvitee, Group


def require_office(actor: User) -> None:
    if not is_office(actor):
        raise Forbidden("Chỉ Văn phòng Đảng ủy lấy ý kiến về dự thảo.")


def _group_members(group: Group, user_ids: tuple[int, ...]) -> list[User]:
    query = select(User).where(User.active.is_(True))
    if group == Group.EXECUTIVE:
        query = query.where(User.committee.in_([Committee.EXECUTIVE, Committee.STANDING]))
    elif group == Group.STANDING:
        query = query.where(User.committee == Committee.STANDING)
    else:
        query = query.where(User.id.in_(user_ids))
    return list(db.session.scalars(query.order_by(User.display_name, User.id)))


def _asked(request: OpenConsultation) -> list[User]:
    """The people the request names, found: a group's members, or those chosen by id (each
    existing and active)."""
    users = _group_members(request.group, request.users)
    if request.group == Group.NAMED and len(users) != len(request.users):
        raise InvalidInput("Có người được chọn không tồn tại hoặc đã bị khóa.", field="users")
    if not users:
        message = f"{request.group.label} chưa có ai: ghi cấp ủy cho người dùng trước."
        raise InvalidInput(message, field="group")
    return users


def open_consultation(actor: User, document_id: int, request: OpenConsultation) -> Consultation:
    require_office(actor)
    documents.get_document(actor, document_id)
    asked = _asked(request)
    with unit_of_work():
        doc = documents.lock_document(document_id)
        if doc.status != Status.IN_REVIEW:
            raise Conflict("Chỉ lấy ý kiến về dự thảo đang chờ xem xét: hãy gửi xem xét trước.")
        if doc.security_level != SecurityLevel.NONE or doc.current_version is None:
            raise Conflict("Văn bản này không có nội dung lưu trên hệ thống để lấy ý kiến.")
        if doc.confidential:
            raise Conflict("Văn bản hạn chế chỉ Văn phòng đọc: bỏ hạn chế trước khi gửi lấy ý kiến.")
        if current_consultation(doc) is not None:
            raise Conflict("Dự thảo đang được lấy ý kiến: đóng đợt hiện tại trước khi mở đợt mới.")
        consultation = Consultation(
            document=doc,
            group=request.group,
            question=request.question,
            # Answers are taken until the end of the chosen day, Vietnam time.
            deadline=day_start_utc(request.deadline) + timedelta(days=1) - timedelta(microseconds=1),
            opened_by_id=actor.id,
        )
        db.session.add(consultation)
        for user in asked:
            db.session.add(ConsultationInvitee(consultation=consultation, user_id=user.id))
        documents.grant_reading(actor, doc, asked, reason="Lấy ý kiến dự thảo")
        db.session.flush()
        record(
            actor,
            "consultation.open",
            consultation,
            document=doc.display_title,
            group=request.group.label,
            asked=", ".join(u.display_name for u in asked),
            deadline=request.deadline.strftime("%d/%m/%Y"),
            version_n=doc.current_n,
        )
    return consultation


def current_consultation(doc: Document) -> Consultation | None:
    """The consultation still taking answers on this document, if any."""
    latest = db.session.scalars(
        select(Consultation).where(Consultation.document_id == doc.id).order_by(Consultation.id.desc())
    ).first()
    return latest if latest is not None and latest.is_open() else None


def consultations_of(doc: Document) -> list[Consultation]:
    return list(
        db.session.scalars(
            select(Consultation).where(Consultation.document_id == doc.id).order_by(Consultation.id.desc())
        )
    )


def is_invited(user: User, consultation: Consultation) -> bool:
    return any(invitee.user_id == user.id for invitee in consultation.invitees)


def get_consultation(actor: User, consultation_id: int) -> Consultation:
    """The office sees every consultation; someone asked sees theirs while they may read the
    draft (restricted later, it is gone for them, and takes no answer); to anyone else it
    does not exist."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not is_active(actor):
        raise NotFound("Không tìm thấy đợt lấy ý kiến.")
    if not is_office(actor) and not (
        is_invited(actor, consultation) and can(actor, Action.READ, consultation.document)
    ):
        raise NotFound("Không tìm thấy đợt lấy ý kiến.")
    return consultation


def require_invited(actor: User, consultation: Consultation) -> None:
    if not is_invited(actor, consultation):
        raise Forbidden("Bạn không được hỏi ý kiến trong đợt này.")


def answer(actor: User, consultation_id: int, reply: Answer) -> ConsultationAnswer:
    consultation = get_consultation(actor, consultation_id)
    require_invited(actor, consultation)
    choice, comment, version_n = reply.choice, reply.comment, reply.version
    with unit_of_work():
        doc = documents.lock_document(consultation.document_id)
        db.session.refresh(consultation)
        if not consultation.is_open():
            raise Conflict("Đợt lấy ý kiến đã kết thúc: không nhận thêm ý kiến.")
        if doc.status != Status.IN_REVIEW:
            raise Conflict("Dự thảo không còn chờ xem xét: không nhận thêm ý kiến.")
        if version_n != doc.current_n:
            raise Conflict(
                f"Dự thảo đã có phiên bản {doc.current_n}: hãy đọc phiên bản mới rồi trả lời.",
                field="version",
            )
        row = ConsultationAnswer(
            consultation=consultation,
            user_id=actor.id,
            version_n=version_n,
            choice=choice,
            comment=comment,
        )
        db.session.add(row)
        db.session.flush()
        record(
            actor,
            "consultation.answer",
            consultation,
            version_n=version_n,
            document=doc.display_title,
            choice=choice.label,
            comment=comment,
        )
    return row


def close_consultation(actor: User, consultation_id: int) -> Consultation:
    require_office(actor)
    consultation = get_consultation(actor, consultation_id)
    with unit_of_work():
        db.session.refresh(consultation)
        if not consultation.is_open():
            raise Conflict("Đợt lấy ý kiến đã kết thúc.")
        end(actor, consultation)
    return consultation


def end(actor: User, consultation: Consultation, reason: str = "") -> None:
    """Inside the caller's unit of work: no more answers; audited."""
    consultation.closed_at = utcnow()
    details = {"reason": reason} if reason else {}
    record(actor, "consultation.close", consultation, document=consultation.document.display_title, **details)


@dataclass
class VersionTally:
    n: int
    counts: dict[str, int]
    answers: list[ConsultationAnswer]  # the answer that counts, one per person
    history: list[ConsultationAnswer] = field(default_factory=list)  # every answer given
    not_answered: list[User] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return len(self.answers)


def asked_version(consultation: Consultation) -> int:
    """The version people are asked about: the current one while the round is open, else the
    last one there was when it ended (later versions were never put to them)."""
    doc = consultation.document
    if consultation.is_open():
        return doc.current_n
    ended = consultation.ends_at
    return max((v.n for v in doc.versions if v.created_at <= ended), default=doc.current_n)


def tally(consultation: Consultation) -> list[VersionTally]:
    """Per version answered on (the newest first, the one asked about always): how many agree,
    disagree, said something else; each person's answer that counts; who has not answered."""
    current_n = asked_version(consultation)
    by_version: dict[int, dict[int, ConsultationAnswer]] = {}
    history: dict[int, list[ConsultationAnswer]] = {}
    for row in consultation.answers:  # in the order given: the later one replaces
        by_version.setdefault(row.version_n, {})[row.user_id] = row
        history.setdefault(row.version_n, []).append(row)
    by_version.setdefault(current_n, {})
    result = []
    for n in sorted(by_version, reverse=True):
        latest = sorted(by_version[n].values(), key=lambda a: (a.user.display_name, a.user_id))
        counts = {choice.value: sum(1 for a in latest if a.choice == choice) for choice in Choice}
        missing = [i.user for i in consultation.invitees if i.user_id not in by_version[n]]
        result.append(VersionTally(n, counts, latest, history.get(n, []), missing if n == current_n else []))
    return result


def own_answers(user: User, consultation: Consultation) -> dict[int, ConsultationAnswer]:
    """This person's answer that counts, per version."""
    mine: dict[int, ConsultationAnswer] = {}
    for row in consultation.answers:
        if row.user_id == user.id:
            mine[row.version_n] = row
    return mine


# ------------------------------------------------------------------ what awaits people


def awaiting_answer(user: User) -> list[Consultation]:
    """Open consultations asking this person who has not answered on the current version."""
    rows = db.session.scalars(
        select(Consultation)
        .join(ConsultationInvitee, ConsultationInvitee.consultation_id == Consultation.id)
        .join(Document, Document.id == Consultation.document_id)
        .where(
            ConsultationInvitee.user_id == user.id,
            Consultation.closed_at.is_(None),
            Consultation.deadline >= utcnow(),
            Document.status == Status.IN_REVIEW,
            readable_documents(user),
        )
        .order_by(Consultation.deadline)
    )
    return [c for c in rows if c.document.current_n not in own_answers(user, c)]


def with_answers_since(since: datetime | None) -> list[tuple[Consultation, int]]:
    """Consultations that received answers after `since` (all answers when None), with how many."""
    query = select(Consultation, func.count(ConsultationAnswer.id)).join(
        ConsultationAnswer, ConsultationAnswer.consultation_id == Consultation.id
    )
    if since is not None:
        query = query.where(ConsultationAnswer.answered_at > since)
    query = query.group_by(Consultation.id).order_by(func.max(ConsultationAnswer.answered_at).desc())
    return [(c, n) for c, n in db.session.execute(query.limit(20))]


def invitable_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name)))


def list_consultations(actor: User) -> list[Consultation]:
    """The office: every consultation; anyone else: those they are asked in, about drafts they
    may still read. Newest first."""
    query = select(Consultation).order_by(Consultation.id.desc()).limit(200)
    if not is_office(actor):
        asked = select(ConsultationInvitee.consultation_id).where(ConsultationInvitee.user_id == actor.id)
        readable = select(Document.id).where(readable_documents(actor))
        query = query.where(Consultation.id.in_(asked), Consultation.document_id.in_(readable))
    return list(db.session.scalars(query))
