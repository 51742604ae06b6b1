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

from .. import parsing
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
from .models import AgendaItem, Body, Decision, Meeting, MeetingAbsence, MeetingStatus, Outcome

TEXT_MAX = 300
GUESTS_MAX = 2000
MEMBERS_MAX = 1000

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


def _text(check, data: dict, name: str, label: str, *, required: bool = True, limit: int = TEXT_MAX):
    return check(parsing.text, data.get(name), field=name, label=label, limit=limit, required=required)


def create_meeting(actor: User, data: dict) -> Meeting:
    require_office(actor)
    check = parsing.Checks()
    body = check(
        parsing.member,
        data.get("body") or Body.EXECUTIVE,
        Body,
        field="body",
        label="cơ quan họp",
        explain="«executive» (Ban Chấp hành) hoặc «standing» (Ban Thường vụ)",
    )
    values = dict(
        term=_text(check, data, "term", "nhiệm kỳ", required=False, limit=16)
        or current_app.config["PARTY_TERM"],
        ordinal=check(
            parsing.integer, data.get("ordinal"), field="ordinal", label="lần họp", low=1, high=200
        ),
        expanded=check(parsing.boolean, data.get("expanded"), field="expanded", label="hội nghị mở rộng"),
        date=check(parsing.day, data.get("date"), field="date", label="ngày họp"),
        start_time=check(
            parsing.time_of_day, data.get("start_time"), field="start_time", label="giờ bắt đầu"
        ),
        end_time=check(
            parsing.time_of_day, data.get("end_time"), field="end_time", label="giờ kết thúc", required=False
        ),
        place=_text(check, data, "place", "địa điểm"),
        chair_name=_text(check, data, "chair_name", "họ tên chủ trì"),
        chair_position=_text(check, data, "chair_position", "chức vụ chủ trì"),
        secretary_name=_text(check, data, "secretary_name", "họ tên người ghi biên bản"),
        secretary_position=_text(check, data, "secretary_position", "chức vụ người ghi biên bản"),
        total_members=check(
            parsing.integer,
            data.get("total_members"),
            field="total_members",
            label="tổng số cấp ủy viên",
            low=1,
            high=MEMBERS_MAX,
        ),
        guests=_text(check, data, "guests", "khách mời", required=False, limit=GUESTS_MAX),
    )
    check.done()
    meeting = Meeting(**values, body=body, status=MeetingStatus.PLANNED, created_by_id=actor.id)
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


def add_agenda_item(actor: User, meeting_id: int, data: dict) -> AgendaItem:
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    check = parsing.Checks()
    title = _text(check, data, "title", "nội dung", limit=500)
    presenter = _text(check, data, "presenter", "người trình bày")
    presenter_position = _text(
        check, data, "presenter_position", "chức vụ người trình bày", required=False, limit=200
    )
    requires_vote = check(
        parsing.boolean, data.get("requires_vote", True), field="requires_vote", label="có biểu quyết"
    )
    discussion = _text(check, data, "discussion", "ý kiến thảo luận", required=False, limit=20_000)
    document_id = check(
        parsing.integer,
        data.get("document_id"),
        field="document_id",
        label="mã văn bản",
        low=1,
        required=False,
    )
    check.done()
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
            title=title,
            presenter=presenter,
            presenter_position=presenter_position,
            document_id=doc.id if doc else None,
            requires_vote=requires_vote,
            discussion=discussion,
        )
        db.session.add(item)
        db.session.flush()
        changed(actor, "meeting.agenda", meeting, item=title, document_id=item.document_id)
    return item


def _absences(rows: object) -> list[tuple[str, str]]:
    if not isinstance(rows, list):
        raise InvalidInput("Danh sách vắng mặt phải là danh sách {name, reason}.", field="absent")
    absent = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InvalidInput("Mỗi người vắng mặt cần họ tên và lý do.", field="absent")
        name = parsing.text(row.get("name"), field=f"absent-{i}-name", label="họ tên", limit=200)
        reason = parsing.text(row.get("reason"), field=f"absent-{i}-reason", label="lý do", limit=300)
        if not name and not reason:
            continue
        if not name or not reason:
            raise InvalidInput(
                "Mỗi người vắng mặt cần cả họ tên và lý do.",
                field=f"absent-{i}-{'reason' if name else 'name'}",
            )
        absent.append((name, reason))
    return absent


