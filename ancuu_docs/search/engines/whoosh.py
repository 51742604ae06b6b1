"""The Whoosh engine: the embedded, pure-Python default.

Used as it goes fastest: one folded field for the text, tokens from our own analysis
(no Whoosh analyzer chain), every match collected once for the total and the facets (no second
pass), facet and key columns read once per index layout, a searcher kept open per thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Set
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from whoosh import collectors, fields, query, sorting
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import SegmentReader

from .. import analysis
from ..analysis import FACETS, NUMBER_FIELDS, STORED, TEXT, TITLE, TITLE_BOOST, IndexedEntry
from ..syntax import And, AndMaybe, Every, Not, Or, Words
from .base import Candidate, Engine, Filters, Found, Reader, Visibility, Writer

# Segments under TINY documents are merged together once there are MERGE_AT of them.
TINY = 200
MERGE_AT = 12


class Analysed(str):
    """Tokens analysed already, indexed as they are (a string to Whoosh, which tokenizes a
    tuple its own way)."""

    tokens: list

    def __new__(cls, tokens: list) -> Analysed:
        value = super().__new__(cls, "")
        value.tokens = tokens
        return value


class PreAnalysed(Tokenizer):
    """Yields the tokens it is given (indexing); analyses a string the shared way (anything
    Whoosh itself asks, such as `more_like`)."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, mode="", **kwargs):
        tokens = (
            value.tokens
            if isinstance(value, Analysed)
            else analysis.folded_tokens(analysis.normalised(value))
        )
        token = Token(positions, chars, mode=mode, **kwargs)
        for found in tokens:
            token.text = found.text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = found.position
            if chars:
                token.startchar, token.endchar = found.start, found.end
            yield token


def _text(stored: bool) -> fields.TEXT:
    return fields.TEXT(analyzer=PreAnalysed(), stored=stored, phrase=True)


SCHEMA = fields.Schema(
    key=fields.ID(stored=True, unique=True, sortable=True),
    kind=fields.ID(stored=True),
    public=fields.ID(sortable=True),  # "1" on the entries every member reads
    text=_text(False),
    title=_text(True),
    summary=fields.STORED(),
    content=fields.STORED(),
    number=_text(True),
    refs=_text(False),
    doc_type=fields.ID(sortable=True),
    status=fields.ID(sortable=True),
    term=fields.ID(sortable=True),
    year=fields.ID(sortable=True),
    date=fields.DATETIME(sortable=True),
    stamp=fields.ID(sortable=True),
    origin=fields.ID(sortable=True),
    issuer=fields.ID(sortable=True),
)


def _document(entry: IndexedEntry) -> dict:
    document = {
        "key": entry.key,
        "kind": entry.kind,
        "public": "1" if entry.public else "0",
        "date": entry.date,
        "stamp": entry.stamp,
        **entry.facets,
    }
    for name, tokens in entry.tokens.items():
        document[name] = Analysed(tokens)
    for name in STORED:  # indexed fields store the text, the others are only stored
        document[f"_stored_{name}" if name in entry.tokens else name] = entry.stored[name]
    return document


def _storage(path: Path) -> FileStorage:
    """Index files read with ordinary reads: a memory-mapped file that another process
    truncates (a damaged or half-copied segment) kills the reader with SIGBUS, taking every
    web worker down; a read error is an exception we report."""
    return FileStorage(str(path), supports_mmap=False)


# ---------------------------------------------------------------- queries


def compile_query(parsed, *, ranked: bool = True) -> query.Query:
    """Our parsed query as Whoosh's; `ranked`: the query's words in a title add to the score."""
    main = _compiled(parsed.query)
    if ranked and parsed.titled:
        title = query.Or([query.Term(TITLE, term) for term in parsed.titled], boost=TITLE_BOOST)
        return query.AndMaybe(main, title)
    return main


