"""JSON API for documents under /api/v1. Handlers translate; services decide."""

from __future__ import annotations

from flask import current_app, jsonify, request

from .. import storage, web
from ..auth.api import api_blueprint, api_user
from ..parsing import boolean, choice, json_object, query_int
from . import register_files, registers, services
from .schemas import detected_json, document_json

bp = api_blueprint("documents_api", __name__)


def _document(doc, status: int = 200):
    """One document in full: with its relations and what its first page's header says."""
    actor = api_user()
    data = document_json(doc, relations=services.relations(actor, doc))
    data["detected"] = detected_json(doc)
    return jsonify(data), status


@bp.get("/documents")
def list_documents():
    page = services.list_documents(
        api_user(),
        doc_type=request.args.get("doc_type") or None,
        status=request.args.get("status") or None,
        term=request.args.get("term") or None,
        sort=request.args.get("sort") or None,
        page=query_int("page", 1),
        per_page=query_int("per_page", current_app.config["DOCUMENTS_PER_PAGE"], high=200),
    )
    return jsonify(
        {
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "documents": [document_json(d) for d in page.items],
        }
    )


REGISTRATION_FIELDS = (
    "origin",
    "doc_type",
    "title",
    "summary",
    "number",
    "issue_date",
    "issuer",
    "term",
    "received_date",
    "urgency",
    "handler",
    "reply_due",
    "security_level",
    "confidential",
    "signer",
)


@bp.post("/documents")
def create_document():
    """A new draft of ours; or, with `origin=incoming`, a printed `number` or a security level,
    a document registered as already issued (multipart with a file, or JSON for metadata only)."""
    form = json_object() if request.is_json else request.form
    upload = None if request.is_json else services.Upload.from_file(request.files.get("file"))
    if services.is_registration(form.get("origin"), form.get("number"), form.get("security_level")):
        data = services.Registration(**{name: form.get(name) for name in REGISTRATION_FIELDS})
        return _document(services.register_document(api_user(), data, upload), 201)
    doc = services.create_document(
        api_user(),
        upload=upload,
        title=form.get("title"),
        doc_type=form.get("doc_type"),
        summary=form.get("summary", ""),
        confidential=boolean(form.get("confidential"), field="confidential", label="hạn chế"),
        comment=form.get("comment", ""),
    )
    return _document(doc, 201)


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    return _document(services.get_document(api_user(), document_id))


@bp.post("/documents/<int:document_id>/relations")
def add_relation(document_id: int):
    body = json_object()
    actor = api_user()
    services.add_relation(
        actor,
        document_id,
        relation=body.get("relation"),
        target_id=body.get("target_id"),
        target_number=body.get("target_number"),
    )
    return _document(services.get_document(actor, document_id), 201)


@bp.patch("/documents/<int:document_id>")
def update_document(document_id: int):
    body = json_object()
    doc = services.update_metadata(
        api_user(),
        document_id,
        title=body.get("title"),
        summary=body.get("summary"),
        signer=body.get("signer"),
        confidential=body.get("confidential"),
    )
    return jsonify(document_json(doc))


@bp.post("/documents/<int:document_id>/versions")
def add_version(document_id: int):
    doc = services.add_version(
        api_user(),
        document_id,
        upload=services.Upload.from_file(request.files.get("file")),
        base_version=request.form.get("base_version"),
        comment=request.form.get("comment", ""),
    )
    return jsonify(document_json(doc)), 201


@bp.post("/documents/<int:document_id>/versions/<int:n>/restore")
def restore_version(document_id: int, n: int):
    body = json_object() if request.is_json else request.form
    doc = services.restore_version(api_user(), document_id, n, base_version=body.get("base_version"))
    return jsonify(document_json(doc)), 201


@bp.get("/documents/<int:document_id>/versions/<int:n>/file")
def download(document_id: int, n: int):
    version = services.get_version(api_user(), document_id, n)
    return storage.send(version.sha256, download_name=version.filename, mimetype=version.media_type)


@bp.get("/documents/<int:document_id>/versions/<int:n>/renditions/<kind>")
def download_rendition(document_id: int, n: int, kind: str):
    rendition = services.get_rendition(api_user(), document_id, n, kind)
    return storage.send(rendition.sha256, download_name=rendition.filename, mimetype=rendition.media_type)


@bp.get("/documents/<int:document_id>/diff")
def diff(document_id: int):
    return jsonify(
        services.diff_versions(api_user(), document_id, request.args.get("from"), request.args.get("to"))
    )


@bp.post("/documents/<int:document_id>/dispatch")
def record_dispatch(document_id: int):
    """The outgoing register's columns: `recipients`, `copies`, `sent_date`."""
    body = json_object()
    doc = services.record_dispatch(
        api_user(),
        document_id,
        recipients=body.get("recipients"),
        copies=body.get("copies"),
        sent_date=body.get("sent_date"),
    )
    return _document(doc)


@bp.post("/documents/<int:document_id>/handling")
def record_handling(document_id: int):
    """The incoming register's working columns: `handler`, `reply_due`, `replied_date`."""
    body = json_object()
    doc = services.record_handling(
        api_user(),
        document_id,
        handler=body.get("handler"),
        reply_due=body.get("reply_due"),
        replied_date=body.get("replied_date"),
    )
    return _document(doc)


@bp.get("/registers/<kind>")
def register_entries(kind: str):
    """The incoming or outgoing register of a year, as JSON or (?format=) as a file."""
    filters = registers.parse_filters(kind, request.args)
    rows = registers.entries(api_user(), kind, filters)
    fmt = request.args.get("format") or "json"
    if fmt == "json":
        return jsonify({"kind": kind, "year": filters.year, "entries": rows})
    fmt = choice(fmt, register_files.MEDIA, field="format", label="định dạng")
    data = register_files.make(kind, filters.year, rows, fmt)
    return web.download(data, register_files.filename(kind, filters.year, fmt), register_files.MEDIA[fmt])


@bp.post("/documents/<int:document_id>/transitions")
def transition(document_id: int):
    body = json_object()
    doc = services.transition(
        api_user(), document_id, body.get("to"), issue_date=body.get("issue_date"), signer=body.get("signer")
    )
    return jsonify(document_json(doc))
