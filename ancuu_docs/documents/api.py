"""JSON API for documents under /api/v1. Handlers translate; services decide."""

from __future__ import annotations

from flask import current_app, jsonify, request

from .. import storage
from ..api import api_blueprint, api_user, bool_value, int_arg, json_body
from . import services
from .models import Document, DocumentVersion

bp = api_blueprint("documents_api", __name__)


def version_json(version: DocumentVersion) -> dict:
    return {
        "n": version.n,
        "sha256": version.sha256,
        "size": version.size,
        "filename": version.filename,
        "media_type": version.media_type,
        "created_at": version.created_at.isoformat() + "Z",
        "author": version.author.username,
        "comment": version.comment,
        "restored_from": version.restored_from,
    }


def document_json(doc: Document, actor=None) -> dict:
    data = {
        "id": doc.id,
        "doc_type": doc.doc_type,
        "doc_type_name": doc.doc_type_name,
        "title": doc.title,
        "summary": doc.summary,
        "status": doc.status,
        "number": doc.number,
        "term": doc.term,
        "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
        "signer": doc.signer,
        "confidential": doc.confidential,
        "created_by": doc.created_by.username,
        "created_at": doc.created_at.isoformat() + "Z",
        "updated_at": doc.updated_at.isoformat() + "Z",
        "current_version": doc.current_version.n if doc.current_version else None,
        "versions": [version_json(v) for v in doc.versions],
    }
    if actor is not None:
        data["relations"] = services.relations(actor, doc)
    return data


@bp.get("/documents")
def list_documents():
    page = services.list_documents(
        api_user(),
        doc_type=request.args.get("doc_type") or None,
        status=request.args.get("status") or None,
        term=request.args.get("term") or None,
        page=int_arg("page", 1),
        per_page=int_arg("per_page", current_app.config["DOCUMENTS_PER_PAGE"]),
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
    form = request.form
    doc = services.create_document(
        api_user(),
        upload=services.Upload.from_file(request.files.get("file")),
        title=form.get("title"),
        doc_type=form.get("doc_type"),
        summary=form.get("summary", ""),
        confidential=bool_value(form.get("confidential")),
        comment=form.get("comment", ""),
    )
    return jsonify(document_json(doc)), 201


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    actor = api_user()
    return jsonify(document_json(services.get_document(actor, document_id), actor))


@bp.post("/documents/<int:document_id>/relations")
def add_relation(document_id: int):
    body = json_body()
    actor = api_user()
    services.add_relation(
        actor,
        document_id,
        relation=body.get("relation"),
        target_id=body.get("target_id"),
        target_number=body.get("target_number"),
    )
    return jsonify(document_json(services.get_document(actor, document_id), actor)), 201


@bp.patch("/documents/<int:document_id>")
def update_document(document_id: int):
    body = json_body()
    doc = services.update_metadata(
        api_user(),
        document_id,
        title=body.get("title"),
        summary=body.get("summary"),
        signer=body.get("signer"),
        confidential=bool_value(body["confidential"]) if "confidential" in body else None,
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
    body = request.get_json(silent=True) or request.form
    doc = services.restore_version(api_user(), document_id, n, base_version=body.get("base_version"))
    return jsonify(document_json(doc)), 201


@bp.get("/documents/<int:document_id>/versions/<int:n>/file")
def download(document_id: int, n: int):
    version = services.get_version(api_user(), document_id, n)
    return storage.send(version.sha256, download_name=version.filename, mimetype=version.media_type)


@bp.get("/documents/<int:document_id>/diff")
def diff(document_id: int):
    return jsonify(
        services.diff_versions(api_user(), document_id, request.args.get("from"), request.args.get("to"))
    )


@bp.post("/documents/<int:document_id>/transitions")
def transition(document_id: int):
    body = json_body()
    doc = services.transition(api_user(), document_id, body.get("to"), issue_date=body.get("issue_date"))
    return jsonify(document_json(doc))
