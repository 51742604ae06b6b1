"""OCR jobs: queued when a scan or a photo arrives, taken one at a time by the worker (or, with
no worker running, by a thread of the web process), retried with backoff, then failed with
their reason. The text goes to the version's rendition, and search indexes it from there."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app, has_request_context
from sqlalchemy import or_, select

from .. import storage
from ..auth.models import User
from ..database import after_commit, unit_of_work
from ..documents import services as documents
from ..documents.models import Document, DocumentVersion
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..timeutil import utcnow
from ..wiring import wired
from . import engine, intake_reading
from .models import JobStatus, OcrJob

log = logging.getLogger(__name__)
_DRAIN = threading.Lock()


def enqueue(version: DocumentVersion) -> OcrJob:
    """Inside the caller's transaction: a job for this version; run once it commits."""
    job = OcrJob(version_id=version.id, status=JobStatus.QUEUED, next_try_at=utcnow())
    db.session.add(job)
    db.session.flush()
    after_commit(start_in_process)
    return job


def start_in_process() -> None:
    """With no worker running (tests, a single process), a thread of this process drains the
    queue; the request that queued the job has answered already."""
    if wired().worker_running() or not current_app.config["OCR_IN_PROCESS"]:
        return
    if not has_request_context():
        return  # a command (import, redo) ends soon: its jobs wait for the worker
    app = current_app._get_current_object()
    threading.Thread(target=_drain, args=(app,), daemon=True, name="ocr").start()


def _drain(app: Flask) -> None:
    if not _DRAIN.acquire(blocking=False):
        return  # another thread of this process is at it
    try:
        with app.app_context():
            try:
                remove_leftovers()
                # A staged scan first: someone waits for its header on a form.
                while intake_reading.run_one() or run_one():
                    pass
            finally:
                db.session.remove()
    finally:
        _DRAIN.release()


