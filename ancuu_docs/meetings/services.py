"""Meetings: the record, its agenda, attendance and votes; closing.

Members read meetings; only the secretariat (and admins) create and change them. A closed
meeting is read-only. Every change writes its audit event and announces `meeting_changed`
in its transaction. The minutes are in `minutes.py`, the package in `package.py`.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..documents import services as documents
from ..documents.models import Document
from ..documents.types import EDITABLE
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..signals import meeting_changed
from ..timeutil import utcnow
from .commands import Attendance, NewAgendaItem, NewMeeting, Vote
from .models import AgendaItem, Body, Decision, Meeting, MeetingAbsence, MeetingStatus, Outcome

_UNITS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def ordinal(n: int) -> str:
    """2 -> "thứ hai", 4 -> "thứ tư", 21 -> "thứ hai mươi mốt": how conferences are counted."""
    if n == 1:
        return "thứ nhất"
    if n == 4:
        return "thứ tư"
    if n < 10:
        return f"thứ {_UNITS[n]}"
    if n == 10:
        return "thứ mười"
    tens, unit = divmod(n, 10)
    head = "mười" if tens == 1 else f"{_UNITS[tens]} mươi"
    if unit == 0:
        return f"thứ {head}"
    tail = {1: "mốt" if tens > 1 else "một", 4: "tư" if tens > 1 else "bốn", 5: "lăm"}.get(unit, _UNITS[unit])
    return f"thứ {head} {tail}"


def body_name(body: str) -> str:
    config = current_app.config
    return config["EXECUTIVE_BODY_NAME"] if body == Body.EXECUTIVE else config["STANDING_BODY_NAME"]


def meeting_title(meeting: Meeting) -> str:
    """Hội nghị lần thứ hai (mở rộng) Ban Chấp hành Đảng bộ phường khóa I, nhiệm kỳ 2025 - 2030."""
    expanded = " (mở rộng)" if meeting.expanded else ""
    label = current_app.config["COMMITTEE_TERM_LABEL"]
    return f"Hội nghị lần {ordinal(meeting.ordinal)}{expanded} {body_name(meeting.body)} {label}"


# ------------------------------------------------------------------ reading


def list_meetings(actor: User) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).order_by(Meeting.date.desc(), Meeting.id.desc())))


def get_meeting(actor: User, meeting_id: int) -> Meeting:
    meeting = db.session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.agenda).selectinload(AgendaItem.decision))
    ).first()
    if meeting is None:
        raise NotFound("Không tìm thấy hội nghị.")
    return meeting


def linkable_documents(actor: User) -> list[Document]:
    """Drafts and documents in review that an agenda item may put to the vote."""
    return documents.editable_documents(actor, Action.READ)


# ------------------------------------------------------------------ writing


def require_office(actor: User) -> None:
    if not can(actor, Action.MANAGE_MEETINGS):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được tạo và sửa hội nghị.")


def lock_meeting(meeting_id: int) -> Meeting:
    """Reload the meeting inside a unit of work, locked, and refuse if it is closed."""
    meeting = db.session.scalars(select(Meeting).where(Meeting.id == meeting_id).with_for_update()).first()
    if meeting is None:
        raise NotFound("Không tìm thấy hội nghị.")
    db.session.refresh(meeting)
    refuse_closed(meeting)
    return meeting


def refuse_closed(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise Conflict("Hội nghị đã kết thúc: hồ sơ hội nghị chỉ còn để xem.")


def changed(actor: User, action: str, meeting: Meeting, **details) -> None:
    """Inside the transaction: the audit event, and the announcement (search reindexes)."""
    meeting.updated_at = utcnow()
    record(actor, action, meeting, **details)
    meeting_changed.send(meeting, actor=actor, action=action)


def create_meeting(actor: User, record_of: NewMeeting) -> Meeting:
    require_office(actor)
    values = record_of.model_dump()
    values["term"] = record_of.term or current_app.config["PARTY_TERM"]
    meeting = Meeting(**values, status=MeetingStatus.PLANNED, created_by_id=actor.id)
    with unit_of_work():
        _check_ordinal_free(meeting)
        db.session.add(meeting)
        try:
            db.session.flush()
        except IntegrityError as exc:  # another writer took the ordinal between check and insert
            raise Conflict(
                f"Đã có hội nghị lần thứ {meeting.ordinal} của cơ quan này trong nhiệm kỳ {meeting.term}.",
                field="ordinal",
            ) from exc
        changed(actor, "meeting.create", meeting, title=meeting_title(meeting))
    return meeting


def _check_ordinal_free(meeting: Meeting) -> None:
    """One "lần thứ hai" per body and term (the database refuses it too; this says why)."""
    same = db.session.scalar(
        select(Meeting).where(
            Meeting.term == meeting.term, Meeting.body == meeting.body, Meeting.ordinal == meeting.ordinal
        )
    )
    if same is not None:
        raise Conflict(
            f"Đã có {meeting_title(same)} (ngày {same.date:%d/%m/%Y}): mỗi lần họp chỉ ghi một lần.",
            field="ordinal",
        )


def add_agenda_item(actor: User, meeting_id: int, entry: NewAgendaItem) -> AgendaItem:
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    document_id = entry.document_id
    doc = None
    if document_id is not None:
        if document_id == meeting.minutes_document_id:
            raise Conflict(
                "Biên bản của chính hội nghị này được thông qua khi kết thúc hội nghị, không đưa vào "
                "nội dung biểu quyết.",
                field="document_id",
            )
        doc = documents.get_document(actor, document_id)
        if doc.status not in EDITABLE:
            raise Conflict(
                f"Chỉ gắn được dự thảo hoặc văn bản đang xem xét; văn bản này «{doc.status_label}».",
                field="document_id",
            )
    with unit_of_work():
        meeting = lock_meeting(meeting_id)
        item = AgendaItem(
            meeting=meeting,
            position=len(meeting.agenda) + 1,
            title=entry.title,
            presenter=entry.presenter,
            presenter_position=entry.presenter_position,
            document_id=doc.id if doc else None,
            requires_vote=entry.requires_vote,
            discussion=entry.discussion,
        )
        db.session.add(item)
        db.session.flush()
        changed(actor, "meeting.agenda", meeting, item=entry.title, document_id=item.document_id)
    return item


def hold_meeting(actor: User, meeting_id: int, attendance: Attendance) -> Meeting:
    """Record attendance: present + absent must equal the total number of members."""
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    present, absent, total = attendance.present, attendance.absent, meeting.total_members
    if present > total:
        raise InvalidInput(f"Số có mặt phải từ 0 đến {total}.", field="present")
    if present + len(absent) != total:
        raise InvalidInput(
            f"Có mặt {present} + vắng {len(absent)} phải bằng tổng số {total} cấp ủy viên.", field="present"
        )

    with unit_of_work():
        locked = lock_meeting(meeting_id)
        if any(item.decision for item in locked.agenda):
            raise Conflict("Đã có biểu quyết: không sửa thành phần hội nghị được nữa.")
        locked.present = present
        locked.absences = [MeetingAbsence(name=name, reason=reason) for name, reason in absent]
        if attendance.end_time:
            locked.end_time = attendance.end_time
        if attendance.guests is not None:
            locked.guests = attendance.guests
        locked.status = MeetingStatus.HELD
        changed(actor, "meeting.hold", locked, present=present, absent=len(absent))
    return locked


def is_majority(in_favour: int, total_members: int) -> bool:
    """Adopted only with more than half of all members (not of those present): exactly half
    is not enough."""
    return in_favour * 2 > total_members


def _outcome(meeting: Meeting, vote: Vote) -> Outcome:
    """The vote's outcome, checked against the meeting's numbers: the counts add up to those
    present; adopted only with a majority of all members."""
    in_favour, against, abstaining = vote.in_favour, vote.against, vote.abstaining
    if meeting.present is None:
        raise Conflict("Cần ghi thành phần dự họp (có mặt, vắng) trước khi biểu quyết.")
    if in_favour + against + abstaining != meeting.present:
        raise InvalidInput(
            f"Tán thành {in_favour} + không tán thành {against} + không biểu quyết {abstaining} "
            f"phải bằng số có mặt {meeting.present}.",
            field="in_favour",
        )
    majority = is_majority(in_favour, meeting.total_members)
    outcome = vote.outcome or (Outcome.ADOPTED if majority else Outcome.REJECTED)
    if outcome == Outcome.ADOPTED and not majority:
        raise InvalidInput(
            f"Chưa thông qua được: số tán thành {in_favour} chưa quá nửa "
            f"tổng số {meeting.total_members} cấp ủy viên.",
            field="outcome",
        )
    return outcome


def _votable(meeting: Meeting, item_id: int) -> AgendaItem:
    """The item, on a held meeting, still waiting for its vote."""
    if meeting.status != MeetingStatus.HELD:
        raise Conflict("Hội nghị chưa họp: ghi thành phần dự họp trước.")
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound("Hội nghị không có nội dung này.")
    if not item.requires_vote:
        raise Conflict("Nội dung này không biểu quyết.")
    if item.decision is not None:
        raise Conflict("Nội dung này đã có kết quả biểu quyết.")
    return item


def record_decision(actor: User, meeting_id: int, item_id: int, vote: Vote) -> Decision:
    """The vote on an item. Adopting an item approves its document, numbered in the same
    transaction."""
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    outcome = _outcome(meeting, vote)

    def work(plan: documents.IssuePlan | None) -> Decision:
        locked = lock_meeting(meeting_id)
        item = _votable(locked, item_id)
        decision = Decision(
            item=item,
            method=vote.method,
            in_favour=vote.in_favour,
            against=vote.against,
            abstaining=vote.abstaining,
            outcome=outcome,
            conclusion=vote.conclusion,
            recorded_by_id=actor.id,
        )
        db.session.add(decision)
        if outcome == Outcome.ADOPTED and item.document_id is not None:
            if plan is None or item.document_id != adopted:
                raise Conflict("Nội dung vừa được sửa: hãy ghi biểu quyết lại.")
            documents.approve(actor, documents.lock_document(item.document_id), plan)
        votes = f"{vote.in_favour}/{vote.against}/{vote.abstaining}"
        changed(actor, "meeting.decision", locked, item=item.title, outcome=outcome, votes=votes)
        return decision

    # Adopting approves the item's document: its issued file is made before the transaction.
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    adopted = item.document_id if item is not None and outcome == Outcome.ADOPTED else None
    if adopted is not None:
        return documents.issuing(adopted, issued=meeting.date, signer=None, work=work)
    with unit_of_work():
        return work(None)


def check_can_close(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise Conflict("Hội nghị chưa họp: chưa kết thúc được.")
    waiting = [item.title for item in meeting.agenda if item.requires_vote and item.decision is None]
    if waiting:
        raise Conflict("Còn nội dung chưa có kết quả biểu quyết: " + "; ".join(waiting) + ".")


def close_meeting(actor: User, meeting_id: int) -> Meeting:
    """Close a meeting whose every voted item has an outcome; its minutes are approved with it
    (signed by the chair, with the minute-taker), their issued file made before the
    transaction."""
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    refuse_closed(meeting)
    check_can_close(meeting)  # before the minutes' issued file is made for nothing
    minutes_id = meeting.minutes_document_id

    def work(plan: documents.IssuePlan | None) -> Meeting:
        locked = lock_meeting(meeting_id)
        check_can_close(locked)
        locked.status = MeetingStatus.CLOSED
        changed(actor, "meeting.close", locked)
        minutes = locked.minutes_document
        if minutes is not None and minutes.status in EDITABLE:
            if plan is None or minutes.id != minutes_id:
                raise Conflict("Biên bản vừa thay đổi: hãy kết thúc hội nghị lại.")
            documents.approve(actor, documents.lock_document(minutes.id), plan)
        return locked

    minutes = meeting.minutes_document
    if minutes is not None and minutes.status in EDITABLE:
        return documents.issuing(minutes.id, issued=meeting.date, signer=meeting.chair_name, work=work)
    with unit_of_work():
        return work(None)
