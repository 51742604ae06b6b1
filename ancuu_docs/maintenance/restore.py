"""Restoring an archive into an empty instance: every member's SHA-256 is checked against the
manifest before anything is written; then the stored files, then the database, then the index
is built again. A database that fails to load takes the files written before it away again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import inspect

from .. import storage
from ..errors import Conflict, DomainError, InvalidInput
from ..extensions import db
from .backup import (
    CHUNK,
    DUMPS,
    FORMAT,
    MANIFEST,
    SETTINGS,
    database_kind,
    run_postgresql_tool,
    settings,
    sqlite_path,
)


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
        raise DamagedBackup(
            "Bản sao lưu không có danh mục (manifest.json): tệp bị cắt cụt hoặc hỏng."
        ) from exc
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


def restore(
    path: Path, manifest: dict | None = None, progress: Callable[[int], None] = lambda _n: None
) -> RestoreReport:
    """Write the files, then load the database last: a failure before the load takes back every
    file written. `manifest` is what verify() returned for this archive (verified here when not
    given). The caller upgrades the schema and builds the index after."""
    manifest = manifest or verify(path)
    kind = database_kind()
    if manifest["database"] != kind:
        raise InvalidInput(
            f"Bản sao lưu là của cơ sở dữ liệu {manifest['database']}, cài đặt này dùng {kind}."
        )
    _check_revision(manifest.get("schema_revision"))
    ensure_empty()
    written: list[Path] = []
    try:
        with tarfile.open(path, "r:") as tar, storage.synced_once():
            for member in tar:
                name = PurePosixPath(member.name)
                if name.parts[0] == "uploads":
                    digest, created = storage.put(tar.extractfile(member).read())
                    if created:
                        written.append(storage.path_for(digest))
                    if digest != name.name:  # the archive changed since it was verified
                        raise DamagedBackup(f"Tệp {member.name} trong bản sao lưu đã bị thay đổi hoặc hỏng.")
                    progress(1)
            written += _restore_missing(tar)
            _load_database(kind, tar.extractfile(DUMPS[kind]))
    except OSError as exc:
        _take_back(written)
        raise RestoreFailed(f"Không ghi được khi khôi phục ({exc.strerror or exc}): đã hoàn lại.") from exc
    except BaseException:
        _take_back(written)
        raise
    return RestoreReport(
        sum(1 for p in written if p.is_relative_to(storage_root())), kind, _changed_settings(path)
    )


class RestoreFailed(DomainError):
    status = 500
    default_message = "Không khôi phục được."


def storage_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _take_back(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)


def _check_revision(revision: str | None) -> None:
    """An archive from a newer release is refused before anything is written: this release's
    migrations could not bring its schema down."""
    scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    try:
        known = revision is None or scripts.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise InvalidInput(
            f"Bản sao lưu là của phiên bản phần mềm mới hơn (lược đồ {revision}): "
            "hãy cập nhật phần mềm trước khi khôi phục."
        )


def _load_database(kind: str, dump) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        target = sqlite_path()
        # Written beside the database file and renamed over it: one step, on one filesystem.
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".restoring-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(dump, out, CHUNK)
            for suffix in ("-wal", "-shm"):  # of the empty database being replaced
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            os.replace(name, target)
        finally:
            Path(name).unlink(missing_ok=True)
        return
    with tempfile.NamedTemporaryFile(prefix="ancuu-restore-") as out:
        shutil.copyfileobj(dump, out, CHUNK)
        out.flush()
        completed = run_postgresql_tool(
            [
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                out.name,
            ]
        )
    if completed.returncode != 0:
        raise RestoreFailed(f"pg_restore không nạp được cơ sở dữ liệu: {completed.stderr.strip()[:300]}")


def _restore_missing(tar: tarfile.TarFile) -> list[Path]:
    """Built-in templates and trust roots the archive has and this instance lacks. Files that
    are here already stay as they are: the templates belong to this release's code."""
    folders = {
        "templates": Path(current_app.config["TEMPLATE_FOLDER"]),
        "trust": Path(current_app.instance_path) / "trust",
    }
    written = []
    for member in tar.getmembers():
        parts = PurePosixPath(member.name).parts
        if parts[0] not in folders:
            continue
        target = folders[parts[0]].joinpath(*parts[1:])
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(tar.extractfile(member).read())
        written.append(target)
    return written


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
