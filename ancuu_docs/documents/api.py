"""JSON API for documents under /api/v1. Handlers translate; services decide."""

from __future__ import annotations

from flask import current_app, jsonify, request

from .. import storage
from ..auth.api import api_blueprint, api_user
from ..parsing import json_object, query_int
from ..schema import parse
from ..wiring import wired
from . import intake, services
from .commands import Comparison, MetadataChange, Move, NewDocument, NewRelation, NewVersion, Restore
from .schemas import detected_json, document_json

bp = api_blueprint("documents_api", __name__)


def document_answer(doc, status: int = 200):
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


@bp.post("/documents")
def create_document():
    """A new draft of ours; or, with `origin=incoming`, a printed `number` or a security level,
    a document registered as already issued (multipart with a file, or JSON for metadata only)."""
    form = json_object() if request.is_json else request.form
    upload = None if request.is_json else services.Upload.from_file(request.files.get("file"))
    staged = form.get("intake")  # a file staged by `POST /api/intake`, in place of one sent now
    if upload is None and staged not in (None, ""):
        upload = intake.take(api_user(), staged)
    registration = wired().api_registration  # the registers' answer, wired in create_app
    doc = registration(form, upload) if registration is not None else None
    if doc is None:
        actor = api_user()
        services.check_can_create(actor)  # who may, before what they sent
        doc = services.create_document(actor, parse(NewDocument, form), upload)
    if upload is not None and staged not in (None, ""):
        intake.used(staged)
    return document_answer(doc, 201)


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    return document_answer(services.get_document(api_user(), document_id))


@bp.post("/documents/<int:document_id>/relations")
def add_relation(document_id: int):
    actor = api_user()
    services.check_can_edit(actor, services.get_document(actor, document_id), "thêm quan hệ")
    services.add_relation(actor, document_id, parse(NewRelation, json_object()))
    return document_answer(services.get_document(actor, document_id), 201)


@bp.patch("/documents/<int:document_id>")
def update_document(document_id: int):
    actor = api_user()
    doc = services.get_document(actor, document_id)
    services.check_can_edit(actor, doc)
    fields = json_object()
    correction = wired().entry_correction  # the registers' answer, wired in create_app
    corrected = correction(doc, fields) if correction is not None else None
    if corrected is None:
        corrected = services.update_metadata(actor, document_id, parse(MetadataChange, fields))
    return jsonify(document_json(corrected))


@bp.post("/documents/<int:document_id>/versions")
def add_version(document_id: int):
    actor = api_user()
    services.check_can_add_version(actor, services.get_document(actor, document_id))
    upload = services.Upload.from_file(request.files.get("file"))
    doc = services.add_version(actor, document_id, parse(NewVersion, request.form), upload)
    return jsonify(document_json(doc)), 201


@bp.post("/documents/<int:document_id>/versions/<int:n>/restore")
def restore_version(document_id: int, n: int):
    actor = api_user()
    services.check_can_add_version(actor, services.get_version(actor, document_id, n).document)
    body = json_object() if request.is_json else request.form
    doc = services.restore_version(actor, document_id, n, parse(Restore, body))
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
    return jsonify(services.diff_versions(api_user(), document_id, parse(Comparison, request.args)))


@bp.post("/documents/<int:document_id>/transitions")
def transition(document_id: int):
    actor = api_user()
    services.check_can_transition(actor, services.get_document(actor, document_id))
    doc = services.transition(actor, document_id, parse(Move, json_object()))
    return jsonify(document_json(doc))
