"""`/`: what awaits me. Each feature's lists for this user (drafts in review, drafts to comment
on, the next conference…), in the order `create_app` wires them; home only shows them."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..web import signed_in_user
from ..wiring import panels, wired

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    actor = signed_in_user()
    since = actor.previous_login_at
    shown = panels(wired().home_panels, actor, since=since)
    return render_template("home/index.html", panels=shown, since=since)
