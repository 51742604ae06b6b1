"""The index on disk: generations, the pointer to the live one, one writer at a time.

Indexes live in generations under instance/index/: `CURRENT` names the live one and its schema
version; a rebuild writes a new generation and replaces `CURRENT` atomically, so searches keep
answering during a rebuild and a rebuild that dies halfway leaves the old generation live.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from whoosh import index
from whoosh.index import LockError
from whoosh.reading import SegmentReader

from ..searchable import SearchEntry
from .analysis import SCHEMA, SCHEMA_VERSION, entry_fields

# Segments under TINY documents are merged together once there are MERGE_AT of them.
TINY = 200
MERGE_AT = 12
BATCH_MERGE = 100


class NeedsRebuild(Exception):
    """There is no usable index of the expected schema version."""


_SEARCHERS = threading.local()


class IndexStore:
    """The generations of the index under one folder, and the pointer to the live one."""

    def __init__(self, root: str | Path, *, lock_timeout: float = 10.0):
        self.root = Path(root)
        self.lock_timeout = lock_timeout

    # ------------------------------------------------------------ generations

    @property
    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_generation(self) -> str | None:
        try:
            info = json.loads(self._pointer.read_text())
        except (OSError, ValueError):
            return None
        if info.get("schema_version") != SCHEMA_VERSION:
            return None
        return info.get("generation")

    def open(self) -> index.Index:
        generation = self.current_generation()
        if generation is None:
            raise NeedsRebuild(f"no index of schema version {SCHEMA_VERSION}")
        try:
            return index.open_dir(str(self.root / generation))
        except Exception as exc:  # missing or damaged files: the index must be built again
            raise NeedsRebuild(str(exc)) from exc

    @contextmanager
    def searcher(self) -> Iterator:
        """A searcher of the live generation, kept open per thread and refreshed when the
        index changed: opening one costs more than many searches."""
        generation = self.current_generation()
        if generation is None:
            raise NeedsRebuild(f"no index of schema version {SCHEMA_VERSION}")
        cache = _SEARCHERS.__dict__
        key = (str(self.root), generation)
        searcher = cache.get(key)
        if searcher is not None and not searcher.up_to_date():
            # Opened anew rather than refresh()ed: a refreshed searcher reuses the readers of
            # segments whose deletions changed, and would show replaced documents twice.
            cache.pop(key).close()
            searcher = None
        if searcher is None:
            for old_key in [k for k in cache if k[0] == key[0]]:
                cache.pop(old_key).close()  # an older generation, swapped out by a rebuild
            searcher = cache[key] = self.open().searcher()
        yield searcher

    @contextmanager
    def rebuilding(self, *, wait: bool) -> Iterator[bool]:
        """Hold the one rebuild of this index (across processes: a lock file). Yields False,
        without waiting, when another process is rebuilding and `wait` is False."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "REBUILD.lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def new_generation(self) -> str:
        name = "gen-" + datetime.now().strftime("%Y%m%dT%H%M%S%f")
        path = self.root / name
        path.mkdir(parents=True)
        index.create_in(str(path), SCHEMA)
        return name

    def activate(self, generation: str) -> None:
        """Make a generation live: one atomic rename of the pointer file."""
        tmp = self._pointer.with_suffix(".tmp")
        tmp.write_text(json.dumps({"generation": generation, "schema_version": SCHEMA_VERSION}))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self._pointer)

    def remove_generations(self, keep: Iterable[str]) -> None:
        keep = set(keep)
        if not self.root.exists():
            return
        for path in self.root.glob("gen-*"):
            if path.name not in keep and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    def generations(self) -> list[str]:
        return sorted(p.name for p in self.root.glob("gen-*") if p.is_dir())

    # ------------------------------------------------------------ writing

    @contextmanager
    def writer(self, generation: str | None = None, *, merge: bool | None = None, **options) -> Iterator:
        """The one writer of a generation: waits for the lock with backoff, never commits
        a writer whose block failed.

        `merge`: None merges only tiny segments (a request's commit then never waits for a
        large merge: merging on every commit made an occasional upload wait seconds), True
        merges as Whoosh does by default (bulk imports, rebuilds); a callable decides at commit.
        """
        ix = index.open_dir(str(self.root / generation)) if generation else self.open()
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                writer = ix.writer(**options)
                break
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        else:
            merge = merge() if callable(merge) else merge
            if merge is None:
                writer.commit(mergetype=_merge_tiny)
            else:
                writer.commit(merge=merge)

    def apply(self, updates: Iterable[SearchEntry], deletes: Iterable[str] = (), generation=None) -> None:
        self.apply_built(lambda: (list(updates), list(deletes)), generation)

    def apply_built(self, build, generation=None) -> tuple[list[SearchEntry], list[str]]:
        """Take the writer lock, then call `build()` for (updates, deletes) and write them.

        Whatever `build` reads from the database it reads after every earlier writer has
        committed, so the last commit for a key always carries the latest state: two flushes
        of one key can no longer land in the wrong order.
        """
        built: list = [[], []]

        def merge() -> bool | None:  # a batch (bulk import) may take the time to merge
            return True if len(built[0]) >= BATCH_MERGE else None

        with self.writer(generation, merge=merge) as writer:
            built[:] = build()
            for key in built[1]:
                writer.delete_by_term("key", key)
            for entry in built[0]:
                writer.update_document(**entry_fields(entry))
        return built[0], built[1]

    def stamps(self) -> dict[str, str]:
        """key -> stamp of every live entry, from two columns (not the stored texts)."""
        with self.searcher() as searcher:
            reader = searcher.reader()
            keys, stamps = list(reader.column_reader("key")), list(reader.column_reader("stamp"))
            return {keys[docnum]: stamps[docnum] for docnum in reader.all_doc_ids()}


def _merge_tiny(writer, segments):
    """A merge policy for single changes: merge only the small segments, once there are
    MERGE_AT of them, so the cost of a merge stays bounded (Whoosh's MERGE_SMALL can take a
    request into merging large segments)."""
    tiny = [segment for segment in segments if segment.doc_count_all() < TINY]
    if len(tiny) < MERGE_AT:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in tiny]
