"""`/`: what awaits me. Each feature's lists for this user (drafts in review, drafts to comment
on, the next conference…), in the order `create_app` wires them; home only shows them.
`/documents/add`: the one way in, "Thêm văn bản", leading to the form for what is added."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..auth.policy import Action, can
from ..errors import Forbidden
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


@bp.get("/documents/add")
@login_required
def add():
    """What is being added: a new draft of ours (from a template or a file), a document that
    came in, one of ours issued before the system, a secret entry (metadata only). A clerk
    drafts; the office registers too."""
    actor = signed_in_user()
    if not can(actor, Action.CREATE):
        raise Forbidden("Bạn không có quyền thêm văn bản.")
    return render_template("home/add.html", registers=can(actor, Action.CREATE_CONFIDENTIAL))
