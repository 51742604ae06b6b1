"""`/`: what awaits me. Each feature answers `home_panels` with its lists for this user (drafts
in review, drafts to comment on, the next conference…); home only puts them in order."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..signals import home_panels, values_from
from ..web import signed_in_user

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    actor = signed_in_user()
    since = actor.previous_login_at
    answers = [panel for panels in values_from(home_panels, actor, since=since) for panel in panels]
    return render_template(
        "home/index.html", panels=[html for _order, html in sorted(answers, key=lambda p: p[0])], since=since
    )
