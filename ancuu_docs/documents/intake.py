"""Files staged for a registration, and what their first page says.

`stage` keeps the file and reads its header: at once when it has a text layer, else (a scan, a
photo) it waits for OCR of its first page, which a reader in the background does (`finish`,
`fail`) after the `intake_staged` signal. A registration then takes the file by the intake's
id in place of an upload (`take`), so a file is chosen and sent once however often the form
goes back and forth. An intake left unused for a day goes, its file with it (`remove_unused`).
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import delete, select

from .. import storage, storage_check
from ..auth.models import User
from ..database import unit_of_work
from ..detect import detect
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..extract import IMAGES, PDF
from ..signals import intake_staged
from ..timeutil import utcnow
from .models import Intake
from .services import Upload, check_upload, safe_filename

READING, DONE, FAILED = "reading", "done", "failed"
UNUSED_FOR = timedelta(hours=24)
GONE = "Không còn tệp đã chọn (tệp chọn quá một ngày thì được xóa): hãy chọn lại tệp."
NOTHING_READ = "Không đọc được số, ngày hay trích yếu ở đầu văn bản: hãy nhập tay."


def header_fields(text: str) -> dict[str, str]:
    """What the first page says, named as a registration's fields."""
    found = detect(text[:20_000])
    fields = {
        "issuer": found.issuing_body,
        "number": found.number,
        "issue_date": found.issue_date,
        "doc_type": found.doc_type,
        "title": found.subject,
        "place": found.place,
    }
    return {key: value for key, value in fields.items() if value}


def stage(actor: User, upload: Upload) -> Intake:
    """Keep `upload` for a registration and read its header (now, or by OCR in the background)."""
    extracted = check_upload(upload)
    found = header_fields(extracted.text)
    # A scan (perhaps with a typed footer): its text says no number nor date; OCR reads it.
    scan = extracted.media_type in (PDF, *IMAGES) and not ({"number", "issue_date"} & found.keys())
    with unit_of_work():
        digest = storage.put_in_unit(upload.data)
        intake = Intake(
            created_by_id=actor.id,
            sha256=digest,
            filename=safe_filename(upload.filename),
            media_type=extracted.media_type,
            size=len(upload.data),
            state=READING if scan else DONE,
        )
        if not scan:
            _keep(intake, found)
        db.session.add(intake)
        db.session.flush()
        if scan:
            intake_staged.send(intake)
    return intake


def _keep(intake: Intake, fields: dict[str, str]) -> None:
    intake.fields_json = json.dumps(fields, ensure_ascii=False)
    intake.state, intake.finished_at = DONE, utcnow()
    intake.reason = None if fields else NOTHING_READ


def _row(intake_id: object) -> Intake | None:
    """The intake a form or a request names (any text: only a row id finds one)."""
    text = str(intake_id if intake_id is not None else "").strip()
    return db.session.get(Intake, int(text)) if text.isdigit() and len(text) < 12 else None


def staged_by(actor: User, intake_id: object) -> Intake | None:
    """The intake, if this user staged it and it is still kept; None otherwise."""
    intake = _row(intake_id)
    return intake if intake is not None and intake.created_by_id == actor.id else None


def get(actor: User, intake_id: int) -> Intake:
    """The intake, to the user who staged it; to anyone else it does not exist."""
    intake = staged_by(actor, intake_id)
    if intake is None:
        raise NotFound("Không tìm thấy tệp đã chọn.")
    return intake


def fields(intake: Intake) -> dict[str, str]:
    return json.loads(intake.fields_json or "{}")


def intake_json(intake: Intake) -> dict:
    return {
        "id": intake.id,
        "state": intake.state,
        "filename": intake.filename,
        "fields": fields(intake),
        "reason": intake.reason,
    }


def take(actor: User, intake_id: object) -> Upload:
    """The staged file, for the registration that names the intake in place of a file."""
    intake = staged_by(actor, intake_id)
    if intake is None or not storage.exists(intake.sha256):
        raise InvalidInput(GONE, field="file")
    return Upload(storage.read(intake.sha256), intake.filename)


def used(intake_id: object, *, keep_file: bool = True) -> None:
    """The registration is made (or, `keep_file` False, it is secret and takes no file): the
    intake goes; its file stays only where a version keeps it."""
    intake = _row(intake_id)
    if intake is None:
        return
    digest = intake.sha256
    with unit_of_work():
        db.session.delete(intake)
    if not keep_file:
        storage_check.remove_if_unreferenced(digest)


def finish(intake_id: int, text: str) -> None:
    """OCR read the first page: what it says, unless the intake went meanwhile."""
    with unit_of_work():
        intake = db.session.get(Intake, intake_id, with_for_update=True)
        if intake is not None and intake.state == READING:
            _keep(intake, header_fields(text))


def fail(intake_id: int, reason: str) -> None:
    with unit_of_work():
        intake = db.session.get(Intake, intake_id, with_for_update=True)
        if intake is not None and intake.state == READING:
            intake.state, intake.reason, intake.finished_at = FAILED, reason, utcnow()


def remove_unused(now=None) -> int:
    """Intakes staged over a day ago and never used: gone, and their files unless a row keeps
    them. The number removed."""
    return _remove(Intake.created_at < (now or utcnow()) - UNUSED_FOR)


def remove_of(user: User) -> int:
    """Every file this user staged and did not use (they sign out)."""
    return _remove(Intake.created_by_id == user.id)


def _remove(which) -> int:
    with unit_of_work():
        rows = db.session.execute(select(Intake.id, Intake.sha256).where(which)).all()
        if rows:
            db.session.execute(delete(Intake).where(Intake.id.in_([row.id for row in rows])))
    for digest in {row.sha256 for row in rows}:
        storage_check.remove_if_unreferenced(digest)
    return len(rows)
