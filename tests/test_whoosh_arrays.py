"""The Whoosh engine answers with arrays read from Whoosh's postings: every query finds the
documents Whoosh's own matchers find, with the same scores, on an index of several segments
with deleted documents."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from whoosh import collectors, query, sorting

from ancuu_docs.search import syntax
from ancuu_docs.search.analysis import NUMBER_FIELDS, TEXT, TITLE, TITLE_BOOST
from ancuu_docs.search.engines.base import EVERYTHING, Filters
from ancuu_docs.search.engines.whoosh_arrays import UnreadablePostings, _blocks
from ancuu_docs.search.engines.whoosh_reader import WhooshReader, storage
from ancuu_docs.search.store import IndexStore
from ancuu_docs.search.syntax import And, AndMaybe, Every, Not, Or, Words
from ancuu_docs.searchable import SearchEntry

WORDS = [
    "nghị",
    "quyết",
    "đất",
    "đai",
    "ngân",
    "sách",
    "nhà",
    "nước",
    "khu",
    "vực",
    "chi",
    "bộ",
    "đảng",
    "viên",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "công",
    "tác",
]
QUERIES = [
    "nghị quyết",
    "dat dai",
    "ngân sách nhà nước",
    "kiem tra giam sat cong tac",
    '"nghị quyết đất đai"',
    '"đất đai về nghị quyết"',
    '"nghị quyết nghị quyết"',
    '"khu vực 3"',
    "nghi*",
    "chi bo*",
    "dat dai OR ngan sach",
    "nghị quyết NOT đất đai",
    "NOT ngân sách",
    "(NOT theo) (NOT về)",
    "NOT đất đai AND NOT khu vực OR ngân sách",
    "ng*",
    "nghị quyết ANDMAYBE ngân sách",
    "(đất đai OR ngân sách) AND quyết",
    "05-NQ/ĐU",
    "khu vực 3",
    "*",
    "không có từ này",
]


def _entry(i: int, rng: random.Random, version: int = 0) -> SearchEntry:
    words = rng.choices(WORDS, k=rng.randint(5, 120))
    return SearchEntry(
        key=f"document:{i}",
        kind="document",
        title=" ".join(rng.sample(WORDS, 3)) + f" khu vực {i % 7}",
        summary="",
        content=" ".join(words)
        + (f" theo Nghị quyết số {i % 9:02d}-NQ/ĐU" if i % 4 == 0 else "")
        + (" về nghị quyết đất đai" * (1 + i % 4) if i % 6 == 0 else "")
        + (" nghị quyết nghị quyết" if i % 10 == 0 else ""),
        number=f"{i % 13:02d}-NQ/ĐU" if i % 5 == 0 else "",
        doc_type=("NQ", "BC", "KH")[i % 3],
        status="approved",
        term="2025-2030",
        # Many share a date: the sort by date must order them as Whoosh does.
        date=datetime(2021 + i % 4, 1 + i % 12, 1),
        stamp=f"{i}.{version}",
        origin="internal",
        issuer="",
        public=True,
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Three segments written one after another, with documents changed since (deleted from
    their old segment)."""
    rng = random.Random(16)
    store = IndexStore(tmp_path_factory.mktemp("index"), backend="whoosh")
    generation = store.new_generation()
    store.apply([_entry(i, rng) for i in range(1, 1201)], generation=generation)
    store.activate(generation)
    store.apply([_entry(i, rng) for i in range(1201, 1261)])
    store.apply([_entry(i, rng, version=1) for i in range(1, 400, 9)], deletes=["document:7"])
    path = store.root / store._live()
    reader = WhooshReader(path)
    assert reader.segment_count() >= 2
    assert reader.searcher.reader().has_deletions()
    return path


def compile_query(parsed, *, ranked: bool = True) -> query.Query:
    """The reference: our parsed query as Whoosh's own; `ranked`: the query's words in a
    title add to the score."""
    main = _compiled(parsed.query)
    if ranked and parsed.titled:
        titles = [query.Term(TITLE, term) for term in parsed.titled]
        # Whoosh drops the boost of an OR of one clause: the one term carries it.
        title = query.Or(titles, boost=TITLE_BOOST) if len(titles) > 1 else titles[0].with_boost(TITLE_BOOST)
        return query.AndMaybe(main, title)
    return main


