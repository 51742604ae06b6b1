"""The home page: what awaits each person, by role; and the pages every user has (own password,
breadcrumbs, the lists' words)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from html import unescape

from markupsafe import Markup

from ancuu_docs import WIRING
from ancuu_docs.auth.models import User
from ancuu_docs.documents import home as documents_home
from ancuu_docs.extensions import db
from ancuu_docs.meetings import home as meetings_home
from ancuu_docs.timeutil import local_today, utcnow
from ancuu_docs.wiring import install
from tests import samples
from tests.test_registering import DIRECTIVE, register


def _panel(page: str, key: str) -> str:
    """The text of one home panel (section), by its heading's id."""
    found = re.search(
        rf'<section class="home-panel" aria-labelledby="home-{key}">(.*?)</section>', page, re.S
    )
    assert found, f"no panel {key}"
    return unescape(found.group(1))


def _home(login, role: str) -> str:
    response = login(role).get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_secretariat_sees_reviews_incoming_documents_to_handle_and_the_next_conference(api, login):
    draft = api.upload("clerk", title="Kế hoạch tuyên truyền bầu cử").json
    api.transition("clerk", draft["id"], "in_review")
    api.upload("clerk", title="Dự thảo chưa gửi")
    overdue = register(
        api, **{**DIRECTIVE, "reply_due": (local_today() - timedelta(days=2)).isoformat()}
    ).json
    unhandled = register(
        api, **{**DIRECTIVE, "number": "12-NQ/TU", "issuer": "Thành ủy Huế", "handler": "", "reply_due": ""}
    ).json
    answered = register(api, **{**DIRECTIVE, "number": "13-NQ/TU"}).json
    replied = api(
        "secretariat",
        "POST",
        f"/documents/{answered['id']}/handling",
        json={
            "handler": "Trần Thị Hoa",
            "reply_due": DIRECTIVE["reply_due"],
            "replied_date": local_today().isoformat(),
        },
    )
    assert replied.status_code == 200, replied.json
    meeting = api(
        "secretariat",
        "POST",
        "/meetings",
        json={**samples.CONFERENCE, "ordinal": 4, "date": (local_today() + timedelta(days=3)).isoformat()},
    ).json
    api(
        "secretariat",
        "POST",
        f"/meetings/{meeting['id']}/agenda",
        json={
            "title": "Thông qua Kế hoạch tuyên truyền bầu cử",
            "presenter": "Trần Thị Hoa",
            "document_id": draft["id"],
        },
    )

    page = _home(login, "secretariat")
    review = _panel(page, "cho-xem-xet")
    assert "Kế hoạch tuyên truyền bầu cử" in review and "Dự thảo chưa gửi" not in review
    incoming = _panel(page, "van-ban-den")
    assert "Hạn trả lời" in incoming and "(quá hạn)" in incoming and "Chưa có người xử lý" in incoming
    assert incoming.index(overdue["title"]) < incoming.index("Thành ủy Huế")  # nearest deadline first
    assert "13-NQ/TU" not in incoming  # handled and answered: nothing awaits
    assert unhandled["number"] in incoming
    conference = _panel(page, "hoi-nghi")
    assert "Hội nghị lần thứ tư" in conference
    assert "Thông qua Kế hoạch tuyên truyền bầu cử" in conference and "(biểu quyết)" in conference


def test_a_clerk_sees_their_own_drafts_and_their_state(api, login):
    mine = api.upload("clerk", title="Báo cáo công tác tháng 11", doc_type="BC").json
    sent = api.upload("clerk", title="Kế hoạch kiểm tra chi bộ", doc_type="KH").json
    api.transition("clerk", sent["id"], "in_review")
    api.upload("secretariat", title="Dự thảo của văn phòng")
    drafts = _panel(_home(login, "clerk"), "du-thao-cua-toi")
    assert "Báo cáo công tác tháng 11" in drafts and "Kế hoạch kiểm tra chi bộ" in drafts
    assert "Dự thảo của văn phòng" not in drafts
    assert re.search(
        r'Kế hoạch kiểm tra chi bộ</a>\s*<div class="meta">\s*'
        r'<span class="badge status-in_review">Đang xem xét',
        drafts,
    )
    assert mine["title"] in drafts
    # Restricted by the office since: no longer the clerk's to see, not even by its title.
    api("secretariat", "PATCH", f"/documents/{mine['id']}", json={"confidential": True})
    assert "Báo cáo công tác tháng 11" not in _panel(_home(login, "clerk"), "du-thao-cua-toi")


def test_a_member_sees_what_was_issued_since_their_last_visit(api, login, accounts):
    before = api.upload("secretariat", title="Nghị quyết ban hành hôm qua").json
    api.transition("secretariat", before["id"], "in_review")
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    api(
        "secretariat",
        "POST",
        f"/documents/{before['id']}/transitions",
        json={"to": "approved", "issue_date": yesterday},
    )
    # The first visit: the last 30 days.
    first = _panel(_home(login, "member"), "moi-ban-hanh")
    assert "Nghị quyết ban hành hôm qua" in first
    # Signed in again today: only what was issued since that first visit.
    after = api.upload("secretariat", title="Thông báo ban hành hôm nay", doc_type="TB").json
    api.transition("secretariat", after["id"], "in_review")
    api.transition("secretariat", after["id"], "approved")
    # New to the reader is what was issued here since: a directive dated months ago, registered now.
    directive = register(api, **DIRECTIVE).json
    page = _home(login, "member")
    assert "lần đăng nhập trước" in page
    since = _panel(page, "moi-ban-hanh")
    assert "Thông báo ban hành hôm nay" in since and "Nghị quyết ban hành hôm qua" not in since
    assert directive["number"] in since
    member = db.session.get(User, accounts["member"].id)
    assert member.previous_login_at is not None and member.last_login_at > member.previous_login_at
    assert utcnow() - member.last_login_at < timedelta(minutes=5)
    # Nothing awaits a member's comments: the panel says so.
    assert "Không có dự thảo nào đang chờ ý kiến" in _panel(page, "xin-y-kien")


