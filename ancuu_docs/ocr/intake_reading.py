"""Reading a staged scan's header: OCR of its first page only, for the form waiting on it. Taken
before the documents' OCR jobs (a person is waiting), one at a time, once: the intake row is
locked while it is claimed, and one whose reader died (its heartbeat cold) is taken again."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import timedelta

import pypdfium2 as pdfium
from flask import current_app
from PIL import Image
from sqlalchemy import or_, select

from .. import storage
from ..database import unit_of_work
from ..documents import intake as intakes
from ..documents.models import Intake
from ..extensions import db
from ..extract import PDF, PNG, TIFF
from ..timeutil import utcnow
from . import engine

log = logging.getLogger(__name__)


def _claim() -> Intake | None:
    config = current_app.config
    stale = utcnow() - timedelta(seconds=config["OCR_STALE_SECONDS"])
    with unit_of_work():
        intake = db.session.scalars(
            select(Intake)
            .where(
                Intake.state == intakes.READING,
                or_(Intake.heartbeat_at.is_(None), Intake.heartbeat_at < stale),
            )
            .order_by(Intake.id)
            .limit(1)
            .with_for_update()
        ).first()
        if intake is None:
            return None
        if intake.attempts >= config["OCR_MAX_ATTEMPTS"]:
            intake.state, intake.finished_at = intakes.FAILED, utcnow()
            intake.reason = "Việc nhận dạng chữ bị ngắt nhiều lần: hãy nhập tay."
            return None
        intake.heartbeat_at, intake.attempts = utcnow(), intake.attempts + 1
        return intake


def first_page(data: bytes, media_type: str) -> tuple[bytes, str]:
    """The first page alone (a PDF of one page, a TIFF's first frame as PNG): the header is
    there, and a 40-page scan is not read to fill a form."""
    if media_type == PDF:
        source = pdfium.PdfDocument(data)
        try:
            if len(source) <= 1:
                return data, media_type
            page = pdfium.PdfDocument.new()
            page.import_pages(source, [0])
            out = io.BytesIO()
            page.save(out)
            return out.getvalue(), PDF
        finally:
            source.close()
    if media_type == TIFF:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            out = io.BytesIO()
            image.save(out, "PNG", dpi=image.info.get("dpi", (200, 200)))
            return out.getvalue(), PNG
    return data, media_type


def run_one(cancelled: Callable[[], bool] = lambda: False) -> bool:
    """Read one staged scan's first page; False when none waits."""
    intake = _claim()
    if intake is None:
        return False
    intake_id, config = intake.id, current_app.config
    try:
        data, media_type = first_page(storage.read(intake.sha256), intake.media_type)
        result = engine.run_configured(
            config,
            data,
            media_type,
            pages=1,
            progress=lambda _done, _total: _beat(intake_id),
            cancelled=cancelled,
        )
    except engine.OcrCancelled:
        _put_back(intake_id)
        return False
    except engine.OcrFailed as err:
        intakes.fail(intake_id, f"{err.message} Hãy nhập tay.")
        return True
    except Exception:  # a damaged file, a missing one: said plainly, the reader lives on
        log.exception("reading staged file %s broke", intake_id)
        intakes.fail(intake_id, "Không đọc được bản quét: hãy nhập tay.")
        return True
    intakes.finish(intake_id, result.text)
    return True


def _beat(intake_id: int) -> None:
    with unit_of_work():
        row = db.session.get(Intake, intake_id)
        if row is not None:
            row.heartbeat_at = utcnow()


def _put_back(intake_id: int) -> None:
    with unit_of_work():
        row = db.session.get(Intake, intake_id, with_for_update=True)
        if row is not None and row.state == intakes.READING:
            row.heartbeat_at, row.attempts = None, row.attempts - 1
