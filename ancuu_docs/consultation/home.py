"""Consultations on the home page: drafts I am asked to comment on; for the office, drafts that
received comments since my last login."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from markupsafe import Markup

from ..auth.models import User
from ..auth.policy import is_office
from ..signals import home_panels
from . import services


@home_panels.connect
def _panels(user: User, *, since: datetime | None) -> list[tuple[int, Markup]]:
    panels = []
    asked = services.awaiting_answer(user)
    if asked or not is_office(user):
        html = render_template("consultation/_home_asked.html", consultations=asked)
        panels.append((5, Markup(html)))
    if is_office(user):
        html = render_template(
            "consultation/_home_answers.html", rows=services.with_answers_since(since), since=since
        )
        panels.append((15, Markup(html)))
    return panels
