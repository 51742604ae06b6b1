"""Keeping the index in step with the database: the outbox, rebuild and check.

The database is the source of truth. A change writes an IndexJob row in its own
transaction; after the commit the outbox is flushed into the index. A job that fails
stays and is retried (on the next change, the next search, or `flask index sync`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from ..database import after_commit, on_rollback, unit_of_work
from ..documents.models import Document, DocumentVersion
from ..extensions import db
from ..meetings.models import Meeting
from ..timeutil import utcnow
from .engine import SCHEMA_VERSION, IndexEntry, IndexStore, NeedsRebuild
from .models import IndexJob

log = logging.getLogger(__name__)

_QUEUED = "ancuu_index_keys_queued"
DOCUMENT = "document"
MEETING = "meeting"
CHUNK = 500


def document_key(document_id: int) -> str:
    return f"{DOCUMENT}:{document_id}"


def split_key(key: str) -> tuple[str, int]:
    kind, _, number = key.partition(":")
    return kind, int(number)


def ids_of(keys: set[str] | list[str], kind: str) -> list[int]:
    return [split_key(key)[1] for key in keys if key.startswith(f"{kind}:")]


def store() -> IndexStore:
    config = current_app.config
    return IndexStore(
        Path(config["INDEX_FOLDER"] or Path(current_app.instance_path) / "index"),
        lock_timeout=config["INDEX_LOCK_TIMEOUT"],
    )


# ---------------------------------------------------------------- from database rows


def _latest():
    return (
        select(DocumentVersion.document_id, func.max(DocumentVersion.n).label("n"))
        .group_by(DocumentVersion.document_id)
        .subquery()
    )


def _latest_versions():
    latest = _latest()
    return (
        select(Document, DocumentVersion.text, DocumentVersion.n)
        .join(latest, latest.c.document_id == Document.id)
        .join(
            DocumentVersion,
            and_(DocumentVersion.document_id == Document.id, DocumentVersion.n == latest.c.n),
        )
    )


def _stamp(updated_at: datetime, version_n: int) -> str:
    """What changes whenever the indexed content of a document changes."""
    return f"{updated_at.isoformat()}#{version_n}"


def _document_entry(doc: Document, text: str, version_n: int) -> IndexEntry:
    when = doc.issue_date or doc.created_at.date()
    return IndexEntry(
        key=document_key(doc.id),
        kind=DOCUMENT,
        title=doc.title,
        summary=doc.summary or "",
        content=text or "",
        number=doc.number or "",
        doc_type=doc.doc_type,
        status=doc.status,
        term=doc.term,
        confidential=doc.confidential,
        date=datetime.combine(when, datetime.min.time()),
        stamp=_stamp(doc.updated_at, version_n),
    )


def entries(keys: set[str] | list[str] | None = None, chunk: int = CHUNK) -> Iterator[list[IndexEntry]]:
    """Index entries from the database (all, or those of `keys`) in chunks, by id, so memory
    stays bounded. Read in a session of its own: the caller's session is left as it was."""
    with Session(db.engine) as session:
        yield from _chunks(
            session,
            _latest_versions(),
            Document.id,
            _document_entry,
            None if keys is None else ids_of(keys, DOCUMENT),
            chunk,
        )
        yield from _chunks(
            session,
            select(Meeting),
            Meeting.id,
            _meeting_entry,
            None if keys is None else ids_of(keys, MEETING),
            chunk,
        )


def _chunks(session, query, id_column, make, ids, chunk):
    if ids is not None and not ids:
        return
    after = 0
    while True:
        page = query.where(id_column > after).order_by(id_column).limit(chunk)
        if ids is not None:
            page = page.where(id_column.in_(ids))
        rows = session.execute(page).all()
        if not rows:
            return
        yield [make(*row) for row in rows]
        after = rows[-1][0].id
        session.expunge_all()


def _meeting_entry(meeting: Meeting) -> IndexEntry:
    from ..meetings.services import meeting_title

    lines = []
    for item in meeting.agenda:
        lines.append(f"{item.position}. {item.title} ({item.presenter})")
        lines.extend(line for line in item.discussion.splitlines() if line.strip())
        if item.decision is not None:
            lines.append(item.decision.conclusion or item.decision.outcome_label)
    return IndexEntry(
        key=f"{MEETING}:{meeting.id}",
        kind=MEETING,
        title=meeting_title(meeting),
        summary=f"{meeting.place}. Chủ trì: {meeting.chair_name}.",
        content="\n".join(lines),
        number="",
        doc_type=MEETING,
        status=meeting.status,
        term=meeting.term,
        confidential=False,
        date=datetime.combine(meeting.date, datetime.min.time()),
        stamp=meeting.updated_at.isoformat(),
    )


# ---------------------------------------------------------------- the outbox


def enqueue(key: str) -> None:
    """Inside a unit of work: (re)index this object once the change has committed.

    One job per object and unit is enough: indexing reads the object as it is after the commit.
    """
    queued = db.session.info.setdefault(_QUEUED, set())
    if key in queued:
        return
    if not queued:  # the first job of this unit
        after_commit(flush_outbox)
        after_commit(queued.clear)
        on_rollback(queued.clear)
    queued.add(key)
    db.session.add(IndexJob(key=key))


