"""Keeping the index in step with the database: the outbox, the worker's step, rebuild, check.

The database is the source of truth. A change writes an IndexJob row in its own transaction
(search's receivers of the features' signals); after the commit the outbox is flushed into
the index by the worker (`flask index worker`), or, when no worker runs (tests, a single
process), by the same process right after the commit. A job that fails stays and is retried
with backoff by the worker, the next change, or `index sync`. Requests never rebuild: a
missing or damaged index is built by the worker, a change's flush, or `index rebuild`; one
rebuild at a time across processes.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from ..database import after_commit, on_rollback, unit_of_work
from ..extensions import db
from ..searchable import SearchEntry, SearchProvider, split_key
from ..timeutil import utcnow
from ..wiring import wired
from .analysis import SCHEMA_VERSION, indexed
from .models import IndexJob
from .store import IndexStore, NeedsRebuild, NoRoom

log = logging.getLogger(__name__)

_QUEUED = "ancuu_index_keys_queued"
CHUNK = 500
HEARTBEAT = "WORKER"
MERGE_WANTED = "MERGE"  # an import asked the worker to merge the segments
REBUILD_MARGIN = timedelta(minutes=2)


class Trouble:
    """One kind of trouble of this process (the index's disk full, index writes failing, the
    rebuild failing): said once when it starts, with its traceback, and once when it is over;
    meanwhile nothing more is logged, and tries wait longer and longer (`due`). A worker on a
    full disk logged a traceback every half second (898 in 12 minutes)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.failing: str | None = None
        self.count = 0
        self.next_try = 0.0

    def due(self) -> bool:
        return time.monotonic() >= self.next_try

    @property
    def pause(self) -> float:
        return min(2.0**self.count, current_app.config["INDEX_RETRY_LONGEST"]) if self.count else 0.0

    def failed(self, reason: BaseException | str) -> None:
        said = reason if isinstance(reason, str) else f"{type(reason).__name__}: {reason}"
        if said != self.failing:
            error = None if isinstance(reason, str) else reason
            log.error(
                "%s: %s (tried again later; said again only when this changes)",
                self.what,
                said,
                exc_info=error,
            )
        self.failing, self.count = said, self.count + 1
        self.next_try = time.monotonic() + self.pause

    def over(self) -> None:
        if self.failing is not None:
            log.warning("%s: works again after %d failed tries", self.what, self.count)
        self.failing, self.count, self.next_try = None, 0, 0.0


TROUBLES = {
    "writes": "writing the search index failed",
    "disk": "the search index's disk is too full to write",
    "rebuild": "building the search index failed",
}
_TROUBLES: dict[tuple[str, str], Trouble] = {}


def trouble(kind: str) -> Trouble:
    """This process's trouble of `kind` with this index (one per index folder)."""
    key = (str(index_folder()), kind)
    if key not in _TROUBLES:
        _TROUBLES[key] = Trouble(TROUBLES[kind])
    return _TROUBLES[key]


def has_room(index_store: IndexStore) -> bool:
    """Whether the index's disk has room for a write; said once when it has not, once when
    it has again. Searches keep answering from the index as it is meanwhile."""
    free, needed = index_store.room()
    if free < needed:
        trouble("disk").failed(
            f"{free // 2**20} MB free, writing needs {needed // 2**20} MB (twice the index)"
        )
        return False
    trouble("disk").over()
    return True


def providers() -> dict[str, SearchProvider]:
    """Every feature's provider, by the kind (key prefix) of its entries."""
    return {provider.kind: provider for provider in wired().search_providers}


def ids_by_kind(keys) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for key in keys:
        kind, object_id = split_key(key)
        grouped.setdefault(kind, []).append(object_id)
    return grouped


def index_folder() -> Path:
    return Path(current_app.config["INDEX_FOLDER"] or Path(current_app.instance_path) / "index")


