"""What the drafting commands take, typed: generating a draft from a template (its declared
fields are then checked by the template's own declaration, `fields.clean_values`), and an
admin's uploaded template and its versions."""

from __future__ import annotations

import re
from typing import Annotated, Any

from .. import parsing
from ..documents.commands import COMMENT_MAX, TITLE_MAX
from ..documents.types import DOC_TYPES
from ..errors import InvalidInput
from ..schema import Choice, Command, Integer, Text, custom

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{2,39}$")
DECLARATION_MAX = 100_000


def _template_key(value: object) -> str:
    if parsing.blank(value):
        raise InvalidInput("Cần cho biết mẫu văn bản (template).", field="template")
    return parsing.text(value, field="template", label="mẫu văn bản", limit=40)


def _declared_values(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("«fields» phải là một đối tượng JSON.", field="fields")
    return value


class GenerateDraft(Command):
    """A draft rendered from `template` with the values of its declared `fields`: version 1 of
    a new document, or the next version of `document_id` made on `base_version`."""

    template: Annotated[str, custom(_template_key, required=True)] = ""
    fields: Annotated[dict[str, Any], custom(_declared_values)] = {}  # noqa: RUF012 (copied per model)
    # The type and the subject when none is given.
    title: Annotated[str, Text("trích yếu", limit=TITLE_MAX)] = ""
    document_id: Annotated[int | None, Integer("mã văn bản (document_id)", low=1)] = None
    base_version: Annotated[int | None, Integer("phiên bản gốc (base_version)", low=0)] = None

    def check_together(self) -> dict[str, str]:
        if self.document_id is not None and self.base_version is None and not self.wrong("base_version"):
            return {"base_version": "Cần nhập phiên bản gốc (base_version)."}
        return {}


def _key(value: object) -> str:
    key = (value if isinstance(value, str) else "").strip().lower()
    if not KEY.match(key):
        raise InvalidInput("Mã mẫu gồm 3-40 ký tự: chữ thường không dấu, số, gạch ngang.", field="key")
    return key


def _name(value: object) -> str:
    name = (value if isinstance(value, str) else "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("Cần tên mẫu (tối đa 200 ký tự).", field="name")
    return name


class NewTemplate(Command):
    """An admin's own template: its key, name, type and field declaration (the DOCX beside)."""

    key: Annotated[str, custom(_key, required=True)] = ""
    name: Annotated[str, custom(_name, required=True)] = ""
    doc_type: Annotated[str, Choice(DOC_TYPES, "loại văn bản")] = ""
    fields: Annotated[str, Text("khai báo trường", limit=DECLARATION_MAX)] = ""


class TemplateVersion(Command):
    """A new version of an uploaded template; a blank declaration keeps the current one."""

    fields: Annotated[str, Text("khai báo trường", limit=DECLARATION_MAX)] = ""
    comment: Annotated[str, Text("ghi chú", limit=COMMENT_MAX)] = ""
