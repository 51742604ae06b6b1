"""Meetings: create, agenda, attendance, decisions, minutes, close, package.

Members read meetings; only the secretariat (and admins) create and change them. A closed
meeting is read-only. Every change writes its audit event and index job in its transaction.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import storage
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..documents import services as documents
from ..documents.audit import record
from ..documents.models import Document
from ..documents.types import EDITABLE, Status
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..search import indexing
from ..timeutil import utcnow, vietnamese_date
from .models import AgendaItem, Body, Decision, Meeting, MeetingAbsence, MeetingStatus, Outcome

MINUTES_TEMPLATE = "minutes"
TEXT_MAX = 300

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


def meeting_key(meeting_id: int) -> str:
    return f"{indexing.MEETING}:{meeting_id}"


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


# ------------------------------------------------------------------ input checks


def _text(data: dict, name: str, label: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        raise InvalidInput(f"Cần nhập {label}.", field=name)
    if len(value) > limit:
        raise InvalidInput(f"{label.capitalize()} dài quá {limit} ký tự.", field=name)
    return value


def _int(
    data: dict, name: str, label: str, *, low: int = 0, high: int = 1000, required: bool = True
) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise InvalidInput(f"Cần nhập {label}.", field=name)
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{label.capitalize()} phải là số nguyên.", field=name) from None
    if not low <= number <= high:
        raise InvalidInput(f"{label.capitalize()} phải từ {low} đến {high}.", field=name)
    return number


def _date(data: dict, name: str, label: str) -> date:
    value = data.get(name)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(f"{label.capitalize()} không hợp lệ (dạng YYYY-MM-DD).", field=name) from None


def _time(data: dict, name: str, label: str, *, required: bool = True) -> time | None:
    value = str(data.get(name) or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"Cần nhập {label}.", field=name)
        return None
    match = re.fullmatch(r"(\d{1,2})[:hg](\d{2})", value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidInput(f"{label.capitalize()} không hợp lệ (dạng hh:mm).", field=name)
    return time(int(match.group(1)), int(match.group(2)))


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "yes", "on", "có"}


def _require_office(actor: User) -> None:
    if not can(actor, Action.MANAGE_MEETINGS):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được tạo và sửa hội nghị.")


def _lock(meeting_id: int) -> Meeting:
    meeting = db.session.scalars(select(Meeting).where(Meeting.id == meeting_id).with_for_update()).first()
    if meeting is None:
        raise NotFound("Không tìm thấy hội nghị.")
    db.session.refresh(meeting)
    return meeting


def _open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise Conflict("Hội nghị đã kết thúc: hồ sơ hội nghị chỉ còn để xem.")


def _changed(actor: User, action: str, meeting: Meeting, **details) -> None:
    meeting.updated_at = utcnow()
    record(actor, action, meeting_id=meeting.id, **details)
    indexing.enqueue(meeting_key(meeting.id))


# ------------------------------------------------------------------ writing


def create_meeting(actor: User, data: dict) -> Meeting:
    _require_office(actor)
    body = str(data.get("body") or Body.EXECUTIVE)
    if body not in {b.value for b in Body}:
        raise InvalidInput(
            "Cơ quan họp là «executive» (Ban Chấp hành) hoặc «standing» (Ban Thường vụ).", field="body"
        )
    meeting = Meeting(
        term=_text(data, "term", "nhiệm kỳ", required=False, limit=16) or current_app.config["PARTY_TERM"],
        body=body,
        ordinal=_int(data, "ordinal", "lần họp", low=1, high=200),
        expanded=_flag(data.get("expanded")),
        date=_date(data, "date", "ngày họp"),
        start_time=_time(data, "start_time", "giờ bắt đầu"),
        end_time=_time(data, "end_time", "giờ kết thúc", required=False),
        place=_text(data, "place", "địa điểm"),
        chair_name=_text(data, "chair_name", "họ tên chủ trì"),
        chair_position=_text(data, "chair_position", "chức vụ chủ trì"),
        secretary_name=_text(data, "secretary_name", "họ tên người ghi biên bản"),
        secretary_position=_text(data, "secretary_position", "chức vụ người ghi biên bản"),
        total_members=_int(data, "total_members", "tổng số cấp ủy viên", low=1),
        guests=_text(data, "guests", "khách mời", required=False, limit=2000),
        status=MeetingStatus.PLANNED,
        created_by_id=actor.id,
    )
    with unit_of_work():
        db.session.add(meeting)
        db.session.flush()
        _changed(actor, "meeting.create", meeting, title=meeting_title(meeting))
    return meeting


def add_agenda_item(actor: User, meeting_id: int, data: dict) -> AgendaItem:
    _require_office(actor)
    get_meeting(actor, meeting_id)
    title = _text(data, "title", "nội dung", limit=500)
    presenter = _text(data, "presenter", "người trình bày")
    requires_vote = _flag(data.get("requires_vote", True))
    discussion = _text(data, "discussion", "ý kiến thảo luận", required=False, limit=20_000)
    document_id = data.get("document_id")
    doc = None
    if document_id not in (None, ""):
        try:
            doc = documents.get_document(actor, int(str(document_id)))
        except ValueError:
            raise InvalidInput("Mã tài liệu phải là số.", field="document_id") from None
        if doc.status not in EDITABLE:
            raise Conflict(
                f"Chỉ gắn được dự thảo hoặc tài liệu đang xem xét; tài liệu này «{doc.status_label}».",
                field="document_id",
            )
    with unit_of_work():
        meeting = _lock(meeting_id)
        _open(meeting)
        item = AgendaItem(
            meeting=meeting,
            position=len(meeting.agenda) + 1,
            title=title,
            presenter=presenter,
            document_id=doc.id if doc else None,
            requires_vote=requires_vote,
            discussion=discussion,
        )
        db.session.add(item)
        db.session.flush()
        _changed(actor, "meeting.agenda", meeting, item=title, document_id=item.document_id)
    return item


def hold_meeting(actor: User, meeting_id: int, data: dict) -> Meeting:
    """Record attendance: present + absent must equal the total number of members."""
    _require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    present = _int(data, "present", "số có mặt", high=meeting.total_members)
    absent_rows = data.get("absent") or []
    if not isinstance(absent_rows, list):
        raise InvalidInput("Danh sách vắng mặt phải là danh sách {name, reason}.", field="absent")
    absent = []
    for row in absent_rows:
        if not isinstance(row, dict):
            raise InvalidInput("Mỗi người vắng mặt cần họ tên và lý do.", field="absent")
        name, reason = str(row.get("name") or "").strip(), str(row.get("reason") or "").strip()
        if not name and not reason:
            continue
        if not name or not reason:
            raise InvalidInput("Mỗi người vắng mặt cần cả họ tên và lý do.", field="absent")
        absent.append((name[:200], reason[:300]))
    if present + len(absent) != meeting.total_members:
        raise InvalidInput(
            f"Có mặt {present} + vắng {len(absent)} phải bằng tổng số {meeting.total_members} cấp ủy viên.",
            field="present",
        )
    end_time = _time(data, "end_time", "giờ kết thúc", required=False)
    guests = _text(data, "guests", "khách mời", required=False, limit=2000) if "guests" in data else None

    with unit_of_work():
        locked = _lock(meeting_id)
        _open(locked)
        if any(item.decision for item in locked.agenda):
            raise Conflict("Đã có biểu quyết: không sửa thành phần hội nghị được nữa.")
        locked.present = present
        locked.absences = [MeetingAbsence(name=name, reason=reason) for name, reason in absent]
        if end_time:
            locked.end_time = end_time
        if guests is not None:
            locked.guests = guests
        locked.status = MeetingStatus.HELD
        _changed(actor, "meeting.hold", locked, present=present, absent=len(absent))
    return locked


def record_decision(actor: User, meeting_id: int, item_id: int, data: dict) -> Decision:
    """The vote on an item. Adopting an item approves its document, numbered in the same
    transaction."""
    _require_office(actor)
    meeting = get_meeting(actor, meeting_id)
    method = _text(data, "method", "hình thức biểu quyết", limit=100)
    in_favour = _int(data, "in_favour", "số tán thành")
    against = _int(data, "against", "số không tán thành")
    abstaining = _int(data, "abstaining", "số không biểu quyết")
    conclusion = _text(data, "conclusion", "kết luận", required=False, limit=5000)
    if meeting.present is None:
        raise Conflict("Cần ghi thành phần dự họp (có mặt, vắng) trước khi biểu quyết.")
    if in_favour + against + abstaining != meeting.present:
        raise InvalidInput(
            f"Tán thành {in_favour} + không tán thành {against} + không biểu quyết {abstaining} "
            f"phải bằng số có mặt {meeting.present}.",
            field="in_favour",
        )
    majority = in_favour * 2 > meeting.total_members
    outcome = data.get("outcome") or (Outcome.ADOPTED if majority else Outcome.REJECTED)
    if outcome not in {o.value for o in Outcome}:
        raise InvalidInput(
            "Kết quả là «adopted» (thông qua) hoặc «rejected» (không thông qua).", field="outcome"
        )
    if outcome == Outcome.ADOPTED and not majority:
        raise InvalidInput(
            f"Chưa thông qua được: số tán thành {in_favour} chưa quá nửa "
            f"tổng số {meeting.total_members} cấp ủy viên.",
            field="outcome",
        )

    with unit_of_work():
        locked = _lock(meeting_id)
        _open(locked)
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
            doc = documents.lock_document(item.document_id)
            documents.approve(actor, doc, issued=locked.date)
        _changed(
            actor,
            "meeting.decision",
            locked,
            item=item.title,
            outcome=outcome,
            votes=f"{in_favour}/{against}/{abstaining}",
        )
    return decision


def _minutes_fields(meeting: Meeting) -> dict:
    proceedings, votes = [], []
    for item in meeting.agenda:
        proceedings.append(f"{item.position}. {item.title}")
        proceedings.append(f"Đồng chí {item.presenter} trình bày.")
        proceedings.extend(line for line in item.discussion.splitlines() if line.strip())
        if item.decision:
            d = item.decision
            votes.append(
                {
                    "item": item.title,
                    "method": d.method,
                    "in_favour": f"{d.in_favour}/{meeting.present}",
                    "against": str(d.against),
                    "abstaining": str(d.abstaining),
                }
            )
    conclusions = [
        f"- {item.title}: {item.decision.conclusion or item.decision.outcome_label}."
        for item in meeting.agenda
        if item.decision
    ]
    return {
        "meeting": meeting_title(meeting),
        "date": meeting.date,
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": (meeting.end_time or meeting.start_time).strftime("%H:%M"),
        "venue": meeting.place,
        "agenda_summary": "; ".join(item.title for item in meeting.agenda) or "(chưa có nội dung)",
        "chair_name": meeting.chair_name,
        "chair_position": meeting.chair_position,
        "secretary_name": meeting.secretary_name,
        "secretary_position": meeting.secretary_position,
        "total_members": meeting.total_members,
        "present": meeting.present,
        "absent": [{"name": a.name, "reason": a.reason} for a in meeting.absences],
        "guests": meeting.guests,
        "proceedings": "\n".join(proceedings) or "(chưa có nội dung)",
        "conclusions": "\n".join(conclusions) or "Hội nghị thống nhất các nội dung đã thảo luận.",
        "votes": votes,
    }


def generate_minutes(actor: User, meeting_id: int) -> Document:
    """The minutes drafted from the meeting record (BB template), filed as the meeting's
    minutes document: version 1 the first time, the next version after that."""
    from ..drafting import services as drafting  # drafting builds on documents, as meetings do

    _require_office(actor)
    with unit_of_work():
        meeting = _lock(meeting_id)
        _open(meeting)
        if meeting.status != MeetingStatus.HELD:
            raise Conflict("Hội nghị chưa họp: ghi thành phần dự họp trước khi tạo biên bản.")
        fields = _minutes_fields(meeting)
        title = f"Biên bản {meeting_title(meeting)}"
        existing = meeting.minutes_document
        if existing is None:
            doc = drafting.generate_draft(actor, MINUTES_TEMPLATE, fields, title=title)
            meeting.minutes_document_id = doc.id
        else:
            doc = drafting.generate_draft(
                actor,
                MINUTES_TEMPLATE,
                fields,
                title=title,
                document_id=existing.id,
                base_version=existing.current_version.n,
            )
        _changed(actor, "meeting.minutes", meeting, document_id=doc.id, version=doc.current_version.n)
    return doc


def _check_can_close(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise Conflict("Hội nghị chưa họp: chưa kết thúc được.")
    waiting = [item.title for item in meeting.agenda if item.requires_vote and item.decision is None]
    if waiting:
        raise Conflict("Còn nội dung chưa có kết quả biểu quyết: " + "; ".join(waiting) + ".")


def close_meeting(actor: User, meeting_id: int) -> Meeting:
    """Close a meeting whose every voted item has an outcome; its minutes are approved with it."""
    _require_office(actor)
    with unit_of_work():
        meeting = _lock(meeting_id)
        _open(meeting)
        _check_can_close(meeting)
        meeting.status = MeetingStatus.CLOSED
        _changed(actor, "meeting.close", meeting)
        minutes = meeting.minutes_document
        if minutes is not None and minutes.status in EDITABLE:
            documents.approve(actor, documents.lock_document(minutes.id), issued=meeting.date)
    return meeting


def close_meeting_of_minutes(actor: User, doc: Document) -> None:
    """Approving a meeting's minutes closes the meeting (called inside the approval)."""
    meeting = db.session.scalars(select(Meeting).where(Meeting.minutes_document_id == doc.id)).first()
    if meeting is None or meeting.status == MeetingStatus.CLOSED:
        return
    _check_can_close(meeting)
    meeting.status = MeetingStatus.CLOSED
    _changed(actor, "meeting.close", meeting, by_minutes=doc.number)