def hold_meeting(actor: User, meeting_id: int, data: dict) -> Meeting:
    """Record attendance: present + absent must equal the total number of members."""
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    check = parsing.Checks()
    present = check(
        parsing.integer,
        data.get("present"),
        field="present",
        label="số có mặt",
        low=0,
        high=meeting.total_members,
    )
    absent = check(_absences, data.get("absent") or [])
    end_time = check(
        parsing.time_of_day, data.get("end_time"), field="end_time", label="giờ kết thúc", required=False
    )
    guests = (
        _text(check, data, "guests", "khách mời", required=False, limit=GUESTS_MAX)
        if "guests" in data
        else None
    )
    if present is not None and absent is not None and present + len(absent) != meeting.total_members:
        check.add(
            "present",
            f"Có mặt {present} + vắng {len(absent)} phải bằng tổng số {meeting.total_members} cấp ủy viên.",
        )
    check.done()

    with unit_of_work():
        locked = lock_meeting(meeting_id)
        if any(item.decision for item in locked.agenda):
            raise Conflict("Đã có biểu quyết: không sửa thành phần hội nghị được nữa.")
        locked.present = present
        locked.absences = [MeetingAbsence(name=name, reason=reason) for name, reason in absent]
        if end_time:
            locked.end_time = end_time
        if guests is not None:
            locked.guests = guests
        locked.status = MeetingStatus.HELD
        changed(actor, "meeting.hold", locked, present=present, absent=len(absent))
    return locked


def is_majority(in_favour: int, total_members: int) -> bool:
    """Adopted only with more than half of all members (not of those present): exactly half
    is not enough."""
    return in_favour * 2 > total_members


def record_decision(actor: User, meeting_id: int, item_id: int, data: dict) -> Decision:
    """The vote on an item. Adopting an item approves its document, numbered in the same
    transaction."""
    require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    check = parsing.Checks()
    method = _text(check, data, "method", "hình thức biểu quyết", limit=100)
    votes = {
        name: check(parsing.integer, data.get(name), field=name, label=label, low=0, high=MEMBERS_MAX)
        for name, label in (
            ("in_favour", "số tán thành"),
            ("against", "số không tán thành"),
            ("abstaining", "số không biểu quyết"),
        )
    }
    conclusion = _text(check, data, "conclusion", "kết luận", required=False, limit=5000)
    outcome = data.get("outcome") or None
    if outcome is not None:
        outcome = check(
            parsing.member,
            outcome,
            Outcome,
            field="outcome",
            label="kết quả",
            explain="«adopted» (thông qua) hoặc «rejected» (không thông qua)",
        )
    check.done()
    in_favour, against, abstaining = votes["in_favour"], votes["against"], votes["abstaining"]
    if meeting.present is None:
        raise Conflict("Cần ghi thành phần dự họp (có mặt, vắng) trước khi biểu quyết.")
    if in_favour + against + abstaining != meeting.present:
        raise InvalidInput(
            f"Tán thành {in_favour} + không tán thành {against} + không biểu quyết {abstaining} "
            f"phải bằng số có mặt {meeting.present}.",
            field="in_favour",
        )
    majority = is_majority(in_favour, meeting.total_members)
    outcome = outcome or (Outcome.ADOPTED if majority else Outcome.REJECTED)
    if outcome == Outcome.ADOPTED and not majority:
        raise InvalidInput(
            f"Chưa thông qua được: số tán thành {in_favour} chưa quá nửa "
            f"tổng số {meeting.total_members} cấp ủy viên.",
            field="outcome",
        )

    def work(plan: documents.IssuePlan | None) -> Decision:
        locked = lock_meeting(meeting_id)
        if locked.status != MeetingStatus.HELD:
            raise Conflict("Hội nghị chưa họp: ghi thành phần dự họp trước.")
        item = next((i for i in locked.agenda if i.id == item_id), None)
        if item is None:
            raise NotFound("Hội nghị không có nội dung này.")
        if not item.requires_vote:
            raise Conflict("Nội dung này không biểu quyết.")
        if item.decision is not None:
            raise Conflict("Nội dung này đã có kết quả biểu quyết.")
        decision = Decision(
            item=item,
            method=method,
            in_favour=in_favour,
            against=against,
            abstaining=abstaining,
            outcome=outcome,
            conclusion=conclusion,
            recorded_by_id=actor.id,
        )
        db.session.add(decision)
        if outcome == Outcome.ADOPTED and item.document_id is not None:
            if plan is None or item.document_id != adopted:
                raise Conflict("Nội dung vừa được sửa: hãy ghi biểu quyết lại.")
            documents.approve(actor, documents.lock_document(item.document_id), plan)
        changed(
            actor,
            "meeting.decision",
            locked,
            item=item.title,
            outcome=outcome,
            votes=f"{in_favour}/{against}/{abstaining}",
        )
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
