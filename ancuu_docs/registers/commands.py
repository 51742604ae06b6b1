"""What the register commands take, typed: registering an entry, the books' working columns,
a book's filters. Parsed at the edge (`schema.parse`) from the page, the API, the archive
import's CSV rows and the demo alike."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated

from .. import parsing
from ..documents.commands import NUMBER_MAX, SECRET_SUMMARY, SIGNER_MAX, SUMMARY_MAX, TITLE_MAX
from ..documents.types import DOC_TYPES, Origin, SecurityLevel, Urgency
from ..errors import InvalidInput
from ..schema import Choice, Command, Day, Flag, Integer, Member, Text, custom, parse
from ..timeutil import local_today

NOTE_MAX = 2000
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
    # The issuer is another body than the listed one its name looks like: kept as typed.
    new_issuer: Annotated[bool, Flag("cơ quan khác, giữ tên như đã nhập")] = False

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
    archive_holder: Annotated[str, Text("đơn vị, người nhận bản lưu", limit=200)] = ""
    copies: Annotated[int | None, Integer("số bản", low=1, high=10_000)] = None
    sent_date: Annotated[date | None, Day("ngày gửi")] = None
    note: Annotated[str, Text("ghi chú", limit=NOTE_MAX)] = ""

    def check_together(self) -> dict[str, str]:
        if _after_today(self.sent_date):
            return {"sent_date": "Ngày gửi không được sau hôm nay."}
        return {}


class Handling(Command):
    """The incoming book's working columns: who handles it, the deadline, the day replied."""

    handler: Annotated[str, Text("đơn vị hoặc người nhận", limit=200)] = ""
    reply_due: Annotated[date | None, Day("hạn giải quyết")] = None
    replied_date: Annotated[date | None, Day("ngày trả lời")] = None
    note: Annotated[str, Text("ghi chú", limit=NOTE_MAX)] = ""

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


# What a correction of an entry may change: every column the office wrote when registering.
CORRECTABLE = (
    "number",
    "issuer",
    "issue_date",
    "received_date",
    "doc_type",
    "title",
    "summary",
    "signer",
    "urgency",
    "security_level",
    "handler",
    "reply_due",
    "note",
    "confidential",
)


class EntryCorrection(Command):
    """A correction of a registered entry: the fields in `sent` change (a blank one is
    cleared where it may be), the others stay. The page sends them all; the API those it
    means to change."""

    number: Annotated[str, Text("số, ký hiệu", limit=NUMBER_MAX)] = ""
    issuer: Annotated[str, Text("cơ quan ban hành", limit=200)] = ""
    issue_date: Annotated[date | None, Day("ngày văn bản")] = None
    received_date: Annotated[date | None, Day("ngày đến")] = None
    doc_type: Annotated[str | None, Choice(DOC_TYPES, "loại văn bản", required=False)] = None
    title: Annotated[str, Text("trích yếu", limit=TITLE_MAX)] = ""
    summary: Annotated[str, Text("tóm tắt", limit=SUMMARY_MAX)] = ""
    signer: Annotated[str, Text("người ký", limit=SIGNER_MAX)] = ""
    urgency: Annotated[Urgency, Member(Urgency, "độ khẩn", blank=Urgency.NORMAL)] = Urgency.NORMAL
    security_level: Annotated[SecurityLevel, Member(SecurityLevel, "độ mật", blank=SecurityLevel.NONE)] = (
        SecurityLevel.NONE
    )
    handler: Annotated[str, Text("đơn vị hoặc người nhận", limit=200)] = ""
    reply_due: Annotated[date | None, Day("hạn giải quyết")] = None
    note: Annotated[str, Text("ghi chú", limit=NOTE_MAX)] = ""
    confidential: Annotated[bool, Flag("hạn chế")] = False
    new_issuer: Annotated[bool, Flag("cơ quan khác, giữ tên như đã nhập")] = False
    # The fields the correction names (given by the edge: the keys it was sent).
    sent: frozenset[str] = frozenset()

    @classmethod
    def of_source(cls, source, sent: Iterable[str] | None = None) -> EntryCorrection:
        """The correction of the fields `sent` (by default those `source` has)."""
        named = frozenset(name for name in CORRECTABLE if name in source) if sent is None else sent
        return parse(cls, source, sent=frozenset(named))

    def changes(self) -> dict[str, object]:
        """{column: new value} of the fields sent, blank text as None where a column may be empty."""
        values = {name: getattr(self, name) for name in CORRECTABLE if name in self.sent}
        for name in ("issuer", "signer", "handler", "note"):
            if name in values:
                values[name] = values[name] or None
        if "note" in values:
            values["register_note"] = values.pop("note")
        return values

    def check_together(self) -> dict[str, str]:
        problems = {}
        for name in ("number", "issue_date", "doc_type"):
            if name in self.sent and not getattr(self, name) and not self.wrong(name):
                problems[name] = f"Cần nhập {_LABELS[name]}."
        if _after_today(self.issue_date):
            problems["issue_date"] = "Ngày văn bản không được sau hôm nay."
        if _after_today(self.received_date):
            problems["received_date"] = "Ngày đến không được sau hôm nay."
        return problems


_LABELS = {"number": "số, ký hiệu", "issue_date": "ngày văn bản", "doc_type": "loại văn bản"}


class Cancellation(Command):
    """A wrong entry cancelled: why, written in its book."""

    reason: Annotated[str, Text("lý do hủy", limit=NOTE_MAX, required=True)] = ""


class IssuerName(Command):
    """A body's name on the list of those that send documents."""

    name: Annotated[str, Text("tên cơ quan", limit=200, required=True, one_line=True)] = ""