def _compiled(node) -> query.Query:
    if isinstance(node, Words):
        return _words(node)
    if isinstance(node, Every):
        return query.Every()
    if isinstance(node, And):
        return query.And([_compiled(item) for item in node.items])
    if isinstance(node, Or):
        return query.Or([_compiled(item) for item in node.items])
    if isinstance(node, Not):
        return query.Not(_compiled(node.item))
    if isinstance(node, AndMaybe):
        return query.AndMaybe(_compiled(node.required), _compiled(node.optional))
    raise TypeError(node)


def _words(words: Words) -> query.Query:
    terms = words.terms
    if words.prefix:
        parts = [query.Term(TEXT, t) for t in terms[:-1]] + [query.Prefix(TEXT, terms[-1])]
        found = query.And(parts) if len(parts) > 1 else parts[0]
    elif len(terms) == 1:
        found = query.Term(TEXT, terms[0])
    else:
        found = query.Phrase(TEXT, list(terms))
    if not words.numbers:
        return found
    numbers = [
        query.Term(name, n, boost=boost) for name, boost in NUMBER_FIELDS.items() for n in words.numbers
    ]
    return query.Or([found, *numbers])


# ---------------------------------------------------------------- reading


@dataclass
class _Columns:
    """Each docnum's key and facet values, read once per index layout: reading columns one
    value at a time costs more than the search itself on a large archive."""

    keys: list[str]
    docnum_of: dict[str, int]  # a key's live docnum
    doubled: dict[str, list[int]]  # every live docnum of the rare key a race indexed twice
    values: dict[str, list[str]]
    # Live entries not every member reads; a set (Whoosh's collectors take no other), never
    # changed once made.
    restricted: set[int]

    def docnums(self, key: str) -> list[int]:
        if key in self.doubled:
            return self.doubled[key]
        found = self.docnum_of.get(key)
        return [] if found is None else [found]


_COLUMN_CACHE: dict[tuple, _Columns] = {}
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


def _live(reader) -> set[int]:
    """Every live docnum; a segment without deletions is one range, not asked doc by doc."""
    live: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():
            live.update(offset + docnum for docnum in leaf.all_doc_ids())
        else:
            live.update(range(offset, offset + leaf.doc_count_all()))
    return live


def _columns(searcher) -> _Columns:
    reader = searcher.reader()
    # The segments and their deletions fix every docnum: the cache key for this layout.
    state = tuple(_layout(sub) for sub, _offset in reader.leaf_readers())
    cached = _COLUMN_CACHE.get(state)
    if cached is None:
        keys = column_values(reader, "key")
        live = _live(reader)
        # Live documents only: a deleted older version of a key may sit at a higher docnum than
        # its live one (after a merge), and mapping the key to it left the live one unmasked.
        # One int per key, no list each: 20,000 small lists kept the garbage collector busy
        # for 100 ms.
        docnum_of = {keys[docnum]: docnum for docnum in sorted(live)}
        doubled: dict[str, list[int]] = {}
        if len(docnum_of) < len(live):
            for docnum in sorted(live):
                doubled.setdefault(keys[docnum], []).append(docnum)
            doubled = {key: found for key, found in doubled.items() if len(found) > 1}
        public = column_values(reader, "public")
        cached = _Columns(
            keys=keys,
            docnum_of=docnum_of,
            doubled=doubled,
            values={name: column_values(reader, name) for name in FACETS},
            restricted={docnum for docnum in live if public[docnum] != "1"},
        )
        _remember(_COLUMN_CACHE, state, cached, _COLUMN_CACHE_SIZE)
    return cached


class _TopCollectorKeepingDocs(collectors.TopCollector):
    """Whoosh's top-N collector, also keeping the set of every match (for total and facets).

    Every match must reach `_collect`: Whoosh's block-quality skipping and matcher replacement
    (dropping what can no longer reach the top N) would leave matches uncounted, and totals
    and facets wrong by thousands on a large archive.
    """

    def __init__(self, limit: int):
        super().__init__(limit=limit, usequality=False, replace=0)

    def _collect(self, global_docnum, score):
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)

    def results(self):
        results = super().results()
        results.docset = self.docset
        return results


