"""Bearer-token authentication for the JSON API under /api/v1."""

from __future__ import annotations

from flask import Blueprint, g, request

from ..errors import NotAuthenticated
from .models import User
from .services import user_for_token

PREFIX = "/api/v1"
REALM = 'Bearer realm="ancuu-docs"'


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api/v1 whose every request must carry a valid Bearer token."""
    blueprint = Blueprint(name, import_name, url_prefix=PREFIX)
    blueprint.before_request(_authenticate)
    return blueprint


def _authenticate() -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        # RFC 6750: a 401 says which scheme to use, and whether the token given was wrong.
        challenge = REALM if not token else f'{REALM}, error="invalid_token"'
        raise NotAuthenticated(
            "Cần mã API hợp lệ trong tiêu đề Authorization: Bearer <mã>.",
            headers={"WWW-Authenticate": challenge},
        )
    g.api_user = user


def api_user() -> User:
    return g.api_user
