"""Login, CSRF, settings and the command line."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect

from ancuu_docs import create_app
from ancuu_docs.auth.commands import NewUser, UserChange
from ancuu_docs.documents.models import Document, DocumentRelation
from ancuu_docs.extensions import db
from ancuu_docs.timeutil import vietnamese_date


def test_wrong_password_is_shown_beside_the_field(client, accounts):
    response = client.post("/login", data={"username": "member", "password": "sai-mat-khau"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_login_then_logout(client, accounts):
    response = client.post(
        "/login?next=/audit", data={"username": "secretariat", "password": accounts["secretariat"].password}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/audit"
    assert client.get("/").status_code == 200
    assert client.get("/logout").status_code == 405  # logging out changes state: POST only
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_login_never_redirects_off_site(client, accounts):
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "member", "password": accounts["member"].password}
    )
    assert response.headers["Location"] == "/"


def test_deactivated_user_cannot_log_in(client, accounts):
    from ancuu_docs.auth import services

    services.update_user(None, accounts["clerk"].id, UserChange.of(active=False))
    response = client.post("/login", data={"username": "clerk", "password": accounts["clerk"].password})
    assert response.status_code == 401


@pytest.fixture
def csrf_client(instance):
    app = create_app(
        {
            "SECRET_KEY": "t",
            "UPLOAD_FOLDER": str(instance / "up"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        },
        instance_path=instance,
    )
    with app.app_context():
        from ancuu_docs.auth import services

        services.create_user(
            None, NewUser.of(username="vanphong", role="secretariat", password="mat-khau-dai")
        )
        db.session.remove()
    return app.test_client()


def test_forms_need_a_csrf_token(csrf_client):
    response = csrf_client.post("/login", data={"username": "vanphong", "password": "mat-khau-dai"})
    assert response.status_code == 400
    login_page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    response = csrf_client.post(
        "/login", data={"username": "vanphong", "password": "mat-khau-dai", "csrf_token": token}
    )
    assert response.status_code == 302
    # Logged in, a state-changing POST without the token is still refused.
    assert csrf_client.post("/logout").status_code == 400


def test_admin_creates_a_user_and_sees_errors_beside_fields(login):
    client = login("admin")
    response = client.post("/admin/users", data={"username": "A B", "role": "member", "password": "12345678"})
    assert response.status_code == 400
    assert "Tên đăng nhập gồm" in response.get_data(as_text=True)
    response = client.post(
        "/admin/users",
        data={"username": "dangvien2", "role": "member", "password": "ngan", "display_name": "Đảng viên"},
    )
    assert "Mật khẩu cần ít nhất 8 ký tự." in response.get_data(as_text=True)
    response = client.post(
        "/admin/users",
        data={
            "username": "dangvien2",
            "role": "member",
            "password": "mat-khau-dai",
            "display_name": "Đảng viên",
        },
    )
    assert response.status_code == 302
    assert "dangvien2" in client.get("/admin/users").get_data(as_text=True)


def test_cli_creates_users_and_tokens(app, api):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "vanthu2", "--role", "clerk", "--password", "mat-khau-vt"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "vanthu3", "--role", "clerk"], input="mat-khau-vt\nmat-khau-vt\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "vanthu2", "--role", "clerk", "--password", "mat-khau-vt"]
    )
    assert result.exit_code != 0 and "đã có" in result.output

    result = runner.invoke(args=["users", "token", "vanthu2"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    response = api(None, "GET", "/documents", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    # A new token replaces the old one.
    runner.invoke(args=["users", "token", "vanthu2"])
    response = api(None, "GET", "/documents", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert runner.invoke(args=["users", "token", "khong-co"]).exit_code != 0


def test_db_upgrade_builds_the_schema_on_an_empty_instance(tmp_path, empty_database_url):
    settings = {"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up"), "DATABASE_URL": empty_database_url}
    app = create_app(settings, instance_path=tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"users", "documents", "document_versions", "audit_events", "number_counters"} <= tables


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_demo_load_records_the_second_conference(app):
    from ancuu_docs.meetings.models import Meeting

    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "vanphong" in result.output and "dangvien" in result.output
    docs = {d.title: d for d in db.session.query(Document)}
    numbers = sorted(d.number for d in docs.values() if d.number and d.origin == "internal")
    assert numbers == ["01-BB/ĐU", "01-BC/ĐU", "01-CTr/ĐU", "01-NQ/ĐU", "02-CTr/ĐU", "02-NQ/ĐU", "03-NQ/ĐU"]
    # Documents from above, with their printed numbers and arrival numbers; the secret one
    # by its metadata only; the election plan implements the registered directive.
    incoming = sorted(
        (d.arrival_number, d.number, len(d.versions)) for d in docs.values() if d.origin == "incoming"
    )
    # The secret one numbered in the secret book's own series.
    assert incoming == [(1, "46-CT/TW", 1), (1, "87-CV/TU", 0), (2, "05-HD/BTCTU", 1), (3, "12-NQ/TU", 1)]
    assert next(d for d in docs.values() if d.number == "87-CV/TU").security_level == "mat"
    plan = next(d for d in docs.values() if d.doc_type == "KH")
    relation = db.session.query(DocumentRelation).filter_by(source_id=plan.id).one()
    assert relation.target.number == "46-CT/TW"
    # Every approved document's file is the issued one; the drafts before it keep their mark.
    for doc in (d for d in docs.values() if d.number and d.origin == "internal"):
        current = doc.current_version
        assert current.comment == "Bản ban hành", doc.title
        assert f"Số {doc.number}" in current.text and "DỰ THẢO" not in current.text, doc.title
        assert vietnamese_date(doc.issue_date) in current.text, doc.title
        for earlier in doc.versions[:-1]:
            assert f"DỰ THẢO {earlier.n}" in earlier.text and doc.number not in earlier.text, doc.title
    land = next(d for d in docs.values() if "đất đai" in d.title)
    assert len(land.versions) == 3 and "phân loại rác tại nguồn" in land.current_version.text
    report = next(d for d in docs.values() if d.doc_type == "BC")
    assert "181,55 tỷ đồng" in report.current_version.text and "4.817" in report.current_version.text
    assert report.issue_date.isoformat() == "2025-11-05"
    meeting, planned = db.session.query(Meeting).order_by(Meeting.ordinal).all()
    assert meeting.status == "closed" and meeting.present == 14 and len(meeting.absences) == 1
    # The next conference is planned, with the election plan on its agenda; the plan is out
    # to two committee members and the demo member for comments, and one has answered.
    assert planned.status == "planned" and planned.agenda[0].document_id == plan.id
    assert plan.status == "in_review"
    from ancuu_docs.consultation.models import Consultation

    asked = db.session.query(Consultation).one()
    assert len(asked.invitees) == 3 and len(asked.answers) == 1
    assert [item.decision.outcome for item in meeting.agenda] == ["adopted"] * 6
    minutes = meeting.minutes_document
    assert minutes.number == "01-BB/ĐU" and "Lê Văn Cường (đi công tác)" in minutes.current_version.text
    # Reads as real documents: consistent figures, today's terms, each resolution its own.
    everything = "\n".join(d.current_version.text for d in docs.values() if d.origin == "internal")
    assert "bằng 86,4% dự toán năm" in report.current_version.text and "vượt dự toán" not in everything
    for outdated in ("bảo vệ dân phố", "Đại hội Đại biểu", "chỉ tiêu tuyển quân", "Kiện toàn Ủy ban bầu cử"):
        assert outdated not in everything, outdated
    assert (
        "dân quân tự vệ" in everything and "lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở" in everything
    )
    assert not re.search(r"(?<!Ủy ban )(?<!Hội đồng )\bnhân dân", everything)  # "Nhân dân"
    resolutions = [d for d in docs.values() if d.doc_type == "NQ" and d.origin == "internal"]
    openings = set()
    for resolution in resolutions:
        assert "giai đoạn 2025 - 2030" in resolution.title
        text = resolution.current_version.text
        assert "Nghị quyết này được phổ biến đến các chi bộ" in text
        openings.add(text.split("biểu quyết thông qua Nghị quyết", 1)[1][:60])
    assert len(openings) == 3
    programme = next(d for d in docs.values() if "làm việc toàn khóa" in d.title)
    for phrase in ("Sơ kết giữa nhiệm kỳ", "lần thứ II, nhiệm kỳ 2030 - 2035", "ngày bầu cử 15/3/2026"):
        assert phrase in programme.current_version.text, phrase
    # "thống nhất" is for unanimous votes: the 13/1 resolution is never said to be so.
    assert everything.count("thống nhất") == minutes.current_version.text.count("thống nhất")
    minutes_text = minutes.current_version.text
    assert "13/14 đồng chí có mặt tán thành (92,86%)" in minutes_text
    assert minutes_text.count("thống nhất 100%") == 5  # the five unanimous votes, not the sixth
    assert "Phó Bí thư Đảng ủy, Chủ tịch Ủy ban nhân dân phường, trình bày" in minutes_text
    drafts = [d for d in docs.values() if d.status in ("draft", "in_review")]
    assert [d.doc_type for d in drafts] == ["KH"]
    # Loading again into a database that has data changes nothing.
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0 and db.session.query(Document).count() == 12


def test_secret_key_is_generated_once_into_the_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    second = create_app({"UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_come_from_instance_config_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('PLACE_NAME = "Huế"\nMAX_UPLOAD_BYTES = 1000\n', encoding="utf-8")
    monkeypatch.setenv("ANCUU_MAX_UPLOAD_BYTES", "2000")
    app = create_app({"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    assert app.config["PLACE_NAME"] == "Huế"
    assert app.config["MAX_UPLOAD_BYTES"] == 2000
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'ancuu_docs.db'}"


def test_environment_settings_keep_their_types_and_unprefixed_ones_are_named(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ANCUU_PARTY_TERM", "2030")
    monkeypatch.setenv("ANCUU_SIGNER_TITLES", '["BÍ THƯ"]')
    monkeypatch.setenv("PLACE_NAME", "Vỹ Dạ")
    app = create_app({"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    assert app.config["PARTY_TERM"] == "2030" and app.config["SIGNER_TITLES"] == ["BÍ THƯ"]
    assert app.config["PLACE_NAME"] == "An Cựu"
    assert "PLACE_NAME is set but not read: settings come from ANCUU_PLACE_NAME" in caplog.text


def test_a_database_with_documents_upgrades_from_an_old_revision(tmp_path):
    """SQLite alters a table by copying it: with rows pointing at documents and users (versions,
    authors), the copy must not trip the foreign keys, and none may be left broken."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from ancuu_docs import create_app

    app = create_app({"SECRET_KEY": "t", "UPLOAD_FOLDER": str(tmp_path / "up")}, instance_path=tmp_path)
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, "
                "session_version) VALUES (1, 'hoa', 'Hoa', 'secretariat', 'x', 1, '2025-11-05 00:00:00', 0)",
                "INSERT INTO documents (id, doc_type, title, summary, status, term, number_seq, number, "
                "issue_date, confidential, created_by_id, created_at, updated_at) VALUES (5, 'NQ', "
                "'Nghị quyết', '', 'approved', '2025-2030', 1, '01-NQ/ĐU', '2025-11-05', 0, 1, "
                "'2025-11-05 00:00:00', '2025-11-06 08:00:00')",
                "INSERT INTO document_versions (id, document_id, n, sha256, filename, media_type, size, "
                "text, author_id, comment, created_at) VALUES (9, 5, 1, 'ab', 'nq.docx', 'x', 1, 'Nội dung', "
                "1, '', '2025-11-05 00:00:00')",
            ):
                connection.execute(text(statement))
        upgrade()
        with db.engine.connect() as connection:
            doc = connection.execute(text("SELECT origin, issued_at FROM documents WHERE id = 5")).one()
            assert doc.origin == "internal" and str(doc.issued_at).startswith("2025-11-06 08:00")
            assert connection.execute(text("SELECT committee FROM users WHERE id = 1")).scalar() == ""
            assert connection.execute(text("SELECT document_id FROM document_versions")).scalar() == 5
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
