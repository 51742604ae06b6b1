"""The register pages: registering a document already issued (with what its first page says,
read for the user to confirm), the books of a year, and the books' working columns on a
document (dispatch, handling)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for

from .. import web
from ..auth.policy import Action, can, is_office
from ..documents import intake, staging
from ..documents.services import Upload, get_document
from ..documents.types import SECRET_FILE
from ..documents.views import document_button
from ..errors import DomainError, Forbidden, InvalidInput, NotFound
from ..schema import parse
from ..timeutil import local_today
from ..web import STALE_FORM, attach_error, choices, form_page, signed_in_only, signed_in_user
from . import book_columns, book_files, books, correcting, issuers
from .commands import CORRECTABLE, BookFilters
from .forms import (
    CancellationForm,
    DispatchForm,
    EntryCorrectionForm,
    HandlingForm,
    IntakeForm,
    IssuerForm,
    RegisterFilterForm,
    RegistrationForm,
)
from .registering import check_may_register, register_document

bp = Blueprint("registers", __name__)
signed_in_only(bp)


@bp.route("/documents/register", methods=["GET", "POST"])
def register():
    """The office registers a document already issued: one that arrived, or ours from before.
    A chosen file is staged at once (an intake): its header fills the empty fields, marked for
    the user to check (a scan's when OCR has read its first page), and it stays chosen however
    often the form comes back refused."""
    actor = signed_in_user()
    check_may_register(actor)
    form = RegistrationForm()
    staged = {"filled": set(), "intake": None}

    def render() -> str:
        return render_template(
            "registers/register.html",
            form=form,
            issuers=issuers.names(),
            detected=staged["filled"],
            intake=staged["intake"],
        )

    if request.method == "GET":
        form.term.data = current_app.config["PARTY_TERM"]
        form.received_date.data = local_today().isoformat()
        form.origin.data = request.args.get("origin") or form.origin.data
        form.security_level.data = request.args.get("security_level") or form.security_level.data
    elif form.validate_on_submit():
        try:
            staged["intake"] = _stage_chosen(actor, form)
            if request.form.get("action") == "detect":
                staged["filled"] = _fill_from_intake(form, staged["intake"])
                return render(), 200
        except DomainError as err:
            status = attach_error(form, err)  # beside its field, before the page is drawn
            return render(), status

    def submit():
        data = form.parsed()
        secret = staging.is_secret(form)
        upload = None
        if form.intake.data and not secret:
            upload = intake.take(actor, form.intake.data)
        doc = register_document(actor, data, upload)
        if form.intake.data:  # a file read for a secret entry leaves the disk at once
            intake.used(form.intake.data, keep_file=not secret)
        arrival = ""
        if doc.arrival_number:
            secret_book = " của sổ văn bản mật đến" if doc.arrival_secret else ""
            arrival = f" Số đến {doc.arrival_number}/{doc.arrival_year}{secret_book}."
        flash(f"Đã đăng ký văn bản số {doc.number}.{arrival}", "success")
        return redirect(url_for("documents.show", document_id=doc.id))

    return form_page(form, submit, render)


def _stage_chosen(actor, form):
    """The file chosen now, staged (never for a secret entry: metadata only); else the one
    staged on an earlier round. None without either."""
    chosen = Upload.from_file(form.file.data)
    if chosen is not None and staging.is_secret(form):
        raise InvalidInput(SECRET_FILE, field="file")  # never read nor kept
    if chosen is not None:
        staged = intake.stage(actor, chosen)
        form.intake.data = str(staged.id)
        return staged
    return intake.staged_by(actor, form.intake.data) if form.intake.data else None


def _fill_from_intake(form, staged) -> set[str]:
    """The empty fields filled from what the header says (the type always: its box is never
    empty); a scan's once OCR has read it (the page fills itself then)."""
    if staged is None:
        raise InvalidInput("Chọn tệp để đọc thông tin.", field="file")
    if staged.state == intake.READING:
        return set()
    found = issuers.as_listed(intake.fields(staged))
    if not found:
        raise InvalidInput(staged.reason or intake.NOTHING_READ, field="file")
    filled = set()
    for name in ("number", "issue_date", "doc_type", "title", "issuer"):
        if name == "issuer" and form.origin.data != "incoming":
            continue  # ours: the issuing body is the committee itself
        field = getattr(form, name)
        if found.get(name) and (not field.data or name == "doc_type"):
            field.data = found[name]
            filled.add(name)
    return filled


@bp.post("/documents/intake")
def stage_file():
    """The register page's script stages the chosen file at once: {"id", "state"}."""
    actor = signed_in_user()
    try:
        check_may_register(actor)
        form = IntakeForm()
        if not form.validate_on_submit():
            raise InvalidInput(STALE_FORM if "csrf_token" in form.errors else "Cần chọn tệp.", field="file")
        upload = Upload.from_file(form.file.data)
        if upload is None:
            raise InvalidInput("Cần chọn tệp.", field="file")
        staged = intake.stage(actor, upload)
    except DomainError as err:
        return jsonify({"error": err.message}), err.status
    return jsonify(issuers.intake_answer(staged)), 202


@bp.get("/documents/intake/<int:intake_id>")
def intake_status(intake_id: int):
    """Where reading a staged file's header stands, for the register page's script."""
    actor = signed_in_user()
    try:
        check_may_register(actor)
        staged = intake.get(actor, intake_id)
    except DomainError as err:
        return jsonify({"error": err.message}), err.status
    return jsonify(issuers.intake_answer(staged))


@bp.post("/documents/<int:document_id>/dispatch")
def dispatch(document_id: int):
    form = DispatchForm()

    def action() -> str:
        book_columns.record_dispatch(signed_in_user(), document_id, form.parsed())
        return "Đã ghi sổ văn bản đi."

    return document_button(document_id, form, _may_dispatch, action)


@bp.post("/documents/<int:document_id>/handling")
def handling(document_id: int):
    form = HandlingForm()

    def action() -> str:
        book_columns.record_handling(signed_in_user(), document_id, form.parsed())
        return "Đã ghi sổ văn bản đến."

    return document_button(document_id, form, _may_dispatch, action)


def _may_dispatch(actor, doc) -> None:
    if not can(actor, Action.CREATE_CONFIDENTIAL):
        raise Forbidden("Chỉ Văn phòng Đảng ủy ghi sổ văn bản đến, văn bản đi.")


def _entry_to_correct(document_id: int):
    """The registered entry, for the office, not cancelled."""
    actor = signed_in_user()
    doc = get_document(actor, document_id)
    check_may_register(actor)
    correcting.check_correctable(doc)
    return actor, doc


@bp.route("/documents/<int:document_id>/entry", methods=["GET", "POST"])
def correct(document_id: int):
    """The office corrects a registered entry's every column; each change is audited."""
    actor, doc = _entry_to_correct(document_id)
    form = EntryCorrectionForm(data=_entry_values(doc) if request.method == "GET" else None)
    shown = [name for name in CORRECTABLE if doc.incoming or name not in correcting.INCOMING_ONLY]

    def submit():
        correcting.correct_entry(actor, document_id, form.parsed(sent=frozenset(shown)))
        flash("Đã sửa mục sổ; mọi thay đổi đã ghi nhật ký.", "success")
        return redirect(url_for("documents.show", document_id=document_id))

    def render() -> str:
        return render_template(
            "registers/correct.html",
            doc=doc,
            form=form,
            shown=shown,
            issuers=issuers.names(),
        )

    return form_page(form, submit, render)


def _entry_values(doc) -> dict:
    values = {name: getattr(doc, name) for name in CORRECTABLE if name != "note"}
    for name in ("issue_date", "received_date", "reply_due"):
        values[name] = values[name].isoformat() if values[name] else ""
    return values | {"note": doc.register_note or ""}


@bp.route("/documents/<int:document_id>/cancel", methods=["GET", "POST"])
def cancel(document_id: int):
    """The office cancels a wrong entry, with the reason: it stays in its book, marked."""
    actor, doc = _entry_to_correct(document_id)
    form = CancellationForm()

    def submit():
        correcting.cancel_entry(actor, document_id, form.parsed())
        flash("Đã hủy mục sổ; mục vẫn ở trong sổ, ghi «Đã hủy» và lý do.", "success")
        return redirect(url_for("documents.show", document_id=document_id))

    return form_page(form, submit, lambda: render_template("registers/cancel.html", doc=doc, form=form))


@bp.get("/registers/<kind>")
def book(kind: str):
    """A register of the year with its filters; the same rows as a file to print or work on."""
    actor = signed_in_user()
    register_book = books.book_named(actor, kind)
    form = RegisterFilterForm(request.args)
    status = 200
    try:
        filters = form.parsed()
    except InvalidInput as err:
        status = attach_error(form, err)
        filters = parse(BookFilters, {})
    known = books.years(actor, register_book)
    filters = books.with_year(filters, known)
    if not form.year.data:
        form.year.data = str(filters.year)
    form.issuer.choices = choices(((i, i) for i in books.issuers(actor, register_book)), blank="Tất cả")
    rows = books.entries(actor, register_book, filters)
    fmt = request.args.get("format")
    if fmt in book_files.MEDIA and status == 200:
        data = book_files.make(register_book, filters.year, rows, fmt)
        return web.download(
            data, book_files.filename(register_book, filters.year, fmt), book_files.MEDIA[fmt]
        )
    return render_template(
        "registers/book.html",
        book=register_book,
        kind=kind,
        title=register_book.title.capitalize(),
        columns=register_book.columns,
        rows=rows,
        filters=filters,
        form=form,
        office=is_office(actor),
        previous_year=max((y for y in known if y < filters.year), default=None),
        next_year=min((y for y in known if y > filters.year), default=None),
    ), status


@bp.route("/admin/issuers", methods=["GET", "POST"])
def issuer_list():
    """The admin keeps the list of bodies that send documents: offered when registering, and
    what a typed name is compared with."""
    actor = signed_in_user()
    if not can(actor, Action.MANAGE_USERS):
        raise Forbidden("Chỉ quản trị sửa danh sách cơ quan gửi văn bản.")
    form = IssuerForm()

    def submit():
        issuer = issuers.add(actor, form.parsed())
        flash(f"Đã thêm «{issuer.name}».", "success")
        return redirect(url_for("registers.issuer_list"))

    def render() -> str:
        return render_template("registers/issuers.html", form=form, listed=issuers.listed())

    return form_page(form, submit, render)


@bp.route("/admin/issuers/<int:issuer_id>", methods=["GET", "POST"])
def issuer_edit(issuer_id: int):
    actor = signed_in_user()
    if not can(actor, Action.MANAGE_USERS):
        raise Forbidden("Chỉ quản trị sửa danh sách cơ quan gửi văn bản.")
    # Through the list: the first look at it fills it from the settings.
    issuer = next((i for i in issuers.listed() if i.id == issuer_id), None)
    if issuer is None:
        raise NotFound("Không có cơ quan này trong danh sách.")
    form = IssuerForm(data={"name": issuer.name} if request.method == "GET" else None)

    def submit():
        if request.form.get("action") == "remove":
            issuers.remove(actor, issuer_id)
            flash(f"Đã bỏ «{issuer.name}» khỏi danh sách.", "success")
        else:
            issuers.rename(actor, issuer_id, form.parsed())
            flash("Đã sửa tên cơ quan.", "success")
        return redirect(url_for("registers.issuer_list"))

    return form_page(form, submit, lambda: render_template("registers/issuer.html", form=form, issuer=issuer))
