"""GET /api/v1/search."""

from __future__ import annotations

from flask import jsonify, request

from ..auth.api import api_blueprint, api_user
from . import services

bp = api_blueprint("search_api", __name__)


@bp.get("/search")
def search():
    return jsonify(services.search(api_user(), services.parse_params(request.args)))
