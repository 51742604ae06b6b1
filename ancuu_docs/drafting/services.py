"""Templates and drafts: list, fill, preview, generate into the registry; custom templates."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .. import storage
from ..audit.services import record
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..documents import services as documents
from ..documents.commands import NewDocument, NewVersion
from ..documents.models import Document
from ..documents.types import DOC_TYPES, EDITABLE
from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..extract import DOCX
from ..text import fold
from .bounded import run_bounded
from .commands import GenerateDraft, NewTemplate, TemplateVersion
from .fields import FieldSpec, clean_values, parse_declaration, sample_values
from .models import DraftTemplate, DraftTemplateVersion, GeneratedVersion
from .rendering import check_template, engine_context, render


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    doc_type: str
    fields: list[FieldSpec]
    builtin: bool
    version: int
    placeholders: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "doc_type": self.doc_type,
            "builtin": self.builtin,
            "version": self.version,
            "fields": [spec.as_json() for spec in self.fields],
        }


# ------------------------------------------------------------------ the template list


def _builtin_folder() -> Path:
    return Path(current_app.config["TEMPLATE_FOLDER"])


def _builtin(path: Path) -> Template:
    declaration = json.loads(path.read_text(encoding="utf-8"))
    return Template(
        key=declaration["key"],
        name=declaration["name"],
        doc_type=declaration["doc_type"],
        fields=parse_declaration(declaration["fields"]),
        builtin=True,
        version=1,
    )


def _custom(template: DraftTemplate) -> Template:
    current = template.current
    return Template(
        key=template.key,
        name=template.name,
        doc_type=template.doc_type,
        fields=parse_declaration(json.loads(current.fields_json)),
        builtin=False,
        version=current.n,
        placeholders=tuple(json.loads(current.placeholders_json)),
    )


def list_templates() -> list[Template]:
    builtins = [_builtin(path) for path in sorted(_builtin_folder().glob("*.json"))]
    order = {"resolution": 0, "work-programme": 1, "inspection-programme": 2, "report": 3, "minutes": 4}
    builtins.sort(key=lambda t: order.get(t.key, 99))
    customs = [_custom(t) for t in db.session.scalars(select(DraftTemplate).order_by(DraftTemplate.name))]
    return builtins + customs


def get_template(key: str | None) -> Template:
    for template in list_templates():
        if template.key == key:
            return template
    raise NotFound(f"Không có mẫu «{key}».")


def template_file(template: Template) -> bytes:
    if template.builtin:
        return (_builtin_folder() / f"{template.key}.docx").read_bytes()
    custom = db.session.scalar(select(DraftTemplate).where(DraftTemplate.key == template.key))
    return storage.read(custom.current.sha256)


# ------------------------------------------------------------------ filling


def _filename(template: Template, values: dict, version: int) -> str:
    subject = str(values.get("subject") or template.name)
    words = re.sub(r"[^a-z0-9\s]", "", fold(subject)).split()[:8]
    return f"{template.doc_type}-{'-'.join(words) or template.key}-v{version}.docx"


def render_draft(template: Template, values: dict, *, version: int) -> bytes:
    return render_with(template, {**engine_context(template.doc_type, version=version), **values})


def render_with(template: Template, context: dict) -> bytes:
    source = template_file(template)
    if template.builtin:  # ours: rendered here
        return render(source, context)
    return run_bounded(lambda: render(source, context))  # an admin's: bounded in a child


def _remember(doc: Document, template: Template, values: dict) -> None:
    """Keep how the new current version was made, to render its issued file the same way."""
    stored = {key: value.isoformat() if isinstance(value, date) else value for key, value in values.items()}
    db.session.add(
        GeneratedVersion(
            version_id=doc.current_version.id,
            template_key=template.key,
            template_version=None if template.builtin else template.version,
            fields_json=json.dumps(stored, ensure_ascii=False),
        )
    )
    db.session.flush()


def fill(key: str | None, raw_fields: dict) -> tuple[Template, dict]:
    if not key:
        raise InvalidInput("Cần cho biết mẫu văn bản (template).", field="template")
    template = get_template(key)
    if not isinstance(raw_fields, dict):
        raise InvalidInput("«fields» phải là một đối tượng JSON.", field="fields")
    return template, clean_values(template.fields, raw_fields)


def check_may_draft(actor: User) -> None:
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền soạn dự thảo.")


def preview(actor: User, key: str | None, raw_fields: dict) -> bytes:
    """The DOCX a clerk would get, without filing it."""
    check_may_draft(actor)
    template, values = fill(key, raw_fields)
    return render_draft(template, values, version=1)


@dataclass(frozen=True)
class RenderedDraft:
    """A template rendered for filing, outside any transaction: the file (checked, its text
    read) and how it was made."""

    template: Template
    values: dict
    upload: documents.Upload

    @property
    def default_title(self) -> str:
        kind = DOC_TYPES[self.template.doc_type].split(" /")[0]
        return f"{kind} {self.values.get('subject', '')}".strip()


def render_for_filing(key: str | None, raw_fields: dict, *, version: int) -> RenderedDraft:
    """Fill and render a template as version `version` of a draft, and read the result as an
    upload is read: the slow part of generating, done before the transaction that files it."""
    template, values = fill(key, raw_fields)
    data = render_draft(template, values, version=version)
    upload = documents.Upload(data, _filename(template, values, version))
    checked = documents.Upload(data, upload.filename, extracted=documents.check_upload(upload))
    return RenderedDraft(template, values, checked)


def file_rendered(
    actor: User,
    rendered: RenderedDraft,
    *,
    title: str,
    document_id: int | None = None,
    base_version: int = 0,
    confidential: bool = False,
) -> Document:
    """File a rendered draft (joining the caller's unit of work, if any): a new draft, or the
    next version of `document_id`, with how it was made remembered."""
    name = rendered.template.name
    with unit_of_work():
        if document_id is None:
            draft = NewDocument.of(
                title=title,
                doc_type=rendered.template.doc_type,
                confidential=confidential,
                comment=f"Soạn từ mẫu «{name}»",
            )
            doc = documents.create_document(actor, draft, rendered.upload)
        else:
            change = NewVersion.of(base_version=base_version, comment=f"Soạn lại từ mẫu «{name}»")
            doc = documents.add_version(actor, document_id, change, rendered.upload)
        _remember(doc, rendered.template, rendered.values)
    return doc


def generate_draft(actor: User, request: GenerateDraft) -> Document:
    """Render a template and file it: version 1 of a new draft, or the next version of an
    existing draft (with the same stale-base rule as an upload)."""
    check_may_draft(actor)
    key, raw_fields = request.template, request.fields
    if request.document_id is None:
        rendered = render_for_filing(key, raw_fields, version=1)
        return file_rendered(actor, rendered, title=request.title or rendered.default_title)
    doc = documents.get_document(actor, request.document_id)
    if doc.status not in EDITABLE:  # a registered document takes scans, never a generated draft
        raise Conflict(
            f"Văn bản đang ở trạng thái «{doc.status_label}»: không soạn thêm dự thảo vào được.",
            field="document_id",
        )
    template, _values = fill(key, raw_fields)
    if doc.doc_type != template.doc_type:
        raise InvalidInput(
            f"Mẫu «{template.name}» là {DOC_TYPES[template.doc_type]}, văn bản là {doc.doc_type_name}.",
            field="document_id",
        )
    base = request.base_version
    documents.check_can_add_version(actor, doc, base)
    rendered = render_for_filing(key, raw_fields, version=base + 1)
    title = request.title or rendered.default_title
    return file_rendered(actor, rendered, title=title, document_id=doc.id, base_version=base)


def drafts_for(actor: User) -> list[Document]:
    """The drafts this user may add a generated version to."""
    return documents.editable_documents(actor, Action.ADD_VERSION)


# ------------------------------------------------------------------ custom templates


def _parse_fields_json(text: str | None) -> list | None:
    if not (text or "").strip():
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"Khai báo trường không phải JSON hợp lệ: {exc}.", field="fields") from exc


def _checked(upload: documents.Upload | None, fields_text: str | None) -> tuple[list[FieldSpec], list[str]]:
    extracted = documents.check_upload(upload)
    if extracted.media_type != DOCX:
        raise InvalidInput("Mẫu phải là tệp .docx.", field="file")
    declared = _parse_fields_json(fields_text)
    specs = parse_declaration(declared) if declared is not None else []
    report = check_template(upload.data, sample_values(specs))
    declared_names = {spec.name for spec in specs}
    # Placeholders nobody declared become optional text fields, so every one is on the form.
    specs += [
        FieldSpec(name=name, label=name, type="text")
        for name in report.placeholders
        if name not in declared_names and re.match(r"^[a-z][a-z0-9_]{0,39}$", name)
    ]
    return specs, report.placeholders


def _specs_json(specs: list[FieldSpec]) -> str:
    raw = []
    for spec in specs:
        item = {"name": spec.name, "label": spec.label, "type": spec.type, "required": spec.required}
        for extra in ("default", "hint", "placeholder", "choices_from"):
            if getattr(spec, extra):
                item[extra] = getattr(spec, extra)
        if spec.choices:
            item["choices"] = list(spec.choices)
        if spec.columns:
            item["columns"] = [{"name": c.name, "label": c.label} for c in spec.columns]
        raw.append(item)
    return json.dumps(raw, ensure_ascii=False)


def _require_admin(actor: User) -> None:
    if not can(actor, Action.MANAGE_TEMPLATES):
        raise Forbidden("Chỉ quản trị được quản lý mẫu văn bản.")


def create_custom_template(
    actor: User, declared: NewTemplate, upload: documents.Upload | None
) -> DraftTemplate:
    _require_admin(actor)
    key, name, doc_type, fields_text = declared.key, declared.name, declared.doc_type, declared.fields
    if any(t.key == key for t in list_templates()):
        raise Conflict(f"Mã mẫu «{key}» đã có.", field="key")
    specs, placeholders = _checked(upload, fields_text)

    def work() -> DraftTemplate:
        template = DraftTemplate(key=key, name=name, doc_type=doc_type, created_by_id=actor.id)
        db.session.add(template)
        _add_template_version(actor, template, upload, specs, placeholders, n=1, comment="")
        return template

    return documents.write_with_file(upload.data, work)


def add_custom_template_version(
    actor: User, key: str, version: TemplateVersion, upload: documents.Upload | None
) -> DraftTemplate:
    _require_admin(actor)
    template = db.session.scalar(select(DraftTemplate).where(DraftTemplate.key == key))
    if template is None:
        raise NotFound(f"Không có mẫu tải lên «{key}».")
    fields_text, comment = version.fields or template.current.fields_json, version.comment
    specs, placeholders = _checked(upload, fields_text)

    def work() -> DraftTemplate:
        locked = db.session.scalar(select(DraftTemplate).where(DraftTemplate.key == key).with_for_update())
        _add_template_version(
            actor, locked, upload, specs, placeholders, n=locked.current.n + 1, comment=comment
        )
        return locked

    return documents.write_with_file(upload.data, work)


def _add_template_version(actor, template, upload, specs, placeholders, *, n: int, comment: str) -> None:
    db.session.add(
        DraftTemplateVersion(
            template=template,
            n=n,
            sha256=storage.sha256_of(upload.data),
            filename=documents.safe_filename(upload.filename),
            fields_json=_specs_json(specs),
            placeholders_json=json.dumps(placeholders, ensure_ascii=False),
            author_id=actor.id,
            comment=comment,
        )
    )
    db.session.flush()
    record(actor, "template.version", template, template_key=template.key, n=n)


def custom_template(actor: User, key: str) -> DraftTemplate:
    _require_admin(actor)
    template = db.session.scalar(select(DraftTemplate).where(DraftTemplate.key == key))
    if template is None:
        raise NotFound(f"Không có mẫu tải lên «{key}».")
    return template


def custom_templates(actor: User) -> list[DraftTemplate]:
    _require_admin(actor)
    return list(db.session.scalars(select(DraftTemplate).order_by(DraftTemplate.name)))
