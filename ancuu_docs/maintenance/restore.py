"""Restoring an archive into an empty instance: every member's SHA-256 is checked against the
manifest before anything is written; then the stored files, then the database, then the index
is built again. A database that fails to load takes the files written before it away again.

The manifest says what the archive holds, not who made it: anyone can write one. So restore
trusts nothing it was not told to. Member names must be plain relative paths of the folders an
archive has (no "..", no backslash, no control character); the database member must open as a
database of this application before anything is replaced; a built-in template is written only
under a name this release ships (where missing); signature trust roots only with
`--with-trust-roots`, otherwise listed and skipped (a root decides whose signatures the
verifier trusts)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import inspect

from .. import storage
from ..drafting.builder import BUILDERS
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
    installed: list[str] = field(default_factory=list)  # templates and trust roots written
    skipped: list[str] = field(default_factory=list)  # members not installed (and why)


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


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
FOLDERS = ("templates", "trust")


def _check_name(member: tarfile.TarInfo) -> None:
    if not member.isfile() or not plain_member_name(member.name):
        raise DamagedBackup(f"Bản sao lưu có mục lạ: «{repr(member.name)[1:-1]}». Không khôi phục.")


def plain_member_name(name: str) -> bool:
    """One of the names a backup writes: its manifest and settings, a database dump, a stored
    file by its SHA-256, a template or a trust root by a plain file name."""
    if name in (MANIFEST, SETTINGS) or name in DUMPS.values():
        return True
    folder, _, leaf = name.partition("/")
    if folder == "uploads":
        return _SHA256.match(leaf) is not None
    return folder in FOLDERS and _PLAIN_NAME.match(leaf) is not None and not leaf.endswith(".")


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


# Files a fresh clone's folders hold (git keeps the empty folder with one).
PLACEHOLDERS = {".gitkeep"}


def storage_files():
    root = Path(current_app.config["UPLOAD_FOLDER"])
    if not root.exists():
        return iter(())
    return (p for p in root.rglob("*") if p.is_file() and p.name not in PLACEHOLDERS)


def restore(
    path: Path,
    manifest: dict | None = None,
    progress: Callable[[int], None] = lambda _n: None,
    *,
    with_trust_roots: bool = False,
) -> RestoreReport:
    """Check the database member, write the files, then load the database last: a failure
    before the load takes back every file written. `manifest` is what verify() returned for
    this archive (verified here when not given). The caller upgrades the schema and builds the
    index after."""
    manifest = manifest or verify(path)
    kind = database_kind()
    if manifest["database"] != kind:
        raise InvalidInput(
            f"Bản sao lưu là của cơ sở dữ liệu {manifest['database']}, cài đặt này dùng {kind}."
        )
    _check_revision(manifest.get("schema_revision"))
    ensure_empty()
    written: list[Path] = []
    report = RestoreReport(0, kind)
    with tarfile.open(path, "r:") as tar, _database_copy(kind, tar) as dump:
        try:
            with storage.synced_once():
                _restore_stored_files(tar, progress, written)
                _restore_missing(tar, report, written, with_trust_roots=with_trust_roots)
            _load_database(kind, dump)
        except OSError as exc:
            _take_back(written)
            raise RestoreFailed(
                f"Không ghi được khi khôi phục ({exc.strerror or exc}): đã hoàn lại."
            ) from exc
        except BaseException:
            _take_back(written)
            raise
    report.files = sum(1 for p in written if p.is_relative_to(storage_root()))
    report.changed_settings = _changed_settings(path)
    return report


def _restore_stored_files(tar: tarfile.TarFile, progress: Callable[[int], None], written: list[Path]) -> None:
    """Every stored file of the archive, each one this call created noted in `written` as it
    goes (taken back if anything fails later)."""
    for member in tar:
        name = PurePosixPath(member.name)
        if name.parts[0] != "uploads":
            continue
        digest, created = storage.put(tar.extractfile(member).read())
        if created:
            written.append(storage.path_for(digest))
        if digest != name.name:  # the archive changed since it was verified
            raise DamagedBackup(f"Tệp {member.name} trong bản sao lưu đã bị thay đổi hoặc hỏng.")
        progress(1)


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


@contextmanager
def _database_copy(kind: str, tar: tarfile.TarFile) -> Iterator[Path]:
    """The archive's database member copied out and checked to be a database of this
    application, before anything is written (a member that is not one would replace the
    database and leave the instance unusable). For SQLite, beside the database file, so it is
    renamed over it in one step."""
    folder = sqlite_path().parent if kind == "sqlite" else None
    fd, name = tempfile.mkstemp(dir=folder, prefix=".restoring-")
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(tar.extractfile(DUMPS[kind]), out, CHUNK)
        (_check_sqlite if kind == "sqlite" else _check_pgdump)(Path(name))
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


NOT_A_DATABASE = "Bản kết xuất cơ sở dữ liệu trong bản sao lưu không dùng được ({}): không khôi phục."
# Tables every archive of this application has, whatever its schema revision.
REQUIRED_TABLES = ("alembic_version", "users", "documents", "document_versions")


def _check_sqlite(path: Path) -> None:
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DamagedBackup(NOT_A_DATABASE.format("không phải tệp SQLite"))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            checked = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedBackup(NOT_A_DATABASE.format("tệp SQLite hỏng")) from exc
    if checked != "ok":
        raise DamagedBackup(NOT_A_DATABASE.format("tệp SQLite hỏng"))
    if missing := [t for t in REQUIRED_TABLES if t not in tables]:
        raise DamagedBackup(NOT_A_DATABASE.format(f"thiếu bảng {', '.join(missing)}"))


def _check_pgdump(path: Path) -> None:
    completed = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True)
    if completed.returncode != 0:
        raise DamagedBackup(NOT_A_DATABASE.format("không phải bản kết xuất của pg_dump"))
    listed = completed.stdout
    if missing := [t for t in REQUIRED_TABLES if f" TABLE public {t} " not in listed]:
        raise DamagedBackup(NOT_A_DATABASE.format(f"thiếu bảng {', '.join(missing)}"))


def _load_database(kind: str, dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        target = sqlite_path()
        for suffix in ("-wal", "-shm"):  # of the empty database being replaced
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(dump, target)
        return
    completed = run_postgresql_tool(
        ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", str(dump)]
    )
    if completed.returncode != 0:
        raise RestoreFailed(f"pg_restore không nạp được cơ sở dữ liệu: {completed.stderr.strip()[:300]}")


def _restore_missing(
    tar: tarfile.TarFile, report: RestoreReport, written: list[Path], *, with_trust_roots: bool
) -> None:
    """Built-in templates this release ships and this instance lacks, and (only when asked)
    trust roots it lacks. Files that are here already stay as they are: the templates belong
    to this release's code. What is not installed is said in the report."""
    folders = {
        "templates": Path(current_app.config["TEMPLATE_FOLDER"]),
        "trust": Path(current_app.instance_path) / "trust",
    }
    shipped = {f"{key}{suffix}" for key in BUILDERS for suffix in (".docx", ".json")}
    for member in tar.getmembers():
        folder, _, leaf = member.name.partition("/")
        if folder not in folders:
            continue
        if folder == "templates" and leaf not in shipped:
            report.skipped.append(f"{member.name} (không phải mẫu có sẵn của phiên bản này)")
            continue
        if folder == "trust" and not with_trust_roots:
            report.skipped.append(f"{member.name} (gốc tin cậy: chỉ cài khi có --with-trust-roots)")
            continue
        target = folders[folder] / leaf
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(tar.extractfile(member).read())
        written.append(target)
        report.installed.append(member.name)


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
