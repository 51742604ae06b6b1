"""Backups restore into a new instance whole; damaged archives are refused before anything is
written; `storage check` finds files without rows and rows without files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from ancuu_docs import storage_check
from ancuu_docs.extensions import db
from tests import samples
from tests.conftest import Api, IsolatedClient, _make_app, uploads_files
from tests.test_registering import DIRECTIVE, register

QUERIES = ["văn minh", "van minh", "chuyển đổi số", "46-CT/TW", "bầu cử"]


def _search(api, q, role):
    response = api(role, "GET", "/search", query_string={"q": q})
    assert response.status_code == 200, response.json
    return [hit["id"] for hit in response.json["hits"]]


def _downloads(api) -> dict[tuple[int, int], str]:
    """SHA-256 of every version's file, through the API, as the secretariat."""
    found = {}
    listing = api("secretariat", "GET", "/documents", query_string={"per_page": 100}).json["documents"]
    for item in listing:
        doc = api("secretariat", "GET", f"/documents/{item['id']}").json
        for version in doc["versions"]:
            response = api("secretariat", "GET", f"/documents/{item['id']}/versions/{version['n']}/file")
            assert response.status_code == 200
            found[(item["id"], version["n"])] = hashlib.sha256(response.data).hexdigest()
    return found


@pytest.fixture
def filled(api):
    first = api.upload("secretariat", title="Nghị quyết về xây dựng lối sống đô thị văn minh").json
    api.add_version(
        "secretariat", first["id"], samples.docx(["Bản sửa: đô thị văn minh, sạch đẹp."]), base_version=1
    )
    assert api.transition("secretariat", first["id"], "in_review").status_code == 200
    assert (
        api(
            "secretariat", "POST", f"/documents/{first['id']}/transitions", json={"to": "approved"}
        ).status_code
        == 200
    )
    api.upload(
        "clerk",
        title="Kế hoạch chuyển đổi số năm 2026",
        doc_type="KH",
        data=samples.pdf(["Ke hoach chuyen doi so nam 2026"]),
        filename="ke-hoach.pdf",
    )
    assert register(api, file=samples.pdf(["Chi thi 46-CT/TW ve bau cu"]), **DIRECTIVE).status_code == 201
    return first


def _invoke(app, *args):
    """A command of `app` in its own app context: the test's app context would otherwise serve."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
        db.engine.dispose()
    return result


def _restored_app(tmp_path, databases, **settings):
    folder = tmp_path / "restored"
    folder.mkdir()
    url = databases.fresh(folder, empty=True)
    app = _make_app(folder, DATABASE_URL=url, TEMPLATE_FOLDER=str(folder / "templates"), **settings)
    app.test_client_class = IsolatedClient
    return app, url


def test_backup_then_restore_into_a_new_instance_gives_every_file_and_the_same_search(
    app, api, accounts, filled, tmp_path, databases
):
    before = _downloads(api)
    searches = {(q, role): _search(api, q, role) for q in QUERIES for role in ("secretariat", "member")}
    assert len(before) == 4 and searches[("văn minh", "member")] == [filled["id"]]

    archive = tmp_path / "ancuu.tar"
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        settings = json.loads(tar.extractfile("settings.json").read())
    assert "SECRET_KEY" not in settings and "DATABASE_URL" not in settings
    assert settings["ISSUING_BODY"] == "ĐẢNG ỦY PHƯỜNG AN CỰU"
    assert manifest["stored_files"] == len(set(before.values()))

    restored, url = _restored_app(tmp_path, databases)
    try:
        result = _invoke(restored, "restore", str(archive))
        assert result.exit_code == 0, result.output
        assert "Bản sao lưu nguyên vẹn" in result.output and "chỉ mục đã dựng lại" in result.output
        with restored.app_context():
            again = Api(restored.test_client(), accounts)  # the API tokens came back with the users
            assert _downloads(again) == before
            assert {key: _search(again, *key) for key in searches} == searches
            check = restored.test_cli_runner().invoke(args=["storage", "check"])  # in restored's context
            assert check.exit_code == 0 and "khớp" in check.output
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.drop(url)


def _rewrite(archive: Path, target: Path, change) -> None:
    """A copy of the archive with one member's bytes changed by `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source:
            data = source.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def _is_empty(app) -> bool:
    with app.app_context():
        empty = not inspect(db.engine).get_table_names()
        db.engine.dispose()
    return empty and not uploads_files(app)


