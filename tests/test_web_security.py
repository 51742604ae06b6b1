"""The web basics: security headers everywhere, cookies, login throttling, sessions that end,
CSRF on every form."""

from __future__ import annotations

import re

import pytest
from werkzeug import security

from ancuu_docs import create_app
from ancuu_docs.audit.models import AuditEvent
from ancuu_docs.auth import services as users
from ancuu_docs.auth.api import PREFIX
from ancuu_docs.extensions import db
from ancuu_docs.web import SECURITY_HEADERS


def test_every_response_carries_the_security_headers(api, login):
    doc = api.upload("secretariat").json
    client = login("member")
    responses = [
        client.get("/"),
        client.get(f"/documents/{doc['id']}/versions/1/file"),  # a download
        client.get("/khong-co"),  # an error page
        api("member", "GET", "/documents"),
        api(None, "GET", "/documents"),  # a 401
    ]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.path, name)
    assert "frame-ancestors 'none'" in SECURITY_HEADERS["Content-Security-Policy"]
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(login, api):
    """The CSP allows neither, so any would be blocked in the browser."""
    doc = api.upload("secretariat").json
    client = login("secretariat")
    for path in (
        "/",
        f"/documents/{doc['id']}",
        "/drafts/resolution",
        "/meetings/new",
        "/audit",
        "/search?q=x",
    ):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", page), path


def test_session_cookie_flags_follow_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCUU_SESSION_COOKIE_SECURE", "true")
    app = create_app({"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_login_is_throttled_per_account_and_audited(client, accounts, app):
    app.config["LOGIN_FAILURES_MAX"] = 3
    for _ in range(3):
        assert client.post("/login", data={"username": "member", "password": "wrong-one"}).status_code == 401
    right = {"username": "member", "password": accounts["member"].password}
    refused = client.post("/login", data=right)
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." in refused.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="user.login_throttled").count() == 1
    # Another account from another address is not affected.
    other = {"username": "clerk", "password": accounts["clerk"].password}
    assert client.post("/login", data=other, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_login_is_throttled_per_address(client, accounts, app):
    app.config["LOGIN_FAILURES_MAX"] = 3
    for name in ("a-khong-co", "b-khong-co", "c-khong-co"):
        client.post(
            "/login", data={"username": name, "password": "x"}, environ_base={"REMOTE_ADDR": "10.1.1.1"}
        )
    right = {"username": "member", "password": accounts["member"].password}
    assert client.post("/login", data=right, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 429
    assert client.post("/login", data=right, environ_base={"REMOTE_ADDR": "10.1.1.2"}).status_code == 302


def test_an_unknown_name_costs_a_password_check_too(client, accounts, monkeypatch):
    checks = []
    real = security.check_password_hash

    def counted(pwhash, password):
        checks.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(users, "check_password_hash", counted)
    monkeypatch.setattr("ancuu_docs.auth.models.check_password_hash", counted)
    client.post("/login", data={"username": "khong-ai-ca", "password": "sai-mat-khau"})
    client.post("/login", data={"username": "member", "password": "sai-mat-khau"})
    assert len(checks) == 2 and all(h.startswith("pbkdf2:sha256:1000") for h in checks)


@pytest.mark.parametrize("how", ["logout", "password", "deactivate"])
def test_sessions_end_on_logout_password_change_and_deactivation(app, login, accounts, how):
    client = login("member")
    stolen = app.test_client()  # the same cookie in another browser
    cookie = client.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/").status_code == 200
    if how == "logout":
        client.post("/logout")
    elif how == "password":
        users.update_user(None, accounts["member"].id, password="mat-khau-moi-2026")
    else:
        users.update_user(None, accounts["member"].id, active=False)
    response = stolen.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def csrf_app(instance):
    from tests.conftest import IsolatedClient, _make_app

    app = _make_app(instance, WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_every_form_post_needs_the_csrf_token(csrf_app):
    """Walks the URL map: every page that takes a POST refuses one without the token."""
    users.create_user(None, username="quantri", role="admin", password="quantri-2025")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed_in = client.post(
        "/login", data={"username": "quantri", "password": "quantri-2025", "csrf_token": token}
    )
    assert signed_in.status_code == 302
    posts = [
        rule
        for rule in csrf_app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith(PREFIX) and rule.endpoint != "auth.logout"
    ]
    assert len(posts) >= 15
    for rule in posts:
        path = re.sub(r"<int:[^>]+>", "1", re.sub(r"<(?!int:)[^>]+>", "khoa", rule.rule))
        response = client.post(path, data={})
        assert response.status_code == 400, rule.rule
        assert "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ" in response.get_data(as_text=True), (
            rule.rule
        )
    # Logout too: checked last, as it ends the session.
    assert client.post("/logout", data={}).status_code == 400


def test_behind_a_proxy_throttling_counts_the_forwarded_client(instance):
    from tests.conftest import IsolatedClient, _make_app

    app = _make_app(instance, WTF_CSRF_ENABLED=False, PROXY_FIX_HOPS=1, LOGIN_FAILURES_MAX=2)
    app.test_client_class = IsolatedClient
    with app.app_context():
        users.create_user(None, username="dangvien", role="member", password="dangvien-2025")
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request comes through the same proxy
        for name in ("mot-nguoi", "hai-nguoi"):
            wrong = {"username": name, "password": "sai-mat-khau"}
            client.post("/login", data=wrong, environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.7"})
        right = {"username": "dangvien", "password": "dangvien-2025"}
        other = client.post(
            "/login", data=right, environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.8"}
        )
        assert other.status_code == 302  # another client behind the same proxy is not locked out
        again = app.test_client().post(
            "/login", data=right, environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert again.status_code == 429
        db.session.remove()
        db.engine.dispose()
