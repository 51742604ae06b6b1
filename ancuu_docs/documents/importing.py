"""Bulk import of a folder of files (DOCX, PDF, ODT, TXT) as documents.

Files are checked and their text extracted in worker processes while the main process
writes: one database transaction and one index commit per batch. It is resumable: a file
whose bytes (SHA-256) are already in the registry is skipped, so running it again after an
interruption goes on where it stopped. A bad file is reported and skipped.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from .. import storage
from ..auth.models import User
from ..auth.policy import Action, can
from ..database import unit_of_work
from ..errors import DomainError, Forbidden, InvalidInput
from ..extensions import db
from ..extract import Extracted, Limits, inspect_upload
from ..signals import documents_imported
from . import services
from .commands import NewDocument
from .models import DocumentVersion
from .types import Status, normalise_doc_type

BATCH = 500  # files per transaction and per index commit


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Checked:
    path: str
    sha256: str
    data: bytes | None = None
    extracted: Extracted | None = None
    error: str | None = None


def files_in(folder: Path) -> list[Path]:
    """The plain files under `folder`, hidden ones aside. Links are never followed: a link in
    an archive folder may point anywhere on the server (/etc/…), and what is imported is what
    the folder holds."""
    found = []
    for top, folders, files in os.walk(folder, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(top) / name
            if not name.startswith(".") and not path.is_symlink() and path.is_file():
                found.append(path)
    return sorted(found)


def plain_file_in(root: Path, relative: str) -> Path | None:
    """`root`/`relative` when that is a plain file inside `root` reached without any link,
    else None (an archive's metadata names files; "../x" or a link leads elsewhere)."""
    path = root / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        return None
    step = path
    while step != root:
        if step.is_symlink():
            return None
        step = step.parent
    return path if path.is_file() else None


def read_plain(path: Path) -> bytes:
    """A file's bytes, refusing a link put there since it was listed (O_NOFOLLOW)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "rb") as source:
        return source.read()


def _check(path: str, limits: Limits) -> _Checked:
    """In a worker process: read, sniff, bound and extract one file."""
    try:
        data = read_plain(Path(path))
    except OSError as exc:
        return _Checked(path, "", error=f"Không đọc được tệp: {exc.strerror}")
    digest = hashlib.sha256(data).hexdigest()
    try:
        return _Checked(path, digest, data, inspect_upload(data, Path(path).name, limits))
    except DomainError as err:
        return _Checked(path, digest, error=err.message)
    except Exception as exc:  # a file no parser expected: reported, never fatal for the run
        return _Checked(path, digest, error=f"Tệp không đọc được ({type(exc).__name__}).")


def title_from(path: Path) -> str:
    """A readable title from a file name: "NQ-05-quan-ly-dat-dai.docx" -> "NQ 05 quan ly dat dai"."""
    return re.sub(r"[-_\s]+", " ", path.stem).strip()[:500] or path.name


def doc_type_for(path: Path, forced: str | None) -> str | None:
    if forced:
        return forced
    prefix = re.split(r"[-_\s.]", path.name, maxsplit=1)[0]
    return normalise_doc_type(prefix)


def import_folder(
    actor: User,
    folder: Path,
    *,
    doc_type: str | None = None,
    status: str = Status.DRAFT,
    batch: int = BATCH,
    workers: int | None = None,
    progress: Callable[[int], None] = lambda _n: None,
) -> ImportReport:
    if not can(actor, Action.CREATE):
        raise Forbidden("Người dùng này không được tạo văn bản.")
    if doc_type is not None and normalise_doc_type(doc_type) is None:
        raise InvalidInput(f"Loại văn bản «{doc_type}» không có.", field="doc_type")
    forced = normalise_doc_type(doc_type) if doc_type else None
    steps = _steps_to(actor, status)
    paths = [str(p) for p in files_in(folder)]
    report = ImportReport()
    seen: set[str] = set()
    for chunk in _batches(paths, batch, workers):
        known = _already_in({c.sha256 for c in chunk if c.sha256})
        with unit_of_work(), storage.synced_once():
            for checked in chunk:
                name = os.path.relpath(checked.path, folder)
                if checked.sha256 in known or checked.sha256 in seen:
                    report.skipped += 1
                    continue
                problem = checked.error or _import_one(actor, checked, forced, steps)
                if problem:
                    report.failed.append((name, problem))
                    continue
                seen.add(checked.sha256)
                report.imported += 1
        progress(len(chunk))
    documents_imported.send(actor, count=report.imported)
    return report


def _steps_to(actor: User, status: str) -> list[Status]:
    """The lifecycle steps an imported file takes to reach `status`."""
    steps = {
        Status.DRAFT: [],
        Status.IN_REVIEW: [Status.IN_REVIEW],
        Status.APPROVED: [Status.IN_REVIEW, Status.APPROVED],
    }.get(status)
    if steps is None:
        raise InvalidInput("Trạng thái nhập là draft, in_review hoặc approved.", field="status")
    if steps and not can(actor, Action.TRANSITION):
        raise Forbidden("Chỉ Văn phòng Đảng ủy được nhập văn bản ở trạng thái khác dự thảo.")
    return steps


def _import_one(actor: User, checked, forced: str | None, steps: list[Status]) -> str | None:
    """One checked file as a document, in the batch's transaction; why not, when it cannot be."""
    kind = doc_type_for(Path(checked.path), forced)
    if kind is None:
        return "Không biết loại văn bản: đặt tên tệp bắt đầu bằng mã (NQ-…, BC-…) hoặc dùng --doc-type."
    try:
        with db.session.begin_nested():  # one bad file never undoes the batch
            upload = services.Upload(checked.data, Path(checked.path).name, checked.extracted)
            draft = NewDocument.of(
                title=title_from(Path(checked.path)), doc_type=kind, comment="Nhập hàng loạt"
            )
            doc = services.create_document(actor, draft, upload)
            for step in steps:  # the new row is ours alone until the batch commits
                # The archive's files are the documents as issued: kept byte for byte.
                services.move(actor, doc, step, keep_file=True)
    except DomainError as err:
        return err.message
    return None


def _already_in(digests: set[str]) -> set[str]:
    if not digests:
        return set()
    rows = db.session.scalars(select(DocumentVersion.sha256).where(DocumentVersion.sha256.in_(digests)))
    return set(rows)


def _batches(paths: list[str], size: int, workers: int | None) -> Iterator[list[_Checked]]:
    """Checked files in batches of `size`; extraction runs ahead in worker processes."""
    limits = services.upload_limits()
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1:
        results: Iterator[_Checked] = (_check(path, limits) for path in paths)
        yield from _group(results, size)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from _group(pool.map(_check, paths, [limits] * len(paths), chunksize=8), size)


def _group(items: Iterator[_Checked], size: int) -> Iterator[list[_Checked]]:
    chunk: list[_Checked] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
