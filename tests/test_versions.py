"""Versions: n+1 on every upload, nothing overwritten, stale bases refused, restore, diff."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import SQLAlchemyError

from ancuu_docs.database import ImmutableVersionError
from ancuu_docs.documents.models import DocumentVersion
from ancuu_docs.extensions import db
from tests import samples

V1 = "Ban Chấp hành Đảng bộ phường thống nhất ban hành nghị quyết về quản lý đất đai."
V2 = "Ban Chấp hành Đảng bộ phường thống nhất ban hành nghị quyết về quản lý đất đai và vệ sinh môi trường."


@pytest.fixture
def draft(api):
    response = api.upload("secretariat", data=samples.docx([V1]), filename="nq-dat-dai-v1.docx")
    assert response.status_code == 201
    return response.json


def test_each_upload_adds_the_next_version_and_keeps_the_old(api, draft):
    response = api.add_version(
        "secretariat",
        draft["id"],
        samples.docx([V2]),
        base_version=1,
        filename="nq-dat-dai-v2.docx",
        comment="Tiếp thu ý kiến",
    )
    assert response.status_code == 201
    body = response.json
    assert body["current_version"] == 2
    assert [v["n"] for v in body["versions"]] == [1, 2]
    assert body["versions"][1]["comment"] == "Tiếp thu ý kiến"
    assert body["versions"][1]["author"] == "secretariat"

    first = api("member", "GET", f"/documents/{draft['id']}/versions/1/file")
    assert first.status_code == 404  # still a draft for members
    first = api("secretariat", "GET", f"/documents/{draft['id']}/versions/1/file")
    second = api("secretariat", "GET", f"/documents/{draft['id']}/versions/2/file")
    assert "nq-dat-dai-v1.docx" in first.headers["Content-Disposition"]
    assert "nq-dat-dai-v2.docx" in second.headers["Content-Disposition"]
    assert first.data != second.data
    import hashlib

    assert hashlib.sha256(first.data).hexdigest() == body["versions"][0]["sha256"]


def test_identical_bytes_are_refused_as_no_change(api, draft):
    same = api("secretariat", "GET", f"/documents/{draft['id']}/versions/1/file").data
    response = api.add_version("secretariat", draft["id"], same, base_version=1)
    assert response.status_code == 409
    assert "Không có thay đổi" in response.json["error"]
    assert api("secretariat", "GET", f"/documents/{draft['id']}").json["current_version"] == 1


def test_stale_base_is_refused_naming_the_current_version(api, draft):
    assert api.add_version("secretariat", draft["id"], samples.docx([V2]), base_version=1).status_code == 201
    response = api.add_version("secretariat", draft["id"], samples.docx(["Bản sửa khác"]), base_version=1)
    assert response.status_code == 409
    assert response.json["current_version"] == 2
    assert "phiên bản 2" in response.json["error"]
    assert api("secretariat", "GET", f"/documents/{draft['id']}").json["current_version"] == 2


def test_base_version_is_required(api, draft):
    form = {"file": (samples.stream(samples.docx([V2])), "v2.docx")}
    response = api(
        "secretariat",
        "POST",
        f"/documents/{draft['id']}/versions",
        data=form,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "base_version" in response.json["error"]


def test_restore_copies_an_old_version_as_a_new_one(api, draft):
    api.add_version("secretariat", draft["id"], samples.docx([V2]), base_version=1)
    response = api(
        "secretariat", "POST", f"/documents/{draft['id']}/versions/1/restore", json={"base_version": 2}
    )
    assert response.status_code == 201
    versions = response.json["versions"]
    assert [v["n"] for v in versions] == [1, 2, 3]
    assert versions[2]["sha256"] == versions[0]["sha256"]
    assert versions[2]["restored_from"] == 1
    assert versions[2]["filename"] == versions[0]["filename"]


def test_stored_versions_cannot_be_changed_or_deleted(api, draft):
    version = db.session.query(DocumentVersion).filter_by(document_id=draft["id"]).one()
    version.text = "viết đè"
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.query(DocumentVersion).filter_by(document_id=draft["id"]).one())
    with pytest.raises((ImmutableVersionError, SQLAlchemyError)):
        db.session.flush()
    db.session.rollback()
    assert db.session.query(DocumentVersion).filter_by(document_id=draft["id"]).one().text == V1


def test_diff_marks_inserted_and_deleted_words(api, draft):
    api.add_version(
        "secretariat", draft["id"], samples.docx([V2.replace("thống nhất", "đồng ý")]), base_version=1
    )
    response = api("secretariat", "GET", f"/documents/{draft['id']}/diff?from=1&to=2")
    assert response.status_code == 200
    ops = response.json["ops"]
    inserted = " ".join(op["text"] for op in ops if op["op"] == "insert")
    deleted = " ".join(op["text"] for op in ops if op["op"] == "delete")
    assert "đồng ý" in inserted and "vệ sinh môi trường." in inserted
    assert "thống nhất" in deleted and "đai." in deleted
    assert "đồng ý" not in deleted and "thống nhất" not in inserted
    assert response.json["inserted_words"] == len(inserted.split())
    # Rebuilding the new text from the ops gives the new version exactly.
    rebuilt = " ".join(op["text"] for op in ops if op["op"] != "delete")
    assert rebuilt == V2.replace("thống nhất", "đồng ý")


def test_diff_with_missing_or_unknown_versions(api, draft):
    assert api("secretariat", "GET", f"/documents/{draft['id']}/diff?from=1").status_code == 400
    assert api("secretariat", "GET", f"/documents/{draft['id']}/diff?from=1&to=9").status_code == 404


def test_diff_page_shows_insertions_and_deletions(api, draft, login):
    api.add_version("secretariat", draft["id"], samples.docx([V2]), base_version=1)
    client = login("secretariat")
    page = client.get(f"/documents/{draft['id']}/diff?from=1&to=2").get_data(as_text=True)
    assert "<ins>đai và vệ sinh môi trường.</ins>" in page
    assert "<del>đai.</del>" in page


def test_diff_keeps_paragraphs_apart(api):
    doc = api.upload("secretariat", data=samples.docx(["I- MỤC ĐÍCH", "Đoạn một.", "Đoạn hai."])).json
    new = samples.docx(["I- MỤC ĐÍCH", "Đoạn một sửa.", "Đoạn hai."])
    api.add_version("secretariat", doc["id"], new, base_version=1)
    ops = api("secretariat", "GET", f"/documents/{doc['id']}/diff?from=1&to=2").json["ops"]
    assert ops == [
        {"op": "equal", "text": "I- MỤC ĐÍCH\nĐoạn"},
        {"op": "delete", "text": "một."},
        {"op": "insert", "text": "một sửa."},
        {"op": "equal", "text": "\nĐoạn hai."},
    ]
