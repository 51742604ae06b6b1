"""Load the demo: accounts, and the second conference's documents, drafted from the built-in
templates exactly as a clerk would draft them."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from docx import Document as DocxDocument
from sqlalchemy import func, select

from ..auth import services as user_services
from ..auth.commands import NewUser, UserChange
from ..auth.models import User
from ..consultation import services as consultations
from ..consultation.commands import Answer, OpenConsultation
from ..documents import services as documents
from ..documents.commands import MetadataChange, Move, NewDocument, NewRelation
from ..drafting import services as drafting
from ..drafting.commands import GenerateDraft
from ..extensions import db
from ..meetings import minutes
from ..meetings import services as meetings
from ..meetings.commands import Attendance, NewAgendaItem, NewMeeting, Vote
from ..registers.commands import Registration
from ..registers.registering import register_document
from ..schema import parse
from ..timeutil import local_today
from . import content

# (username, password, role, display name)
DEMO_ACCOUNTS = [
    ("quantri", "quantri-2025", "admin", "Quản trị hệ thống"),
    ("vanphong", "vanphong-2025", "secretariat", "Trần Thị Hoa - Chánh Văn phòng Đảng ủy"),
    ("vanthu", "vanthu-2025", "clerk", "Lê Văn Bình - Văn thư"),
    ("dangvien", "dangvien-2025", "member", "Nguyễn Văn An - Đảng viên Chi bộ Khu vực 3"),
]
# Committee members, asked for comments on drafts: (username, password, name, committee).
DEMO_COMMITTEE = [
    ("uyvien-lan", "uyvien-2025", "Nguyễn Thị Lan - Trưởng Ban Xây dựng Đảng", "standing"),
    ("uyvien-nam", "uyvien-2025", "Võ Văn Nam - Chủ nhiệm Ủy ban Kiểm tra", "executive"),
]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load_demo(progress: Callable[[str], None] = lambda _label: None) -> int:
    """The accounts, then the conference as it happened: drafts, agenda, attendance, votes
    (which approve and number the documents), minutes, close; the documents that arrived; the
    plan circulated for comments before the next conference."""
    users = {}
    for username, password, role, name in DEMO_ACCOUNTS:
        users[role] = user_services.find_user(username) or user_services.create_user(
            None, NewUser.of(username=username, role=role, password=password, display_name=name)
        )
    office, clerk = users["secretariat"], users["clerk"]
    ids = _drafts(office, clerk, progress)
    _conference(office, ids, progress)
    registered = _arrivals(office, progress)
    plan = content.PLAN_46
    upload = documents.Upload(_simple_docx(plan["paragraphs"]), "KH-lanh-dao-bau-cu-2026.docx")
    plan_doc = documents.create_document(clerk, NewDocument.of(title=plan["title"], doc_type="KH"), upload)
    documents.add_relation(
        office, plan_doc.id, NewRelation.of(relation="implements", target_id=registered["46-CT/TW"])
    )
    progress(f"Dự thảo: {plan['title']}")
    _circulate(office, clerk, users["member"], plan_doc.id, progress)
    return len(ids) + 2 + len(registered)


def _drafts(office: User, clerk: User, progress) -> dict[str, int]:
    """The conference's drafts, generated from the templates; the land resolution revised."""

    def draft(spec: dict, author: User) -> int:
        request = GenerateDraft.of(template=spec["template"], fields=spec["fields"], title=spec["title"])
        doc = drafting.generate_draft(author, request)
        documents.update_metadata(office, doc.id, MetadataChange.of(summary=spec["summary"]))
        progress(f"Dự thảo: {spec['title'][:80]}")
        return doc.id

    ids = {
        "report": draft(content.REPORT, office),
        "work": draft(content.WORK_PROGRAMME, office),
        "inspection": draft(content.INSPECTION_PROGRAMME, office),
        "lifestyle": draft(content.RESOLUTION_LIFESTYLE, clerk),
        "infrastructure": draft(content.RESOLUTION_INFRASTRUCTURE, clerk),
        "land": draft(content.RESOLUTION_LAND, clerk),
    }
    land = content.RESOLUTION_LAND
    revised = {**land["fields"], "body": content.RESOLUTION_LAND_REVISED_BODY}
    revision = GenerateDraft.of(
        template=land["template"], fields=revised, document_id=ids["land"], base_version=1
    )
    drafting.generate_draft(clerk, revision)
    documents.add_relation(
        office, ids["inspection"], NewRelation.of(relation="implements", target_number="296-QĐ/TW")
    )
    return ids


