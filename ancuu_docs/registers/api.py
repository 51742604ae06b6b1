"""JSON API for the registers under /api/v1: the books and their working columns, and the
registration a `POST /api/documents` asks for (wired in create_app)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import jsonify, request

from .. import web
from ..auth.api import api_blueprint, api_user
from ..documents import intake
from ..documents.api import document_answer
from ..documents.models import Document
from ..documents.services import Upload, get_document
from ..documents.types import Origin, SecurityLevel
from ..errors import InvalidInput
from ..parsing import choice, json_object
from ..schema import parse
from . import book_columns, book_files, books, correcting, issuers
from .commands import BookFilters, Cancellation, Dispatch, EntryCorrection, Handling, Registration
from .registering import check_may_register, register_document

bp = api_blueprint("registers_api", __name__)


def _asks_registration(fields: Mapping) -> bool:
    """An incoming document, a number printed already, or a secret one: registered as issued
    (the rest is a new draft of ours)."""
    return (
        str(fields.get("origin") or Origin.INTERNAL) == Origin.INCOMING
        or bool(str(fields.get("number") or "").strip())
        or str(fields.get("security_level") or SecurityLevel.NONE) != SecurityLevel.NONE
    )


def api_registration(fields: Mapping, upload: Upload | None) -> Document | None:
    """`POST /api/documents` with an origin, a printed number or a security level registers a
    document already issued; without them it is a new draft (None: documents creates it)."""
    if not _asks_registration(fields):
        return None
    actor = api_user()
    check_may_register(actor)  # who may, before what they sent
    return register_document(actor, parse(Registration, fields), upload)


def api_entry_correction(doc: Document, fields: Mapping) -> Document | None:
    """`PATCH /api/documents/<id>` on a registered entry: a correction of its columns (None for
    any other document: documents change its description)."""
    if not doc.registered:
        return None
    actor = api_user()
    check_may_register(actor)
    return correcting.correct_entry(actor, doc.id, EntryCorrection.of_source(fields))


@bp.post("/intake")
def stage_intake():
    """A file staged for a registration (multipart `file`): 202 {"id", "state"}; its header is
    read at once (text) or by OCR of its first page in the background (a scan, a photo)."""
    actor = api_user()
    check_may_register(actor)
    upload = Upload.from_file(request.files.get("file"))
    if upload is None:
        raise InvalidInput("Cần gửi tệp trong trường «file» (multipart/form-data).", field="file")
    staged = intake.stage(actor, upload)
    return jsonify({"id": staged.id, "state": staged.state}), 202


@bp.get("/intake/<int:intake_id>")
def read_intake(intake_id: int):
    """{"state": "reading" | "done" | "failed", "fields": {"issuer", "number", "issue_date",
    "doc_type", "title", "place"}, "reason"}: what the staged file's header says."""
    actor = api_user()
    check_may_register(actor)
    return jsonify(issuers.intake_answer(intake.get(actor, intake_id)))


@bp.post("/documents/<int:document_id>/cancel")
def cancel_entry(document_id: int):
    """A wrong entry cancelled with its `reason`: kept in its book, marked "Đã hủy"."""
    actor = api_user()
    get_document(actor, document_id)  # who may not read it learns nothing of it
    check_may_register(actor)
    doc = correcting.cancel_entry(actor, document_id, parse(Cancellation, json_object()))
    return document_answer(doc)


@bp.post("/documents/<int:document_id>/dispatch")
def record_dispatch(document_id: int):
    """The outgoing register's columns: `recipients`, `copies`, `sent_date`."""
    doc = book_columns.record_dispatch(api_user(), document_id, parse(Dispatch, json_object()))
    return document_answer(doc)


@bp.post("/documents/<int:document_id>/handling")
def record_handling(document_id: int):
    """The incoming register's working columns: `handler`, `reply_due`, `replied_date`."""
    doc = book_columns.record_handling(api_user(), document_id, parse(Handling, json_object()))
    return document_answer(doc)


@bp.get("/registers/<kind>")
def book(kind: str):
    """A register of a year, as JSON or (?format=) as a file; the secret ones the office's."""
    actor = api_user()
    register_book = books.book_named(actor, kind)
    filters = books.with_year(parse(BookFilters, request.args), books.years(actor, register_book))
    rows = books.entries(actor, register_book, filters)
    fmt = request.args.get("format") or "json"
    if fmt == "json":
        return jsonify({"kind": kind, "year": filters.year, "entries": rows})
    fmt = choice(fmt, book_files.MEDIA, field="format", label="định dạng")
    data = book_files.make(register_book, filters.year, rows, fmt)
    return web.download(data, book_files.filename(register_book, filters.year, fmt), book_files.MEDIA[fmt])
