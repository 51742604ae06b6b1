"""Login, logout and (for admins) the user pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import login_manager
from ..web import PostForm, form_page, signed_in_user
from . import services
from .forms import LoginForm, OwnPasswordForm, UserCreateForm, UserUpdateForm
from .models import ROLE_LABELS, Role, User
from .policy import Action, can

bp = Blueprint("auth", __name__)


@bp.app_context_processor
def _helpers() -> dict:
    return {"can": can, "Action": Action, "ROLE_LABELS": ROLE_LABELS, "Role": Role}


login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return services.user_for_session(session_id)


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()

    def submit():
        user = services.authenticate(form.username.data, form.password.data, request.remote_addr)
        if user is None:
            form.password.errors = ["Tên đăng nhập hoặc mật khẩu không đúng."]
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))

    return form_page(form, submit, lambda: render_template("auth/login.html", form=form))


@bp.post("/logout")
@login_required
def logout():
    services.signed_out(signed_in_user())
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def users():
    actor = signed_in_user()
    form = UserCreateForm()

    def submit():
        user = services.create_user(actor, form.parsed())
        flash(f"Đã tạo người dùng «{user.username}».", "success")
        return redirect(url_for("auth.users"))

    def render():
        return render_template(
            "auth/users.html", users=services.list_users(actor), form=form, post_form=PostForm()
        )

    return form_page(form, submit, render)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    actor = signed_in_user()
    user = services.get_user(actor, user_id)
    form = UserUpdateForm(obj=user if request.method == "GET" else None)

    def submit():
        services.update_user(actor, user_id, form.parsed())
        flash("Đã lưu.", "success")
        return redirect(url_for("auth.users"))

    return form_page(form, submit, lambda: render_template("auth/user_edit.html", user=user, form=form))


@bp.post("/admin/users/<int:user_id>/token")
@login_required
def user_token(user_id: int):
    # CSRFProtect has checked the token of this POST before we get here.
    actor = signed_in_user()
    token = services.issue_token(actor, user_id)
    user = services.get_user(actor, user_id)
    return render_template("auth/token.html", user=user, token=token)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def own_password():
    """Every user changes their own password here; the admin no longer has to."""
    user = signed_in_user()
    form = OwnPasswordForm()

    def submit():
        services.change_own_password(user, form.parsed(), request.remote_addr)
        login_user(services.get_user(None, user.id))  # other sessions end; this one goes on
        flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "success")
        return redirect(url_for("auth.own_password"))

    return form_page(form, submit, lambda: render_template("auth/password.html", form=form))