def test_a_damaged_or_truncated_archive_is_refused_before_anything_is_written(
    app, api, filled, tmp_path, databases
):
    archive = tmp_path / "ancuu.tar"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0

    def flip(name, data):
        if name.startswith("uploads/"):
            return data[:-1] + bytes([data[-1] ^ 1])
        return data

    damaged = tmp_path / "damaged.tar"
    _rewrite(archive, damaged, flip)
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2 + 100])

    restored, url = _restored_app(tmp_path, databases)
    try:
        result = _invoke(restored, "restore", str(damaged))
        assert result.exit_code == 1
        assert "đã bị thay đổi hoặc hỏng" in result.output
        assert _is_empty(restored)
        result = _invoke(restored, "restore", str(truncated))
        assert result.exit_code == 1 and "hỏng" in result.output
        assert result.output.startswith("Lỗi: ") and "Traceback" not in result.output
        assert _is_empty(restored)
    finally:
        databases.drop(url)


def test_restore_never_writes_into_an_instance_that_has_data(app, api, filled, tmp_path):
    archive = tmp_path / "ancuu.tar"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    files = sorted(uploads_files(app))
    result = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 1 and "chỉ khôi phục vào một cài đặt mới" in result.output
    assert sorted(uploads_files(app)) == files


def test_a_backup_never_overwrites_an_archive(app, tmp_path):
    archive = tmp_path / "ancuu.tar"
    archive.write_bytes(b"old backup")
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 1 and "đã có" in result.output
    assert archive.read_bytes() == b"old backup"


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_storage_check_lists_orphans_and_missing_files_and_repair_never_removes_rows(app, api, tmp_path):
    from ancuu_docs import storage

    kept = api.upload("secretariat", title="Nghị quyết về an sinh xã hội").json
    lost = api.upload(
        "secretariat",
        title="Báo cáo tình hình thu ngân sách",
        doc_type="BC",
        data=samples.txt("Báo cáo ngân sách"),
        filename="bao-cao.txt",
    ).json
    lost_digest = api("secretariat", "GET", f"/documents/{lost['id']}").json["versions"][0]["sha256"]
    storage.path_for(lost_digest).unlink()
    orphan, _ = storage.put(b"a crashed upload's file")
    _age(storage.path_for(orphan), 2 * 24 * 3600)
    young, _ = storage.put(b"a file read for its header a minute ago")
    half = storage.path_for(orphan).parent / ".tmp-crashed"
    half.write_bytes(b"half")
    _age(half, 2 * 24 * 3600)

    runner = app.test_cli_runner()
    result = runner.invoke(args=["storage", "check"])
    assert result.exit_code == 1
    assert "Tệp thừa: 1" in result.output and orphan in result.output
    assert "Tệp ghi dở: 1" in result.output
    assert "Bản ghi mất tệp: 1" in result.output and lost_digest in result.output
    assert young not in result.output

    result = runner.invoke(args=["storage", "check", "--repair"])
    assert result.exit_code == 1  # a row without its file is reported, never deleted
    assert not storage.exists(orphan) and storage.exists(young) and not half.exists()
    assert api("secretariat", "GET", f"/documents/{lost['id']}").status_code == 200
    assert api("secretariat", "GET", f"/documents/{kept['id']}/versions/1/file").status_code == 200

    # A row that committed while the sweep moved its file to the trash gets the file back.
    kept_digest = api("secretariat", "GET", f"/documents/{kept['id']}").json["versions"][0]["sha256"]
    os.replace(storage.path_for(kept_digest), Path(app.config["UPLOAD_FOLDER"]) / ".trash" / kept_digest)
    result = runner.invoke(args=["storage", "check", "--repair"])
    assert "trả lại 1 tệp" in result.output
    download = api("secretariat", "GET", f"/documents/{kept['id']}/versions/1/file")
    assert hashlib.sha256(download.data).hexdigest() == kept_digest


def test_the_workers_sweep_holds_back_when_the_files_are_not_this_databases(app, api):
    """Pointed at a new or wrong database, the sweep would take every file away: it refuses."""
    from ancuu_docs import storage

    api.upload("secretariat", title="Nghị quyết về an sinh xã hội")
    foreign = [storage.put(f"tệp của một cài đặt khác {n}".encode())[0] for n in range(12)]
    for digest in foreign:
        _age(storage.path_for(digest), 2 * 24 * 3600)
    assert storage_check.sweep() is None
    assert all(storage.exists(digest) for digest in foreign)

    for digest in foreign[2:]:
        storage.path_for(digest).unlink()
    report = storage_check.sweep()  # two crashed uploads' files among this database's: swept
    assert report is not None and sorted(report.orphans) == sorted(foreign[:2])
    assert not any(storage.exists(digest) for digest in foreign[:2])


def _forge(archive: Path, target: Path, *, add: dict | None = None, replace: dict | None = None) -> None:
    """A copy of the archive with members added or replaced and a manifest that lists them
    with their right SHA-256: what anyone can write, since the manifest vouches for nothing."""
    add, replace = add or {}, replace or {}
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source}
    manifest = json.loads(members.pop("manifest.json"))
    members.update(replace)
    members.update(add)
    for name, data in {**replace, **add}.items():
        manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w") as out:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


