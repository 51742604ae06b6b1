"""Reading a Whoosh index: per-layout columns and lengths kept in memory, and searches
answered with arrays (`whoosh_arrays`).

A searcher is kept open per thread by the store; what depends only on the index's segments
(keys, facet values, which entries every member reads, field lengths) is read once per layout
and shared by the searchers that read it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from whoosh import query
from whoosh.filedb.filestore import FileStorage

from ..analysis import FACETS, TEXT
from .base import Candidate, Filters, Found, Reader, Visibility
from .whoosh_arrays import Arrays, Scored, ranked


def storage(path: Path) -> FileStorage:
    """Index files read with ordinary reads: a memory-mapped file that another process
    truncates (a damaged or half-copied segment) kills the reader with SIGBUS, taking every
    web worker down; a read error is an exception we report."""
    return FileStorage(str(path), supports_mmap=False)


@dataclass
class Columns:
    """What a layout's docnums hold, read once per index layout (its segments and their
    deletions): reading columns one value at a time costs more than the search itself on a
    large archive. Never changed once made, except the arrays filled in on first use."""

    keys: list[str]
    docnum_of: dict[str, int]  # a key's live docnum
    doubled: dict[str, list[int]]  # every live docnum of the rare key a race indexed twice
    live: np.ndarray  # bool per docnum
    public: np.ndarray  # bool per docnum: live, and every member reads it
    # Per facet, its values and each docnum's value as an index into them ("" for none).
    labels: dict[str, list[str]]
    codes: dict[str, np.ndarray]
    lengths: dict[str, np.ndarray] = field(default_factory=dict)  # per field, as BM25 reads them
    dates: np.ndarray | None = None  # per docnum, for sorting by date

    def docnums(self, key: str) -> list[int]:
        if key in self.doubled:
            return self.doubled[key]
        found = self.docnum_of.get(key)
        return [] if found is None else [found]

    def facets(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        """Each facet's values among `docs`, with their counts; an empty value (a meeting
        has no issuer) is none."""
        counted = {}
        for name in FACETS:
            labels = self.labels[name]
            counts = np.bincount(self.codes[name][docs], minlength=len(labels))
            counted[name] = {labels[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist() if labels[i]}
        return counted


_COLUMN_CACHE: dict[tuple, Columns] = {}
_COLUMN_CACHE_SIZE = 4
_CACHES_LOCK = threading.Lock()  # a threaded server's requests fill the caches below together


def _remember(cache: dict, key, value, size: int) -> None:
    """Keep `value` in a bounded cache, dropping the oldest entry when it is full."""
    with _CACHES_LOCK:
        if key not in cache and len(cache) >= size:
            cache.pop(next(iter(cache)), None)
        cache[key] = value


# A segment's columns never change (deletions are kept apart): read once per segment, so a
# commit that adds a small segment reads only that one again (200 ms at 20,000 documents, before).
_SEGMENT_COLUMNS: dict[tuple[str, str], list] = {}
_SEGMENT_COLUMNS_SIZE = 256


def _segment(leaf):
    """A leaf reader's segment; None for a reader with none (an empty index, or one being
    merged away)."""
    return leaf.segment() if hasattr(leaf, "segment") else None


def _leaf_column(leaf, name: str) -> list:
    segment = _segment(leaf)
    if segment is None:
        return list(leaf.column_reader(name))
    key = (segment.segment_id(), name)
    found = _SEGMENT_COLUMNS.get(key)
    if found is None:
        found = list(leaf.column_reader(name))
        _remember(_SEGMENT_COLUMNS, key, found, _SEGMENT_COLUMNS_SIZE)
    return found


def column_values(reader, name: str) -> list:
    """One column's value for every docnum, leaf by leaf: Whoosh's own multi-reader gives up
    (NotImplementedError) when a leaf is empty, as one is for a moment after some merges."""
    values: list = []
    for leaf, offset in reader.leaf_readers():
        if leaf.doc_count_all() == 0:
            continue
        assert offset == len(values), "leaf readers are contiguous"
        values.extend(_leaf_column(leaf, name))
    return values


def _layout(sub) -> tuple | int:
    """A leaf reader's segment and deletions; a reader with no segment (an empty index, or
    one being merged away) is its own layout, never shared."""
    segment = _segment(sub)
    return (segment.segment_id(), segment.deleted_count()) if segment is not None else id(sub)


def _coded(values: list) -> tuple[list[str], np.ndarray]:
    labels = sorted({value or "" for value in values})
    index = {label: i for i, label in enumerate(labels)}
    return labels, np.fromiter((index[value or ""] for value in values), np.int32, len(values))


def _live(reader, size: int) -> np.ndarray:
    """Whether each docnum is live; a segment without deletions is one range, not asked doc
    by doc."""
    live = np.zeros(size, bool)
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():
            live[np.fromiter((offset + docnum for docnum in leaf.all_doc_ids()), np.int64)] = True
        else:
            live[offset : offset + leaf.doc_count_all()] = True
    return live


def columns(searcher) -> Columns:
    reader = searcher.reader()
    # The segments and their deletions fix every docnum: the cache key for this layout.
    state = tuple(_layout(sub) for sub, _offset in reader.leaf_readers())
    cached = _COLUMN_CACHE.get(state)
    if cached is None:
        keys = column_values(reader, "key")
        live = _live(reader, len(keys))
        alive = np.flatnonzero(live).tolist()
        # Live documents only: a deleted older version of a key may sit at a higher docnum than
        # its live one (after a merge), and mapping the key to it left the live one unmasked.
        # One int per key, no list each: 20,000 small lists kept the garbage collector busy
        # for 100 ms.
        docnum_of = {keys[docnum]: docnum for docnum in alive}
        doubled: dict[str, list[int]] = {}
        if len(docnum_of) < len(alive):
            for docnum in alive:
                doubled.setdefault(keys[docnum], []).append(docnum)
            doubled = {key: found for key, found in doubled.items() if len(found) > 1}
        public = np.asarray([value == "1" for value in column_values(reader, "public")], bool)
        coded = {name: _coded(column_values(reader, name)) for name in FACETS}
        cached = Columns(
            keys=keys,
            docnum_of=docnum_of,
            doubled=doubled,
            live=live,
            public=public & live if len(public) else live,
            labels={name: labels for name, (labels, _codes) in coded.items()},
            codes={name: codes for name, (_labels, codes) in coded.items()},
        )
        _remember(_COLUMN_CACHE, state, cached, _COLUMN_CACHE_SIZE)
    return cached


# Each segment's field lengths, read once: BM25 asks the length of every match, and read from
# the file one value at a time (no mmap: see `storage`) that was a fifth of a search's time.
_SEGMENT_LENGTHS: dict[tuple, list[int]] = {}
_SEGMENT_LENGTHS_SIZE = 256


def _remember_lengths(leaf) -> None:
    """Answer a leaf reader's field lengths from memory (a segment's lengths never change):
    `leaf.lengths(fieldname, default)` gives them all."""
    segment = _segment(leaf)
    if segment is None:
        return
    read_one = leaf.doc_field_length
    count = leaf.doc_count_all()
    segment_id = segment.segment_id()
    # This reader's own: what the shared cache drops, it still holds while it lives.
    mine: dict[tuple, list[int]] = {}

    def lengths(fieldname: str, default: int = 0) -> list[int]:
        key = (fieldname, default)
        found = mine.get(key)
        if found is None:
            found = _SEGMENT_LENGTHS.get((segment_id, *key))
            if found is None:
                found = [read_one(d, fieldname, default) for d in range(count)]
                _remember(_SEGMENT_LENGTHS, (segment_id, *key), found, _SEGMENT_LENGTHS_SIZE)
            mine[key] = found
        return found

    leaf.lengths = lengths
    leaf.doc_field_length = lambda docnum, fieldname, default=0: lengths(fieldname, default)[docnum]


def _field_lengths(reader, cached: Columns, name: str) -> np.ndarray:
    """A field's length in every docnum as Whoosh's scorer reads it (1 where none)."""
    found = cached.lengths.get(name)
    if found is None:
        parts = [
            leaf.lengths(name, 1) if hasattr(leaf, "lengths") else [1] * leaf.doc_count_all()
            for leaf, _offset in reader.leaf_readers()
        ]
        found = np.asarray([n for part in parts for n in part], np.float64)
        with _CACHES_LOCK:
            cached.lengths[name] = found
    return found


_EPOCH = datetime(1970, 1, 1)


def _dates(reader, cached: Columns) -> np.ndarray:
    if cached.dates is None:
        values = column_values(reader, "date")
        # Seconds from a fixed date, read as written (`timestamp()` would read a date as local
        # time, where a clock change makes an hour twice); none is the oldest.
        found = np.asarray([(value - _EPOCH).total_seconds() if value else -np.inf for value in values])
        with _CACHES_LOCK:
            cached.dates = found
    return cached.dates


class WhooshReader(Reader):
    def __init__(self, path: Path):
        self.path = path
        self.searcher = storage(path).open_index().searcher()
        for leaf, _offset in self.searcher.reader().leaf_readers():
            _remember_lengths(leaf)
        # A searcher copies its reader's methods when it is made: given the new one again.
        for searcher, _offset in self.searcher.leaf_searchers():
            searcher.doc_field_length = searcher.ixreader.doc_field_length

    def version(self) -> tuple:
        # Its segments and their deletions: what this searcher reads, exactly.
        return (str(self.path), tuple(_layout(sub) for sub, _offset in self.searcher.reader().leaf_readers()))

    def up_to_date(self) -> bool:
        return self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()

    def _arrays(self, cached: Columns) -> Arrays:
        reader = self.searcher.reader()
        return Arrays(self.searcher, cached.live, lambda name: _field_lengths(reader, cached, name))

    def _docnums(self, q: query.Query) -> np.ndarray:
        return np.fromiter(self.searcher.docs_for_query(q), np.int64)

    def _visible(self, cached: Columns, visibility: Visibility, filters: Filters) -> np.ndarray:
        """Whether the reader may see each docnum, and the filters let it through."""
        if visibility.everything:
            visible = cached.live
        elif visibility.public:
            visible = cached.public
        else:
            visible = np.zeros(len(cached.live), bool)
        seen = [docnum for key in visibility.also for docnum in cached.docnums(key)]
        if visibility.kinds and not visibility.everything:
            of_kinds = query.Or([query.Term("kind", kind) for kind in sorted(visibility.kinds)])
            seen.extend(self._docnums(of_kinds).tolist())
        hidden = [docnum for key in visibility.hidden for docnum in cached.docnums(key)]
        conditions: list[query.Query] = [query.Term(name, value) for name, value in filters.terms().items()]
        if filters.date_from or filters.date_to:
            start = datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
            end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
            conditions.append(query.DateRange("date", start, end))
        if not (seen or hidden or conditions):
            return visible  # the common case: shared, not copied
        visible = visible.copy()
        visible[seen] = True
        visible[hidden] = False
        if conditions:
            allowed = np.zeros(len(visible), bool)
            allowed[self._docnums(query.And(conditions))] = True
            visible &= allowed
        return visible

    def _found(self, parsed, cached: Columns, visible: np.ndarray, *, ranked_by_score: bool) -> Scored:
        arrays = self._arrays(cached)
        found = arrays.matches(parsed, ranked=ranked_by_score) if parsed is not None else arrays.every()
        keep = visible[found.docs]
        return Scored(found.docs[keep], found.scores[keep])

    def search(self, parsed, *, filters, visibility, by_date, offset, limit) -> Found:
        cached = columns(self.searcher)
        visible = self._visible(cached, visibility, filters)
        found = self._found(parsed, cached, visible, ranked_by_score=not by_date)
        if by_date:
            # The newest first; on the same date, in the order indexed (as Whoosh sorts).
            order = np.lexsort((found.docs, -_dates(self.searcher.reader(), cached)[found.docs]))
        else:
            order = ranked(found)
        searcher = self.searcher
        candidates = [
            Candidate(
                key=cached.keys[docnum],
                score=0.0 if by_date else float(found.scores[i]),
                stored=lambda d=docnum: searcher.stored_fields(d),
            )
            for i in order[offset : offset + limit].tolist()
            for docnum in (int(found.docs[i]),)
        ]
        return Found(total=len(found), candidates=candidates, facets=cached.facets(found.docs))

    def count(self, parsed, *, visibility) -> int:
        cached = columns(self.searcher)
        visible = self._visible(cached, visibility, Filters())
        return len(self._found(parsed, cached, visible, ranked_by_score=False))

    def frequency(self, term: str) -> int:
        return self.searcher.doc_frequency(TEXT, term)

    def terms(self, prefix: str) -> list[tuple[str, int]]:
        reader = self.searcher.reader()
        found = (term.decode() for term in reader.expand_prefix(TEXT, prefix))  # bytes in Whoosh
        return [(term, reader.doc_frequency(TEXT, term)) for term in found]

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def stored(self, key: str) -> dict[str, str] | None:
        live = columns(self.searcher).docnums(key)
        return self.searcher.stored_fields(live[-1]) if live else None

    def stamps(self) -> dict[str, str]:
        reader = self.searcher.reader()
        keys, stamps = column_values(reader, "key"), column_values(reader, "stamp")
        return {keys[docnum]: stamps[docnum] for docnum in reader.all_doc_ids()}

    def segment_count(self) -> int:
        return len(self.searcher.reader().leaf_readers())
