"""Asking the index, whatever the engine: hits in rank order with exact spellings first,
totals, facets, highlights, suggestions and similar documents, leaving out what the user may
not read."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import astuple, dataclass, field

from ..text import normalise
from . import analysis, snippets, syntax
from .engines.base import Candidate, Filters, Reader, Visibility
from .store import IndexStore
from .syntax import QueryError

__all__ = ["Filters", "Hit", "QueryError", "Results", "corrections", "count", "search", "similar"]

# Exact spellings are looked for among this many of the best matches (the first pages).
RERANK = 50


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
    times. Keyed by the index as it is (its generation folder and the commit the reader
    sees: any commit or rebuild makes new keys, so nothing stale is ever served), the query as
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


def search(
    store: IndexStore,
    text: str,
    *,
    visibility: Visibility,
    filters: Filters,
    sort: str,
    page: int,
    per_page: int,
) -> Results:
    """Hits, total and facet counts of what `visibility` lets this user see.

    A read error from the index files (a truncated or damaged segment) is reported as
    NeedsRebuild, and the index marked damaged for the worker to rebuild."""
    parsed = syntax.parse(text)
    asked = (" ".join(normalise(text or "").split()), astuple(filters), sort, page, per_page, visibility)

    def cached(reader: Reader):
        # The reader's own index state (its generation, even if a rebuild swapped the live
        # one a moment ago, and its commit): the index exactly as this answer reads it.
        key = (reader.version(), *asked)
        found = RESULTS_CACHE.get(key)
        if found is None:
            found = _search(reader, parsed, visibility, filters, sort, page, per_page)
            RESULTS_CACHE.put(key, found)
        return found

    return store.read(cached)


def _search(
    reader: Reader, parsed, visibility: Visibility, filters: Filters, sort: str, page: int, per_page: int
) -> Results:
    by_date = sort == "date" or parsed is None
    start = (page - 1) * per_page
    rerank = bool(parsed is not None and parsed.exact and not by_date and start < RERANK)
    if rerank:  # the whole window, so every page of it is cut from the same order
        offset, limit = 0, max(RERANK, start + per_page)
    else:
        offset, limit = start, per_page
    found = reader.search(
        parsed, filters=filters, visibility=visibility, by_date=by_date, offset=offset, limit=limit
    )
    candidates = found.candidates
    if rerank:
        candidates = exact_first(candidates[:RERANK], parsed.exact) + candidates[RERANK:]
        candidates = candidates[start : start + per_page]
    pattern = snippets.matcher(*syntax.matched_terms(parsed))
    hits = [_hit(candidate, pattern, highlighted=parsed is not None) for candidate in candidates]
    return Results(total=found.total, hits=hits, facets=found.facets)


def exact_first(candidates: list[Candidate], exact: tuple[str, ...]) -> list[Candidate]:
    """The reader typed diacritics, and "đất" is not "đạt": among the best matches, those
    with more of the typed spellings come first, by score within each."""
    patterns = [re.compile(rf"(?<!\w){re.escape(word)}(?!\w)") for word in exact]

    def spellings(candidate: Candidate) -> int:
        stored = candidate.stored()
        text = "\n".join(stored.get(name) or "" for name in ("title", "summary", "content")).lower()
        return sum(1 for pattern in patterns if pattern.search(text))

    ranked = [(spellings(c), c) for c in candidates]
    return [c for _n, c in sorted(ranked, key=lambda pair: (-pair[0], -pair[1].score))]


def _hit(candidate: Candidate, pattern, *, highlighted: bool) -> Hit:
    stored = candidate.stored()
    title, content = stored.get("title") or "", stored.get("content") or ""
    lead = snippets.lead(stored.get("summary") or content)
    if not highlighted:  # browsing without words: nothing to mark
        return Hit(
            key=candidate.key, score=0.0, title_html=snippets.lead(title, limit=10_000), content_html=lead
        )
    return Hit(
        key=candidate.key,
        score=round(candidate.score, 4),
        title_html=snippets.title(title, pattern),
        content_html=snippets.passages(content, pattern) or lead,
    )


def count(store: IndexStore, text: str, *, visibility: Visibility) -> int:
    parsed = syntax.parse(text)
    if parsed is None:
        return 0
    return store.read(lambda reader: reader.count(parsed, visibility=visibility))


def corrections(store: IndexStore, text: str) -> str | None:
    """The query with each unknown word replaced by the closest indexed word (folded): within
    two edits, the same first letter, the most frequent of the closest."""
    words = normalise(text).split()
    if not words or len(words) > 12:
        return None

    def work(reader: Reader):
        changed, out = False, []
        for word in words:
            folded = "".join(analysis.terms(word))
            if (
                word in syntax.OPERATORS
                or not folded
                or not word.isalpha()  # quoted, starred, numbers: left as typed
                or reader.frequency(folded) > 0
            ):
                out.append(word)
                continue
            best = _closest(folded, reader.terms(folded[0]))
            out.append(best or word)
            changed = changed or best is not None
        return " ".join(out) if changed else None

    return store.read(work)


def _closest(word: str, known: list[tuple[str, int]], most: int = 2) -> str | None:
    scored = [
        (distance, -frequency, term)
        for term, frequency in known
        if frequency > 0
        and abs(len(term) - len(word)) <= most
        and (distance := _distance(word, term, most)) <= most
    ]
    return min(scored)[2] if scored else None


def _distance(a: str, b: str, most: int) -> int:
    """Levenshtein distance, given up past `most`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > most:
            return most + 1
        previous = current
    return previous[-1]


def similar(store: IndexStore, key: str, *, visibility: Visibility, limit: int = 5) -> list[str]:
    """Entries sharing the most telling words of this one's title and text (its words weighed
    by how rare they are), among what the user may read."""

    def work(reader: Reader):
        stored = reader.stored(key)
        if not stored:
            return []
        text = " ".join([stored.get("title") or ""] * 3 + [(stored.get("content") or "")[:20_000]])
        frequencies = Counter(t for t in analysis.terms(text) if len(t) > 1 and not t.isdigit())
        total = max(reader.doc_count(), 1)
        weights = []
        for term, tf in frequencies.most_common(200):
            df = reader.frequency(term)
            if 0 < df < total:
                weights.append((tf * math.log(total / df), term))
        telling = [term for _w, term in sorted(weights, reverse=True)[:12]]
        if not telling:
            return []
        query = syntax.ParsedQuery(syntax.Or(tuple(syntax.Words((t,)) for t in telling)))
        found = reader.search(
            query,
            filters=Filters(),
            visibility=visibility.without(key),
            by_date=False,
            offset=0,
            limit=limit,
        )
        return [candidate.key for candidate in found.candidates]

    return store.read(work)
