"""Pages: pick a template, fill the generated form, preview, generate; admins' templates."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import storage
from ..auth.policy import Action, can
from ..documents import services as documents
from ..documents.types import DOC_TYPES
from ..errors import DomainError, Forbidden, InvalidInput
from ..extract import DOCX
from ..web import PostForm
from . import services
from .preview import docx_to_html

bp = Blueprint("drafting", __name__)

BLANK_ROWS = 3  # empty lines offered under the filled ones in a table field


@bp.before_request
@login_required
def _login_first() -> None:
    """Every page here needs a signed-in user."""


def _actor():
    return current_user._get_current_object()


@bp.get("/drafts")
def index():
    if not can(_actor(), Action.CREATE):
        raise Forbidden("Bạn không có quyền soạn dự thảo.")
    return render_template("drafting/index.html", templates=services.list_templates())


def _raw_fields(template: services.Template, form) -> dict:
    """The form's values keyed by field name; table fields from their `name-i-column` inputs."""
    raw: dict[str, object] = {}
    for spec in template.fields:
        if spec.type == "rows":
            rows, i = [], 0
            while f"{spec.name}-{i}-{spec.columns[0].name}" in form:
                rows.append({c.name: form.get(f"{spec.name}-{i}-{c.name}", "") for c in spec.columns})
                i += 1
            raw[spec.name] = rows
        else:
            raw[spec.name] = form.get(spec.name, "")
    return raw


def _initial(template: services.Template) -> dict:
    values: dict[str, object] = {}
    for spec in template.fields:
        if spec.default is not None:
            values[spec.name] = spec.default
        elif spec.type == "rows":
            values[spec.name] = []
        elif spec.type == "choice" and spec.options():
            values[spec.name] = spec.options()[0]
    return values


@bp.route("/drafts/<key>", methods=["GET", "POST"])
def fill(key: str):
    actor = _actor()
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền soạn dự thảo.")
    template = services.get_template(key)
    form = PostForm()
    values = _initial(template)
    errors: dict[str, str] = {}
    general: list[str] = []
    preview_html = None
    status = 200
    choice = {"title": "", "target": ""}
    if request.method == "POST" and form.validate_on_submit():
        values = _raw_fields(template, request.form)
        choice = {"title": request.form.get("title", ""), "target": request.form.get("target", "")}
        document_id, base_version = _target(choice["target"])
        try:
            if request.form.get("action") == "generate":
                doc = services.generate_draft(
                    actor,
                    key,
                    values,
                    title=choice["title"],
                    document_id=document_id,
                    base_version=base_version,
                )
                flash(f"Đã tạo dự thảo phiên bản {doc.current_version.n}.", "success")
                return redirect(url_for("documents.show", document_id=doc.id))
            preview_html = docx_to_html(services.preview(actor, key, values))
        except DomainError as err:
            if err.status in (403, 404):
                raise
            errors = dict(err.extra.get("errors", {}))
            if err.field and err.field not in errors:
                errors[err.field] = err.message
            if not errors:
                general.append(err.message)
            status = err.status
    elif request.method == "POST":
        status = 400
        general.append("Phiên làm việc đã hết hạn. Vui lòng gửi lại biểu mẫu.")
    return render_template(
        "drafting/fill.html",
        template=template,
        form=form,
        values=values,
        errors=errors,
        general=general,
        preview_html=preview_html,
        drafts=services.drafts_for(actor),
        choice=choice,
        blank_rows=BLANK_ROWS,
    ), status


def _target(value: str) -> tuple[int | None, int | None]:
    """ "" for a new document, "12@3" for document 12 based on its version 3."""
    if not value:
        return None, None
    doc_id, _, base = value.partition("@")
    try:
        return int(doc_id), int(base)
    except ValueError:
        raise InvalidInput("Chọn tài liệu hợp lệ.", field="target") from None


# ------------------------------------------------------------------ admins: uploaded templates


@bp.route("/admin/templates", methods=["GET", "POST"])
def admin_templates():
    actor = _actor()
    customs = services.custom_templates(actor)
    form = PostForm()
    error, field, status = None, None, 200
    entered = {"key": "", "name": "", "doc_type": "NQ", "fields": ""}
    if request.method == "POST" and form.validate_on_submit():
        entered = {k: request.form.get(k, "") for k in entered}
        try:
            template = services.create_custom_template(
                actor,
                key=entered["key"],
                name=entered["name"],
                doc_type=entered["doc_type"],
                upload=documents.Upload.from_file(request.files.get("file")),
                fields_text=entered["fields"],
            )
            flash(f"Đã thêm mẫu «{template.name}».", "success")
            return redirect(url_for("drafting.admin_template", key=template.key))
        except DomainError as err:
            if err.status in (403, 404):
                raise
            error, field, status = err.message, err.field, err.status
    return render_template(
        "drafting/admin_templates.html",
        customs=customs,
        builtins=[t for t in services.list_templates() if t.builtin],
        form=form,
        error=error,
        error_field=field,
        entered=entered,
        doc_types=DOC_TYPES,
    ), status


@bp.route("/admin/templates/<key>", methods=["GET", "POST"])
def admin_template(key: str):
    actor = _actor()
    template = services.custom_template(actor, key)
    form = PostForm()
    error, status = None, 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.add_custom_template_version(
                actor,
                key,
                upload=documents.Upload.from_file(request.files.get("file")),
                fields_text=request.form.get("fields"),
                comment=request.form.get("comment", ""),
            )
            flash("Đã thêm phiên bản mẫu.", "success")
            return redirect(url_for("drafting.admin_template", key=key))
        except DomainError as err:
            if err.status in (403, 404):
                raise
            error, status = err.message, err.status
    current = services.get_template(key)
    return render_template(
        "drafting/admin_template.html",
        template=template,
        current=current,
        fields_json=json.dumps([s.as_json() for s in current.fields], ensure_ascii=False, indent=2),
        form=form,
        error=error,
    ), status


@bp.get("/admin/templates/<key>/versions/<int:n>/file")
def admin_template_file(key: str, n: int):
    template = services.custom_template(_actor(), key)
    version = next((v for v in template.versions if v.n == n), None)
    if version is None:
        raise InvalidInput(f"Mẫu không có phiên bản {n}.")
    return storage.send(version.sha256, download_name=version.filename, mimetype=DOCX)
