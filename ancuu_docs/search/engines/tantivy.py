"""The tantivy engine (Rust), for archives that outgrow Whoosh: the same terms (our analysis,
handed over pre-tokenized), the same parsed queries, facets counted by tantivy's aggregations
and what a reader may not see left out inside the query."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import tantivy
from tantivy import Occur, Query

from ..analysis import FACETS, NUMBER_FIELDS, STORED, TEXT, TITLE, TITLE_BOOST, IndexedEntry
from ..syntax import And, AndMaybe, Every, Not, Or, ParsedQuery, Words
from .base import Candidate, Engine, Filters, Found, IndexFilesUnreadable, Reader, Visibility, Writer

HEAP = 16_000_000  # a request's few changes: the writer's memory before it writes a segment
BULK_HEAP = 128_000_000  # a rebuild or an import
# The key and the stamp in one column: every stamp read by one aggregation.
KEYSTAMP = "keystamp"
FRESH = 2.0  # seconds during which meta.json's stat alone is not trusted
SEPARATOR = "\x1f"
PUBLIC = "public"  # "1" on the entries every member reads


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field(KEYSTAMP, fast=True, tokenizer_name="raw")
    builder.add_text_field("kind", stored=True, tokenizer_name="raw")
    builder.add_text_field(PUBLIC, tokenizer_name="raw", index_option="basic")
    for name in (TEXT, TITLE, *NUMBER_FIELDS):
        builder.add_text_field(name, stored=name in STORED, index_option="position")
    for name in set(STORED) - {TEXT, TITLE, *NUMBER_FIELDS}:  # stored, never looked in
        builder.add_text_field(name, stored=True, index_option="basic")
    for name in FACETS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    builder.add_date_field("date", fast=True, indexed=True)
    return builder.build()


SCHEMA = _schema()


def _tokens(text: str, tokens) -> tantivy.PreTokenizedString:
    return tantivy.PreTokenizedString(
        text, [tantivy.Token(t.text, t.position, t.start, t.end) for t in tokens]
    )


def _document(entry: IndexedEntry) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("key", entry.key)
    document.add_text(KEYSTAMP, f"{entry.key}{SEPARATOR}{entry.stamp}")
    document.add_text("kind", entry.kind)
    document.add_text(PUBLIC, "1" if entry.public else "0")
    for name, tokens in entry.tokens.items():
        document.add_pre_tokenized_text(name, _tokens(entry.stored.get(name, ""), tokens))
    for name in set(STORED) - set(entry.tokens):
        document.add_pre_tokenized_text(name, _tokens(entry.stored[name], []))
    for name, value in entry.facets.items():
        document.add_text(name, value)
    document.add_date("date", entry.date)
    return document


# ---------------------------------------------------------------- queries


def _boosted(q: Query, boost: float) -> Query:
    return q if boost == 1.0 else Query.boost_query(q, boost)


def _prefix(name: str, start: str) -> Query:
    # Our terms are letters and digits (with . , / inside numbers): only "." needs escaping.
    return Query.regex_query(SCHEMA, name, start.replace(".", r"\.") + ".*")


def compile_query(parsed: ParsedQuery, *, ranked: bool = True) -> Query:
    """Our parsed query as tantivy's; `ranked`: the query's words in a title add to the score."""
    main = _compiled(parsed.query)
    if ranked and parsed.titled:
        title = Query.boolean_query(
            [(Occur.Should, Query.term_query(SCHEMA, TITLE, t)) for t in parsed.titled]
        )
        return Query.boolean_query([(Occur.Must, main), (Occur.Should, _boosted(title, TITLE_BOOST))])
    return main


def _words(words: Words) -> Query:
    terms = words.terms
    if words.prefix:
        parts = [Query.term_query(SCHEMA, TEXT, t) for t in terms[:-1]] + [_prefix(TEXT, terms[-1])]
        found = parts[0] if len(parts) == 1 else Query.boolean_query([(Occur.Must, p) for p in parts])
    elif len(terms) == 1:
        found = Query.term_query(SCHEMA, TEXT, terms[0])
    else:
        found = Query.phrase_query(SCHEMA, TEXT, list(terms))
    if not words.numbers:
        return found
    numbers = [
        _boosted(Query.term_query(SCHEMA, name, n), boost)
        for name, boost in NUMBER_FIELDS.items()
        for n in words.numbers
    ]
    return Query.boolean_query([(Occur.Should, q) for q in (found, *numbers)])


def _compiled(node) -> Query:
    if isinstance(node, Words):
        return _words(node)
    if isinstance(node, Every):
        return Query.all_query()
    if isinstance(node, And):
        parts = [
            (Occur.MustNot, _compiled(item.item)) if isinstance(item, Not) else (Occur.Must, _compiled(item))
            for item in node.items
        ]
        return _with_positive(parts)
    if isinstance(node, Or):
        return Query.boolean_query([(Occur.Should, _compiled(item)) for item in node.items])
    if isinstance(node, Not):
        return _with_positive([(Occur.MustNot, _compiled(node.item))])
    if isinstance(node, AndMaybe):
        return Query.boolean_query(
            [(Occur.Must, _compiled(node.required)), (Occur.Should, _compiled(node.optional))]
        )
    raise TypeError(node)


def _with_positive(parts: list) -> Query:
    """Exclusions alone match nothing in tantivy; in our syntax they mean "everything but"."""
    if all(occur == Occur.MustNot for occur, _q in parts):
        parts = [(Occur.Must, Query.all_query()), *parts]
    return Query.boolean_query(parts)


def _restricted(q: Query, filters: Filters, visibility: Visibility) -> Query:
    """The query, within the filters and what the reader may see; the conditions add nothing
    to the score (a draft seen through `also` ranks as it would if public)."""
    conditions = [
        (Occur.Must, Query.term_query(SCHEMA, name, value)) for name, value in filters.terms().items()
    ]
    if filters.date_from or filters.date_to:
        start = datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
        end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
        conditions.append((Occur.Must, Query.range_query(SCHEMA, "date", tantivy.FieldType.Date, start, end)))
    if not visibility.everything:
        seen = []
        if visibility.public:
            seen.append(Query.term_query(SCHEMA, PUBLIC, "1"))
        if visibility.kinds:
            seen.append(Query.term_set_query(SCHEMA, "kind", sorted(visibility.kinds)))
        if visibility.also:
            seen.append(Query.term_set_query(SCHEMA, "key", sorted(visibility.also)))
        if not seen:
            return Query.empty_query()
        conditions.append((Occur.Must, Query.boolean_query([(Occur.Should, part) for part in seen])))
    if visibility.hidden:
        conditions.append((Occur.MustNot, Query.term_set_query(SCHEMA, "key", sorted(visibility.hidden))))
    if not conditions:
        return q
    return Query.boolean_query(
        [(Occur.Must, q), (Occur.Must, Query.const_score_query(_with_positive(conditions), 0.0))]
    )


# ---------------------------------------------------------------- reading


def _meta(path: Path) -> tuple:
    stat = os.stat(path / "meta.json")  # tantivy replaces it atomically on every commit
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _opstamp(path: Path) -> int:
    """The number of the last operation committed, from tantivy's meta.json."""
    return json.loads((path / "meta.json").read_text()).get("opstamp", 0)