def _claim() -> int | None:
    """The next job due (queued, or running with a heartbeat gone cold: its worker died),
    marked running by this process."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["OCR_STALE_SECONDS"])
    with unit_of_work():
        job = db.session.scalars(
            select(OcrJob)
            .where(
                or_(
                    (OcrJob.status == JobStatus.QUEUED) & (OcrJob.next_try_at <= now),
                    (OcrJob.status == JobStatus.RUNNING) & (OcrJob.heartbeat_at < stale),
                )
            )
            .order_by(OcrJob.next_try_at, OcrJob.id)
            .limit(1)
            .with_for_update()
        ).first()
        if job is None:
            return None
        if job.status == JobStatus.RUNNING and job.attempts >= current_app.config["OCR_MAX_ATTEMPTS"]:
            # Its workers died on it every time (a file that kills the reader): stop trying.
            job.status, job.finished_at = JobStatus.FAILED, now
            job.error = "Việc nhận dạng chữ bị ngắt nhiều lần: dừng lại."
            return None  # the next call takes the next job
        job.status, job.heartbeat_at, job.attempts = JobStatus.RUNNING, now, job.attempts + 1
        return job.id


def remove_leftovers() -> None:
    """Copies of scans left by OCR runs whose process was killed: removed (the worker does it
    when it starts, a web process before it reads scans itself)."""
    removed = engine.remove_leftovers(current_app.config["OCR_TEMPORARY_FOLDER"] or None)
    if removed:
        log.warning("removed %d folders of OCR runs whose process had died", removed)


def run_one(cancelled: Callable[[], bool] = lambda: False) -> bool:
    """Take one due job and run it; False when there was none. `cancelled()` turning true
    (the worker stopping) puts the job back as it was, its copy of the scan removed."""
    job_id = _claim()
    if job_id is None:
        return False
    job = db.session.get(OcrJob, job_id)
    version, attempt = job.version, job.attempts
    config = current_app.config
    try:
        data, media_type = storage.read(version.sha256), version.media_type
    except OSError:
        _failed(job_id, "Không đọc được tệp gốc trên máy chủ.", retry=False)
        return True
    pages = engine.page_count(data, media_type, at_most=config["OCR_MAX_PAGES"])
    if pages > config["OCR_MAX_PAGES"]:
        _failed(
            job_id,
            f"Bản quét {pages} trang, quá {config['OCR_MAX_PAGES']} trang: không nhận dạng.",
            retry=False,
        )
        return True

    def progress(done: int, total: int) -> None:
        with unit_of_work():
            row = db.session.get(OcrJob, job_id)
            row.pages_done, row.pages_total, row.heartbeat_at = done, total, utcnow()

    try:
        result = engine.run_configured(
            config, data, media_type, pages=pages, progress=progress, cancelled=cancelled
        )
    except engine.OcrCancelled:
        _put_back(job_id)
        return False
    except engine.OcrFailed as err:
        log.warning("OCR job %s failed: %s (%s)", job_id, err.message, err.__cause__)
        _failed(job_id, err.message, retry=err.retry)
        return True
    except Exception:  # anything else: the job fails with a plain reason; the worker lives on
        log.exception("OCR job %s broke", job_id)
        _failed(job_id, "Lỗi khi nhận dạng chữ.", retry=True)
        return True
    _keep(job_id, attempt, result)
    return True


def _keep(job_id: int, attempt: int, result: engine.OcrResult) -> None:
    """The searchable PDF as the version's rendition, and the job done, unless another worker
    took the job over meanwhile (its result stands)."""
    with unit_of_work():
        row = db.session.get(OcrJob, job_id, with_for_update=True)
        if row.status != JobStatus.RUNNING or row.attempts != attempt:
            return
        documents.add_rendition(
            row.version_id,
            kind="ocr",
            data=result.pdf,
            filename=f"{row.version.filename.rsplit('.', 1)[0]}-ocr.pdf",
            media_type="application/pdf",
            text=result.text,
            confidence=result.confidence,
        )
        row.status, row.finished_at, row.error = JobStatus.DONE, utcnow(), None
        row.pages_done = row.pages_total = result.pages


def _put_back(job_id: int) -> None:
    """The worker stops mid-scan: the job waits for the next one, this try not counted."""
    with unit_of_work():
        row = db.session.get(OcrJob, job_id, with_for_update=True)
        if row.status == JobStatus.RUNNING:
            row.status, row.attempts, row.next_try_at = JobStatus.QUEUED, row.attempts - 1, utcnow()


def _failed(job_id: int, reason: str, *, retry: bool) -> None:
    """Again later (30 s, 60 s, 120 s … by default) while attempts remain; then failed."""
    config = current_app.config
    with unit_of_work():
        row = db.session.get(OcrJob, job_id)
        row.error = reason
        if retry and row.attempts < config["OCR_MAX_ATTEMPTS"]:
            row.status = JobStatus.QUEUED
            row.next_try_at = utcnow() + timedelta(
                seconds=config["OCR_RETRY_SECONDS"] * 2 ** (row.attempts - 1)
            )
        else:
            row.status, row.finished_at = JobStatus.FAILED, utcnow()


def latest_job(version_id: int) -> OcrJob | None:
    return db.session.scalars(
        select(OcrJob).where(OcrJob.version_id == version_id).order_by(OcrJob.id.desc()).limit(1)
    ).first()


def jobs(limit: int = 50) -> list[OcrJob]:
    return list(db.session.scalars(select(OcrJob).order_by(OcrJob.id.desc()).limit(limit)))


def redo(actor: User | None, document_id: int, n: int | None = None) -> OcrJob:
    """Run OCR again on a version (the current one by default)."""
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("Không tìm thấy văn bản.")
    version = doc.version(n) if n else doc.current_version
    if version is None:
        raise NotFound(f"Văn bản không có phiên bản {n}." if n else "Văn bản chưa có tệp nào.")
    if version.media_type not in engine.SUFFIX:
        raise InvalidInput("Phiên bản này không phải bản quét hay ảnh: không cần nhận dạng chữ.")
    with unit_of_work():
        return enqueue(version)
