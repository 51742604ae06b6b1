"""The search page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from ..errors import InvalidInput, Unavailable
from ..web import attach_error, signed_in_user
from . import services
from .forms import SearchForm

bp = Blueprint("search", __name__)

FACET_LABELS = {
    "doc_type": "Loại",
    "status": "Trạng thái",
    "term": "Nhiệm kỳ",
    "year": "Năm",
    "origin": "Nguồn",
    "issuer": "Cơ quan ban hành",
}


@bp.get("/search")
@login_required
def search():
    form = SearchForm(request.args)
    result, params, status = None, None, 200
    try:
        params = services.parse_params(request.args)
        result = services.search(signed_in_user(), params)
    except (InvalidInput, Unavailable) as err:
        status = attach_error(form, err)
    return render_template(
        "search/results.html",
        form=form,
        params=params,
        args=request.args,
        result=result,
        facet_labels=FACET_LABELS,
        value_labels=services.facet_labels(),
    ), status