# What tantivy says when its files cannot be read (it raises ValueError for every error).
_FILE_ERROR = re.compile(
    r"Io\b|IoError|I/O|[Cc]orrupt|FileDoesNotExist|OpenRead|OpenDirectory|No such file|checksum"
)


def _unreadable(call):
    def wrapped(*args, **kwargs):
        try:
            return call(*args, **kwargs)
        except OSError as exc:  # our own reads of its files (meta.json)
            raise IndexFilesUnreadable(str(exc)) from exc
        except ValueError as exc:
            if _FILE_ERROR.search(str(exc)):
                raise IndexFilesUnreadable(str(exc)) from exc
            raise

    return wrapped


class TantivyReader(Reader):
    @_unreadable
    def __init__(self, path: Path):
        self.path = path
        self.meta = _meta(path)
        self.opstamp = _opstamp(path)
        self.index = tantivy.Index.open(str(path))
        self.index.config_reader(reload_policy="Manual")
        self.index.reload()
        self.searcher = self.index.searcher()

    def version(self) -> tuple:
        return (str(self.path), self.meta, self.opstamp)

    def up_to_date(self) -> bool:
        """A stat of meta.json; read too while it is young, as two commits within one tick of
        the clock could leave the same inode, time and size."""
        try:
            meta = _meta(self.path)
            if meta != self.meta:
                return False
            if time.time() - meta[1] / 1e9 < FRESH:
                return _opstamp(self.path) == self.opstamp
            return True
        except (OSError, ValueError):
            return False

    def close(self) -> None:
        self.searcher = self.index = None

    def _fields(self, address) -> dict[str, str]:
        found = self.searcher.doc(address).to_dict()
        return {name: values[0] for name, values in found.items() if values}

    @_unreadable
    def search(self, parsed, *, filters, visibility, by_date, offset, limit) -> Found:
        q = compile_query(parsed, ranked=not by_date) if parsed else Query.all_query()
        q = _restricted(q, filters, visibility)
        found = self.searcher.search(
            q, limit=max(limit, 1), count=True, offset=offset, order_by_field="date" if by_date else None
        )
        aggregation = {name: {"terms": {"field": name, "size": 65_000}} for name in FACETS}
        buckets = self.searcher.aggregate(q, aggregation) if found.count else {}
        facets = {
            name: {b["key"]: b["doc_count"] for b in buckets.get(name, {}).get("buckets", []) if b["key"]}
            for name in FACETS
        }
        candidates = []
        for order, address in found.hits[:limit]:
            fields = self._fields(address)
            candidates.append(
                Candidate(
                    key=fields["key"],
                    score=0.0 if by_date else float(order),
                    stored=lambda f=fields: f,
                )
            )
        return Found(total=found.count, candidates=candidates, facets=facets)

    @_unreadable
    def count(self, parsed: ParsedQuery, *, visibility) -> int:
        q = _restricted(compile_query(parsed, ranked=False), Filters(), visibility)
        return self.searcher.search(q, limit=1, count=True).count

    @_unreadable
    def frequency(self, term: str) -> int:
        return self.searcher.doc_freq(TEXT, term)

    @_unreadable
    def terms(self, prefix: str) -> list[tuple[str, int]]:
        return list(self.searcher.terms_with_prefix(TEXT, prefix))

    def doc_count(self) -> int:
        return self.searcher.num_docs

    @_unreadable
    def stored(self, key: str) -> dict[str, str] | None:
        found = self.searcher.search(Query.term_query(SCHEMA, "key", key), limit=1)
        return self._fields(found.hits[0][1]) if found.hits else None

    @_unreadable
    def stamps(self) -> dict[str, str]:
        # The term dictionary of the key-and-stamp column, counting live documents only (a
        # deleted entry's term stays until its segment is merged): no limit on its size, where
        # an aggregation stops at 65,000 groups.
        found = self.searcher.terms_with_prefix(KEYSTAMP, "", filter_query=Query.all_query())
        stamps = {}
        for term, live in found:
            if live:
                key, _, stamp = term.partition(SEPARATOR)
                stamps[key] = stamp
        return stamps

    def segment_count(self) -> int:
        return self.searcher.num_segments


