"""What the consultation commands take, typed: opening a round of comments, an answer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from .. import parsing
from ..errors import InvalidInput
from ..schema import Command, Day, Integer, Member, Text, custom
from ..timeutil import day_start_utc, local_today, utcnow
from .models import Choice, Group

QUESTION_MAX = 2000
COMMENT_MAX = 10_000
# A consultation runs at most this long: a deadline years away is a typing mistake.
LONGEST = timedelta(days=366)
MAX_ASKED = 1000


def _user_ids(value: object) -> tuple[int, ...]:
    if value in (None, ""):
        return ()
    values = value if isinstance(value, list) else [value]
    if len(values) > MAX_ASKED:
        raise InvalidInput(f"Chọn tối đa {MAX_ASKED} người.", field="users")
    return tuple(
        sorted({parsing.integer(v, field="users", label="người được hỏi ý kiến", low=1) for v in values})
    )


class OpenConsultation(Command):
    """Who is asked (a committee, or people named by id), until which day, about what."""

    group: Annotated[
        Group,
        Member(
            Group,
            "nhóm được hỏi ý kiến",
            explain="«executive» (Ban Chấp hành), «standing» (Ban Thường vụ) hoặc «named» (người được chọn)",
        ),
    ] = None
    users: Annotated[tuple[int, ...], custom(_user_ids)] = ()
    deadline: Annotated[date, Day("hạn góp ý", required=True)] = None
    question: Annotated[str, Text("nội dung xin ý kiến", limit=QUESTION_MAX)] = ""

    def check_together(self) -> dict[str, str]:
        problems = {}
        if self.deadline is not None and self.deadline < local_today():
            problems["deadline"] = "Hạn góp ý đã qua: chọn từ hôm nay trở đi."
        elif self.deadline is not None and day_start_utc(self.deadline) - utcnow() > LONGEST:
            problems["deadline"] = "Hạn góp ý xa quá một năm."
        if self.group == Group.NAMED and not self.users:
            problems["users"] = "Chọn ít nhất một người để hỏi ý kiến."
        return problems


class Answer(Command):
    """One person's answer on the version they read (`version`); "other" needs the comment."""

    choice: Annotated[
        Choice,
        Member(
            Choice,
            "ý kiến",
            explain="«agree» (Đồng ý), «disagree» (Không đồng ý) hoặc «other» (Ý kiến khác)",
        ),
    ] = None
    comment: Annotated[str, Text("góp ý", limit=COMMENT_MAX)] = ""
    version: Annotated[int, Integer("phiên bản đã đọc", low=1, required=True)] = None

    def check_together(self) -> dict[str, str]:
        if self.choice == Choice.OTHER and not self.comment:
            return {"comment": "Ý kiến khác: cần ghi rõ ý kiến."}
        return {}
