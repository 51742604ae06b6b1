"""Meeting pages: list, create, the meeting page with its agenda, attendance, decisions,
minutes and package. Handlers read the form, call a service, render."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.policy import Action, can
from ..errors import DomainError, Forbidden
from ..web import PostForm, attachment
from . import services
from .models import MeetingStatus

bp = Blueprint("meetings", __name__)

ABSENT_ROWS = 3


@bp.before_request
@login_required
def _login_first() -> None:
    """Every page here needs a signed-in user."""


def _actor():
    return current_user._get_current_object()


def _absent_rows(form) -> list[dict]:
    rows, i = [], 0
    while f"absent-{i}-name" in form:
        rows.append({"name": form.get(f"absent-{i}-name", ""), "reason": form.get(f"absent-{i}-reason", "")})
        i += 1
    return rows


@bp.get("/meetings")
def index():
    actor = _actor()
    return render_template(
        "meetings/list.html", meetings=services.list_meetings(actor), title_of=services.meeting_title
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
def create():
    actor = _actor()
    if not can(actor, Action.MANAGE_MEETINGS):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được tạo hội nghị.")
    entered = dict(request.form) if request.method == "POST" else {"body": "executive", "expanded": ""}
    errors, status = {}, 200
    if request.method == "POST" and PostForm().validate_on_submit():
        try:
            meeting = services.create_meeting(actor, entered)
            flash("Đã tạo hội nghị.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
        except DomainError as err:
            if err.status in (403, 404):
                raise
            errors, status = {err.field or "_": err.message}, err.status
    return render_template("meetings/new.html", form=PostForm(), entered=entered, errors=errors), status


def _page(meeting_id: int, *, errors: dict | None = None, entered: dict | None = None, status: int = 200):
    actor = _actor()
    meeting = services.get_meeting(actor, meeting_id)
    editable = can(actor, Action.MANAGE_MEETINGS) and meeting.status != MeetingStatus.CLOSED
    linkable = [
        d for d in services.linkable_documents(actor) if d.id not in {i.document_id for i in meeting.agenda}
    ]
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        title=services.meeting_title(meeting),
        data=services.meeting_json(actor, meeting),
        editable=editable,
        linkable=linkable,
        form=PostForm(),
        errors=errors or {},
        entered=entered or {},
        absent_rows=ABSENT_ROWS,
    ), status


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    return _page(meeting_id)


def _act(meeting_id: int, action, message: str, form_name: str):
    """Run one change from the meeting page; show its refusal beside the form it came from."""
    if not PostForm().validate_on_submit():
        return _page(meeting_id, errors={f"{form_name}._": "Biểu mẫu hết hạn, vui lòng gửi lại."}, status=400)
    try:
        action()
    except DomainError as err:
        if err.status in (403, 404):
            raise
        return _page(
            meeting_id,
            errors={f"{form_name}.{err.field or '_'}": err.message},
            entered={form_name: dict(request.form)},
            status=err.status,
        )
    flash(message, "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/agenda")
def add_agenda_item(meeting_id: int):
    return _act(
        meeting_id,
        lambda: services.add_agenda_item(_actor(), meeting_id, dict(request.form)),
        "Đã thêm nội dung.",
        "agenda",
    )


@bp.post("/meetings/<int:meeting_id>/attendance")
def hold(meeting_id: int):
    data = {**request.form, "absent": _absent_rows(request.form)}
    return _act(
        meeting_id,
        lambda: services.hold_meeting(_actor(), meeting_id, data),
        "Đã ghi thành phần dự họp.",
        "attendance",
    )


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision")
def decide(meeting_id: int, item_id: int):
    return _act(
        meeting_id,
        lambda: services.record_decision(_actor(), meeting_id, item_id, dict(request.form)),
        "Đã ghi kết quả biểu quyết.",
        f"decision-{item_id}",
    )


@bp.post("/meetings/<int:meeting_id>/minutes")
def minutes(meeting_id: int):
    return _act(
        meeting_id,
        lambda: services.generate_minutes(_actor(), meeting_id),
        "Đã tạo dự thảo biên bản từ hồ sơ hội nghị.",
        "minutes",
    )


@bp.post("/meetings/<int:meeting_id>/close")
def close(meeting_id: int):
    return _act(
        meeting_id,
        lambda: services.close_meeting(_actor(), meeting_id),
        "Hội nghị đã kết thúc; biên bản đã được phê duyệt.",
        "close",
    )


@bp.get("/meetings/<int:meeting_id>/package")
def package(meeting_id: int):
    filename, data = services.package(_actor(), meeting_id)
    return attachment(data, filename, "application/zip")