# Each segment's field lengths, read once: BM25 asks the length of every match, and read from
# the file one value at a time (no mmap: see `_storage`) that was a fifth of a search's time.
_SEGMENT_LENGTHS: dict[tuple, list[int]] = {}
_SEGMENT_LENGTHS_SIZE = 256


def _remember_lengths(leaf) -> None:
    """Answer a leaf reader's field lengths from memory (a segment's lengths never change)."""
    segment = _segment(leaf)
    if segment is None:
        return
    read_one = leaf.doc_field_length
    count = leaf.doc_count_all()
    segment_id = segment.segment_id()
    # This reader's own: what the shared cache drops, it still holds while it lives.
    mine: dict[tuple, list[int]] = {}

    def doc_field_length(docnum: int, fieldname: str, default: int = 0) -> int:
        key = (fieldname, default)
        lengths = mine.get(key)
        if lengths is None:
            lengths = _SEGMENT_LENGTHS.get((segment_id, *key))
            if lengths is None:
                lengths = [read_one(d, fieldname, default) for d in range(count)]
                _remember(_SEGMENT_LENGTHS, (segment_id, *key), lengths, _SEGMENT_LENGTHS_SIZE)
            mine[key] = lengths
        return lengths[docnum]

    leaf.doc_field_length = doc_field_length


class WhooshReader(Reader):
    def __init__(self, path: Path):
        self.path = path
        self.searcher = _storage(path).open_index().searcher()
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

    def _restriction(
        self, columns: _Columns, visibility: Visibility, filters: Filters
    ) -> tuple[set[int] | None, Set[int]]:
        """(docnums the filters allow, or None for all; docnums the user may not see)."""
        conditions: list[query.Query] = [query.Term(name, value) for name, value in filters.terms().items()]
        if filters.date_from or filters.date_to:
            start = datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
            end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
            conditions.append(query.DateRange("date", start, end))
        allowed = set(self.searcher.docs_for_query(query.And(conditions))) if conditions else None
        hidden = {docnum for key in visibility.hidden for docnum in columns.docnums(key)}
        if visibility.everything:
            return allowed, hidden
        seen = {docnum for key in visibility.also for docnum in columns.docnums(key)}
        if visibility.kinds:
            of_kinds = query.Or([query.Term("kind", kind) for kind in sorted(visibility.kinds)])
            seen.update(self.searcher.docs_for_query(of_kinds))
        if not visibility.public:
            allowed = seen if allowed is None else allowed & seen
            return allowed, hidden
        if not seen and not hidden:
            return allowed, columns.restricted  # the common case: shared, not copied
        return allowed, (columns.restricted - seen) | hidden

    def search(self, parsed, *, filters, visibility, by_date, offset, limit) -> Found:
        searcher = self.searcher
        columns = _columns(searcher)
        allowed, mask = self._restriction(columns, visibility, filters)
        if allowed is not None and not allowed:
            return Found(total=0, candidates=[], facets={name: {} for name in FACETS})
        wanted = offset + limit
        inner = (
            collectors.SortingCollector(sorting.FieldFacet("date", reverse=True), limit=wanted)
            if by_date
            else _TopCollectorKeepingDocs(limit=wanted)
        )
        collector = collectors.FilterCollector(inner, allow=allowed, restrict=mask or None)
        searcher.search_with_collector(
            compile_query(parsed, ranked=not by_date) if parsed is not None else query.Every(), collector
        )
        results = collector.results()
        # The collector kept every matching docnum: facets are counted from it, so there is
        # no second pass over the matches (Whoosh's own facet collector costs as much as the
        # search itself on a large archive). An empty value (a meeting has no issuer) is none.
        matched = results.docs()
        facets = {
            name: dict(Counter(value for docnum in matched if (value := columns.values[name][docnum])))
            for name in FACETS
        }
        candidates = []
        for i in range(offset, min(results.scored_length(), wanted)):
            docnum = results.docnum(i)
            candidates.append(
                Candidate(
                    key=columns.keys[docnum],
                    score=results.score(i) or 0.0,
                    stored=lambda d=docnum: searcher.stored_fields(d),
                )
            )
        return Found(total=len(matched), candidates=candidates, facets=facets)

    def count(self, parsed, *, visibility) -> int:
        allowed, mask = self._restriction(_columns(self.searcher), visibility, Filters())
        # Unscored: the matching document numbers the user may see.
        return sum(
            1
            for d in self.searcher.docs_for_query(compile_query(parsed, ranked=False))
            if d not in mask and (allowed is None or d in allowed)
        )

    def frequency(self, term: str) -> int:
        return self.searcher.doc_frequency(TEXT, term)

    def terms(self, prefix: str) -> list[tuple[str, int]]:
        reader = self.searcher.reader()
        found = (term.decode() for term in reader.expand_prefix(TEXT, prefix))  # bytes in Whoosh
        return [(term, reader.doc_frequency(TEXT, term)) for term in found]

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def stored(self, key: str) -> dict[str, str] | None:
        live = _columns(self.searcher).docnums(key)
        return self.searcher.stored_fields(live[-1]) if live else None

    def stamps(self) -> dict[str, str]:
        reader = self.searcher.reader()
        keys, stamps = column_values(reader, "key"), column_values(reader, "stamp")
        return {keys[docnum]: stamps[docnum] for docnum in reader.all_doc_ids()}

    def segment_count(self) -> int:
        return len(self.searcher.reader().leaf_readers())


