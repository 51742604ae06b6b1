"""Consultations on the home page: drafts I am asked to comment on; for the office, drafts that
received comments since my last login."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from markupsafe import Markup

from ..auth.models import User
from ..auth.policy import is_office
from . import services


def asked_panel(user: User, *, since: datetime | None) -> Markup | None:
    """Drafts this user is asked to comment on (the office sees it only when asked)."""
    asked = services.awaiting_answer(user)
    if not asked and is_office(user):
        return None
    return Markup(render_template("consultation/_home_asked.html", consultations=asked))


def answers_panel(user: User, *, since: datetime | None) -> Markup | None:
    """The office: drafts that received comments since its last login."""
    if not is_office(user):
        return None
    html = render_template(
        "consultation/_home_answers.html", rows=services.with_answers_since(since), since=since
    )
    return Markup(html)