def store() -> IndexStore:
    config = current_app.config
    return IndexStore(
        index_folder(), backend=config["SEARCH_BACKEND"], lock_timeout=config["INDEX_LOCK_TIMEOUT"]
    )


def entries(keys=None, chunk: int = CHUNK) -> Iterator[list[SearchEntry]]:
    """Index entries from the database (all, or those of `keys`) in chunks, so memory stays
    bounded. Read in a session of its own: the caller's session is left as it was."""
    wanted = None if keys is None else ids_by_kind(keys)
    with Session(db.engine) as session:
        for kind, provider in providers().items():
            ids = None if wanted is None else wanted.get(kind, [])
            if ids == []:
                continue
            yield from provider.entries(session, ids, chunk)


# ---------------------------------------------------------------- the outbox


def enqueue(key: str) -> None:
    """Inside a unit of work: (re)index this object once the change has committed.

    One job per object and unit is enough: indexing reads the object as it is after the commit.
    """
    queued = db.session.info.setdefault(_QUEUED, set())
    if key in queued:
        return
    if not queued:  # the first job of this unit
        after_commit(flush_unless_worker)
        after_commit(queued.clear)
        on_rollback(queued.clear)
    queued.add(key)
    db.session.add(IndexJob(key=key))


def flush_unless_worker() -> None:
    """After a commit: index now, in this process, unless a worker is there to do it."""
    if not worker_running():
        flush_outbox()


def flush_outbox() -> int:
    """Index every pending job that is due, through one writer commit; return how many
    objects were indexed. A bulk import's whole batch goes in as one commit.

    The jobs are picked and their entries read from the database only once this process holds
    the index's writer lock, so whoever commits last wrote the latest state; a job leaves the
    outbox only after the index commit that contains it, so a crash in between leaves it to be
    retried.
    """
    if not _any_due():
        return 0
    # (id, created_at): SQLite may give a deleted job's id to the next job, so a job is
    # named by both; deleting by id alone could remove a newer change's job unindexed.
    picked: list[tuple[int, object]] = []

    def build() -> tuple[list[SearchEntry], list[str]]:
        due = db.session.execute(
            select(IndexJob.id, IndexJob.created_at, IndexJob.key)
            .where(IndexJob.next_attempt_at <= utcnow())
            .order_by(IndexJob.id)
        ).all()
        db.session.rollback()  # end the read: entries are read in a snapshot taken after it
        picked.extend((job_id, created) for job_id, created, _key in due)
        keys = {key for _job_id, _created, key in due}
        updates = [entry for chunk in entries(keys) for entry in chunk]
        return updates, sorted(keys - {entry.key for entry in updates})

    index_store = store()
    if not has_room(index_store):
        return 0  # the jobs wait, due: the first round with room writes them
    try:
        ensure_index()
        updates, deletes = index_store.apply_built(build)
    except Exception as exc:
        if not isinstance(exc, BeingRebuilt):  # a rebuild elsewhere is no failure: it will be done
            trouble("writes").failed(exc)
        # Failed before picking (a rebuild elsewhere, the writer lock timed out): every due
        # job waits for its backoff, so nobody retries in a tight loop.
        _postpone([job_id for job_id, _created in picked] or _due_ids(), exc)
        return 0
    trouble("writes").over()
    if picked:
        with unit_of_work():
            db.session.execute(delete(IndexJob).where(tuple_(IndexJob.id, IndexJob.created_at).in_(picked)))
    return len(updates) + len(deletes)


def _due_ids() -> list[int]:
    ids = list(db.session.scalars(select(IndexJob.id).where(IndexJob.next_attempt_at <= utcnow())))
    db.session.rollback()
    return ids


def _any_due() -> bool:
    due = db.session.scalar(select(IndexJob.id).where(IndexJob.next_attempt_at <= utcnow()).limit(1))
    db.session.rollback()  # no snapshot is held while waiting for the writer
    return due is not None


