"""The web basics: security headers everywhere, cookies, login throttling, sessions that end,
CSRF on every form."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from werkzeug import security

from ancuu_docs import create_app
from ancuu_docs.audit.models import AuditEvent
from ancuu_docs.auth import services as users
from ancuu_docs.auth.api import PREFIX
from ancuu_docs.auth.commands import NewUser, UserChange
from ancuu_docs.auth.models import LoginFailure
from ancuu_docs.database import unit_of_work
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


def _login(client, name, password, address="127.0.0.1"):
    return client.post(
        "/login", data={"username": name, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_a_name_is_locked_from_the_address_it_failed_at_and_audited(client, accounts, app):
    app.config.update(LOGIN_FAILURES_MAX=3, LOGIN_DELAY_AFTER=100)
    member = accounts["member"]
    for _ in range(3):
        assert _login(client, "member", "wrong-one", "10.0.0.1").status_code == 401
    refused = _login(client, "member", member.password, "10.0.0.1")
    assert refused.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." in refused.get_data(as_text=True)
    event = db.session.query(AuditEvent).filter_by(action="user.login_throttled").one()
    assert event.details == {"username": "member", "address": "10.0.0.1", "minutes": 15}
    # The member at their own desk is not locked by what was tried elsewhere.
    assert _login(client, "member", member.password, "10.0.0.2").status_code == 302


def test_the_lock_ends_once_its_minutes_have_passed(client, accounts, app):
    """The lock counts failures within LOGIN_LOCK_MINUTES only: on the clock, a minute before
    the end the name is still locked from that address, a minute after it comes in."""
    app.config.update(LOGIN_FAILURES_MAX=3, LOGIN_DELAY_AFTER=100, LOGIN_LOCK_MINUTES=15)
    member = accounts["member"]
    with time_machine.travel(datetime(2026, 12, 7, 8, 0, tzinfo=UTC), tick=False) as clock:
        for _ in range(3):
            assert _login(client, "member", "wrong-one", "10.0.0.1").status_code == 401
        clock.shift(timedelta(minutes=14))
        assert _login(client, "member", member.password, "10.0.0.1").status_code == 429
        clock.shift(timedelta(minutes=2))
        assert _login(client, "member", member.password, "10.0.0.1").status_code == 302


def test_failures_at_one_address_never_lock_the_other_names_behind_it(client, accounts, app):
    """An office behind one NAT: a colleague's (or a stranger's) failures lock nobody else."""
    app.config.update(LOGIN_FAILURES_MAX=3, LOGIN_DELAY_AFTER=100)
    for name in ("a-khong-co", "b-khong-co", "c-khong-co", "clerk", "clerk", "clerk"):
        _login(client, name, "x", "10.1.1.1")
    assert _login(client, "clerk", accounts["clerk"].password, "10.1.1.1").status_code == 429
    assert _login(client, "member", accounts["member"].password, "10.1.1.1").status_code == 302


def _age_failures(seconds: float) -> None:
    """As if the failures so far had happened `seconds` earlier."""
    with unit_of_work():
        for failure in db.session.scalars(select(LoginFailure)):
            failure.at -= timedelta(seconds=seconds)


def test_a_stranger_slows_a_name_down_with_a_growing_delay_but_never_locks_it_out(client, accounts, app):
    app.config.update(LOGIN_DELAY_AFTER=2, LOGIN_DELAY_MAX_SECONDS=8)
    waits = []
    for attempt in range(10):  # ten wrong passwords, each from another address, as fast as allowed
        address = f"198.51.100.{attempt}"
        answer = _login(client, "member", "doan-mo", address)
        if answer.status_code == 429:
            page = answer.get_data(as_text=True)
            waits.append(int(re.search(r"Vui lòng đợi (\d+) giây rồi thử lại", page).group(1)))
            assert answer.headers["Retry-After"] == str(waits[-1])
            _age_failures(waits[-1])
            answer = _login(client, "member", "doan-mo", address)
        assert answer.status_code == 401
    assert waits == [1, 2, 4, 8, 8, 8, 8, 8]  # grows, then stays at the ceiling
    throttled = db.session.query(AuditEvent).filter_by(action="user.login_throttled").all()
    assert [e.details["seconds"] for e in throttled] == waits
    # The member waits the last delay, never the lock's quarter of an hour, and comes in.
    assert _login(client, "member", accounts["member"].password, "10.0.0.2").status_code == 429
    _age_failures(8)
    assert _login(client, "member", accounts["member"].password, "10.0.0.2").status_code == 302


def test_unknown_and_deactivated_names_cost_a_password_check_too(client, accounts, monkeypatch):
    checks = []
    real = security.check_password_hash

    def counted(pwhash, password):
        checks.append(pwhash)
        return real(pwhash, password)

    users.update_user(None, accounts["clerk"].id, UserChange.of(active=False))
    monkeypatch.setattr(users, "check_password_hash", counted)
    monkeypatch.setattr("ancuu_docs.auth.models.check_password_hash", counted)
    for name in ("khong-ai-ca", "member", "clerk"):  # unknown, active, deactivated
        assert _login(client, name, "sai-mat-khau").status_code == 401
    assert _login(client, "clerk", accounts["clerk"].password).status_code == 401
    assert len(checks) == 4 and all(h.startswith("pbkdf2:sha256:1000") for h in checks)


@pytest.mark.parametrize("how", ["own", "admin"])
def test_a_new_password_revokes_the_api_token(api, accounts, login, how):
    member = accounts["member"]
    assert api("member", "GET", "/documents").status_code == 200
    if how == "own":
        new = {"new_password": "mat-khau-moi-2026", "repeat_password": "mat-khau-moi-2026"}
        changed = login("member").post("/account/password", data={"current_password": member.password, **new})
        assert changed.status_code == 302
    else:
        form = {"role": "member", "active": "y", "password": "mat-khau-moi-2026", "committee": ""}
        assert login("admin").post(f"/admin/users/{member.id}", data=form).status_code == 302
    assert api("member", "GET", "/documents").status_code == 401
    action = "user.password" if how == "own" else "user.update"
    event = db.session.query(AuditEvent).filter_by(action=action).one()
    assert event.details["token"] == "đã thu hồi"


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
        users.update_user(None, accounts["member"].id, UserChange.of(password="mat-khau-moi-2026"))
    else:
        users.update_user(None, accounts["member"].id, UserChange.of(active=False))
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
    users.create_user(None, NewUser.of(username="quantri", role="admin", password="quantri-2025"))
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
        users.create_user(None, NewUser.of(username="dangvien", role="member", password="dangvien-2025"))
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request comes through the same proxy
        for _ in range(2):
            wrong = {"username": "dangvien", "password": "sai-mat-khau"}
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
