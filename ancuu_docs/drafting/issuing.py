"""The issued file of a generated draft: the same template rendered again with the number,
the issue date and the signer (wired in create_app as the issued file's renderer)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from .. import storage
from ..documents.issuing import IssuedFile, issued_filename
from ..documents.models import Document, DocumentVersion
from ..errors import Conflict
from ..extensions import db
from .bounded import run_bounded
from .fields import parse_declaration
from .models import DraftTemplate, DraftTemplateVersion, GeneratedVersion
from .rendering import engine_context, render, used_names
from .services import get_template, render_with


def _made(doc: Document, version: DocumentVersion) -> GeneratedVersion | None:
    """How this version was generated; a restored version was made like the one it copies."""
    query = select(GeneratedVersion).join(DocumentVersion, DocumentVersion.id == GeneratedVersion.version_id)
    n = version.restored_from or version.n
    return db.session.scalar(query.where(DocumentVersion.document_id == doc.id, DocumentVersion.n == n))


def _values(template_fields, stored: dict) -> dict:
    """The values as they were checked when the draft was made (dates back to dates)."""
    kinds = {spec.name: spec.type for spec in template_fields}
    return {
        key: date.fromisoformat(value) if kinds.get(key) == "date" and value else value
        for key, value in stored.items()
    }


def details_of_draft(doc: Document) -> dict | None:
    made = _made(doc, doc.current_version) if doc.current_version else None
    if made is None:
        return None
    fields = json.loads(made.fields_json)
    return {"signer": fields.get("signer_name"), "recipients": fields.get("recipients")}


def render_issued(
    doc: Document, *, version: DocumentVersion, number: str, issued: date, signer: str | None
) -> IssuedFile | None:
    made = _made(doc, version)
    if made is None:
        return None  # uploaded by hand: documents fills it in
    stored = json.loads(made.fields_json)
    context = engine_context(doc.doc_type, version=version.n, number=number, issue_date=issued, signer=signer)
    if made.template_version is None:
        try:
            template = get_template(made.template_key)
        except Exception as exc:
            raise Conflict(
                f"Mẫu «{made.template_key}» dùng để soạn văn bản này không còn: không dựng được bản "
                "ban hành. Hãy tải lên tệp DOCX của bản ban hành làm phiên bản mới rồi phê duyệt."
            ) from exc
        values = _values(template.fields, stored)
        data = render_with(template, {**values, **context})
    else:
        data = _render_custom(made, stored, context)
    return IssuedFile(data=data, filename=issued_filename(number, version.filename))


def _render_custom(made: GeneratedVersion, stored: dict, context: dict) -> bytes:
    """An uploaded template, at the version that made the draft. One that does not place the
    engine's `issue` (number, date, signer) itself gets them through its `date` and
    `signer_name` fields."""
    row = db.session.scalar(
        select(DraftTemplateVersion)
        .join(DraftTemplate)
        .where(DraftTemplate.key == made.template_key, DraftTemplateVersion.n == made.template_version)
    )
    specs = parse_declaration(json.loads(row.fields_json))
    values = _values(specs, stored)
    source = storage.read(row.sha256)
    placeholders = used_names(source)
    issue = context["issue"]
    if "issue" not in placeholders:
        if "date" in values:
            values["date"] = issue["date"]
        if "signer_name" in values and issue["signer"]:
            values["signer_name"] = issue["signer"]
    full = {**values, **context}
    return run_bounded(lambda: render(source, full))
