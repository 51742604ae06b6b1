"""GET /api/v1/health: the one endpoint without a token, for monitoring."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .auth.api import PREFIX

health = Blueprint("health_api", __name__, url_prefix=PREFIX)


@health.get("/health")
def health_check():
    return jsonify({"status": "ok"})
