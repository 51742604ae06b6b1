"""What every JSON endpoint shares: the /api/v1 prefix, Bearer-token auth, JSON bodies."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from .auth.models import User
from .auth.services import user_for_token
from .errors import InvalidInput, NotAuthenticated

PREFIX = "/api/v1"

health = Blueprint("health_api", __name__, url_prefix=PREFIX)


@health.get("/health")
def health_check():
    return jsonify({"status": "ok"})


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1 whose every request must carry a valid Bearer token."""
    blueprint = Blueprint(name, import_name, url_prefix=PREFIX)
    blueprint.before_request(_authenticate)
    return blueprint


def _authenticate() -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise NotAuthenticated("Cần mã API hợp lệ trong tiêu đề Authorization: Bearer <mã>.")
    g.api_user = user


def api_user() -> User:
    return g.api_user


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("Nội dung yêu cầu phải là một đối tượng JSON.")
    return body


def int_arg(name: str, default: int) -> int:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"Tham số «{name}» phải là số nguyên.", field=name) from None


def bool_value(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "yes", "on", "có"}