def _conference(office: User, ids: dict[str, int], progress) -> None:
    """The conference: its agenda, attendance, a vote per draft (adopting numbers it), the
    minutes, the close."""
    meeting = meetings.create_meeting(office, parse(NewMeeting, content.CONFERENCE))
    for key, presenter, discussion, _votes in content.AGENDA:
        doc = documents.get_document(office, ids[key])
        item = NewAgendaItem.of(
            title=f"Xem xét, thông qua {doc.title[0].lower()}{doc.title[1:]}",
            presenter=presenter,
            presenter_position=content.POSITIONS.get(presenter, ""),
            document_id=doc.id,
            discussion=discussion,
        )
        meetings.add_agenda_item(office, meeting.id, item)
    meetings.hold_meeting(office, meeting.id, parse(Attendance, content.ATTENDANCE))
    items = meetings.get_meeting(office, meeting.id).agenda
    for item, (_key, _presenter, _discussion, votes) in zip(items, content.AGENDA, strict=True):
        in_favour, against, abstaining = votes
        # "thống nhất" only when everyone present voted in favour.
        unanimous = in_favour == content.ATTENDANCE["present"]
        vote = Vote.of(
            method="Giơ tay",
            in_favour=in_favour,
            against=against,
            abstaining=abstaining,
            conclusion="Hội nghị thống nhất thông qua" if unanimous else "Hội nghị biểu quyết thông qua",
        )
        meetings.record_decision(office, meeting.id, item.id, vote)
        progress(f"Thông qua: {documents.get_document(office, item.document_id).number}")
    minutes.generate_minutes(office, meeting.id)
    meetings.close_meeting(office, meeting.id)
    progress(
        f"Biên bản: {meetings.get_meeting(office, meeting.id).minutes_document.number}; hội nghị đã kết thúc"
    )


def _arrivals(office: User, progress) -> dict[str, int]:
    """The documents that arrived from above, registered in order of arrival: number -> id."""
    registered = {}
    for spec in sorted(content.INCOMING, key=lambda s: s["received_date"]):
        fields = {k: v for k, v in spec.items() if k != "paragraphs"}
        upload = None
        if "paragraphs" in spec:  # a secret one arrives on paper only: nothing is stored
            name = spec["number"].replace("/", "-") + ".docx"
            upload = documents.Upload(_simple_docx(spec["paragraphs"]), name)
        doc = register_document(office, parse(Registration, {**fields, "origin": "incoming"}), upload)
        registered[spec["number"]] = doc.id
        progress(f"Văn bản đến số {doc.arrival_number}: {doc.number}")
    return registered


def _circulate(office: User, clerk: User, member: User, document_id: int, progress) -> None:
    """The plan goes to review, to two committee members and a member for comments (one has
    answered), and onto the agenda of the next conference."""
    committee = []
    for username, password, name, seat in DEMO_COMMITTEE:
        user = user_services.find_user(username) or user_services.create_user(
            None, NewUser.of(username=username, role="member", password=password, display_name=name)
        )
        user_services.update_user(None, user.id, UserChange.of(committee=seat))
        committee.append(user)
    documents.transition(clerk, document_id, Move.of(to="in_review"))
    round_of_comments = OpenConsultation.of(
        group="named",
        users=[u.id for u in [*committee, member]],
        deadline=local_today() + timedelta(days=10),
        question="Đề nghị các đồng chí góp ý dự thảo kế hoạch trước hội nghị lần thứ ba.",
    )
    asked = consultations.open_consultation(office, document_id, round_of_comments)
    reply = Answer.of(
        choice="other", comment="Đề nghị bổ sung tiến độ kiểm tra tổ bầu cử ở từng khu vực.", version=1
    )
    consultations.answer(committee[1], asked.id, reply)
    progress("Lấy ý kiến dự thảo kế hoạch: 3 đồng chí, 1 đã trả lời")
    planned = meetings.create_meeting(
        office,
        parse(
            NewMeeting,
            {
                **content.CONFERENCE,
                "ordinal": 3,
                "expanded": False,
                "date": (local_today() + timedelta(days=14)).isoformat(),
            },
        ),
    )
    meetings.add_agenda_item(
        office,
        planned.id,
        NewAgendaItem.of(
            title="Xem xét, thông qua Kế hoạch lãnh đạo bầu cử",
            presenter="Trần Thị Hoa",
            document_id=document_id,
        ),
    )
    progress("Hội nghị lần thứ ba: dự kiến")


def _simple_docx(paragraphs: list[str]) -> bytes:
    """A plain DOCX, as a clerk's own file would be (uploaded, not drafted from a template)."""
    document = DocxDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
