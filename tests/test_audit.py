"""Every change leaves an audit event: who, what, when, from where, on which document and version."""

from __future__ import annotations

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
    assert events[5].details == {"from": "in_review", "to": "approved", "number": "01-NQ/ĐU"}


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
    assert "Tạo tài liệu" in page and "Nghị quyết về hạ tầng đồng bộ" in page
