"""What the document commands take, typed: a new draft, a version, a restore, a move along
the lifecycle (approval with its date and signer), a change of metadata, a relation. Parsed at
the edge (`schema.parse`) from the page, the API and the commands alike."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from ..schema import Choice, Command, Day, Flag, Integer, Member, Text, unless_absent
from ..timeutil import local_today
from .types import DOC_TYPES, Relation, Status

TITLE_MAX = 500
SUMMARY_MAX = 5000
COMMENT_MAX = 2000
SIGNER_MAX = 200
NUMBER_MAX = 64
SECRET_SUMMARY = "Văn bản mật không ghi tóm tắt nội dung: chỉ đăng ký số, ngày, cơ quan ban hành."


class NewDocument(Command):
    """A new draft of ours, with its first version (the file comes beside it)."""

    title: Annotated[str, Text("trích yếu", limit=TITLE_MAX, required=True)] = ""
    doc_type: Annotated[str, Choice(DOC_TYPES, "loại văn bản")] = ""
    summary: Annotated[str, Text("tóm tắt", limit=SUMMARY_MAX)] = ""
    confidential: Annotated[bool, Flag("hạn chế")] = False
    comment: Annotated[str, Text("ghi chú", limit=COMMENT_MAX)] = ""


class NewVersion(Command):
    """Version n+1 of a document, made on version `base_version` (the one the author saw)."""

    base_version: Annotated[int, Integer("phiên bản gốc (base_version)", low=0, required=True)] = None
    comment: Annotated[str, Text("ghi chú", limit=COMMENT_MAX)] = ""


class Restore(Command):
    """An older version copied as the newest, on the current `base_version`."""

    base_version: Annotated[int, Integer("phiên bản gốc (base_version)", low=0, required=True)] = None


class Move(Command):
    """A step along the lifecycle; approving takes the issue date (today by default) and the
    signer (see `lifecycle.default_signer`)."""

    to: Annotated[Status, Member(Status, "trạng thái đích")] = None
    issue_date: Annotated[date | None, Day("ngày ban hành")] = None
    signer: Annotated[str, Text("người ký", limit=SIGNER_MAX)] = ""

    def check_together(self) -> dict[str, str]:
        if self.issue_date is not None and self.issue_date > local_today():
            return {"issue_date": "Ngày ban hành không được sau hôm nay."}
        return {}


class Approval(Move):
    """Approving on its page: the signer is asked (filled with the default) and goes into the
    issued file."""

    to: Annotated[Status, Member(Status, "trạng thái đích", blank=Status.APPROVED)] = Status.APPROVED
    signer: Annotated[str, Text("người ký", limit=SIGNER_MAX, required=True)] = ""


class MetadataChange(Command):
    """A correction of a document's description (a registered entry's too): the fields sent
    change, those not sent (None) stay."""

    title: Annotated[str | None, unless_absent(Text("trích yếu", limit=TITLE_MAX, required=True))] = None
    summary: Annotated[str | None, unless_absent(Text("tóm tắt", limit=SUMMARY_MAX))] = None
    signer: Annotated[str | None, unless_absent(Text("người ký", limit=SIGNER_MAX))] = None
    confidential: Annotated[bool | None, unless_absent(Flag("hạn chế"))] = None


class Comparison(Command):
    """Two versions of a document compared word by word (`?from=1&to=2`)."""

    old: Annotated[int, Integer("số phiên bản «from»", low=1, required=True), Field(alias="from")] = None
    new: Annotated[int, Integer("số phiên bản «to»", low=1, required=True), Field(alias="to")] = None


class NewRelation(Command):
    """This document amends, replaces, implements or refers to another: one of the registry
    (`target_id`) or an outside one by its number only (`target_number`: "46-CT/TW")."""

    relation: Annotated[Relation, Member(Relation, "quan hệ")] = None
    target_id: Annotated[int | None, Integer("mã văn bản đích", low=1)] = None
    target_number: Annotated[str, Text("số hiệu", limit=NUMBER_MAX)] = ""

    def check_together(self) -> dict[str, str]:
        if self.target_id is None and not self.target_number and not self.wrong("target_id"):
            return {"target_number": "Cần chọn văn bản đích hoặc nhập số hiệu văn bản."}
        return {}
