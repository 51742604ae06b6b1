"""The search page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..errors import InvalidInput, Unavailable
from . import services

bp = Blueprint("search", __name__)

FACET_LABELS = {"doc_type": "Loại", "status": "Trạng thái", "term": "Nhiệm kỳ", "year": "Năm"}


@bp.get("/search")
@login_required
def search():
    error, result, params = None, None, None
    status = 200
    try:
        params = services.parse_params(request.args)
        result = services.search(current_user._get_current_object(), params)
    except (InvalidInput, Unavailable) as err:
        error, status = " ".join(err.field_errors.values()), err.status
    return render_template(
        "search/results.html",
        params=params,
        args=request.args,
        result=result,
        error=error,
        facet_labels=FACET_LABELS,
        value_labels=services.facet_labels(),
    ), status
