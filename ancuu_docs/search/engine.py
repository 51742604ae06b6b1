"""The Whoosh index: schema, Vietnamese analysis, one writer at a time, queries, highlights.

This is the only module that imports whoosh. Indexes live in generations under
instance/index/: `CURRENT` names the live one and its schema version; a rebuild writes a new
generation and replaces `CURRENT` atomically, so searches keep answering during a rebuild and
a rebuild that dies halfway leaves the old generation live.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from pathlib import Path

from whoosh import collectors, fields, highlight, index, qparser, query, sorting
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, Tokenizer
from whoosh.index import LockError
from whoosh.support.charset import accent_map

from .text import DOCUMENT_NUMBER, normalise

log = logging.getLogger(__name__)

# Bump whenever the schema or the analysis changes: the application then rebuilds.
SCHEMA_VERSION = 1

# Words, and numbers written the Vietnamese way kept whole: "181,55", "4.817", "05/11/2025".
WORD = r"\d+(?:[.,/]\d+)*|[^\W_]+"


class VietnameseTokenizer(Tokenizer):
    """Normalises (NFC, one tone placement) before splitting: NFD would split "quyết"."""

    def __init__(self, expression: str = WORD):
        self.expression = expression
        self._regex = RegexTokenizer(expression)

    def __eq__(self, other):
        return type(self) is type(other) and self.expression == other.expression

    def __getstate__(self):
        return {"expression": self.expression}

    def __setstate__(self, state):
        self.__init__(state["expression"])

    def __call__(self, value, **kwargs):
        return self._regex(normalise(value), **kwargs)


class KeepDocumentNumbers(Filter):
    """Keep only tokens that are document numbers (they contain a letter), dashes unified."""

    def __call__(self, tokens):
        for token in tokens:
            if any(ch.isalpha() for ch in token.text):
                token.text = token.text.replace("–", "-")
                yield token


# No stop list and no minimum length: "ở", "ý", "an" are real words.
EXACT = VietnameseTokenizer() | LowercaseFilter()
FOLDED = VietnameseTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
NUMBERS = (
    VietnameseTokenizer(DOCUMENT_NUMBER.pattern)
    | KeepDocumentNumbers()
    | LowercaseFilter()
    | CharsetFilter(accent_map)
)


def _text(analyzer, stored=False):
    # Several tokens from one typed word ("46-CT/TW" -> 46, ct, tw) must stand together.
    return fields.TEXT(analyzer=analyzer, stored=stored, phrase=True, multitoken_query="phrase")


SCHEMA = fields.Schema(
    key=fields.ID(stored=True, unique=True, sortable=True),
    kind=fields.ID(stored=True),
    title=_text(EXACT, stored=True),
    title_f=_text(FOLDED),
    summary=_text(EXACT, stored=True),
    summary_f=_text(FOLDED),
    content=_text(EXACT, stored=True),
    content_f=_text(FOLDED),
    number=_text(NUMBERS, stored=True),
    refs=_text(NUMBERS),
    doc_type=fields.ID(stored=True, sortable=True),
    status=fields.ID(stored=True, sortable=True),
    term=fields.ID(stored=True, sortable=True),
    year=fields.ID(stored=True, sortable=True),
    confidential=fields.BOOLEAN(stored=True),
    date=fields.DATETIME(stored=True, sortable=True),
    stamp=fields.ID(stored=True),
)

# Where a typed word is looked for, and how much a match there weighs. Exact (accented)
# fields weigh more than folded ones, so exact matches rank first.
FIELD_BOOSTS = {
    "number": 12.0,
    "refs": 6.0,
    "title": 6.0,
    "title_f": 3.0,
    "summary": 3.0,
    "summary_f": 1.5,
    "content": 2.0,
    "content_f": 1.0,
}
FACETS = ("doc_type", "status", "term", "year")
# Segments under TINY documents are merged together once there are MERGE_AT of them.
TINY = 200
MERGE_AT = 12
BATCH_MERGE = 100


@dataclass(frozen=True)
class IndexEntry:
    """What is written for one searchable object (a document, later a meeting)."""

    key: str
    kind: str
    title: str
    summary: str
    content: str
    number: str
    doc_type: str
    status: str
    term: str
    confidential: bool
    date: datetime
    stamp: str

    def as_fields(self) -> dict:
        refs = " ".join(DOCUMENT_NUMBER.findall(f"{self.title}\n{self.summary}\n{self.content}"))
        return {
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "title_f": self.title,
            "summary": self.summary,
            "summary_f": self.summary,
            "content": self.content,
            "content_f": self.content,
            "number": self.number,
            "refs": refs,
            "doc_type": self.doc_type,
            "status": self.status,
            "term": self.term,
            "year": str(self.date.year),
            "confidential": self.confidential,
            "date": self.date,
            "stamp": self.stamp,
        }


class NeedsRebuild(Exception):
    """There is no usable index of the expected schema version."""


class QueryError(ValueError):
    """The query cannot be understood."""


@dataclass
class Filters:
    doc_type: str | None = None
    status: str | None = None
    term: str | None = None
    date_from: date | None = None
    date_to: date | None = None


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
        merges as Whoosh does by default (bulk imports, rebuilds).
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
            if merge is None:
                writer.commit(mergetype=_merge_tiny)
            else:
                writer.commit(merge=merge)

    def apply(self, updates: Iterable[IndexEntry], deletes: Iterable[str] = (), generation=None) -> None:
        updates = list(updates)
        # A batch (bulk import) may take the time to merge; a single change must not.
        with self.writer(generation, merge=True if len(updates) >= BATCH_MERGE else None) as writer:
            for key in deletes:
                writer.delete_by_term("key", key)
            for entry in updates:
                writer.update_document(**entry.as_fields())

    def stamps(self) -> dict[str, str]:
        """key -> stamp of every entry, to compare with the database."""
        with self.searcher() as searcher:
            return {stored["key"]: stored.get("stamp", "") for stored in searcher.all_stored_fields()}

    # ------------------------------------------------------------ reading

    def search(
        self,
        text: str,
        *,
        hidden_keys: set[str] | None,
        filters: Filters,
        sort: str,
        page: int,
        per_page: int,
    ) -> Results:
        """Hits, total and facet counts, leaving out `hidden_keys` (what the user may not read)."""
        parsed = parse(text)
        with self.searcher() as searcher:
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
            facets = {
                name: dict(Counter(columns.values[name][docnum] for docnum in matched)) for name in FACETS
            }
            start = (page - 1) * per_page
            hits = [
                _hit(results[i], highlighted=parsed is not None)
                for i in range(start, min(len(results), start + per_page))
            ]
            return Results(total=len(matched), hits=hits, facets=facets)

    def count(self, text: str, *, hidden_keys: set[str] | None) -> int:
        parsed = parse(text)
        if parsed is None:
            return 0
        with self.searcher() as searcher:
            _allowed, mask = _restriction(searcher, _columns(searcher), hidden_keys, Filters())
            return len(searcher.search(parsed, limit=1, mask=mask or None))

    def corrections(self, text: str) -> str | None:
        """The query with each unknown word replaced by the closest indexed word (folded)."""
        words = normalise(text).split()
        if not words or len(words) > 12:
            return None
        with self.searcher() as searcher:
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

    def similar(self, key: str, *, hidden_keys: set[str] | None, limit: int = 5) -> list[str]:
        with self.searcher() as searcher:
            columns = _columns(searcher)
            docnum = columns.docnum_of.get(key)
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            text = " ".join([stored.get("title", "")] * 3 + [stored.get("content", "")])
            _allowed, mask = _restriction(searcher, columns, hidden_keys, Filters())
            readable = columns.live - mask - {docnum}
            if not readable:
                return []
            results = searcher.more_like(
                docnum, "content_f", text=text, top=limit, numterms=12, filter=readable
            )
            return [hit["key"] for hit in results]


# ---------------------------------------------------------------- queries

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


def _merge_tiny(writer, segments):
    """A merge policy for single changes: merge only the small segments, once there are
    MERGE_AT of them, so the cost of a merge stays bounded (Whoosh's MERGE_SMALL can take a
    request into merging large segments)."""
    from whoosh.reading import SegmentReader

    tiny = [segment for segment in segments if segment.doc_count_all() < TINY]
    if len(tiny) < MERGE_AT:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in tiny]


class _TopCollectorKeepingDocs(collectors.TopCollector):
    """Whoosh's top-N collector, also keeping the set of every match (for total and facets)."""

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

    docnum_of: dict[str, int]
    values: dict[str, list[str]]
    live: set[int]


