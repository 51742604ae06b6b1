"""Restoring an archive into an empty instance: every member's SHA-256 is checked against the
manifest before anything is written; then the stored files, then the database, then the index
is built again. A database that fails to load takes the files written before it away again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import inspect

from .. import storage
from ..errors import Conflict, DomainError, InvalidInput
from ..extensions import db
from .backup import CHUNK, DUMPS, FORMAT, MANIFEST, SETTINGS, database_kind, libpq_url, settings, sqlite_path


class DamagedBackup(InvalidInput):
    default_message = "Bản sao lưu bị hỏng."


@dataclass
class RestoreReport:
    files: int
    database: str
    changed_settings: dict[str, tuple] = field(default_factory=dict)  # key: (archive, now)


def verify(path: Path, progress: Callable[[int], None] = lambda _n: None) -> dict:
    """The archive's manifest, once every member is read and matches it; DamagedBackup if not."""
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 (closed by the with below; opening is what may fail)
    except (OSError, tarfile.TarError) as exc:
        raise DamagedBackup(f"Không đọc được {path}: không phải bản sao lưu hoặc tệp bị hỏng.") from exc
    with tar:
        try:
            manifest = _manifest(tar)
            expected = manifest["members"]
            seen = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                _check_name(member)
                if member.name not in expected:
                    raise DamagedBackup(f"Tệp {member.name} không có trong danh mục của bản sao lưu.")
                if _digest(tar, member) != expected[member.name]["sha256"]:
                    raise DamagedBackup(f"Tệp {member.name} trong bản sao lưu đã bị thay đổi hoặc hỏng.")
                if (
                    member.name.startswith("uploads/")
                    and PurePosixPath(member.name).name != expected[member.name]["sha256"]
                ):
                    raise DamagedBackup(f"Tệp {member.name} không mang tên theo mã SHA-256 của nó.")
                seen.add(member.name)
                progress(1)
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise DamagedBackup(f"Bản sao lưu bị cắt cụt hoặc hỏng ({type(exc).__name__}).") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise DamagedBackup(f"Bản sao lưu thiếu {len(missing)} tệp, ví dụ {missing[0]}.")
    return manifest


def member_count(path: Path) -> int:
    """How many members the manifest lists (for a progress bar), or DamagedBackup."""
    try:
        with tarfile.open(path, "r:") as tar:
            return len(_manifest(tar)["members"])
    except (OSError, tarfile.TarError) as exc:
        raise DamagedBackup(f"Không đọc được {path}: không phải bản sao lưu hoặc tệp bị hỏng.") from exc


def _manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, ValueError, AttributeError) as exc:
        raise DamagedBackup("Bản sao lưu không có danh mục (manifest.json) đọc được.") from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("database") not in DUMPS
    ):
        raise DamagedBackup("Danh mục của bản sao lưu không đúng định dạng.")
    if (
        not isinstance(manifest.get("members"), dict)
        or DUMPS[manifest["database"]] not in manifest["members"]
    ):
        raise DamagedBackup("Bản sao lưu không có bản kết xuất cơ sở dữ liệu.")
    return manifest


def _check_name(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise DamagedBackup(f"Bản sao lưu có mục lạ: {member.name}.")


def _digest(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    digest = hashlib.sha256()
    reader = tar.extractfile(member)
    while chunk := reader.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def ensure_empty() -> None:
    """Restore goes into a new instance only: it never mixes two installations' data."""
    if inspect(db.engine).get_table_names():
        raise Conflict("Cơ sở dữ liệu đích đã có bảng: chỉ khôi phục vào một cài đặt mới, trống.")
    if any(storage_files()):
        raise Conflict("Thư mục tệp tải lên đích đã có tệp: chỉ khôi phục vào một cài đặt mới, trống.")


def storage_files():
    root = Path(current_app.config["UPLOAD_FOLDER"])
    return (p for p in root.rglob("*") if p.is_file()) if root.exists() else iter(())


def restore(path: Path, progress: Callable[[int], None] = lambda _n: None) -> RestoreReport:
    """Verify, then write the files and load the database. The caller builds the index after."""
    manifest = verify(path)
    kind = database_kind()
    if manifest["database"] != kind:
        raise InvalidInput(
            f"Bản sao lưu là của cơ sở dữ liệu {manifest['database']}, cài đặt này dùng {kind}."
        )
    ensure_empty()
    written: list[str] = []
    try:
        with tarfile.open(path, "r:") as tar, storage.synced_once():
            for member in tar:
                name = PurePosixPath(member.name)
                if name.parts[0] == "uploads":
                    digest, created = storage.put(tar.extractfile(member).read())
                    if created:
                        written.append(digest)
                    progress(1)
            dump = tar.extractfile(DUMPS[kind])
            with tempfile.TemporaryDirectory(prefix="ancuu-restore-", dir=current_app.instance_path) as work:
                dump_path = Path(work) / "dump"
                with open(dump_path, "wb") as out:
                    shutil.copyfileobj(dump, out, CHUNK)
                (_load_sqlite if kind == "sqlite" else _load_postgresql)(dump_path)
            _restore_folders(tar)
    except BaseException:
        for digest in written:
            storage.discard(digest)
        raise
    return RestoreReport(len(written), kind, _changed_settings(path))


def _load_sqlite(dump: Path) -> None:
    target = sqlite_path()
    db.session.remove()
    db.engine.dispose()
    for suffix in ("-wal", "-shm"):  # of the empty database being replaced
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(dump, target)


def _load_postgresql(dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    completed = subprocess.run(
        [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={libpq_url()}",
            str(dump),
        ],
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise DomainError(f"pg_restore không nạp được cơ sở dữ liệu: {completed.stderr.strip()[:300]}")


def _restore_folders(tar: tarfile.TarFile) -> None:
    """Built-in templates and trust roots: written where missing or different."""
    folders = {
        "templates": Path(current_app.config["TEMPLATE_FOLDER"]),
        "trust": Path(current_app.instance_path) / "trust",
    }
    for member in tar.getmembers():
        parts = PurePosixPath(member.name).parts
        if parts[0] not in folders:
            continue
        target = folders[parts[0]].joinpath(*parts[1:])
        data = tar.extractfile(member).read()
        if target.exists() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _changed_settings(path: Path) -> dict[str, tuple]:
    with tarfile.open(path, "r:") as tar:
        archived = json.loads(tar.extractfile(SETTINGS).read())
    now = json.loads(json.dumps(settings()))  # tuples as the archive has them: lists
    skip = {"UPLOAD_FOLDER", "TEMPLATE_FOLDER", "INDEX_FOLDER"}  # where this machine keeps things
    return {
        key: (value, now.get(key))
        for key, value in archived.items()
        if key not in skip and now.get(key) != value
    }
