"""Checking a version's signatures and keeping what was found (a new set each time)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from .. import storage
from ..audit.services import record
from ..auth.models import User
from ..database import unit_of_work
from ..documents.models import Document, DocumentVersion, VersionSignature
from ..errors import NotFound
from ..extensions import db
from ..extract import PDF
from ..timeutil import utcnow
from . import verify


def trust_folder() -> Path:
    return Path(current_app.instance_path) / "trust"


def check_version(actor: User | None, version: DocumentVersion) -> list[VersionSignature]:
    """Inside the caller's transaction: the version's signatures checked and recorded (with
    an audit event), or [] for a file without signatures."""
    if version.media_type != PDF:
        return []
    found = verify.check(storage.read(version.sha256), verify.trust_roots(trust_folder()))
    if not found:
        return []
    now = utcnow()
    rows = [VersionSignature(version=version, checked_at=now, **vars(f)) for f in found]
    db.session.add_all(rows)
    db.session.flush()
    record(
        actor,
        "version.signatures",
        version.document,
        version_n=version.n,
        signatures=[{"signer": r.signer_name, "status": r.status} for r in rows],
    )
    return rows


def recheck(document_id: int) -> list[tuple[int, list[VersionSignature]]]:
    """`flask signatures verify DOC`: every PDF version checked again (new trust roots, say)."""
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("Không tìm thấy văn bản.")
    results = []
    with unit_of_work():
        for version in doc.versions:
            results.append((version.n, check_version(None, version)))
    return results
