"""Archive import with a metadata file: one CSV row per document already issued, with its
printed number, issuer and dates (`file` may be empty: a metadata-only entry, as a secret
one must be). Each row is registered through the same service as the register page, in its
own transaction; a bad row is reported with its line number and skipped. Running it again
skips the rows already registered (same origin, number, issuer or term), so it resumes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..auth.models import User
from ..detect import detect
from ..documents.importing import ImportReport, plain_file_in, read_plain
from ..documents.models import Document
from ..documents.services import Upload, check_upload
from ..documents.types import SECRET_FILE, Origin
from ..errors import DomainError
from ..extensions import db
from ..schema import parse
from ..signals import documents_imported
from .commands import Registration
from .registering import register_document

COLUMNS = (
    "file",
    "origin",
    "issuer",
    "number",
    "issue_date",
    "received_date",
    "doc_type",
    "title",
    "term",
    "confidential",
    "security_level",
)
REQUIRED = {"number", "doc_type"}


def read_rows(metadata: Path) -> list[tuple[int, dict]]:
    """(line number, row) for each data line; the header names the columns (any order)."""
    try:
        text = metadata.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("Tệp CSV phải mã hóa UTF-8.", field="metadata") from None
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or ())
    # Without a file column nothing can be read from the page: the number and type are needed.
    missing = set() if "file" in header else REQUIRED - header
    unknown = header - set(COLUMNS)
    if missing or unknown:
        parts = []
        if missing:
            parts.append("thiếu cột " + ", ".join(sorted(missing)))
        if unknown:
            parts.append("cột không biết: " + ", ".join(sorted(unknown)))
        raise DomainError(f"Dòng tiêu đề của tệp CSV: {'; '.join(parts)}.", field="metadata")
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]


def _already_registered(row: dict) -> bool:
    """The same document registered before: an incoming one by issuer, number and date (numbers
    like "01-CV/TU" come again every term); ours by number and term."""
    origin = row.get("origin") or Origin.INTERNAL
    query = select(Document.id).where(Document.origin == origin, Document.number == row.get("number"))
    if origin == Origin.INCOMING:
        try:
            issued = date.fromisoformat(row.get("issue_date") or "")
        except ValueError:
            return False  # the row is refused for its date when registered
        query = query.where(Document.issuer == (row.get("issuer") or None), Document.issue_date == issued)
    else:
        query = query.where(Document.term == (row.get("term") or current_app.config["PARTY_TERM"]))
    return db.session.scalar(query.limit(1)) is not None


def import_metadata(
    actor: User, folder: Path, metadata: Path, *, progress: Callable[[int], None] = lambda _n: None
) -> ImportReport:
    report = ImportReport()
    root = folder.absolute()
    for line, row in read_rows(metadata):
        name = f"dòng {line}"
        try:
            upload = None
            secret = (row.get("security_level") or "none") != "none"
            if row.get("file") and not secret:  # a secret row's file is refused, never read
                path = plain_file_in(root, row["file"])
                if path is None:
                    raise DomainError(f"Không có tệp «{row['file']}» trong thư mục nhập.", field="file")
                upload = Upload(read_plain(path), path.name)
                row, upload = _with_detected(row, upload)
            elif row.get("file"):
                raise DomainError(SECRET_FILE, field="file")
            # Checked once the number is known (read from the file's header, perhaps).
            if row.get("number") and _already_registered(row):
                report.skipped += 1
                continue
            # An archive row without its arrival date is filed under the date it was issued, not
            # under today's register.
            arrived = row.get("received_date") or row.get("issue_date")
            data = parse(Registration, {**row, "received_date": arrived})
            register_document(actor, data, upload)
            report.imported += 1
        except DomainError as err:
            report.failed.append((name, _reason(err)))
        finally:
            progress(1)
    documents_imported.send(actor, count=report.imported)
    return report


# CSV column <- what the first page's header says, used where the row is silent.
DETECTED_COLUMNS = {
    "number": "number",
    "issue_date": "issue_date",
    "doc_type": "doc_type",
    "title": "subject",
    "issuer": "issuing_body",
}


def _with_detected(row: dict, upload: Upload) -> tuple[dict, Upload]:
    """The row, its empty columns filled from the file's header (a typed or text PDF, DOCX);
    the upload carries the text read for it, so registering does not read the file again."""
    if all(row.get(column) for column in DETECTED_COLUMNS):
        return row, upload
    try:
        extracted = check_upload(upload)
    except DomainError:
        return row, upload  # the registration reports what is wrong with the file
    found = detect(extracted.text).as_json()
    filled = dict(row)
    for column, key in DETECTED_COLUMNS.items():
        if not filled.get(column) and found.get(key):
            filled[column] = found[key]
    return filled, Upload(upload.data, upload.filename, extracted)


def _reason(err: DomainError) -> str:
    errors = err.extra.get("errors") if err.extra else None
    if errors:
        return "; ".join(f"{field}: {message}" for field, message in errors.items())
    return f"{err.field}: {err.message}" if err.field else err.message
