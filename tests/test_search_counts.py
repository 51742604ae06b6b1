"""Totals and facet counts are exact: every readable match is counted, however the engine
scores, on an index large enough for Whoosh to skip low-scoring blocks."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import pytest

from ancuu_docs.search import querying
from ancuu_docs.search.engines.base import EVERYTHING, NOTHING, Visibility
from ancuu_docs.search.querying import Filters
from ancuu_docs.search.store import IndexStore
from ancuu_docs.searchable import SearchEntry
from tests.conftest import SEARCH_BACKENDS

TYPES = ("NQ", "BC", "KH", "TB")
STATUSES = ("approved", "in_review")
FILLER = [
    "công",
    "tác",
    "xây",
    "dựng",
    "đảng",
    "chính",
    "quyền",
    "mặt",
    "trận",
    "đoàn",
    "thể",
    "nhân",
    "dân",
    "khu",
    "vực",
    "tổ",
    "dân",
    "phố",
]


@pytest.fixture(scope="module", params=SEARCH_BACKENDS)
def corpus(request, tmp_path_factory):
    """3,000 short documents: a common phrase with varying weight, rarer words, filler."""
    rng = random.Random(2025)
    entries = []
    for i in range(3000):
        words = ["nghị quyết"] * rng.randint(1, 6) + rng.sample(FILLER, rng.randint(3, len(FILLER)))
        if i % 3 == 0:
            words.append("đất đai")
        if i % 11 == 0:
            words.append("ngân sách")
        rng.shuffle(words)
        entries.append(
            SearchEntry(
                key=f"document:{i + 1}",
                kind="document",
                title=f"Văn bản {i}",
                summary="",
                content=" ".join(words) + " " + " ".join(rng.choices(FILLER, k=rng.randint(0, 200))),
                number="",
                doc_type=TYPES[i % len(TYPES)],
                status=STATUSES[i % 7 == 0],
                term="2025-2030",
                date=datetime(2020 + i % 6, 1 + i % 12, 1),
                stamp=str(i),
                origin="incoming" if i % 3 == 0 else "internal",
                issuer="Thành ủy Huế" if i % 3 == 0 else "",
                public=i % 5 != 0,
            )
        )
    store = IndexStore(tmp_path_factory.mktemp("index"), backend=request.param)
    generation = store.new_generation()
    store.apply(entries, generation=generation)
    store.activate(generation)
    return store, entries


def _seen(entry: SearchEntry, visibility: Visibility) -> bool:
    if entry.key in visibility.hidden:
        return False
    return (
        visibility.everything
        or (visibility.public and entry.public)
        or entry.kind in visibility.kinds
        or entry.key in visibility.also
    )


def _exact(entries, words, visibility):
    matched = [e for e in entries if all(w in e.content for w in words) and _seen(e, visibility)]
    facets = {
        "doc_type": Counter(e.doc_type for e in matched),
        "status": Counter(e.status for e in matched),
        "term": Counter(e.term for e in matched),
        "year": Counter(str(e.date.year) for e in matched),
        "origin": Counter(e.origin for e in matched),
        "issuer": Counter(e.issuer for e in matched if e.issuer),  # ours have none: no value
    }
    return len(matched), {name: dict(counts) for name, counts in facets.items()}


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize(
    ("q", "words"), [("nghị quyết", ["nghị quyết"]), ("dat dai", ["đất đai"]), ("ngân sách", ["ngân sách"])]
)
@pytest.mark.parametrize(
    "reader",
    ["office", "an inactive account", "one who reads every document", "member", "member asked about drafts"],
)
def test_totals_and_facets_count_every_readable_match(corpus, q, words, sort, reader):
    store, entries = corpus
    visibility = {
        "office": EVERYTHING,
        "an inactive account": NOTHING,
        "one who reads every document": Visibility(kinds=frozenset({"document"})),
        "member": Visibility(),  # the public entries: every fifth is not
        # Drafts they were asked about seen, and changes not indexed yet hidden.
        "member asked about drafts": Visibility(
            also=frozenset(e.key for i, e in enumerate(entries) if i % 10 == 0),
            hidden=frozenset(e.key for i, e in enumerate(entries) if i % 7 == 1),
        ),
    }[reader]
    results = querying.search(
        store, q, visibility=visibility, filters=Filters(), sort=sort, page=1, per_page=10
    )
    total, facets = _exact(entries, words, visibility)
    every = sum(1 for e in entries if all(w in e.content for w in words))
    assert total == {"office": every, "one who reads every document": every, "an inactive account": 0}.get(
        reader, total
    )
    assert 0 < total < every or reader not in ("member", "member asked about drafts")
    assert results.total == total
    assert querying.count(store, q, visibility=visibility) == total  # what "did you mean" compares
    assert results.facets == facets
    assert len(results.hits) == min(10, total)
    by_key = {e.key: e for e in entries}
    assert all(_seen(by_key[hit.key], visibility) for hit in results.hits)


@pytest.mark.parametrize("filters", [Filters(doc_type="NQ"), Filters(origin="incoming", status="approved")])
def test_filters_and_drafts_asked_about_combine(corpus, filters):
    """A filter narrows what the reader may see; it never widens it."""
    store, entries = corpus
    visibility = Visibility(
        also=frozenset(e.key for i, e in enumerate(entries) if i % 10 == 0),
        hidden=frozenset(e.key for i, e in enumerate(entries) if i % 7 == 1),
    )
    expected = [
        e
        for e in entries
        if "nghị quyết" in e.content
        and _seen(e, visibility)
        and all(getattr(e, name) == value for name, value in filters.terms().items())
    ]
    results = querying.search(
        store, "nghị quyết", visibility=visibility, filters=filters, sort="relevance", page=1, per_page=100
    )
    assert 0 < results.total == len(expected)
    assert {hit.key for hit in results.hits} <= {e.key for e in expected}
