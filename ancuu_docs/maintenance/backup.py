"""One archive holds an installation: the database dump, the stored files the dump names, the
built-in templates, the signature trust roots and the settings (no secrets), with a manifest
giving the SHA-256 of every member.

The dump is one consistent snapshot (SQLite's online backup API; `pg_dump` on an exported
snapshot), and the stored files taken are those the snapshot's rows name: files are written
before the rows that name them and never change, so every one of them is there to copy.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .. import storage, storage_check
from ..config import Config
from ..errors import DomainError
from ..extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SETTINGS = "settings.json"
DUMPS = {"sqlite": "database/ancuu_docs.sqlite", "postgresql": "database/ancuu_docs.pgdump"}
# Never written into an archive: the session key, and the database address with its password.
SECRET_SETTINGS = {"SECRET_KEY", "DATABASE_URL"}
CHUNK = 1024 * 1024


class BackupFailed(DomainError):
    status = 500
    default_message = "Không sao lưu được."


@dataclass
class BackupReport:
    path: Path
    files: int
    size: int
    database: str


def database_kind() -> str:
    return db.engine.dialect.name


def sqlite_path() -> Path:
    return Path(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database)


def run_postgresql_tool(command: list[str]) -> subprocess.CompletedProcess:
    """pg_dump or pg_restore against this database: the address on the command line without
    its password (any local user can read a command line), the password in the environment."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    address = url.set(password=None).render_as_string(hide_password=False)
    try:
        return subprocess.run([*command, f"--dbname={address}"], capture_output=True, text=True, env=env)
    except FileNotFoundError as exc:
        raise BackupFailed(
            f"Không tìm thấy {command[0]}: cài gói postgresql-client cùng phiên bản với máy chủ."
        ) from exc


def settings() -> dict:
    """The settings in force that an archive records: those of Config, less the secrets."""
    config = current_app.config
    return {
        key: config[key]
        for key in vars(Config)
        if key.isupper() and key not in SECRET_SETTINGS and _is_plain(config.get(key))
    }


def _is_plain(value) -> bool:
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Archive:
    """A tar file being written, each member's SHA-256 noted for the manifest."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar, self.members = tar, {}

    def add_file(self, name: str, path: Path) -> None:
        self.members[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
        info = self.tar.gettarinfo(str(path), arcname=name)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o644, 0, 0, "", ""
        with open(path, "rb") as fh:
            self.tar.addfile(info, fh)

    def add_bytes(self, name: str, data: bytes, *, listed: bool = True) -> None:
        if listed:
            self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = len(data), 0o644, int(datetime.now(UTC).timestamp())
        self.tar.addfile(info, io.BytesIO(data))


def create_backup(target: Path, progress: Callable[[int], None] = lambda _n: None) -> BackupReport:
    """Write the archive to `target` (through a temporary name: a failed backup leaves none)."""
    target = Path(target)
    if target.exists():
        raise BackupFailed(f"Tệp {target} đã có; chọn tên khác để không ghi đè bản sao lưu cũ.")
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = database_kind()
    if kind not in DUMPS:
        raise BackupFailed(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {kind}.")
    # A name of this backup's own beside the target, linked to the target at the end: a failed
    # backup leaves nothing, and two backups to one name never overwrite each other.
    fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    partial = Path(partial_name)
    try:
        with tempfile.TemporaryDirectory(prefix="ancuu-backup-") as work:
            dump = Path(work) / "dump"
            referenced, revision = (_dump_sqlite if kind == "sqlite" else _dump_postgresql)(dump)
            with tarfile.open(partial, "w") as tar:
                archive = _Archive(tar)
                archive.add_file(DUMPS[kind], dump)
                progress(1)
                for digest in sorted(referenced):
                    archive.add_file(f"uploads/{digest}", storage.path_for(digest))
                    progress(1)
                for folder, prefix in _extra_folders():
                    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                        archive.add_file(f"{prefix}/{path.relative_to(folder).as_posix()}", path)
                archive.add_bytes(SETTINGS, json.dumps(settings(), ensure_ascii=False, indent=1).encode())
                manifest = {
                    "format": FORMAT,
                    "application": "An Cựu Docs",
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": kind,
                    "schema_revision": revision,
                    "stored_files": len(referenced),
                    "members": archive.members,
                }
                text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                archive.add_bytes(MANIFEST, text, listed=False)
            with open(partial, "rb") as fh:
                os.fsync(fh.fileno())
            os.link(partial, target)
    except FileExistsError as exc:
        raise BackupFailed(f"Tệp {target} đã có; chọn tên khác để không ghi đè bản sao lưu cũ.") from exc
    except FileNotFoundError as exc:
        raise BackupFailed(
            f"Thiếu tệp đã lưu {Path(exc.filename or '?').name}: chạy `storage check` trước."
        ) from exc
    except OSError as exc:
        raise BackupFailed(f"Không ghi được bản sao lưu ({exc.strerror or exc}).") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(target, len(referenced), target.stat().st_size, kind)


def stored_file_count() -> int:
    return len(storage_check.references())


def _extra_folders() -> list[tuple[Path, str]]:
    found = [(Path(current_app.config["TEMPLATE_FOLDER"]), "templates")]
    found.append((Path(current_app.instance_path) / "trust", "trust"))
    return [(folder, prefix) for folder, prefix in found if folder.is_dir()]


def _dump_sqlite(out: Path) -> tuple[set[str], str | None]:
    source = sqlite3.connect(sqlite_path())
    copy = sqlite3.connect(out)
    try:
        source.backup(copy)  # consistent even while the application writes
    finally:
        copy.close()
        source.close()
    engine = create_engine(f"sqlite:///{out}")
    try:
        with engine.connect() as connection:
            return set(storage_check.references(connection)), _revision(connection)
    finally:
        engine.dispose()


def _dump_postgresql(out: Path) -> tuple[set[str], str | None]:
    engine = db.engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as connection, connection.begin():
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        completed = run_postgresql_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={out}",
            ]
        )
        if completed.returncode != 0:
            raise BackupFailed(f"pg_dump không chạy được: {completed.stderr.strip()[:300]}")
        return set(storage_check.references(connection)), _revision(connection)


def _revision(connection) -> str | None:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
