"""Pages: pick a template, fill the generated form, preview, generate; admins' templates."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import storage
from ..auth.policy import Action, can
from ..documents import services as documents
from ..docx_html import docx_to_html
from ..errors import DomainError, Forbidden, InvalidInput, NotFound
from ..extract import DOCX
from ..web import choices, form_page, signed_in_only, signed_in_user
from . import services
from .commands import GenerateDraft
from .forms import FillForm, TemplateCreateForm, TemplateVersionForm, declared_fields

bp = Blueprint("drafting", __name__)


signed_in_only(bp)


@bp.get("/drafts")
def index():
    if not can(signed_in_user(), Action.CREATE):
        raise Forbidden("Bạn không có quyền soạn dự thảo.")
    return render_template("drafting/index.html", templates=services.list_templates())


def _initial(template: services.Template) -> dict:
    """Defaults, then what the link that opened the form says (a meeting's page opens the
    resolution form with `?meeting=<that conference>`); tables keep their defaults."""
    values: dict[str, object] = {}
    for spec in template.fields:
        given = request.args.get(spec.name, "").strip()
        if given and spec.type in ("text", "long_text", "date", "number", "choice"):
            values[spec.name] = given
        elif spec.default is not None:
            values[spec.name] = spec.default
        elif spec.type == "choice" and spec.options():
            values[spec.name] = spec.options()[0]
    return values


@bp.route("/drafts/<key>", methods=["GET", "POST"])
def fill(key: str):
    actor = signed_in_user()
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền soạn dự thảo.")
    template = services.get_template(key)
    form = FillForm()
    drafts = [d for d in services.drafts_for(actor) if d.doc_type == template.doc_type]
    form.target.choices = choices(
        (
            (f"{d.id}@{d.current_version.n}", f"Phiên bản {d.current_version.n + 1} của «{d.title}»")
            for d in drafts
        ),
        blank="Dự thảo mới (phiên bản 1)",
    )
    submitted = form.is_submitted()
    declared = declared_fields(template.fields, request.form if submitted else None, _initial(template))
    preview_html = None

    def render() -> str:
        return render_template(
            "drafting/fill.html", template=template, form=form, declared=declared, preview_html=preview_html
        )

    def submit():
        nonlocal preview_html
        if not declared.validate():  # the template's declared fields, each beside its own
            return render(), 400
        try:
            if form.action.data != "generate":
                preview_html = docx_to_html(services.preview(actor, key, declared.data))
                return render()
            document_id, base_version = _target(form.target.data)
            draft = GenerateDraft.of(
                template=key,
                fields=declared.data,
                title=form.title.data,
                document_id=document_id,
                base_version=base_version,
            )
            doc = services.generate_draft(actor, draft)
        except DomainError as err:
            raise _to_target(err) from None
        flash(f"Đã tạo dự thảo phiên bản {doc.current_version.n}.", "success")
        return redirect(url_for("documents.show", document_id=doc.id))

    return form_page(form, submit, render, declared)


def _to_target(err: DomainError) -> DomainError:
    """The register's document and base version are chosen in one list: say it there."""
    if err.field in ("document_id", "base_version", "file"):
        err.field = "target"
        err.extra = {k: v for k, v in err.extra.items() if k != "errors"}
    return err


def _target(value: str) -> tuple[int | None, int | None]:
    """ "" for a new document, "12@3" for document 12 based on its version 3."""
    if not value:
        return None, None
    doc_id, _, base = value.partition("@")
    try:
        return int(doc_id), int(base)
    except ValueError:
        raise InvalidInput("Chọn văn bản hợp lệ.", field="target") from None


# ------------------------------------------------------------------ admins: uploaded templates


@bp.route("/admin/templates", methods=["GET", "POST"])
def admin_templates():
    actor = signed_in_user()
    customs = services.custom_templates(actor)
    form = TemplateCreateForm()

    def submit():
        upload = documents.Upload.from_file(form.file.data)
        template = services.create_custom_template(actor, form.parsed(), upload)
        flash(f"Đã thêm mẫu «{template.name}».", "success")
        return redirect(url_for("drafting.admin_template", key=template.key))

    def render():
        builtins = [t for t in services.list_templates() if t.builtin]
        return render_template("drafting/admin_templates.html", customs=customs, builtins=builtins, form=form)

    return form_page(form, submit, render)


@bp.route("/admin/templates/<key>", methods=["GET", "POST"])
def admin_template(key: str):
    actor = signed_in_user()
    template = services.custom_template(actor, key)
    form = TemplateVersionForm()

    def submit():
        services.add_custom_template_version(
            actor, key, form.parsed(), documents.Upload.from_file(form.file.data)
        )
        flash("Đã thêm phiên bản mẫu.", "success")
        return redirect(url_for("drafting.admin_template", key=key))

    def render():
        current = services.get_template(key)
        if not form.is_submitted():
            form.fields.data = json.dumps([s.as_json() for s in current.fields], ensure_ascii=False, indent=2)
        return render_template("drafting/admin_template.html", template=template, current=current, form=form)

    return form_page(form, submit, render)


@bp.get("/admin/templates/<key>/versions/<int:n>/file")
def admin_template_file(key: str, n: int):
    template = services.custom_template(signed_in_user(), key)
    version = next((v for v in template.versions if v.n == n), None)
    if version is None:
        raise NotFound(f"Mẫu không có phiên bản {n}.")
    return storage.send(version.sha256, download_name=version.filename, mimetype=DOCX)