# ---------------------------------------------------------------- writing


class WhooshWriter(Writer):
    def __init__(self, writer):
        self.writer = writer
        self.added = 0

    def update(self, entry: IndexedEntry) -> None:
        self.writer.update_document(**_document(entry))
        self.added += 1

    def add(self, entry: IndexedEntry) -> None:
        self.writer.add_document(**_document(entry))
        self.added += 1

    def delete(self, key: str) -> None:
        self.writer.delete_by_term("key", key)


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


def _raised_in_whoosh(exc: BaseException) -> bool:
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}whoosh{os.sep}" in frame.tb_frame.f_code.co_filename


class WhooshEngine(Engine):
    name = "whoosh"
    # A batch this large (an import) may take the time to merge as Whoosh does.
    BATCH_MERGE = 100

    def create(self, path: Path) -> None:
        _storage(path).create_index(SCHEMA)

    def reader(self, path: Path) -> WhooshReader:
        return WhooshReader(path)

    @contextmanager
    def _whoosh_writer(self, path: Path, lock_timeout: float, **options):
        ix = _storage(path).open_index()
        deadline = time.monotonic() + lock_timeout
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

    @contextmanager
    def writer(self, path: Path, *, lock_timeout: float, bulk: bool | None):
        options = {"limitmb": 64, "procs": 1} if bulk else {}
        with self._whoosh_writer(path, lock_timeout, **options) as writer:
            ours = WhooshWriter(writer)
            yield ours
            # A request's commit never waits for a large merge (merging on every commit made
            # an occasional upload wait seconds); a batch merges as Whoosh does by default.
            if bulk or ours.added >= self.BATCH_MERGE:
                writer.commit(merge=True)
            else:
                writer.commit(mergetype=_merge_tiny)

    def optimize(self, path: Path, *, lock_timeout: float) -> None:
        with self._whoosh_writer(path, lock_timeout) as writer:
            writer.commit(optimize=True)

    def unreadable(self, exc: BaseException) -> bool:
        return _raised_in_whoosh(exc)