_COLUMN_CACHE: dict[tuple, _Columns] = {}
_SEARCHERS = threading.local()
_COLUMN_CACHE_SIZE = 4


def _columns(searcher) -> _Columns:
    reader = searcher.reader()
    # The segments and their deletions fix every docnum: the cache key for this layout.
    state = tuple(
        (sub.segment().segment_id(), sub.segment().deleted_count()) if hasattr(sub, "segment") else id(sub)
        for sub, _offset in reader.leaf_readers()
    )
    cached = _COLUMN_CACHE.get(state)
    if cached is None:
        keys = list(reader.column_reader("key"))
        cached = _Columns(
            docnum_of={key: docnum for docnum, key in enumerate(keys)},
            values={name: list(reader.column_reader(name)) for name in FACETS},
            live=set(reader.all_doc_ids()),
        )
        if len(_COLUMN_CACHE) >= _COLUMN_CACHE_SIZE:
            _COLUMN_CACHE.pop(next(iter(_COLUMN_CACHE)))
        _COLUMN_CACHE[state] = cached
    return cached


def _restriction(
    searcher, columns: _Columns, hidden_keys: set[str] | None, filters: Filters
) -> tuple[set[int] | None, set[int]]:
    """(docnums the filters allow, or None for all; docnums the user may not read)."""
    mask = {columns.docnum_of[key] for key in hidden_keys or () if key in columns.docnum_of}
    conditions = []
    for name in ("doc_type", "status", "term"):
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