def _postpone(job_ids: list[int], exc: Exception) -> None:
    with unit_of_work():
        for job in db.session.scalars(select(IndexJob).where(IndexJob.id.in_(job_ids))):
            job.attempts += 1
            job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            # Backoff: 2 s, 4 s, 8 s ... up to 5 minutes between tries.
            job.next_attempt_at = utcnow() + timedelta(seconds=min(2**job.attempts, 300))


def merge_segments() -> None:
    """After a large import: the worker merges the segments on its next round (it holds the
    writer a while, and no request should wait for it); with no worker, this process does."""
    if worker_running():
        (index_folder() / MERGE_WANTED).touch()
    else:
        _merge()


def _merge() -> None:
    """Index what is due (an import's last batches), then merge the live generation into as few
    segments as the engine makes."""
    (index_folder() / MERGE_WANTED).unlink(missing_ok=True)
    flush_outbox()
    if not has_room(store()):
        return
    try:
        store().optimize()
    except Exception as exc:  # a rebuild or a writer in the way: searches stay right, only slower
        log.warning("merging the index's segments failed: %s", exc)


def pending_jobs() -> int:
    return db.session.scalar(select(func.count()).select_from(IndexJob)) or 0


def pending_keys() -> list[str]:
    """The objects changed and not indexed yet (whose entries may be out of date)."""
    return list(db.session.scalars(select(IndexJob.key).distinct()))


def retry_all_now() -> None:
    """Make every waiting job due at once (the CLI's `index sync`)."""
    with unit_of_work():
        for job in db.session.scalars(select(IndexJob)):
            job.next_attempt_at = utcnow()


# ---------------------------------------------------------------- the worker


def _heartbeat_path() -> Path:
    return index_folder() / HEARTBEAT


def beat() -> None:
    """The worker says it is alive (and which process it is)."""
    path = _heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
    os.replace(tmp, path)


def worker_running() -> bool:
    try:
        info = json.loads(_heartbeat_path().read_text())
    except (OSError, ValueError):
        return False
    return time.time() - info.get("at", 0) < current_app.config["INDEX_WORKER_HEARTBEAT"]


def worker_stopped() -> None:
    _heartbeat_path().unlink(missing_ok=True)


def worker_step(*, verify: bool, reconcile: bool = False) -> int:
    """One round of the worker: build or repair the index if it must be, flush the outbox,
    and now and then (`reconcile`) compare every stamp with the database and mend what
    drifted. It beats all along a long rebuild, so the web processes never take over meanwhile."""
    beat()
    if not trouble("rebuild").due():
        return 0  # the rebuild failed a moment ago: tried again after its pause
    try:
        ensure_index(verify=verify, progress=lambda _n: beat())
    except BeingRebuilt:  # another process is at it: nothing failed, look again next round
        return 0
    except Exception as exc:  # the rebuild itself failed (disk full?): said once, tried later
        trouble("rebuild").failed(exc)
        return 0
    trouble("rebuild").over()
    beat()
    done = flush_outbox()
    if (index_folder() / MERGE_WANTED).exists():
        _merge()
    if reconcile:
        report = check(repair=True)
        if not report.ok:
            log.warning(
                "index drift mended: %d missing, %d stale, %d extra",
                len(report.missing),
                len(report.stale),
                len(report.extra),
            )
    return done


# ---------------------------------------------------------------- rebuild and check


class BeingRebuilt(Exception):
    """Another process is building the index now; its rebuild will include this change."""


