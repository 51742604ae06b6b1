"""Every change leaves an audit event: who, what, when, from where, on which document and version."""

from __future__ import annotations

from html import unescape

from ancuu_docs.audit.models import AuditEvent
from ancuu_docs.extensions import db
from tests import samples


def _events(doc_id=None):
    query = db.session.query(AuditEvent).order_by(AuditEvent.id)
    if doc_id is not None:
        query = query.filter_by(object_type="document", object_id=doc_id)
    return query.all()


def test_every_change_to_a_document_is_audited(api, accounts):
    doc = api.upload("clerk", data=samples.docx(["Dự thảo 1"]), environ_base={"REMOTE_ADDR": "10.1.2.3"}).json
    api.add_version("clerk", doc["id"], samples.docx(["Dự thảo 2"]), base_version=1)
    api("secretariat", "POST", f"/documents/{doc['id']}/versions/1/restore", json={"base_version": 2})
    api("secretariat", "PATCH", f"/documents/{doc['id']}", json={"title": "Tên mới"})
    api.transition("secretariat", doc["id"], "in_review")
    api.transition("secretariat", doc["id"], "approved")

    events = _events(doc["id"])
    assert [e.action for e in events] == [
        "document.create",
        "version.add",
        "version.restore",
        "document.update",
        "document.transition",
        "document.transition",
    ]
    assert [e.version_n for e in events] == [1, 2, 3, None, 3, 3]
    assert [e.actor.username for e in events] == ["clerk", "clerk"] + ["secretariat"] * 4
    assert events[0].ip_address == "10.1.2.3"
    assert all(e.at is not None for e in events)
    assert events[3].details["changes"]["title"]["to"] == "Tên mới"
    assert {k: v for k, v in events[5].details.items() if k != "issue_note"} == {
        "from": "in_review",
        "to": "approved",
        "number": "01-NQ/ĐU",
    }
    # The sample has no "Số …-NQ/ĐU" line: the approval's event says the file was kept as it was.
    assert events[5].details["issue_note"].startswith("Tệp DOCX không có dòng «Số …-NQ/…»")


def test_refused_changes_leave_no_event(api):
    doc = api.upload("secretariat").json
    before = len(_events())
    api.add_version("secretariat", doc["id"], samples.docx(["x"]), base_version=7)  # stale
    api.transition("secretariat", doc["id"], "approved")  # illegal
    api.add_version("member", doc["id"], samples.docx(["y"]), base_version=1)  # forbidden
    assert len(_events()) == before


def test_logins_are_audited(client, accounts):
    client.post("/login", data={"username": "member", "password": "wrong-password"})
    client.post("/login", data={"username": "member", "password": accounts["member"].password})
    actions = [e.action for e in _events()]
    assert actions[-2:] == ["user.login_failed", "user.login"]


def test_audit_page_lists_events_for_the_office(api, login):
    api.upload("secretariat", title="Nghị quyết về hạ tầng đồng bộ")
    page = login("secretariat").get("/audit").get_data(as_text=True)
    assert "Tạo văn bản" in page and "Nghị quyết về hạ tầng đồng bộ" in page


def test_the_log_speaks_vietnamese_with_names_and_links(api, accounts, login):
    doc = api.upload("secretariat", title="Nghị quyết về hạ tầng đồng bộ").json
    api(
        "secretariat",
        "PATCH",
        f"/documents/{doc['id']}",
        json={"summary": "Tóm tắt mới", "confidential": True},
    )
    api.transition("secretariat", doc["id"], "in_review")
    client = login("admin")
    assert (
        client.post(
            f"/admin/users/{accounts['member'].id}",
            data={"role": "clerk", "committee": "standing", "active": "y"},
        ).status_code
        == 302
    )
    page = unescape(client.get("/audit").get_data(as_text=True))
    assert '<th scope="col">Địa chỉ IP</th>' in page
    # People by their names; objects named and linked; details in words, not keys or dicts.
    assert "Người dùng secretariat" in page
    assert f'<a href="/documents/{doc["id"]}">Văn bản «Nghị quyết về hạ tầng đồng bộ»</a>' in page
    assert "Trạng thái: «Dự thảo» → «Đang xem xét»" in page
    assert "Tóm tắt: «(trống)» → «Tóm tắt mới»" in page and "Hạn chế: «không» → «có»" in page
    assert "Người dùng «Người dùng member»" in page
    assert "Vai trò: Văn thư" in page and "Cấp ủy: Ủy viên Ban Thường vụ" in page
    for raw in ("from:", "changes:", "{'", "in_review", "summary:", "role: clerk"):
        assert raw not in page, raw