@pytest.fixture
def archive(app, filled, tmp_path) -> Path:
    path = tmp_path / "ancuu.tar"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    return path


def _nothing_anywhere(restored, name: str) -> bool:
    root = Path(restored.instance_path)
    return not any(name in str(p) for p in root.parent.rglob("*"))


@pytest.mark.parametrize(
    "name",
    [
        "templates/..\\..\\evilbs",
        "trust/../../evil.pem",
        "uploads/../x",
        "templates/a\x07b.json",
        "evil/x.json",
    ],
)
def test_a_member_that_is_not_a_plain_name_of_a_known_folder_is_refused_before_anything(
    archive, tmp_path, databases, name
):
    forged = tmp_path / "forged.tar"
    _forge(archive, forged, add={name: b"<Relationships/>"})
    restored, url = _restored_app(tmp_path, databases)
    try:
        result = _invoke(restored, "restore", str(forged))
        assert result.exit_code == 1 and "Bản sao lưu có mục lạ" in result.output, result.output
        assert _is_empty(restored) and _nothing_anywhere(restored, "evil")
    finally:
        databases.drop(url)


def test_trust_roots_are_installed_only_when_asked_and_templates_only_of_this_release(
    archive, tmp_path, databases
):
    from tests.signing import ProjectCA

    root = ProjectCA("Kẻ gian").pem()
    forged = tmp_path / "forged.tar"
    _forge(
        archive,
        forged,
        add={"trust/ke-gian.pem": root, "templates/ke-gian.docx": b"PK", "templates/ke-gian.json": b"{}"},
    )
    restored, url = _restored_app(tmp_path, databases)
    try:
        result = _invoke(restored, "restore", str(forged))
        assert result.exit_code == 0, result.output
        assert "Bỏ qua trust/ke-gian.pem (gốc tin cậy: chỉ cài khi có --with-trust-roots)." in result.output
        assert "Bỏ qua templates/ke-gian.json (không phải mẫu có sẵn của phiên bản này)." in result.output
        folder = Path(restored.instance_path)
        assert not (folder / "trust" / "ke-gian.pem").exists()
        assert not (folder / "templates" / "ke-gian.json").exists()
        assert (folder / "templates" / "resolution.docx").exists()  # this release's own, missing here
    finally:
        databases.drop(url)

    (tmp_path / "lan-hai").mkdir()
    again, url = _restored_app(tmp_path / "lan-hai", databases)
    try:
        result = _invoke(again, "restore", "--with-trust-roots", str(forged))
        assert result.exit_code == 0 and "Đã cài trust/ke-gian.pem." in result.output, result.output
        assert (Path(again.instance_path) / "trust" / "ke-gian.pem").read_bytes() == root
        assert not (Path(again.instance_path) / "templates" / "ke-gian.json").exists()
    finally:
        databases.drop(url)


@pytest.mark.parametrize("kind", ["not a database", "another database"])
def test_a_database_member_that_is_not_ours_is_refused_before_anything_is_replaced(
    archive, tmp_path, databases, kind
):
    import sqlite3

    from tests.conftest import ON_POSTGRESQL

    dump = "database/ancuu_docs.pgdump" if ON_POSTGRESQL else "database/ancuu_docs.sqlite"
    if kind == "not a database":
        data = b"SQLite format 3\x00" + os.urandom(4096)
    else:
        other = tmp_path / "other.sqlite"
        connection = sqlite3.connect(other)
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.commit()
        connection.close()
        data = other.read_bytes()
    forged = tmp_path / "forged.tar"
    _forge(archive, forged, replace={dump: data})
    restored, url = _restored_app(tmp_path, databases)
    try:
        result = _invoke(restored, "restore", str(forged))
        assert result.exit_code == 1, result.output
        assert "Bản kết xuất cơ sở dữ liệu trong bản sao lưu không dùng được" in result.output
        assert "Traceback" not in result.output and _is_empty(restored)
        # Nothing was spoiled: the good archive restores into the same instance.
        assert _invoke(restored, "restore", str(archive)).exit_code == 0
    finally:
        databases.drop(url)


def test_a_fresh_clones_default_folders_count_as_empty(archive, tmp_path, databases):
    restored, url = _restored_app(tmp_path, databases)
    uploads = Path(restored.config["UPLOAD_FOLDER"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / ".gitkeep").touch()  # as git checks the folder out
    try:
        result = _invoke(restored, "restore", str(archive))
        assert result.exit_code == 0, result.output
        assert (uploads / ".gitkeep").exists()
    finally:
        databases.drop(url)
