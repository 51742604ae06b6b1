"""What the register commands take, typed: registering an entry, the books' working columns,
a book's filters. Parsed at the edge (`schema.parse`) from the page, the API, the archive
import's CSV rows and the demo alike."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from .. import parsing
from ..documents.commands import NUMBER_MAX, SECRET_SUMMARY, SIGNER_MAX, SUMMARY_MAX, TITLE_MAX
from ..documents.types import DOC_TYPES, Origin, SecurityLevel, Urgency
from ..errors import InvalidInput
from ..schema import Choice, Command, Day, Flag, Integer, Member, Text, custom
from ..timeutil import local_today

_TERM = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


def _term(value: object) -> str | None:
    """ "2020-2025": a five-year term, as the register writes it."""
    text = parsing.text(value, field="term", label="nhiệm kỳ", limit=16)
    if not text:
        return None
    match = _TERM.match(text)
    if not match or not 0 < int(match.group(2)) - int(match.group(1)) <= 5:
        raise InvalidInput("Nhiệm kỳ viết dạng «2020-2025».", field="term")
    return f"{match.group(1)}-{match.group(2)}"


def _after_today(day: date | None) -> bool:
    return day is not None and day > local_today()


class Registration(Command):
    """A document already issued: from another body (văn bản đến), ours from before the
    system with its printed number, or a secret one by its metadata only. The issuer and the
    arrival's columns are read for an incoming one only."""

    origin: Annotated[Origin, Member(Origin, "nguồn văn bản", blank=Origin.INTERNAL)] = Origin.INTERNAL
    doc_type: Annotated[str, Choice(DOC_TYPES, "loại văn bản")] = ""
    # Required unless top secret: the subject of a top-secret document is not written down.
    title: Annotated[str, Text("trích yếu", limit=TITLE_MAX)] = ""
    summary: Annotated[str, Text("tóm tắt", limit=SUMMARY_MAX)] = ""
    number: Annotated[str, Text("số, ký hiệu", limit=NUMBER_MAX, required=True)] = ""
    issue_date: Annotated[date, Day("ngày ban hành", required=True)] = None
    issuer: Annotated[str, Text("cơ quan ban hành", limit=200)] = ""
    # The configured term when none is given.
    term: Annotated[str | None, custom(_term)] = None
    # Today when none is given.
    received_date: Annotated[date | None, Day("ngày đến")] = None
    urgency: Annotated[Urgency, Member(Urgency, "độ khẩn", blank=Urgency.NORMAL)] = Urgency.NORMAL
    handler: Annotated[str, Text("người xử lý", limit=200)] = ""
    reply_due: Annotated[date | None, Day("hạn trả lời")] = None
    security_level: Annotated[SecurityLevel, Member(SecurityLevel, "độ mật", blank=SecurityLevel.NONE)] = (
        SecurityLevel.NONE
    )
    confidential: Annotated[bool, Flag("hạn chế")] = False
    signer: Annotated[str, Text("người ký", limit=SIGNER_MAX)] = ""

    @property
    def incoming(self) -> bool:
        return self.origin == Origin.INCOMING

    def check_together(self) -> dict[str, str]:
        problems = {}
        if not self.title and self.security_level != SecurityLevel.TUYET_MAT:
            problems["title"] = "Cần nhập trích yếu."
        if self.summary and self.security_level not in (None, SecurityLevel.NONE):
            problems["summary"] = SECRET_SUMMARY
        if _after_today(self.issue_date):
            problems["issue_date"] = "Ngày ban hành không được sau hôm nay."
        if self.incoming:
            if not self.issuer:
                problems["issuer"] = "Cần nhập cơ quan ban hành."
            received = self.received_date or local_today()
            if self.issue_date is not None and received < self.issue_date:
                problems["received_date"] = "Ngày đến không được trước ngày ban hành."
            if _after_today(received):
                problems["received_date"] = "Ngày đến không được sau hôm nay."
        return problems


class Dispatch(Command):
    """The outgoing book's columns of an issued document of ours."""

    recipients: Annotated[str, Text("nơi nhận", limit=5000)] = ""
    copies: Annotated[int | None, Integer("số bản", low=1, high=10_000)] = None
    sent_date: Annotated[date | None, Day("ngày gửi")] = None

    def check_together(self) -> dict[str, str]:
        if _after_today(self.sent_date):
            return {"sent_date": "Ngày gửi không được sau hôm nay."}
        return {}


class Handling(Command):
    """The incoming book's working columns: who handles it, the deadline, the day replied."""

    handler: Annotated[str, Text("người xử lý", limit=200)] = ""
    reply_due: Annotated[date | None, Day("hạn trả lời")] = None
    replied_date: Annotated[date | None, Day("ngày trả lời")] = None

    def check_together(self) -> dict[str, str]:
        if _after_today(self.replied_date):
            return {"replied_date": "Ngày trả lời không được sau hôm nay."}
        return {}


class BookFilters(Command):
    """A book's filters, from the query string: the year (none given: the latest year the book
    has entries in, `books.with_year`), the issuer, the type, only the incoming entries past
    their reply's deadline."""

    year: Annotated[int | None, Integer("năm", low=1900, high=2999)] = None
    issuer: Annotated[str, Text("cơ quan ban hành", limit=200)] = ""
    doc_type: Annotated[str | None, Choice(DOC_TYPES, "loại văn bản", required=False)] = None
    overdue: Annotated[bool, Flag("quá hạn trả lời")] = False