def ensure_index(*, verify: bool = False, progress: Callable[[int], None] = lambda _n: None) -> bool:
    """Build the index when there is none of the expected schema version; True if built.

    Only reads the pointer file unless `verify`, which also opens the index (the worker now
    and then, the CLI). While another process rebuilds, raises BeingRebuilt instead of starting
    a second rebuild (jobs then wait for their next try).
    """
    index_store = store()
    try:
        if index_store.current_generation() is None:
            raise NeedsRebuild(f"no index of schema version {SCHEMA_VERSION}")
        if verify:
            if damage := index_store.damaged():
                raise NeedsRebuild(f"damaged: {damage}")
            index_store.open()
        return False
    except NeedsRebuild as reason:
        free, needed = index_store.room()
        if free < needed:
            raise NoRoom(
                f"{free // 2**20} MB free on the index's disk, a rebuild needs {needed // 2**20} MB"
            ) from None
        with index_store.rebuilding(wait=False) as mine:
            if not mine:
                raise BeingRebuilt(str(reason)) from None
            log.info("building the search index: %s", reason)
            _rebuild(index_store, progress, CHUNK)
        return True


def count_entries() -> int:
    """What a rebuild indexes: every provider's objects."""
    with Session(db.engine) as session:
        return sum(provider.count(session) for provider in providers().values())


def rebuild(progress: Callable[[int], None] = lambda _n: None, chunk: int = CHUNK) -> str:
    """Build a new generation from the database and make it live in one atomic step (waiting
    for a rebuild another process is running to finish first)."""
    index_store = store()
    with index_store.rebuilding(wait=True):
        return _rebuild(index_store, progress, chunk)


def _rebuild(index_store: IndexStore, progress: Callable[[int], None], chunk: int) -> str:
    previous = index_store.current_generation()
    # Leftovers of killed runs: no other rebuild is running, the lock says so.
    index_store.remove_generations(keep=[previous] if previous else [])
    # A change is stamped (updated_at) when its transaction writes the row and commits a little
    # later: one that committed after its row was read by the rebuild may carry an earlier
    # time. Read again everything changed since a while before the rebuild began.
    started = utcnow() - REBUILD_MARGIN
    generation = index_store.new_generation()
    with index_store.writer(generation, bulk=True) as writer:
        for batch in entries(chunk=chunk):
            for entry in batch:
                writer.add(indexed(entry))
            progress(len(batch))
    index_store.activate(generation)
    # Changes committed while the new generation was being built went to the old one.
    with Session(db.engine) as session:
        changed = [
            provider.key(object_id)
            for provider in providers().values()
            for object_id in provider.changed_since(session, started)
        ]
    if changed:  # read under the writer lock, like every flush
        index_store.apply_built(lambda: ([e for batch in entries(changed) for e in batch], []))
    index_store.remove_generations(keep=[generation, previous] if previous else [generation])
    return generation


@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    # Why there is no usable index (none yet, damaged files, another schema version), if so.
    unusable: str | None = None
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.unusable or self.missing or self.stale or self.extra)


def check(repair: bool = False) -> CheckReport:
    """Compare index and database: entries missing, stale (older than the row) or extra; or
    say that there is no usable index. `repair` rebuilds an unusable index and mends entries."""
    index_store = store()
    try:
        index_store.open()
        if damage := index_store.damaged():
            raise NeedsRebuild(f"damaged: {damage}")
    except NeedsRebuild as reason:
        if not repair:
            return CheckReport(unusable=str(reason) or "không mở được chỉ mục")
        rebuild()
        return CheckReport(unusable=str(reason), repaired=True)
    with Session(db.engine) as session:
        in_database = {
            provider.key(object_id): stamp
            for provider in providers().values()
            for object_id, stamp in provider.stamps(session).items()
        }
    in_index = index_store.stamps()
    report = CheckReport(
        missing=sorted(set(in_database) - set(in_index)),
        stale=sorted(k for k in set(in_database) & set(in_index) if in_database[k] != in_index[k]),
        extra=sorted(set(in_index) - set(in_database)),
    )
    if repair and not report.ok:
        keys = set(report.missing) | set(report.stale)
        index_store.apply_built(lambda: ([e for batch in entries(keys) for e in batch], report.extra))
        report.repaired = True
    return report
