"""The index on disk: generations, the pointer to the live one, one writer at a time.

Indexes live in generations under instance/index/: `CURRENT` names the live one and its schema
version; a rebuild writes a new generation and replaces `CURRENT` atomically, so searches keep
answering during a rebuild and a rebuild that dies halfway leaves the old generation live.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index, LockError
from whoosh.reading import SegmentReader

from ..searchable import SearchEntry
from .analysis import SCHEMA, SCHEMA_VERSION, entry_fields

# Segments under TINY documents are merged together once there are MERGE_AT of them.
TINY = 200
MERGE_AT = 12
BATCH_MERGE = 100


def column_values(reader, name: str) -> list:
    """One column's value for every docnum, leaf by leaf: Whoosh's own multi-reader gives up
    (NotImplementedError) when a leaf is empty, as one is for a moment after some merges."""
    values: list = []
    for leaf, offset in reader.leaf_readers():
        if leaf.doc_count_all() == 0:
            continue
        assert offset == len(values), "leaf readers are contiguous"
        values.extend(leaf.column_reader(name))
    return values


def _raised_in_whoosh(exc: BaseException) -> bool:
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}whoosh{os.sep}" in frame.tb_frame.f_code.co_filename


def _storage(path: Path) -> FileStorage:
    """Index files read with ordinary reads: a memory-mapped file that another process
    truncates (a damaged or half-copied segment) kills the reader with SIGBUS, taking every
    web worker down; a read error is an exception we report."""
    return FileStorage(str(path), supports_mmap=False)


DAMAGED = "DAMAGED"  # written when a search could not read the files; removed by a rebuild


class NeedsRebuild(Exception):
    """There is no usable index of the expected schema version."""


_SEARCHERS = threading.local()
RETRY_PAUSE = 0.02
OPEN_ATTEMPTS = 5
T = TypeVar("T")


def forget_searchers() -> None:
    """Close this thread's searchers: the next read opens the index anew."""
    cache = _SEARCHERS.__dict__
    for key in list(cache):
        with contextlib.suppress(Exception):  # a reader of files already gone: nothing to keep
            cache.pop(key).close()


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

    def open(self) -> Index:
        """The live generation's index. Whoosh reads the newest table of contents it lists; a
        commit in another process can delete that file between the listing and the reading,
        so a failure is tried again (as Whoosh's own reader() does) before it counts."""
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            generation = self.current_generation()
            if generation is None:
                raise NeedsRebuild(f"no index of schema version {SCHEMA_VERSION}")
            try:
                return _storage(self.root / generation).open_index()
            except Exception as exc:  # missing or damaged files: the index must be built again
                if attempt == OPEN_ATTEMPTS:
                    raise NeedsRebuild(str(exc)) from exc
                time.sleep(RETRY_PAUSE * attempt)
        raise AssertionError("unreachable")

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

    def read(self, work: Callable[[Any], T]) -> T:
        """`work(searcher)` on the live generation.

        A failure to open or read the files is tried once more on a freshly opened searcher:
        a commit or a merge in another process may have just replaced the files this process
        was opening, or a rebuild swapped the generation (not damage, and no reason to answer
        "index not ready"). Failing again, the index is reported as NeedsRebuild, and marked
        damaged when Whoosh could not read its files (the worker rebuilds it on its next round).
        """
        for attempt in (1, 2):
            try:
                with self.searcher() as searcher:
                    return work(searcher)
            except NeedsRebuild:
                if attempt == 2:
                    raise
            except Exception as exc:  # Whoosh raises many kinds (even a bare Exception) on bad files
                if not _raised_in_whoosh(exc):
                    raise  # our own mistake, not the files'
                if attempt == 2:
                    self.mark_damaged(f"{type(exc).__name__}: {exc}")
                    forget_searchers()
                    raise NeedsRebuild(f"index files unreadable: {exc}") from exc
            forget_searchers()
            time.sleep(RETRY_PAUSE)
        raise AssertionError("unreachable")

    def mark_damaged(self, reason: str) -> None:
        (self.root / DAMAGED).write_text(reason[:500])

    def damaged(self) -> str | None:
        try:
            return (self.root / DAMAGED).read_text() or "damaged"
        except OSError:
            return None

    def new_generation(self) -> str:
        name = "gen-" + datetime.now().strftime("%Y%m%dT%H%M%S%f")
        path = self.root / name
        path.mkdir(parents=True)
        _storage(path).create_index(SCHEMA)
        return name

    def activate(self, generation: str) -> None:
        """Make a generation live: one atomic rename of the pointer file (a new generation
        is not damaged)."""
        tmp = self._pointer.with_suffix(".tmp")
        tmp.write_text(json.dumps({"generation": generation, "schema_version": SCHEMA_VERSION}))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self._pointer)
        (self.root / DAMAGED).unlink(missing_ok=True)

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
        ix = _storage(self.root / generation).open_index() if generation else self.open()
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
            keys, stamps = column_values(reader, "key"), column_values(reader, "stamp")
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
