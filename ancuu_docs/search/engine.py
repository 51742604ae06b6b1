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
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from pathlib import Path

from whoosh import fields, highlight, index, qparser, query, sorting
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
    def writer(self, generation: str | None = None, **options) -> Iterator:
        """The one writer of a generation: waits for the lock with backoff, never commits
        a writer whose block failed."""
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
            writer.commit()

    def apply(self, updates: Iterable[IndexEntry], deletes: Iterable[str] = (), generation=None) -> None:
        with self.writer(generation) as writer:
            for key in deletes:
                writer.delete_by_term("key", key)
            for entry in updates:
                writer.update_document(**entry.as_fields())

    def stamps(self) -> dict[str, str]:
        """key -> stamp of every entry, to compare with the database."""
        with self.open().searcher() as searcher:
            return {stored["key"]: stored.get("stamp", "") for stored in searcher.all_stored_fields()}

    # ------------------------------------------------------------ reading

    def search(
        self,
        text: str,
        *,
        allowed_keys: set[str] | None,
        filters: Filters,
        sort: str,
        page: int,
        per_page: int,
    ) -> Results:
        parsed = parse(text)
        with self.open().searcher() as searcher:
            restrict = _restriction(searcher, allowed_keys, filters)
            if restrict is not None and not restrict:
                return Results(total=0, hits=[], facets={name: {} for name in FACETS})
            sortedby = None
            if sort == "date" or parsed is None:
                sortedby = sorting.FieldFacet("date", reverse=True)
            results = searcher.search_page(
                parsed if parsed is not None else query.Every(),
                page,
                pagelen=per_page,
                filter=restrict,
                sortedby=sortedby,
                groupedby={name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS},
                terms=parsed is not None,
            )
            facets = {name: dict(results.results.groups(name)) for name in FACETS}
            hits = [_hit(hit, highlighted=parsed is not None) for hit in results]
            return Results(total=results.total, hits=hits, facets=facets)

    def count(self, text: str, *, allowed_keys: set[str] | None) -> int:
        parsed = parse(text)
        if parsed is None:
            return 0
        with self.open().searcher() as searcher:
            restrict = _restriction(searcher, allowed_keys, Filters())
            if restrict is not None and not restrict:
                return 0
            return len(searcher.search(parsed, limit=1, filter=restrict))

    def corrections(self, text: str) -> str | None:
        """The query with each unknown word replaced by the closest indexed word (folded)."""
        words = normalise(text).split()
        if not words or len(words) > 12:
            return None
        with self.open().searcher() as searcher:
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

    def similar(self, key: str, *, allowed_keys: set[str] | None, limit: int = 5) -> list[str]:
        with self.open().searcher() as searcher:
            docnum = searcher.document_number(key=key)
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            text = " ".join([stored.get("title", "")] * 3 + [stored.get("content", "")])
            restrict = _restriction(searcher, allowed_keys, Filters())
            if restrict is not None:
                restrict = set(restrict) - {docnum}
                if not restrict:
                    return []
            results = searcher.more_like(
                docnum, "content_f", text=text, top=limit, numterms=12, filter=restrict
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


def _restriction(searcher, allowed_keys: set[str] | None, filters: Filters) -> set[int] | None:
    """The docnums a search may return: readable (allowed_keys) and matching the filters."""
    conditions = []
    for name in ("doc_type", "status", "term"):
        value = getattr(filters, name)
        if value:
            conditions.append(query.Term(name, value))
    if filters.date_from or filters.date_to:
        start = datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
        end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
        conditions.append(query.DateRange("date", start, end))

    docnums: set[int] | None = None
    if allowed_keys is not None:
        reader = searcher.reader()
        keys = reader.column_reader("key")
        docnums = {
            docnum
            for docnum in range(reader.doc_count_all())
            if keys[docnum] in allowed_keys and not reader.is_deleted(docnum)
        }
    if conditions:
        matching = set(searcher.docs_for_query(query.And(conditions)))
        docnums = matching if docnums is None else docnums & matching
    return docnums


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
