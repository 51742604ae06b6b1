"""The meeting's package: what the secretariat files and sends upwards, as one zip."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime

from .. import storage
from ..auth.models import User
from ..auth.policy import Action, can
from ..documents.types import Status
from ..text import fold
from .services import get_meeting, meeting_title


def package(actor: User, meeting_id: int) -> tuple[str, bytes]:
    """A zip of every approved document's current file, the minutes and a manifest
    (number, title, type, version, SHA-256): what the secretariat files and sends upwards."""
    meeting = get_meeting(actor, meeting_id)
    docs = [item.document for item in meeting.agenda if item.document is not None]
    docs = [d for d in docs if d.status == Status.APPROVED]
    if meeting.minutes_document is not None:
        docs.append(meeting.minutes_document)
    docs = [d for d in docs if can(actor, Action.READ, d)]
    manifest = {
        "meeting": meeting_title(meeting),
        "date": meeting.date.isoformat(),
        "status": meeting.status,
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "documents": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for position, doc in enumerate(docs, start=1):
            version = doc.current_version
            label = re.sub(r"[^\w.-]+", "-", doc.number or "du-thao").strip("-")
            # An issued file's name already leads with its number ("01-NQ-DU-…").
            numbered = fold(version.filename).upper().startswith(fold(label).upper())
            name = f"{position:02d}-{version.filename if numbered else f'{label}-{version.filename}'}"
            archive.writestr(name, storage.read(version.sha256))
            manifest["documents"].append(
                {
                    "file": name,
                    "number": doc.number,
                    "title": doc.title,
                    "doc_type": doc.doc_type,
                    "status": doc.status,
                    "version": version.n,
                    "sha256": version.sha256,
                    "size": version.size,
                    "minutes": doc.id == meeting.minutes_document_id,
                }
            )
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    filename = f"ho-so-hoi-nghi-{meeting.date.isoformat()}-lan-{meeting.ordinal}.zip"
    return filename, buffer.getvalue()