# ---------------------------------------------------------------- writing


class TantivyWriter(Writer):
    def __init__(self, writer):
        self.writer = writer

    def update(self, entry: IndexedEntry) -> None:
        self.delete(entry.key)
        self.add(entry)

    def add(self, entry: IndexedEntry) -> None:
        self.writer.add_document(_document(entry))

    def delete(self, key: str) -> None:
        self.writer.delete_documents_by_term("key", key)


class TantivyEngine(Engine):
    name = "tantivy"

    def create(self, path: Path) -> None:
        tantivy.Index(SCHEMA, path=str(path), reuse=False)

    def reader(self, path: Path) -> TantivyReader:
        return TantivyReader(path)

    def _open_writer(self, path: Path, lock_timeout: float, heap: int):
        index = tantivy.Index.open(str(path))
        deadline = time.monotonic() + lock_timeout
        delay = 0.02
        while True:
            try:
                return index.writer(heap, 1)
            except ValueError:  # another process holds the writer's lock file
                if time.monotonic() >= deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextmanager
    def writer(self, path: Path, *, lock_timeout: float, bulk: bool | None):
        writer = self._open_writer(path, lock_timeout, BULK_HEAP if bulk else HEAP)
        try:
            yield TantivyWriter(writer)
            writer.commit()
        except BaseException:
            # A failed block or commit (a full disk) leaves no file behind: tantivy removes
            # the files no committed segment uses.
            for step in (writer.rollback, writer.garbage_collect_files, writer.wait_merging_threads):
                with contextlib.suppress(Exception):
                    step()
            raise
        # Merges run in tantivy's threads; waiting for them releases the lock with the index
        # in its merged shape, and lets old files go.
        writer.wait_merging_threads()

    def optimize(self, path: Path, *, lock_timeout: float) -> None:
        """tantivy merges on its own after each commit (its log merge policy) and tantivy-py
        has no call to merge more: only the files no segment uses any more are removed."""
        writer = self._open_writer(path, lock_timeout, HEAP)
        writer.garbage_collect_files()
        writer.wait_merging_threads()

    def unreadable(self, exc: BaseException) -> bool:
        return isinstance(exc, IndexFilesUnreadable)