def test_meeting_and_user_events_name_their_object(api, accounts):
    from ancuu_docs.meetings.models import Meeting

    created = api(
        "secretariat",
        "POST",
        "/meetings",
        json={**samples.CONFERENCE, "ordinal": 3, "date": "2025-12-01", "total_members": 3},
    )
    assert created.status_code == 201, created.json
    meeting = db.session.get(Meeting, created.json["id"])
    event = db.session.query(AuditEvent).filter_by(action="meeting.create").one()
    assert (event.object_type, event.object_id) == ("meeting", meeting.id)
    assert "meeting_id" not in event.details
    token = db.session.query(AuditEvent).filter_by(action="user.token", object_id=accounts["clerk"].id).one()
    assert token.object_type == "user"


def test_audit_page_filters_by_person_action_object_and_date(api, accounts, login):
    doc = api.upload("clerk", title="Kế hoạch số hóa hồ sơ").json
    api.transition("secretariat", doc["id"], "in_review")
    client = login("secretariat")

    def rows(**query):
        response = client.get("/audit", query_string=query)
        assert response.status_code == 200
        return response.get_data(as_text=True).count("<tr>") - 1  # less the header row

    everything = rows()
    assert rows(actor=accounts["clerk"].id) == 1  # the clerk created the document
    assert rows(action="document.transition") == 1
    assert rows(object_type="document", object_id=doc["id"]) == 2
    assert rows(object_type="user") >= 1 and rows(object_type="user") < everything
    assert rows(date_from="2999-01-01") == 0
    assert rows(date_to="2000-01-01") == 0

    bad = client.get("/audit", query_string={"date_from": "hôm qua", "object_id": "abc"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Từ ngày không hợp lệ (dạng YYYY-MM-DD)." in page and "Mã đối tượng phải là số nguyên." in page
    far = client.get("/audit", query_string={"date_to": "9999-12-31", "object_id": str(2**70)})
    page = far.get_data(as_text=True)
    assert far.status_code == 400
    assert (
        "Đến ngày phải trong các năm 1900–2999." in page and "Mã đối tượng phải từ 1 đến 2147483647." in page
    )


def test_migration_moves_existing_events_to_their_objects(tmp_path):
    """0005 gives each old event its object: the document, the meeting (out of the JSON), the
    user (by username), the template (by key)."""
    import json

    from flask_migrate import upgrade
    from sqlalchemy import text

    from ancuu_docs import create_app

    app = create_app({"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at) "
                    "VALUES (1, 'hoa', 'Hoa', 'secretariat', 'x', 1, '2025-11-05 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO draft_templates (id, key, name, doc_type, created_by_id, created_at) "
                    "VALUES (3, 'thong-bao', 'Thông báo', 'TB', 1, '2025-11-05 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO documents (id, doc_type, title, summary, status, term, confidential, "
                    "created_by_id, created_at, updated_at) VALUES (5, 'NQ', 'Nghị quyết', '', 'draft', "
                    "'2025-2030', 0, 1, '2025-11-05 00:00:00', '2025-11-05 00:00:00')"
                )
            )
            rows = [
                ("document.create", None, "{}"),
                ("meeting.create", None, json.dumps({"meeting_id": 7, "title": "Hội nghị"})),
                ("user.create", None, json.dumps({"username": "hoa", "role": "secretariat"})),
                ("user.login", 1, "{}"),
                ("user.login_failed", None, json.dumps({"username": "hoa"})),
                ("template.version", None, json.dumps({"template_key": "thong-bao", "n": 1})),
            ]
            for action, actor, details in rows:
                connection.execute(
                    text(
                        "INSERT INTO audit_events (at, actor_id, action, document_id, details_json) "
                        "VALUES ('2025-11-05 00:00:00', :actor, :action, :doc, :details)"
                    ),
                    {
                        "actor": actor,
                        "action": action,
                        "doc": 5 if action == "document.create" else None,
                        "details": details,
                    },
                )
        upgrade()
        moved = db.session.query(AuditEvent).order_by(AuditEvent.id).all()
        assert [(e.action, e.object_type, e.object_id) for e in moved] == [
            ("document.create", "document", 5),
            ("meeting.create", "meeting", 7),
            ("user.create", "user", 1),
            ("user.login", "user", 1),
            ("user.login_failed", None, None),
            ("template.version", "template", 3),
        ]
        assert moved[1].details == {"title": "Hội nghị"}
        db.session.remove()
        db.engine.dispose()
