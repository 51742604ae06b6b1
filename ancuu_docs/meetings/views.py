"""Meeting pages: list, create, the meeting page with its agenda, attendance, decisions,
minutes and package. Handlers read the form, call a service, render."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from ..auth.policy import Action, can
from ..errors import Forbidden
from ..web import PostForm, choices, download, form_page, signed_in_only, signed_in_user
from . import minutes as minutes_service
from . import package as package_service
from . import services
from .forms import AgendaForm, AttendanceForm, CloseForm, DecisionForm, MeetingForm
from .models import Body, MeetingStatus
from .schemas import meeting_json

bp = Blueprint("meetings", __name__)

ABSENT_ROWS = 3  # blank lines offered under the absences already recorded


signed_in_only(bp)


@bp.get("/meetings")
def index():
    actor = signed_in_user()
    return render_template(
        "meetings/list.html", meetings=services.list_meetings(actor), title_of=services.meeting_title
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
def create():
    actor = signed_in_user()
    if not can(actor, Action.MANAGE_MEETINGS):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được tạo hội nghị.")
    form = MeetingForm()
    form.body.choices = choices(
        [
            (Body.EXECUTIVE.value, current_app.config["EXECUTIVE_BODY_NAME"]),
            (Body.STANDING.value, current_app.config["STANDING_BODY_NAME"]),
        ]
    )

    def submit():
        meeting = services.create_meeting(actor, form.parsed())
        flash("Đã tạo hội nghị.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))

    return form_page(form, submit, lambda: render_template("meetings/new.html", form=form))


def _attendance_form(meeting) -> AttendanceForm:
    rows = [{"name": a.name, "reason": a.reason} for a in meeting.absences]
    rows += [{"name": "", "reason": ""}] * ABSENT_ROWS
    return AttendanceForm(
        formdata=None,
        data={
            "present": "" if meeting.present is None else str(meeting.present),
            "absent": rows,
            "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        },
    )


def _page(meeting_id: int, *, submitted: dict | None = None) -> str:
    """The meeting page; `submitted` holds the one form that came back with errors."""
    actor = signed_in_user()
    meeting = services.get_meeting(actor, meeting_id)
    submitted = submitted or {}
    editable = can(actor, Action.MANAGE_MEETINGS) and meeting.status != MeetingStatus.CLOSED
    agenda_form = submitted.get("agenda") or AgendaForm(formdata=None)
    # What the conference may adopt: drafts and documents in review, by type and title; not
    # one already on the agenda, nor this meeting's own minutes (adopted by closing it).
    taken = {item.document_id for item in meeting.agenda} | {meeting.minutes_document_id}
    agenda_form.document_id.choices = choices(
        (
            (d.id, f"{d.doc_type_name} «{d.title}» ({d.status_label.lower()})")
            for d in services.linkable_documents(actor)
            if d.id not in taken
        ),
        blank="(không gắn văn bản)",
    )
    decision_forms = {
        item.id: submitted.get(f"decision-{item.id}")
        or DecisionForm(
            formdata=None,
            data={
                "method": "Giơ tay",
                "in_favour": str(meeting.present or 0),
                "against": "0",
                "abstaining": "0",
            },
        )
        for item in meeting.agenda
        if item.requires_vote and item.decision is None
    }
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        title=services.meeting_title(meeting),
        data=meeting_json(actor, meeting),
        editable=editable,
        agenda_form=agenda_form,
        attendance_form=submitted.get("attendance") or _attendance_form(meeting),
        decision_forms=decision_forms,
        button_form=submitted.get("buttons") or PostForm(formdata=None),
        close_form=submitted.get("close") or CloseForm(formdata=None),
        may_draft=can(actor, Action.CREATE),
    )


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    return _page(meeting_id)


def _act(meeting_id: int, key: str, form, action, message: str):
    """Run one change from the meeting page; show its refusal beside the form it came from."""
    services.require_office(signed_in_user())  # who may, before what they sent
    services.get_meeting(signed_in_user(), meeting_id)

    def submit():
        action(form)
        flash(message, "success")
        return redirect(url_for("meetings.show", meeting_id=meeting_id))

    return form_page(form, submit, lambda: _page(meeting_id, submitted={key: form}))


@bp.post("/meetings/<int:meeting_id>/agenda")
def add_agenda_item(meeting_id: int):
    return _act(
        meeting_id,
        "agenda",
        AgendaForm(),
        lambda form: services.add_agenda_item(signed_in_user(), meeting_id, form.parsed()),
        "Đã thêm nội dung.",
    )


@bp.post("/meetings/<int:meeting_id>/attendance")
def hold(meeting_id: int):
    return _act(
        meeting_id,
        "attendance",
        AttendanceForm(),
        lambda form: services.hold_meeting(signed_in_user(), meeting_id, form.parsed()),
        "Đã ghi thành phần dự họp.",
    )


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision")
def decide(meeting_id: int, item_id: int):
    return _act(
        meeting_id,
        f"decision-{item_id}",
        DecisionForm(),
        lambda form: services.record_decision(signed_in_user(), meeting_id, item_id, form.parsed()),
        "Đã ghi kết quả biểu quyết.",
    )


@bp.post("/meetings/<int:meeting_id>/minutes")
def minutes(meeting_id: int):
    return _act(
        meeting_id,
        "buttons",
        PostForm(),
        lambda _form: minutes_service.generate_minutes(signed_in_user(), meeting_id),
        "Đã tạo dự thảo biên bản từ hồ sơ hội nghị.",
    )


@bp.post("/meetings/<int:meeting_id>/close")
def close(meeting_id: int):
    return _act(
        meeting_id,
        "close",
        CloseForm(),
        lambda _form: services.close_meeting(signed_in_user(), meeting_id),
        "Hội nghị đã kết thúc; biên bản đã được phê duyệt.",
    )


@bp.get("/meetings/<int:meeting_id>/package")
def package(meeting_id: int):
    filename, data = package_service.package(signed_in_user(), meeting_id)
    return download(data, filename, "application/zip")
