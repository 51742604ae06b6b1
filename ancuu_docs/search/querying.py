"""Asking the index: parsing what members type, hits, totals, facets, highlights, suggestions
and similar documents, leaving out what the user may not read."""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import astuple, dataclass, field
from datetime import date, datetime
from html import escape

from whoosh import collectors, highlight, qparser, query, sorting

from ..text import normalise
from .analysis import FACETS, FIELD_BOOSTS, FOLDED, SCHEMA
from .store import IndexStore, column_values


class QueryError(ValueError):
    """The query cannot be understood."""


@dataclass
class Filters:
    doc_type: str | None = None
    status: str | None = None
    term: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    origin: str | None = None
    issuer: str | None = None


@dataclass
class Hit:
    key: str
    score: float
    title_html: str
    content_html: str


@dataclass
class Results:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class ResultsCache:
    """The last answers, per process: a conference morning asks for the new resolution fifty
    times. Keyed by the index as it is (its folder, generation and table of contents: any
    commit or rebuild makes new keys, so nothing stale is ever served), the query as
    normalised, the filters, the page and what this reader may not see (readers who may see
    the same share answers). Bounded: the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, Results] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Results | None:
        if self.size <= 0:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple, results: Results) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = results
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


RESULTS_CACHE = ResultsCache(256)


def configure_cache(size: int) -> None:
    """How many answers this process keeps (SEARCH_RESULTS_CACHE; 0 keeps none)."""
    RESULTS_CACHE.size = size
    RESULTS_CACHE.clear()


def _index_folder(searcher) -> str:
    return str(searcher._ix.storage.folder)  # Whoosh keeps the index a searcher came from here


def search(
    store: IndexStore,
    text: str,
    *,
    hidden_keys: set[str] | None,
    filters: Filters,
    sort: str,
    page: int,
    per_page: int,
) -> Results:
    """Hits, total and facet counts, leaving out `hidden_keys` (what the user may not read).

    A read error from the index files (a truncated or damaged segment) is reported as
    NeedsRebuild, and the index marked damaged for the worker to rebuild."""
    parsed = parse(text)
    visibility = None if hidden_keys is None else frozenset(hidden_keys)
    asked = (" ".join(normalise(text or "").split()), astuple(filters), sort, page, per_page, visibility)

    def cached(searcher):
        # The searcher's own folder (its generation, even if a rebuild swapped the live one
        # a moment ago) and table of contents: the index exactly as this answer reads it.
        key = (_index_folder(searcher), searcher.reader().generation(), *asked)
        found = RESULTS_CACHE.get(key)
        if found is None:
            found = work(searcher)
            RESULTS_CACHE.put(key, found)
        return found

    def work(searcher):
        columns = _columns(searcher)
        allowed, mask = _restriction(searcher, columns, hidden_keys, filters)
        if allowed is not None and not allowed:
            return Results(total=0, hits=[], facets={name: {} for name in FACETS})
        by_date = sort == "date" or parsed is None
        inner = (
            collectors.SortingCollector(sorting.FieldFacet("date", reverse=True), limit=page * per_page)
            if by_date
            else _TopCollectorKeepingDocs(limit=page * per_page)
        )
        collector = collectors.FilterCollector(inner, allow=allowed, restrict=mask or None)
        searcher.search_with_collector(parsed if parsed is not None else query.Every(), collector)
        results = collector.results()
        # The collector kept every matching docnum: facets are counted from it, so there
        # is no second pass over the matches (Whoosh's own facet collector costs as much
        # as the search itself on a large archive).
        matched = results.docs()
        # An empty value (a meeting has no issuer) is no facet value.
        facets = {
            name: dict(Counter(value for docnum in matched if (value := columns.values[name][docnum])))
            for name in FACETS
        }
        start = (page - 1) * per_page
        hits = [
            _hit(results[i], highlighted=parsed is not None)
            for i in range(start, min(results.scored_length(), start + per_page))
        ]
        return Results(total=len(matched), hits=hits, facets=facets)

    return store.read(cached)


def count(store: IndexStore, text: str, *, hidden_keys: set[str] | None) -> int:
    parsed = parse(text)
    if parsed is None:
        return 0

    def work(searcher):
        _allowed, mask = _restriction(searcher, _columns(searcher), hidden_keys, Filters())
        # Unscored: the matching document numbers, less what the user may not read.
        return sum(1 for docnum in searcher.docs_for_query(parsed) if docnum not in mask)

    return store.read(work)


def corrections(store: IndexStore, text: str) -> str | None:
    """The query with each unknown word replaced by the closest indexed word (folded)."""
    words = normalise(text).split()
    if not words or len(words) > 12:
        return None

    def work(searcher):
        corrector = searcher.corrector("content_f")
        reader = searcher.reader()
        changed, out = False, []
        for word in words:
            folded = "".join(t.text for t in FOLDED(word))
            if (
                word in _OPERATORS
                or not folded
                or not word.isalpha()  # quoted, starred, numbers: left as typed
                or reader.frequency("content_f", folded) > 0
            ):
                out.append(word)
                continue
            suggestions = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
            if suggestions:
                out.append(suggestions[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None

    return store.read(work)


def similar(store: IndexStore, key: str, *, hidden_keys: set[str] | None, limit: int = 5) -> list[str]:
    def work(searcher):
        columns = _columns(searcher)
        live = columns.docnums_of.get(key)
        if not live:
            return []
        docnum = live[-1]
        stored = searcher.stored_fields(docnum)
        text = " ".join([stored.get("title", "")] * 3 + [stored.get("content", "")])
        _allowed, mask = _restriction(searcher, columns, hidden_keys, Filters())
        readable = columns.live - mask - {docnum}
        if not readable:
            return []
        results = searcher.more_like(docnum, "content_f", text=text, top=limit, numterms=12, filter=readable)
        return [hit["key"] for hit in results]

    return store.read(work)


_PARSER = qparser.MultifieldParser(list(FIELD_BOOSTS), SCHEMA, fieldboosts=FIELD_BOOSTS)
# Members type plain words: no field:value, ranges, boosts or single quotes, so nothing
# they type can reach a field they do not see or raise an error.
for _plugin in (qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin, qparser.SingleQuotePlugin):
    _PARSER.remove_plugin_class(_plugin)


_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


_QUERY_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')


def group_words(text: str) -> str:
    """Words between operators stand together: "ngân sách OR trật tự" means
    (ngân sách) OR (trật tự), since Vietnamese words span syllables. Whoosh alone would
    read ngân AND (sách OR trật) AND tự. Parentheses typed by the user are left alone."""
    tokens = _QUERY_TOKEN.findall(text)
    if "(" in tokens or ")" in tokens or not any(t in _OPERATORS for t in tokens):
        return text
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, None]:
        if token is None or token in _OPERATORS:
            if run:
                out.append(f"({' '.join(run)})" if len(run) > 1 else run[0])
                run = []
            if token is not None:
                out.append(token)
        else:
            run.append(token)
    return " ".join(out)


def parse(text: str) -> query.Query | None:
    """Every word required; "phrases", OR, NOT, prefix*. None for an empty query.

    No -word: a hyphen belongs to document numbers ("46-CT/TW").
    """
    text = normalise(text or "").strip()
    if not text:
        return None
    try:
        parsed = _PARSER.parse(group_words(text))
    except Exception as exc:  # whoosh raises many kinds on strange input
        raise QueryError(str(exc)) from exc
    if parsed is query.NullQuery:
        raise QueryError("no searchable word")
    return parsed


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


@dataclass
class _Columns:
    """Each docnum's key and facet values, read once per index state: reading columns one
    value at a time costs more than the search itself on a large archive."""

    docnums_of: dict[str, list[int]]  # every live docnum of a key (one, unless a race doubled it)
    values: dict[str, list[str]]
    live: set[int]


_COLUMN_CACHE: dict[tuple, _Columns] = {}
_COLUMN_CACHE_SIZE = 4


def _layout(sub) -> tuple | int:
    """A leaf reader's segment and deletions; a reader with no segment (an empty index, or
    one being merged away) is its own layout, never shared."""
    segment = sub.segment() if hasattr(sub, "segment") else None
    return (segment.segment_id(), segment.deleted_count()) if segment is not None else id(sub)


def _columns(searcher) -> _Columns:
    reader = searcher.reader()
    # The segments and their deletions fix every docnum: the cache key for this layout.
    state = tuple(_layout(sub) for sub, _offset in reader.leaf_readers())
    cached = _COLUMN_CACHE.get(state)
    if cached is None:
        keys = column_values(reader, "key")
        live = set(reader.all_doc_ids())
        # Live documents only: a deleted older version of a key may sit at a higher docnum than
        # its live one (after a merge), and mapping the key to it left the live one unmasked.
        docnums: dict[str, list[int]] = {}
        for docnum, key in enumerate(keys):
            if docnum in live:
                docnums.setdefault(key, []).append(docnum)
        cached = _Columns(
            docnums_of=docnums,
            values={name: column_values(reader, name) for name in FACETS},
            live=live,
        )
        if len(_COLUMN_CACHE) >= _COLUMN_CACHE_SIZE:
            _COLUMN_CACHE.pop(next(iter(_COLUMN_CACHE)))
        _COLUMN_CACHE[state] = cached
    return cached


def _restriction(
    searcher, columns: _Columns, hidden_keys: set[str] | None, filters: Filters
) -> tuple[set[int] | None, set[int]]:
    """(docnums the filters allow, or None for all; docnums the user may not read)."""
    mask = {docnum for key in hidden_keys or () for docnum in columns.docnums_of.get(key, ())}
    conditions = []
    for name in ("doc_type", "status", "term", "origin", "issuer"):
        value = getattr(filters, name)
        if value:
            conditions.append(query.Term(name, value))
    if filters.date_from or filters.date_to:
        start = datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
        end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
        conditions.append(query.DateRange("date", start, end))
    allowed = set(searcher.docs_for_query(query.And(conditions))) if conditions else None
    return allowed, mask


class MarkFormatter(highlight.Formatter):
    """Matched words in <mark>, everything else HTML-escaped."""

    between = " … "

    def _text(self, text):
        return escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return "<mark>" + escape(highlight.get_text(text, token, replace), quote=False) + "</mark>"


TITLE_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.WholeFragmenter(charlimit=None), formatter=MarkFormatter()
)
CONTENT_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.ContextFragmenter(maxchars=240, surround=60, charlimit=100_000),
    formatter=MarkFormatter(),
)


def _hit(hit, *, highlighted: bool) -> Hit:
    title, content = hit.get("title", ""), hit.get("content", "")
    lead = _lead(hit.get("summary") or content)
    if not highlighted:  # browsing without words: nothing to mark
        return Hit(key=hit["key"], score=0.0, title_html=escape(title, quote=False), content_html=lead)
    return Hit(
        key=hit["key"],
        score=round(hit.score or 0.0, 4),
        title_html=_highlight(hit, "title_f", title, TITLE_HIGHLIGHTER),
        content_html=_highlight(hit, "content_f", content, CONTENT_HIGHLIGHTER) or lead,
    )


def _highlight(hit, fieldname: str, text: str, highlighter) -> str:
    # Highlighting runs the folded analyzer over the stored (accented) text, so both exact
    # and accent-free matches are marked in the original words.
    marked = highlighter.highlight_hit(hit, fieldname, text=text, top=2) if text else ""
    if fieldname == "title_f" and not marked:
        return escape(text, quote=False)
    return marked


def _lead(text: str, limit: int = 240) -> str:
    text = " ".join((text or "").split())
    return escape(text[:limit] + ("…" if len(text) > limit else ""), quote=False)
