"""The audit page: every event, newest first, filtered by person, action, object and date."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required

from .. import parsing
from ..auth.policy import Action, can
from ..errors import Forbidden
from ..web import choices, signed_in_user
from . import services
from .forms import EventFilterForm

bp = Blueprint("audit", __name__)


@bp.app_context_processor
def _helpers() -> dict:
    return {"describe_events": services.describe}


def _filters(form: EventFilterForm) -> services.EventFilters:
    return services.EventFilters(
        actor_id=parsing.integer(
            form.actor.data, field="actor", label="người thực hiện", low=1, required=False
        ),
        action=form.action.data or None,
        object_type=form.object_type.data or None,
        object_id=parsing.integer(
            form.object_id.data, field="object_id", label="mã", high=parsing.ID_MAX, required=False
        ),
        date_from=parsing.day(form.date_from.data, field="date_from", label="từ ngày", required=False),
        date_to=parsing.day(form.date_to.data, field="date_to", label="đến ngày", required=False),
    )


@bp.get("/audit")
@login_required
def index():
    actor = signed_in_user()
    if not can(actor, Action.VIEW_AUDIT):
        raise Forbidden("Chỉ Văn phòng Đảng ủy và quản trị xem được nhật ký.")
    labels = services.labels()
    form = EventFilterForm(request.args)
    form.actor.choices = choices(
        ((user.id, f"{user.display_name} ({user.username})") for user in services.people()), blank="Mọi người"
    )
    form.action.choices = choices(sorted(labels.actions.items(), key=lambda kv: kv[1]), blank="Mọi thao tác")
    form.object_type.choices = choices(
        ((kind, label) for kind, (label, _endpoint, _arg) in labels.objects.items()), blank="Mọi đối tượng"
    )
    status = 200
    if form.validate():
        filters = _filters(form)
    else:
        filters, status = services.EventFilters(), 400
    page = services.list_events(
        actor,
        filters,
        page=parsing.query_int("page", 1),
        per_page=current_app.config["AUDIT_PER_PAGE"],
    )
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/index.html", page=page, form=form, labels=labels, query=query), status
