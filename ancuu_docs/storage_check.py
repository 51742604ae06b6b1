"""Stored files against the rows that name them: files no row points to, rows whose file is gone.

Every column named `sha256` names a stored file (documents' versions and renditions, templates'
versions), so a feature's new file column is checked without this module knowing the feature.

A file that no row names is not always garbage: an upload writes its file before its
transaction commits, and a header read keeps the file for the session's next submit. So only
files older than the grace period count as orphans. Repair moves them to `.trash/` rather than
deleting at once: an upload of the same bytes that committed while the check ran finds its
file put back (a row whose file is in the trash gets it back), and the trash is emptied of
what is still unreferenced a grace period later. Rows are never touched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from . import storage
from .database import unit_of_work
from .extensions import db

TRASH = ".trash"
TEMPORARY_PREFIX = ".tmp-"


@dataclass
class StorageReport:
    files: int = 0
    orphans: list[str] = field(default_factory=list)  # digests no row names
    missing: list[tuple[str, int, str]] = field(default_factory=list)  # (table, row id, digest)
    leftovers: list[str] = field(default_factory=list)  # half-written files of a crashed upload
    young: int = 0  # unreferenced files within the grace period (an upload or a header read)
    restored: list[str] = field(default_factory=list)  # put back from the trash
    purged: int = 0  # trash entries deleted for good
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.orphans or self.missing or self.leftovers)


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def file_columns() -> list:
    return [
        column for table in db.metadata.sorted_tables for column in table.columns if column.name == "sha256"
    ]


def references(connection=None) -> dict[str, tuple[str, int]]:
    """Every stored file a row names, with one such row (table, id); read through `connection`
    (a backup's snapshot) or the session."""
    found: dict[str, tuple[str, int]] = {}
    for column in file_columns():
        table = column.table
        for row_id, digest in (connection or db.session).execute(select(table.c.id, column)):
            found.setdefault(digest, (table.name, row_id))
    return found


def is_referenced(digest: str) -> bool:
    """Whether any row names the stored file `digest`."""
    return any(
        db.session.scalar(select(column.table.c.id).where(column == digest).limit(1)) is not None
        for column in file_columns()
    )


def remove_if_unreferenced(digest: str) -> bool:
    """Delete the stored file `digest` for good (not to the trash) unless a row names it:
    content that must not stay on disk (a file read for an entry then registered as secret).
    Checked and removed inside one unit of work, so no upload of the same bytes commits a row
    naming it in between (an upload stores its file inside its own unit)."""
    with unit_of_work():
        if is_referenced(digest):
            return False
        storage.discard(digest)
        (_root() / TRASH / digest).unlink(missing_ok=True)
    return True


def stored_files() -> Iterator[tuple[str, Path]]:
    """(name, path) of every file under the upload folder but the trash."""
    root = _root()
    for first in sorted(root.iterdir()) if root.exists() else []:
        if not first.is_dir() or first.name == TRASH:
            continue
        for path in sorted(first.glob("*/*")):
            if path.is_file():
                yield path.name, path


def _older_than(path: Path, seconds: float, now: float) -> bool:
    try:
        return now - path.stat().st_mtime >= seconds
    except FileNotFoundError:
        return False


def check(*, repair: bool = False, grace_seconds: float | None = None, purge: bool = True) -> StorageReport:
    """Compare; with `repair`, move orphans to the trash, remove half-written files, put back
    from the trash what a row needs, and (`purge`) empty the trash of what waited long enough."""
    grace = current_app.config["STORAGE_ORPHAN_GRACE_SECONDS"] if grace_seconds is None else grace_seconds
    now = time.time()
    report = StorageReport(repaired=repair)
    named = references()
    trash = _root() / TRASH
    on_disk = set()
    for name, path in stored_files():
        if name.startswith(TEMPORARY_PREFIX):
            if _older_than(path, grace, now):
                report.leftovers.append(str(path.relative_to(_root())))
                if repair:
                    path.unlink(missing_ok=True)
            continue
        on_disk.add(name)
        if name in named:
            report.files += 1
        elif not _older_than(path, grace, now):
            report.young += 1
        else:
            report.orphans.append(name)
            if repair:
                _to_trash(path, trash)
    if repair:
        # Read again: a row may have committed while its file was being moved to the trash.
        named = references()
        _mend_from_trash(named, trash, report)
        on_disk |= set(report.restored)
    for digest, (table, row_id) in sorted(named.items(), key=lambda item: item[1]):
        if digest not in on_disk and not storage.exists(digest):
            report.missing.append((table, row_id, digest))
    if repair and purge:
        report.purged = _empty_trash(trash, grace, now, named)
    return report


# The worker's sweep stops when this share of the files looks orphaned: a database that names
# almost none of the files is the wrong database (or a new one), not a thousand crashed uploads.
SWEEP_MAX_SHARE = 0.1


def sweep() -> StorageReport | None:
    """The worker's periodic repair: orphans to the trash, and the trash emptied of what waited
    there a grace period (a file read for a form and never used must not stay on disk for
    good); nothing at all when the files do not look like this database's. None when it held
    back."""
    report = check()
    if report.orphans and len(report.orphans) > max(
        10, SWEEP_MAX_SHARE * (report.files + len(report.orphans))
    ):
        return None
    return check(repair=True)


def _to_trash(path: Path, trash: Path) -> None:
    trash.mkdir(exist_ok=True)
    try:
        os.replace(path, trash / path.name)
        os.utime(trash / path.name)  # the trash's clock starts now
    except FileNotFoundError:
        pass


def _mend_from_trash(named: dict, trash: Path, report: StorageReport) -> None:
    """A row committed while its file was being moved to the trash gets the file back."""
    for digest in named:
        kept = trash / digest
        if kept.exists() and not storage.exists(digest):
            target = storage.path_for(digest)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(kept, target)
            report.restored.append(digest)


def _empty_trash(trash: Path, grace: float, now: float, named: dict) -> int:
    purged = 0
    for path in trash.glob("*") if trash.exists() else []:
        if path.name not in named and _older_than(path, grace, now):
            path.unlink(missing_ok=True)
            purged += 1
    return purged
