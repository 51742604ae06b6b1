"""Faults while serving: a process killed between writing a file and committing its row, the
index folder deleted, the upload folder on a full filesystem (a real tmpfs)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

import pytest

from ancuu_docs import storage_check
from ancuu_docs.documents.models import Document
from ancuu_docs.extensions import db
from ancuu_docs.search import indexing
from tests import samples
from tests.conftest import IsolatedClient, _make_app, make_accounts
from tests.processes import app_script, start_worker, tmpfs, wait_for


def test_a_process_killed_between_file_and_commit_leaves_no_orphan_once_the_worker_runs(app, instance, api):
    """kill -9 after the upload's file is written and before its row commits: the file has no
    row; the worker started again sweeps it out of uploads/, and nothing else is touched."""
    kept = api.upload("secretariat", title="Nghị quyết về an sinh xã hội").json
    script = app_script(
        instance,
        """
        import os, signal
        from sqlalchemy import event
        from sqlalchemy.orm import Session
        from ancuu_docs.auth.models import User
        from ancuu_docs.documents import services
        from ancuu_docs.documents.commands import NewDocument
        from ancuu_docs.extensions import db
        office = db.session.query(User).filter_by(username="secretariat").one()
        event.listen(Session, "before_commit", lambda _s: os.kill(os.getpid(), signal.SIGKILL))
        upload = services.Upload("Kế hoạch phòng chống lụt bão năm 2026".encode(), "kh.txt")
        draft = NewDocument.of(title="Kế hoạch chống lụt bão", doc_type="KH")
        services.create_document(office, draft, upload)
        """,
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    report = storage_check.check(grace_seconds=0)
    assert len(report.orphans) == 1 and not report.missing
    assert db.session.query(Document).count() == 1

    worker = start_worker(instance, STORAGE_ORPHAN_GRACE_SECONDS=0, STORAGE_SWEEP_EVERY=0.2)
    try:
        assert wait_for(lambda: storage_check.check(grace_seconds=0).ok)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    # Only the kept document's file is left in place: the orphan went to the trash.
    kept_digest = api("secretariat", "GET", f"/documents/{kept['id']}").json["versions"][0]["sha256"]
    assert [name for name, _path in storage_check.stored_files()] == [kept_digest]
    assert api("secretariat", "GET", f"/documents/{kept['id']}/versions/1/file").status_code == 200
    assert indexing.check().ok


def test_the_index_folder_deleted_while_serving_is_said_and_the_worker_builds_it_again(app, instance, api):
    doc = api.upload("secretariat", title="Kế hoạch phòng cháy chữa cháy mùa khô", doc_type="KH").json
    assert api.transition("secretariat", doc["id"], "in_review").status_code == 200
    shutil.rmtree(indexing.index_folder())

    response = api("secretariat", "GET", "/search", query_string={"q": "phòng cháy"})
    assert response.status_code == 503
    assert response.json["error"].startswith("Chỉ mục tìm kiếm đang được dựng lại")

    worker = start_worker(instance)
    try:
        assert wait_for(
            lambda: api("secretariat", "GET", "/search", query_string={"q": "phòng cháy"}).status_code == 200
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    hits = api("secretariat", "GET", "/search", query_string={"q": "phòng cháy"}).json["hits"]
    assert [hit["id"] for hit in hits] == [doc["id"]]


@pytest.fixture
def full_folder(tmp_path):
    """A 1 MB tmpfs filled to its last 32 KB: a filesystem that is really full."""
    with tmpfs(tmp_path / "full", "1m") as mount:
        (mount / "filler").write_bytes(b"\0" * (shutil.disk_usage(mount).free - 32 * 1024))
        yield mount


def test_uploads_on_a_full_filesystem_answer_507_and_leave_nothing(instance, database_url, full_folder):
    app = _make_app(
        instance,
        DATABASE_URL=database_url,
        UPLOAD_FOLDER=str(full_folder / "uploads"),
        WTF_CSRF_ENABLED=False,
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        accounts = make_accounts()
        big = samples.txt("Báo cáo tổng kết công tác năm 2026. " * 3000)
        client = app.test_client()
        response = client.post(
            "/api/v1/documents",
            headers=accounts["clerk"].headers,
            data={
                "title": "Báo cáo tổng kết",
                "doc_type": "BC",
                "file": (samples.stream(big), "bao-cao.txt"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 507
        assert response.json["error"] == "Hết dung lượng lưu trữ. Báo quản trị giải phóng đĩa rồi thử lại."

        page = app.test_client()
        login = page.post("/login", data={"username": "clerk", "password": accounts["clerk"].password})
        assert login.status_code == 302
        form = {"title": "Báo cáo tổng kết", "doc_type": "BC", "file": (samples.stream(big), "bao-cao.txt")}
        response = page.post("/documents/new", data=form, content_type="multipart/form-data")
        assert response.status_code == 507
        assert "Hết dung lượng lưu trữ" in response.get_data(as_text=True)

        assert db.session.query(Document).count() == 0
        assert [p.name for p in full_folder.rglob("*") if p.is_file()] == ["filler"]
        db.session.remove()
        db.engine.dispose()
