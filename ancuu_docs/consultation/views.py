"""Consultation pages: opening one on a draft, the page of one (the tally for the office, the
answer form for those asked), closing it, its DOCX summary. Handlers read, call, render."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from markupsafe import Markup

from ..auth.policy import is_office
from ..documents import services as documents
from ..errors import DomainError
from ..timeutil import local_today
from ..web import PostForm, attach_error, choices, download, form_page, signed_in_only, signed_in_user
from . import services
from .forms import AnswerForm, OpenForm
from .models import CHOICE_LABELS, Choice
from .summary import DOCX_MEDIA_TYPE, summary_file

bp = Blueprint("consultation", __name__)


@bp.app_context_processor
def _helpers() -> dict:
    return {"CHOICE_LABELS": {c.value: label for c, label in CHOICE_LABELS.items()}, "Choice": Choice}


signed_in_only(bp)


@bp.route("/documents/<int:document_id>/consultations/new", methods=["GET", "POST"])
def open_form(document_id: int):
    actor = signed_in_user()
    services.require_office(actor)
    doc = documents.get_document(actor, document_id)
    form = OpenForm()
    form.users.choices = choices((u.id, u.display_name) for u in services.invitable_users())
    if not form.is_submitted():
        form.deadline.data = local_today().isoformat()

    def submit():
        consultation = services.open_consultation(actor, doc.id, form.parsed())
        flash(f"Đã gửi dự thảo lấy ý kiến {len(consultation.invitees)} đồng chí.", "success")
        return redirect(url_for("consultation.show", consultation_id=consultation.id))

    return form_page(form, submit, lambda: render_template("consultation/open.html", doc=doc, form=form))


def _answer_form(consultation, actor) -> AnswerForm:
    mine = services.own_answers(actor, consultation).get(consultation.document.current_n)
    return AnswerForm(
        formdata=None,
        choice=mine.choice if mine else None,
        comment=mine.comment if mine else "",
        version=str(consultation.document.current_n),
    )


def _page(consultation, *, answer_form=None) -> str:
    actor = signed_in_user()
    return render_template(
        "consultation/show.html",
        consultation=consultation,
        doc=consultation.document,
        office=is_office(actor),
        tally=services.tally(consultation) if is_office(actor) else None,
        mine=services.own_answers(actor, consultation),
        invited=services.is_invited(actor, consultation),
        answer_form=answer_form or _answer_form(consultation, actor),
        close_form=PostForm(),
    )


@bp.get("/consultations/<int:consultation_id>")
def show(consultation_id: int):
    return _page(services.get_consultation(signed_in_user(), consultation_id))


@bp.post("/consultations/<int:consultation_id>/answers")
def answer(consultation_id: int):
    actor = signed_in_user()
    consultation = services.get_consultation(actor, consultation_id)
    services.require_invited(actor, consultation)  # refused before the form is looked at
    form = AnswerForm()

    def submit():
        row = services.answer(actor, consultation.id, form.parsed())
        flash(f"Đã ghi ý kiến «{row.choice_label}» về phiên bản {row.version_n}.", "success")
        return redirect(url_for("consultation.show", consultation_id=consultation.id))

    return form_page(form, submit, lambda: _page(consultation, answer_form=form))


@bp.post("/consultations/<int:consultation_id>/close")
def close(consultation_id: int):
    actor = signed_in_user()
    form = PostForm()
    if form.validate_on_submit():
        try:
            services.close_consultation(actor, consultation_id)
            flash("Đã kết thúc đợt lấy ý kiến.", "success")
        except DomainError as err:
            attach_error(form, err)
            flash(err.message, "error")
    return redirect(url_for("consultation.show", consultation_id=consultation_id))


@bp.get("/consultations/<int:consultation_id>/summary.docx")
def summary(consultation_id: int):
    return download(*summary_file(signed_in_user(), consultation_id), DOCX_MEDIA_TYPE)


def document_panel(doc, *, actor) -> Markup | None:
    """On the document page: for the office, the consultations and the way to open one; for
    someone asked, the answer form under the draft they read."""
    office = is_office(actor)
    asked = [c for c in services.consultations_of(doc) if office or services.is_invited(actor, c)]
    current = next((c for c in asked if c.is_open()), None)  # one round at a time is open
    can_open = office and doc.status == "in_review" and current is None
    if not asked and not can_open:
        return None
    return Markup(
        render_template(
            "consultation/_panel.html",
            doc=doc,
            consultations=asked,
            can_open=can_open,
            office=office,
            current=current,
            answer_form=_answer_form(current, actor)
            if current and services.is_invited(actor, current)
            else None,
            mine=services.own_answers(actor, current) if current else {},
            tally=services.tally(current)[0] if current and office else None,
        )
    )