def enqueue_document(document_id: int) -> None:
    enqueue(document_key(document_id))


def flush_outbox() -> int:
    """Index every pending job that is due, through one writer commit; return how many
    objects were indexed. A bulk import's whole batch goes in as one commit."""
    due = db.session.execute(
        select(IndexJob.id, IndexJob.key).where(IndexJob.next_attempt_at <= utcnow()).order_by(IndexJob.id)
    ).all()
    db.session.rollback()  # end the read, so no snapshot is held while indexing
    if not due:
        return 0
    job_ids = [job_id for job_id, _key in due]
    keys = {key for _job_id, key in due}
    try:
        ensure_index()
        updates = [entry for chunk in entries(keys) for entry in chunk]
        found = {entry.key for entry in updates}
        store().apply(updates, deletes=keys - found)
    except Exception as exc:
        log.warning("index update failed, will retry: %s", exc)
        _postpone(job_ids, exc)
        return 0
    with unit_of_work():
        db.session.execute(delete(IndexJob).where(IndexJob.id.in_(job_ids)))
    return len(keys)


def _postpone(job_ids: list[int], exc: Exception) -> None:
    with unit_of_work():
        for job in db.session.scalars(select(IndexJob).where(IndexJob.id.in_(job_ids))):
            job.attempts += 1
            job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            # Backoff: 2 s, 4 s, 8 s ... up to 5 minutes between tries.
            job.next_attempt_at = utcnow() + timedelta(seconds=min(2**job.attempts, 300))


def pending_jobs() -> int:
    return db.session.scalar(select(func.count()).select_from(IndexJob)) or 0


def retry_all_now() -> None:
    """Make every waiting job due at once (the CLI's `index sync`)."""
    with unit_of_work():
        for job in db.session.scalars(select(IndexJob)):
            job.next_attempt_at = utcnow()


# ---------------------------------------------------------------- rebuild and check


def ensure_index(*, verify: bool = False) -> bool:
    """Build the index when there is none of the expected schema version; True if built.

    Every request asks, so it only reads the pointer file; `verify` also opens the index
    (the CLI, and a search that found the index damaged).
    """
    index_store = store()
    try:
        if index_store.current_generation() is None:
            raise NeedsRebuild(f"no index of schema version {SCHEMA_VERSION}")
        if verify:
            index_store.open()
        return False
    except NeedsRebuild as reason:
        log.info("building the search index: %s", reason)
        rebuild()
        return True


def count_documents() -> int:
    """What a rebuild indexes: documents and meetings."""
    documents = db.session.scalar(select(func.count()).select_from(Document)) or 0
    return documents + (db.session.scalar(select(func.count()).select_from(Meeting)) or 0)


def rebuild(progress: Callable[[int], None] = lambda _n: None, chunk: int = CHUNK) -> str:
    """Build a new generation from the database and make it live in one atomic step."""
    index_store = store()
    previous = index_store.current_generation()
    index_store.remove_generations(keep=[previous] if previous else [])  # leftovers of killed runs
    started = utcnow()
    generation = index_store.new_generation()
    with index_store.writer(generation, merge=True, limitmb=64, procs=1) as writer:
        for batch in entries(chunk=chunk):
            for entry in batch:
                writer.add_document(**entry.as_fields())
            progress(len(batch))
    index_store.activate(generation)
    # Changes committed while the new generation was being built went to the old one.
    changed = [
        document_key(i) for i in db.session.scalars(select(Document.id).where(Document.updated_at >= started))
    ]
    changed += [
        f"{MEETING}:{i}" for i in db.session.scalars(select(Meeting.id).where(Meeting.updated_at >= started))
    ]
    if changed:
        index_store.apply([e for batch in entries(changed) for e in batch])
    index_store.remove_generations(keep=[generation, previous] if previous else [generation])
    return generation


@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check(repair: bool = False) -> CheckReport:
    """Compare index and database: entries missing, stale (older than the row) or extra."""
    ensure_index(verify=True)
    latest = _latest()
    rows = db.session.execute(
        select(Document.id, Document.updated_at, latest.c.n).join(latest, latest.c.document_id == Document.id)
    )
    in_database = {document_key(doc_id): _stamp(updated_at, n) for doc_id, updated_at, n in rows}
    for meeting_id, updated_at in db.session.execute(select(Meeting.id, Meeting.updated_at)):
        in_database[f"{MEETING}:{meeting_id}"] = updated_at.isoformat()
    in_index = store().stamps()
    report = CheckReport(
        missing=sorted(set(in_database) - set(in_index)),
        stale=sorted(k for k in set(in_database) & set(in_index) if in_database[k] != in_index[k]),
        extra=sorted(set(in_index) - set(in_database)),
    )
    if repair and not report.ok:
        keys = set(report.missing) | set(report.stale)
        store().apply([e for batch in entries(keys) for e in batch], deletes=report.extra)
        report.repaired = True
    return report