# ------------------------------------------------------------------ the package


def package(actor: User, meeting_id: int) -> tuple[str, bytes]:
    """A zip of every approved document's current file, the minutes and a manifest
    (number, title, type, version, SHA-256): what the secretariat files and sends upwards."""
    meeting = get_meeting(actor, meeting_id)
    docs = [item.document for item in meeting.agenda if item.document is not None]
    docs = [d for d in docs if d.status == Status.APPROVED]
    if meeting.minutes_document is not None:
        docs.append(meeting.minutes_document)
    docs = [d for d in docs if can(actor, Action.READ, d)]
    manifest = {
        "meeting": meeting_title(meeting),
        "date": meeting.date.isoformat(),
        "status": meeting.status,
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "documents": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for position, doc in enumerate(docs, start=1):
            version = doc.current_version
            label = re.sub(r"[^\w.-]+", "-", doc.number or "du-thao").strip("-")
            name = f"{position:02d}-{label}-{version.filename}"
            archive.writestr(name, storage.read(version.sha256))
            manifest["documents"].append(
                {
                    "file": name,
                    "number": doc.number,
                    "title": doc.title,
                    "doc_type": doc.doc_type,
                    "status": doc.status,
                    "version": version.n,
                    "sha256": version.sha256,
                    "size": version.size,
                    "minutes": doc.id == meeting.minutes_document_id,
                }
            )
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    filename = f"ho-so-hoi-nghi-{meeting.date.isoformat()}-lan-{meeting.ordinal}.zip"
    return filename, buffer.getvalue()


# ------------------------------------------------------------------ as JSON


def meeting_json(actor: User, meeting: Meeting, *, full: bool = True) -> dict:
    data = {
        "id": meeting.id,
        "title": meeting_title(meeting),
        "term": meeting.term,
        "body": meeting.body,
        "ordinal": meeting.ordinal,
        "expanded": meeting.expanded,
        "date": meeting.date.isoformat(),
        "date_text": vietnamese_date(meeting.date),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else None,
        "place": meeting.place,
        "status": meeting.status,
    }
    if not full:
        return data
    data.update(
        {
            "chair": {"name": meeting.chair_name, "position": meeting.chair_position},
            "secretary": {"name": meeting.secretary_name, "position": meeting.secretary_position},
            "total_members": meeting.total_members,
            "present": meeting.present,
            "absent": [{"name": a.name, "reason": a.reason} for a in meeting.absences],
            "guests": meeting.guests,
            "agenda": [
                {
                    "id": item.id,
                    "position": item.position,
                    "title": item.title,
                    "presenter": item.presenter,
                    "requires_vote": item.requires_vote,
                    "discussion": item.discussion,
                    "document": documents.brief(actor, item.document),
                    "decision": None
                    if item.decision is None
                    else {
                        "method": item.decision.method,
                        "in_favour": item.decision.in_favour,
                        "against": item.decision.against,
                        "abstaining": item.decision.abstaining,
                        "outcome": item.decision.outcome,
                        "conclusion": item.decision.conclusion,
                    },
                }
                for item in meeting.agenda
            ],
            "minutes": documents.brief(actor, meeting.minutes_document),
        }
    )
    return data
