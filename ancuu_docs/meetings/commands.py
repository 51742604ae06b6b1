"""What the meeting commands take, typed: a conference's record, an agenda item, attendance,
a vote. Parsed at the edge (`schema.parse`) from the pages and the API alike; what spans the
meeting's own numbers (present + absent = members, votes = present) the services check."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from .. import parsing
from ..errors import InvalidInput
from ..schema import Command, Day, Flag, Integer, Member, Text, Time, custom, unless_absent
from .models import Body, Outcome

TEXT_MAX = 300
GUESTS_MAX = 2000
MEMBERS_MAX = 1000


def _absences(rows: object) -> tuple[tuple[str, str], ...]:
    """(name, reason) of each member absent; an empty row is skipped, a half-filled one named."""
    rows = [] if rows is None else rows
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
    return tuple(absent)


class NewMeeting(Command):
    """A conference of the executive or standing committee: which one (body, term, ordinal),
    when and where, who chairs and who keeps the minutes, how many members it has."""

    body: Annotated[
        Body,
        Member(
            Body,
            "cơ quan họp",
            blank=Body.EXECUTIVE,
            explain="«executive» (Ban Chấp hành) hoặc «standing» (Ban Thường vụ)",
        ),
    ] = Body.EXECUTIVE
    # The configured term when none is given.
    term: Annotated[str, Text("nhiệm kỳ", limit=16)] = ""
    ordinal: Annotated[int, Integer("lần họp", low=1, high=200, required=True)] = None
    expanded: Annotated[bool, Flag("hội nghị mở rộng")] = False
    date: Annotated[dt.date, Day("ngày họp", required=True)] = None
    start_time: Annotated[dt.time, Time("giờ bắt đầu", required=True)] = None
    end_time: Annotated[dt.time | None, Time("giờ kết thúc")] = None
    place: Annotated[str, Text("địa điểm", limit=TEXT_MAX, required=True)] = ""
    chair_name: Annotated[str, Text("họ tên chủ trì", limit=TEXT_MAX, required=True)] = ""
    chair_position: Annotated[str, Text("chức vụ chủ trì", limit=TEXT_MAX, required=True)] = ""
    secretary_name: Annotated[str, Text("họ tên người ghi biên bản", limit=TEXT_MAX, required=True)] = ""
    secretary_position: Annotated[str, Text("chức vụ người ghi biên bản", limit=TEXT_MAX, required=True)] = ""
    total_members: Annotated[int, Integer("tổng số cấp ủy viên", low=1, high=MEMBERS_MAX, required=True)] = (
        None
    )
    guests: Annotated[str, Text("khách mời", limit=GUESTS_MAX)] = ""


class NewAgendaItem(Command):
    """What the conference discusses or decides, who presents it, the draft it adopts."""

    title: Annotated[str, Text("nội dung", limit=500, required=True)] = ""
    presenter: Annotated[str, Text("người trình bày", limit=TEXT_MAX, required=True)] = ""
    presenter_position: Annotated[str, Text("chức vụ người trình bày", limit=200)] = ""
    requires_vote: Annotated[bool, Flag("có biểu quyết", when_absent=True)] = True
    discussion: Annotated[str, Text("ý kiến thảo luận", limit=20_000)] = ""
    document_id: Annotated[int | None, Integer("mã văn bản", low=1)] = None


class Attendance(Command):
    """Who came: the number present, each absent member with the reason; the end time and
    the guests when given."""

    present: Annotated[int, Integer("số có mặt", low=0, high=MEMBERS_MAX, required=True)] = None
    absent: Annotated[tuple[tuple[str, str], ...], custom(_absences)] = ()
    end_time: Annotated[dt.time | None, Time("giờ kết thúc")] = None
    guests: Annotated[str | None, unless_absent(Text("khách mời", limit=GUESTS_MAX))] = None


def _votes(label: str) -> Integer:
    return Integer(label, low=0, high=MEMBERS_MAX, required=True)


class Vote(Command):
    """The vote on an item: how, the three counts, the conclusion; the outcome follows the
    counts unless given (a rejection may be recorded with a majority, never an adoption
    without one)."""

    method: Annotated[str, Text("hình thức biểu quyết", limit=100, required=True)] = ""
    in_favour: Annotated[int, _votes("số tán thành")] = None
    against: Annotated[int, _votes("số không tán thành")] = None
    abstaining: Annotated[int, _votes("số không biểu quyết")] = None
    conclusion: Annotated[str, Text("kết luận", limit=5000)] = ""
    outcome: Annotated[
        Outcome | None,
        Member(
            Outcome,
            "kết quả",
            optional=True,
            explain="«adopted» (thông qua) hoặc «rejected» (không thông qua)",
        ),
    ] = None