def test_users_change_their_own_password_through_the_form(login, accounts, app):
    client = login("clerk")
    page = client.get("/account/password").get_data(as_text=True)
    assert 'aria-current="page">Đổi mật khẩu</li>' in page  # the breadcrumb ends at this page
    refused = client.post(
        "/account/password",
        data={"current_password": "sai", "new_password": "ngan", "repeat_password": "khac"},
    )
    text = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    # Every error at once, in a summary linking to its field, and beside the field.
    summary = re.search(r'<div class="error-summary".*?</div>', text, re.S).group(0)
    assert '<a href="#current_password">Mật khẩu hiện tại: Mật khẩu hiện tại không đúng.</a>' in summary
    assert '<a href="#new_password">Mật khẩu mới: Mật khẩu cần ít nhất 8 ký tự.</a>' in summary
    assert text.count("Mật khẩu hiện tại không đúng.") == 2
    mismatch = client.post(
        "/account/password",
        data={
            "current_password": "clerk-password",
            "new_password": "mat-khau-moi-2026",
            "repeat_password": "khac-hẳn",
        },
    )
    assert mismatch.status_code == 400 and "Hai lần nhập mật khẩu mới không khớp." in mismatch.get_data(
        as_text=True
    )
    other_session = login("clerk")
    changed = client.post(
        "/account/password",
        data={
            "current_password": "clerk-password",
            "new_password": "mat-khau-moi-2026",
            "repeat_password": "mat-khau-moi-2026",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other_session.get("/").status_code == 302  # the other one ended
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "clerk", "password": "clerk-password"}).status_code == 401
    assert (
        fresh.post("/login", data={"username": "clerk", "password": "mat-khau-moi-2026"}).status_code == 302
    )


def test_required_fields_are_marked_and_pages_below_home_have_breadcrumbs(api, login):
    client = login("secretariat")
    new = client.get("/documents/new").get_data(as_text=True)
    assert re.search(r'<label for="title">Trích yếu</label> <span class="req" aria-hidden="true"', new)
    assert not re.search(r'<label for="summary">Tóm tắt</label> <span class="req"', new)
    assert "required" in re.search(r'<input[^>]*id="title"[^>]*>', new).group(0)
    doc = api.upload("secretariat", title="Nghị quyết về đô thị").json
    versions = unescape(client.get(f"/documents/{doc['id']}/versions").get_data(as_text=True))
    trail = re.search(r'<nav class="breadcrumbs" aria-label="Đường dẫn">(.*?)</nav>', versions, re.S).group(1)
    steps = re.findall(r">([^<>]+)</(?:a|li)>", trail)
    assert steps[:3] == ["Trang chủ", "Văn bản", "Nghị quyết về đô thị"] and len(steps) == 4
    assert "breadcrumbs" not in client.get("/").get_data(as_text=True)


def test_the_token_page_has_a_copy_button(login, accounts):
    page = login("admin").post(f"/admin/users/{accounts['member'].id}/token").get_data(as_text=True)
    assert '<pre class="token" id="ma-api">' in page
    assert '<button type="button" class="copy" data-copy="ma-api"' in page


def test_guessing_the_current_password_is_throttled_like_logins(login, app):
    app.config["LOGIN_DELAY_AFTER"] = 100  # the lock, not the delay before it
    client = login("member")
    wrong = {
        "current_password": "doan-sai",
        "new_password": "mat-khau-moi-2026",
        "repeat_password": "mat-khau-moi-2026",
    }
    for _ in range(app.config["LOGIN_FAILURES_MAX"]):
        assert client.post("/account/password", data=wrong).status_code == 400
    refused = client.post("/account/password", data={**wrong, "current_password": "member-password"})
    assert refused.status_code == 429
    assert "Nhập sai mật khẩu hiện tại quá nhiều lần. Vui lòng thử lại sau 15 phút." in refused.get_data(
        as_text=True
    )


def test_the_panels_come_in_the_order_create_app_wires_them(app, login):
    """The office's home page: drafts in review, comments received, newly issued, incoming to
    handle, the next conference, top to bottom, as WIRING lists them (not as modules happened
    to be imported)."""
    page = _home(login, "secretariat")
    keys = ["cho-xem-xet", "y-kien-moi", "moi-ban-hanh", "van-ban-den", "hoi-nghi"]
    positions = [page.index(f'aria-labelledby="home-{key}"') for key in keys]
    assert positions == sorted(positions)
    # Swapped in the wiring, swapped on the page: the order is the list's, nothing else.
    panels = list(WIRING.home_panels)
    first, last = panels.index(documents_home.drafts_panel), panels.index(meetings_home.next_meeting_panel)
    panels[first], panels[last] = panels[last], panels[first]
    install(app, replace(WIRING, home_panels=tuple(panels)))
    page = _home(login, "secretariat")
    assert page.index('aria-labelledby="home-hoi-nghi"') < page.index('aria-labelledby="home-cho-xem-xet"')


def test_a_panel_wired_in_create_app_shows_on_the_document_page(app, api, login):
    doc = api.upload("clerk", title="Kế hoạch tuyên truyền").json

    def probe(document, *, actor):
        return Markup(f"<p id='probe'>{document.id} cho {actor.username}</p>")

    install(app, replace(WIRING, document_panels=(*WIRING.document_panels, probe)))
    page = login("clerk").get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert f"<p id='probe'>{doc['id']} cho clerk</p>" in page
