"""The index on disk: generations, the pointer to the live one, one writer at a time.

Indexes live in generations under instance/index/: `CURRENT` names the live one, its schema
version and its engine; a rebuild writes a new generation and replaces `CURRENT` atomically, so
searches keep answering during a rebuild and a rebuild that dies halfway leaves the old
generation live. What is in a generation's folder is the engine's business (`engines/`).
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

from ..searchable import SearchEntry
from . import engines
from .analysis import SCHEMA_VERSION, indexed
from .engines.base import Engine, Reader

DAMAGED = "DAMAGED"  # written when a search could not read the files; removed by a rebuild


class _Retired(Exception):
    """The generation being written is no longer the live one."""


class NeedsRebuild(Exception):
    """There is no usable index of the expected schema version."""


class NoRoom(Exception):
    """The index's disk has not the room a write needs (see `IndexStore.room`)."""


_SEARCHERS = threading.local()
RETRY_PAUSE = 0.02
OPEN_ATTEMPTS = 5
# Free space a write needs on the index's disk: twice the live index (a merge may write the
# whole index anew beside the old), and never less than this.
MIN_ROOM = 8 * 1024 * 1024
T = TypeVar("T")


def forget_searchers() -> None:
    """Close this thread's searchers: the next read opens the index anew."""
    cache = _SEARCHERS.__dict__
    for key in list(cache):
        with contextlib.suppress(Exception):  # a reader of files already gone: nothing to keep
            cache.pop(key).close()


class IndexStore:
    """The generations of the index under one folder, and the pointer to the live one; the
    engine (`SEARCH_BACKEND`) reads and writes each generation's files."""

    def __init__(self, root: str | Path, *, backend: str = "whoosh", lock_timeout: float = 10.0):
        self.root = Path(root)
        self.engine: Engine = engines.get(backend)
        self.lock_timeout = lock_timeout

    # ------------------------------------------------------------ generations

    @property
    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_generation(self) -> str | None:
        """The live generation, if it is of this schema version and this engine (another
        engine's index is rebuilt, as after a schema change)."""
        try:
            info = json.loads(self._pointer.read_text())
        except (OSError, ValueError):
            return None
        if info.get("schema_version") != SCHEMA_VERSION or info.get("backend", "whoosh") != self.engine.name:
            return None
        return info.get("generation")

    def _live(self) -> str:
        generation = self.current_generation()
        if generation is None:
            raise NeedsRebuild(f"no {self.engine.name} index of schema version {SCHEMA_VERSION}")
        return generation

    def open(self) -> Reader:
        """A new reader of the live generation. An engine reads the newest state its files
        list; a commit in another process can delete a file between the listing and the
        reading, so a failure is tried again before it counts."""
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            generation = self._live()
            try:
                return self.engine.reader(self.root / generation)
            except Exception as exc:
                if not self.engine.unreadable(exc):
                    raise  # our own mistake, not the files': a 500 with its trace
                if attempt == OPEN_ATTEMPTS:  # missing or damaged files: to be built again
                    raise NeedsRebuild(str(exc)) from exc
                time.sleep(RETRY_PAUSE * attempt)
        raise AssertionError("unreachable")

    @contextmanager
    def searcher(self) -> Iterator[Reader]:
        """A reader of the live generation, kept open per thread and opened anew when the
        index changed: opening one costs more than many searches."""
        generation = self._live()
        cache = _SEARCHERS.__dict__
        key = (str(self.root), self.engine.name, generation)
        reader = cache.get(key)
        if reader is not None and not reader.up_to_date():
            # Opened anew rather than refreshed: a refreshed Whoosh searcher reuses the readers
            # of segments whose deletions changed, and would show replaced documents twice.
            cache.pop(key).close()
            reader = None
        if reader is None:
            for old_key in [k for k in cache if k[0] == key[0]]:
                cache.pop(old_key).close()  # an older generation, swapped out by a rebuild
            reader = cache[key] = self.open()
        yield reader

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
        """`work(reader)` on the live generation.

        A failure to open or read the files is tried once more on a freshly opened reader:
        a commit or a merge in another process may have just replaced the files this process
        was opening, or a rebuild swapped the generation (not damage, and no reason to answer
        "index not ready"). Failing again, the index is reported as NeedsRebuild, and marked
        damaged when the engine could not read its files (the worker rebuilds it next round).
        """
        for attempt in (1, 2):
            try:
                with self.searcher() as reader:
                    return work(reader)
            except NeedsRebuild:
                if attempt == 2:
                    raise
            except Exception as exc:
                if not self.engine.unreadable(exc):
                    raise  # our own mistake, not the files': a 500 with its trace
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
        self.engine.create(path)
        return name

    def activate(self, generation: str) -> None:
        """Make a generation live: one atomic rename of the pointer file (a new generation
        is not damaged)."""
        tmp = self._pointer.with_suffix(".tmp")
        info = {"generation": generation, "schema_version": SCHEMA_VERSION, "backend": self.engine.name}
        tmp.write_text(json.dumps(info))
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

    def room(self) -> tuple[int, int]:
        """(bytes free on the index's disk, bytes a write needs there): writing with less
        fails halfway; waiting until there is room heals on its own."""
        self.root.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.root).free
        live = self.current_generation()
        size = sum(p.stat().st_size for p in (self.root / live).rglob("*") if p.is_file()) if live else 0
        return free, max(2 * size, MIN_ROOM)

    # ------------------------------------------------------------ writing

    @contextmanager
    def writer(self, generation: str | None = None, *, bulk: bool | None = None) -> Iterator:
        """The one writer of a generation (the live one by default): waits for the lock with
        backoff, never commits a writer whose block failed. `bulk` for rebuilds and imports."""
        path = self.root / (generation or self._live())
        with self.engine.writer(path, lock_timeout=self.lock_timeout, bulk=bulk) as writer:
            yield writer

    def apply(self, updates: Iterable[SearchEntry], deletes: Iterable[str] = (), generation=None) -> None:
        self.apply_built(lambda: (list(updates), list(deletes)), generation)

    def apply_built(self, build, generation=None) -> tuple[list[SearchEntry], list[str]]:
        """Take the writer lock, then call `build()` for (updates, deletes) and write them.

        Whatever `build` reads from the database it reads after every earlier writer has
        committed, so the last commit for a key always carries the latest state: two flushes
        of one key can no longer land in the wrong order.
        """
        free, needed = self.room()
        if free < needed:  # it would fail halfway; the caller tries again when there is room
            raise NoRoom(f"{free // 2**20} MB free on the index's disk, writing needs {needed // 2**20} MB")
        for _attempt in range(3):
            target = generation or self._live()
            try:
                with self.writer(target) as writer:
                    updates, deletes = build()
                    for key in deletes:
                        writer.delete(key)
                    for entry in updates:
                        writer.update(indexed(entry))
                    # A rebuild made another generation live while this one was written: these
                    # changes would be lost with the retired one (and the jobs naming them
                    # deleted). Cancelled, and written again into the live one.
                    if generation is None and self._live() != target:
                        raise _Retired(target)
                return updates, deletes
            except _Retired:
                continue
        raise NeedsRebuild("the live index generation changed three times during one write")

    def optimize(self) -> None:
        """Merge the live generation's segments (after an import): fewer segments, faster
        searches."""
        self.engine.optimize(self.root / self._live(), lock_timeout=self.lock_timeout)

    def stamps(self) -> dict[str, str]:
        """key -> stamp of every live entry."""
        return self.read(lambda reader: reader.stamps())
