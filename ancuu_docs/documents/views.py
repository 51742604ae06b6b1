"""Web pages for documents. Each handler reads the request, calls a service, renders."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from .. import parsing, storage
from ..audit import services as audit
from ..auth.policy import Action, can
from ..errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from ..highlight import Highlighter, terms_of
from ..schema import parse
from ..timeutil import local_today
from ..web import attach_error, choices, form_page, signed_in_only, signed_in_user
from ..wiring import panels, wired
from . import services, staging
from .commands import Comparison
from .content import content_html, page_list, page_png
from .forms import (
    ApprovalForm,
    DocumentCreateForm,
    DocumentFilterForm,
    MetadataForm,
    RelationForm,
    RestoreForm,
    TransitionForm,
    VersionForm,
)
from .issuing import is_docx
from .schemas import CHANGE_LABELS, SIGNATURE_LABELS
from .types import (
    DOC_TYPES,
    IRREVERSIBLE,
    STATUS_LABELS,
    TRANSITION_LABELS,
    TRANSITIONS,
    SecurityLevel,
    Status,
    Urgency,
)

bp = Blueprint("documents", __name__)


@bp.app_context_processor
def _helpers() -> dict:
    return {
        "DOC_TYPES": DOC_TYPES,
        "STATUS_LABELS": STATUS_LABELS,
        "Status": Status,
        "IRREVERSIBLE": IRREVERSIBLE,
        "SIGNATURE_LABELS": SIGNATURE_LABELS,
        "CHANGE_LABELS": CHANGE_LABELS,
        "SECURITY_LABELS": {level.value: level.label for level in SecurityLevel},
        "URGENCY_LABELS": {urgency.value: urgency.label for urgency in Urgency},
    }


signed_in_only(bp)


@bp.get("/documents")
def index():
    form = DocumentFilterForm(request.args)
    form.term.choices = choices(((t, t) for t in services.known_terms()), blank="Tất cả")
    filters = {key: request.args.get(key) or None for key in ("doc_type", "status", "term", "sort")}
    status = 200
    try:
        page = services.list_documents(
            signed_in_user(),
            **filters,
            page=parsing.query_int("page", 1),
            per_page=parsing.query_int("per_page", current_app.config["DOCUMENTS_PER_PAGE"], high=200),
        )
    except InvalidInput as err:
        status, filters = attach_error(form, err), {}
        page = services.list_documents(signed_in_user(), per_page=current_app.config["DOCUMENTS_PER_PAGE"])
    return render_template("documents/list.html", page=page, form=form, filters=filters), status


@bp.route("/documents/new", methods=["GET", "POST"])
def create():
    actor = signed_in_user()
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền tạo văn bản.")
    form = DocumentCreateForm()
    detected: set[str] = set()

    def render():
        staged_name = staging.staged_name(form)
        return render_template("documents/new.html", form=form, detected=detected, staged_name=staged_name)

    if request.form.get("action") == "detect" and form.is_submitted():
        status = 200
        try:  # "Đọc thông tin từ tệp": the type and title from the file's header, to check
            detected = staging.read_header(form, {"doc_type": "doc_type", "title": "subject"})
        except DomainError as err:
            status = attach_error(form, err)
        return render(), status

    def submit():
        staging.keep(form)  # a chosen file stays chosen when the form comes back refused
        doc = services.create_document(actor, form.parsed(), staging.upload(form))
        staging.forget(form)
        flash(f"Đã tạo dự thảo «{doc.title}».", "success")
        return redirect(url_for("documents.show", document_id=doc.id))

    return form_page(form, submit, render)


def _reading(doc) -> dict:
    """What the reading section shows: the version asked for (`?v=`, the current one by
    default), its body or pages, with the words of the search that led here (`?tim=`) marked."""
    n = parsing.query_int("v", doc.current_n, high=parsing.ID_MAX)
    version = doc.version(n) if doc.versions else None
    if version is None and doc.versions:
        raise NotFound(f"Văn bản không có phiên bản {n}.")
    marker = Highlighter(terms_of(request.args.get("tim")))
    content = content_html(version)
    pages = [
        (
            page,
            marker.mark("".join(f"<p>{escape(line)}</p>" for line in page.text.splitlines() if line.strip())),
        )
        for page in page_list(version)
    ]
    return {
        "version": version,
        "content": marker.mark(content) if content is not None else None,
        "pages": pages,
        "marked": marker.found,
        "terms": request.args.get("tim", ""),
    }


@bp.get("/documents/<int:document_id>")
def show(document_id: int):
    actor = signed_in_user()
    doc = services.get_document(actor, document_id)
    numbers = [v.n for v in doc.versions]
    return render_template(
        "documents/show.html",
        doc=doc,
        transitions=[(s, TRANSITION_LABELS[s]) for s in services.allowed_transitions(actor, doc)],
        version_form=VersionForm(base_version=doc.current_n),
        restore_form=RestoreForm(base_version=doc.current_n),
        transition_form=TransitionForm(),
        relation_form=_relation_form(actor, doc),
        reading=_reading(doc),
        diff_from=numbers[-2] if len(numbers) > 1 else (numbers or [0])[0],
        diff_to=(numbers or [0])[-1],
        relations=services.relations(actor, doc),
        # What other features add to the page (register columns, consultations, OCR, similar
        # documents), in the order create_app wires them.
        panels=Markup("").join(panels(wired().document_panels, doc, actor=actor)),
        history=audit.list_events(
            actor, audit.EventFilters(object_type="document", object_id=doc.id), per_page=20
        )
        if can(actor, Action.VIEW_AUDIT)
        else None,
    )


@bp.route("/documents/<int:document_id>/versions", methods=["GET", "POST"])
def add_version(document_id: int):
    actor = signed_in_user()
    doc = services.get_document(actor, document_id)
    services.check_can_add_version(actor, doc)
    form = VersionForm()
    if request.method == "GET":
        form.base_version.data = doc.current_n

    def submit():
        services.add_version(actor, document_id, form.parsed(), services.Upload.from_file(form.file.data))
        flash("Đã thêm phiên bản mới.", "success")
        return redirect(url_for("documents.show", document_id=document_id))

    return form_page(form, submit, lambda: render_template("documents/version_new.html", doc=doc, form=form))


def document_button(document_id: int, form, may, action) -> object:
    """A button on the document page: check who may press it (`may(actor, doc)`), run the
    change, say how it went, back to the page.

    Not-found and forbidden go on to the error page; other refusals are shown as a message.
    """
    actor = signed_in_user()
    try:
        may(actor, services.get_document(actor, document_id))
    except DomainError as err:
        if err.status in (403, 404):
            raise
        flash(err.message, "error")
        return redirect(url_for("documents.show", document_id=document_id))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("documents.show", document_id=document_id))
    try:
        flash(action(), "success")
    except DomainError as err:
        if err.status in (403, 404):
            raise
        flash(err.message, "error")
    return redirect(url_for("documents.show", document_id=document_id))


@bp.post("/documents/<int:document_id>/versions/<int:n>/restore")
def restore(document_id: int, n: int):
    form = RestoreForm()

    def action() -> str:
        services.restore_version(signed_in_user(), document_id, n, form.parsed())
        return f"Đã khôi phục phiên bản {n} thành phiên bản mới."

    return document_button(document_id, form, services.check_can_add_version, action)


def _relation_form(actor, doc) -> RelationForm:
    """Other documents of the register by number and title: the issued ones first."""
    form = RelationForm()
    others = services.list_documents(actor, sort="issued", per_page=200).items
    form.target_id.choices = choices(
        (
            (
                d.id,
                f"Số {d.number} – {d.display_title}" if d.number else f"{d.title} ({d.status_label.lower()})",
            )
            for d in others
            if d.id != doc.id
        ),
        blank="(văn bản ngoài sổ: ghi số hiệu)",
    )
    return form


@bp.get("/documents/<int:document_id>/versions/<int:n>/file")
def download(document_id: int, n: int):
    version = services.get_version(signed_in_user(), document_id, n)
    return storage.send(version.sha256, download_name=version.filename, mimetype=version.media_type)


@bp.get("/documents/<int:document_id>/versions/<int:n>/pages/<int:page>.png")
def page_image(document_id: int, n: int, page: int):
    """One page of a PDF or a scan, drawn to read in the page (never for who may not read it)."""
    version = services.get_version(signed_in_user(), document_id, n)
    response = make_response(page_png(version, page))
    response.mimetype = "image/png"
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/documents/<int:document_id>/versions/<int:n>/renditions/<kind>")
def download_rendition(document_id: int, n: int, kind: str):
    rendition = services.get_rendition(signed_in_user(), document_id, n, kind)
    return storage.send(rendition.sha256, download_name=rendition.filename, mimetype=rendition.media_type)


@bp.get("/documents/<int:document_id>/diff")
def diff(document_id: int):
    actor = signed_in_user()
    doc = services.get_document(actor, document_id)
    try:
        result = services.diff_versions(actor, document_id, parse(Comparison, request.args))
    except InvalidInput as err:
        flash(err.message, "error")
        return redirect(url_for("documents.show", document_id=document_id))
    return render_template("documents/diff.html", doc=doc, diff=result)


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    actor = signed_in_user()
    doc = services.get_document(actor, document_id)
    services.check_can_edit(actor, doc)
    form = MetadataForm(obj=doc if request.method == "GET" else None)

    def submit():
        services.update_metadata(actor, document_id, form.parsed())
        flash("Đã lưu thông tin văn bản.", "success")
        return redirect(url_for("documents.show", document_id=document_id))

    return form_page(form, submit, lambda: render_template("documents/edit.html", doc=doc, form=form))


def _may_transition(actor, doc) -> None:
    if not can(actor, Action.TRANSITION, doc):
        raise Forbidden("Bạn không có quyền chuyển trạng thái văn bản.")


@bp.post("/documents/<int:document_id>/transitions")
def transition(document_id: int):
    form = TransitionForm()

    def action() -> str:
        step = form.parsed()
        if step.to == Status.APPROVED:
            raise InvalidInput("Phê duyệt qua trang xác nhận: ngày ban hành, người ký và số sẽ cấp.")
        if step.to in IRREVERSIBLE and not form.confirm.data:
            raise InvalidInput("Hãy đánh dấu ô xác nhận: việc này không hoàn tác được.", field="confirm")
        doc = services.transition(signed_in_user(), document_id, step)
        number = f" Số văn bản: {doc.number}." if doc.number else ""
        return f"Đã chuyển sang «{doc.status_label}».{number}"

    return document_button(document_id, form, _may_transition, action)


def _may_approve(actor, doc) -> None:
    _may_transition(actor, doc)
    if Status.APPROVED not in services.allowed_transitions(actor, doc):
        if Status.APPROVED in TRANSITIONS[Status(doc.status)]:
            raise Forbidden("Chỉ Văn phòng Đảng ủy được phê duyệt văn bản này.")
        raise Conflict(f"Không thể phê duyệt văn bản đang ở trạng thái «{doc.status_label}».")


@bp.route("/documents/<int:document_id>/approve", methods=["GET", "POST"])
def approve(document_id: int):
    """The approval asks first: the number it will give, the issue date, the signer; then
    the issued file is made (a DOCX gets its number, date and signer; a PDF stays as is)."""
    actor = signed_in_user()
    doc = services.get_document(actor, document_id)
    _may_approve(actor, doc)
    form = ApprovalForm()
    if request.method == "GET":
        form.issue_date.data = local_today().isoformat()
        form.signer.data = services.default_signer(doc) or ""

    def submit():
        approved = services.transition(actor, document_id, form.parsed())
        flash(f"Đã phê duyệt và cấp số {approved.number}.", "success")
        return redirect(url_for("documents.show", document_id=document_id))

    def render():
        return render_template(
            "documents/approve.html",
            doc=doc,
            form=form,
            number=services.next_number(doc),
            makes_issued_file=is_docx(doc.current_version.media_type),
        )

    return form_page(form, submit, render)


@bp.post("/documents/<int:document_id>/relations")
def add_relation(document_id: int):
    form = RelationForm()

    def action() -> str:
        services.add_relation(signed_in_user(), document_id, form.parsed())
        return "Đã thêm quan hệ văn bản."

    return document_button(document_id, form, services.check_can_edit, action)