def _reference_words(words: Words) -> query.Query:
    """Words as Whoosh's own queries, written here rather than taken from the engine: a
    prefix is Whoosh's `Prefix` on the last word, several words a `Phrase`, a number also
    looked for in the number fields."""
    terms = words.terms
    if words.prefix:
        parts = [*(query.Term(TEXT, t) for t in terms[:-1]), query.Prefix(TEXT, terms[-1])]
        found = query.And(parts) if len(parts) > 1 else parts[0]
    else:
        found = query.Term(TEXT, terms[0]) if len(terms) == 1 else query.Phrase(TEXT, list(terms))
    numbers = [
        query.Term(name, n, boost=boost) for name, boost in NUMBER_FIELDS.items() for n in words.numbers
    ]
    return query.Or([found, *numbers]) if numbers else found


def _compiled(node) -> query.Query:
    if isinstance(node, Words):
        return _reference_words(node)
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


def _whoosh_own(path, parsed) -> dict[int, float]:
    """Every match and its score from Whoosh's own matchers, its lengths read from the files,
    every match collected (no block skipping)."""
    searcher = storage(path).open_index().searcher()
    collector = collectors.TopCollector(limit=10**6, usequality=False, replace=0)
    searcher.search_with_collector(compile_query(parsed), collector)
    results = collector.results()
    return {results.docnum(i): results.score(i) for i in range(results.scored_length())}


@pytest.mark.parametrize("q", QUERIES)
def test_the_arrays_find_and_score_what_whoosh_finds(index, q):
    parsed = syntax.parse(q)
    expected = _whoosh_own(index, parsed)
    found = WhooshReader(index).search(
        parsed, filters=Filters(), visibility=EVERYTHING, by_date=False, offset=0, limit=5000
    )
    keys = storage(index).open_index().searcher().reader()
    key_of = {docnum: keys.stored_fields(docnum)["key"] for docnum in expected}
    assert found.total == len(expected)
    assert {c.key for c in found.candidates} == set(key_of.values())
    scores = {c.key: c.score for c in found.candidates}
    for docnum, score in expected.items():
        assert scores[key_of[docnum]] == pytest.approx(score, rel=1e-9), key_of[docnum]
    if "NOT" not in q and q not in {"*", "không có từ này"}:
        assert len({round(score, 9) for score in scores.values()}) > 3  # the lengths tell them apart
    # Ranked as Whoosh ranks: the best first, the same score in the order indexed.
    best = sorted(expected, key=lambda d: (-round(expected[d], 9), d))[:20]
    assert [c.key for c in found.candidates[:20]] == [key_of[d] for d in best]


@pytest.mark.parametrize("q", ["nghị quyết", "dat dai OR ngan sach", '"nghị quyết đất đai"', "*"])
def test_sorted_by_date_as_whoosh_sorts(index, q):
    parsed = syntax.parse(q)
    searcher = storage(index).open_index().searcher()
    results = searcher.search(
        compile_query(parsed, ranked=False), sortedby=sorting.FieldFacet("date", reverse=True), limit=None
    )
    expected = [hit["key"] for hit in results]
    found = WhooshReader(index).search(
        parsed, filters=Filters(), visibility=EVERYTHING, by_date=True, offset=0, limit=5000
    )
    assert [c.key for c in found.candidates] == expected


def test_damaged_postings_are_reported_as_unreadable_not_read_short(index):
    """A posting list cut at a block's end, a damaged block header, or ids beyond the segment:
    each an error the store reports as unreadable files (and the worker rebuilds), never
    fewer matches found in silence."""
    leaf = storage(index).open_index().searcher().reader().leaf_readers()[0][0]
    offset, length = leaf._terms.term_info("words", b"nghi").extent()
    data = leaf._terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
    size = leaf.doc_count_all()
    blocks = list(_blocks(data, size))
    assert len(blocks) > 2 and sum(count for count, _last, _read in blocks) > 256
    first_end = 4 + 4 + abs(int.from_bytes(data[4:8], "big", signed=True))
    damaged = {
        "cut at a block's end": data[:first_end],
        "a header's bytes changed": data[:9] + b"\xff" * 8 + data[17:],
    }
    for what, bytes_ in damaged.items():
        with pytest.raises(UnreadablePostings):
            [read() for _count, _last, read in _blocks(bytes_, size)]
            pytest.fail(f"{what}: read as if whole")
    with pytest.raises(UnreadablePostings):
        list(_blocks(data, blocks[0][1]))  # ids beyond the segment's documents
