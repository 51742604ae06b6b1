"""Whoosh's postings read as arrays, and a query's matches found and scored with numpy.

Whoosh's own matchers walk every posting of every term in Python, one call per posting: at
20,000 documents, finding and scoring the 12,000 matches of "kiem tra giam sat" took 150 ms.
Here a term's posting blocks are read in one go from Whoosh's files into arrays, and AND, OR,
NOT, numbers and the title's boost are set operations and vector arithmetic, scored as
Whoosh's BM25F scores them (a test compares every score with Whoosh's matchers). Plain words
read the `words` field, the text's words again without positions, whose blocks unpickle
five times faster. Phrases and prefixes, which need positions or expand into many terms, are
matched by Whoosh itself and their matches read into arrays.

A prefix's words are given to Whoosh as its own query (`_words`); tests compare every
answer with Whoosh's own query of the same meaning.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from io import BytesIO

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.system import _INT_SIZE, unpack_int

from ..analysis import NUMBER_FIELDS, TEXT, TITLE, TITLE_BOOST
from ..syntax import And, AndMaybe, Every, Not, Or, Words

WORDS = "words"  # the text's folded words again, without positions: plain words are read here
_BM25 = BM25F()  # Whoosh's default weighting, whose parameters we score with


@dataclass(frozen=True)
class Scored:
    """Matching docnums (sorted, unique) and their scores."""

    docs: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.docs)


NONE = Scored(np.zeros(0, np.int64), np.zeros(0))


def both(a: Scored, b: Scored) -> Scored:
    docs, in_a, in_b = np.intersect1d(a.docs, b.docs, assume_unique=True, return_indices=True)
    return Scored(docs, a.scores[in_a] + b.scores[in_b])


def either(a: Scored, b: Scored) -> Scored:
    docs = np.union1d(a.docs, b.docs)
    scores = np.zeros(len(docs))
    scores[np.searchsorted(docs, a.docs)] += a.scores
    scores[np.searchsorted(docs, b.docs)] += b.scores
    return Scored(docs, scores)


def without(a: Scored, b: Scored) -> Scored:
    keep = ~np.isin(a.docs, b.docs, assume_unique=True)
    return Scored(a.docs[keep], a.scores[keep])


def maybe(a: Scored, b: Scored) -> Scored:
    """`a`, with `b`'s scores added where both match."""
    _docs, in_a, in_b = np.intersect1d(a.docs, b.docs, assume_unique=True, return_indices=True)
    scores = a.scores.copy()
    scores[in_a] += b.scores[in_b]
    return Scored(a.docs, scores)


def boosted(found: Scored, boost: float) -> Scored:
    return found if boost == 1.0 else Scored(found.docs, found.scores * boost)


# ---------------------------------------------------------------- Whoosh's query for a word


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


# ---------------------------------------------------------------- postings


class UnreadablePostings(Exception):
    """Whoosh's posting files hold what Whoosh cannot have written (a damaged or truncated
    segment): reported as unreadable files, as Whoosh's own errors are."""


def _damaged(what: str, exc: BaseException | None = None) -> UnreadablePostings:
    return UnreadablePostings(f"{what}: {exc}" if exc else what)


def _blocks(data: bytes, size: int):
    """(count, last id, a function reading the block) of each block of one term's postings,
    from the bytes Whoosh wrote (`W3PostingsWriter._write_block`): a block's length (negative
    for the last), its pickled info, its pickled and maybe compressed data. A block is read
    only when asked: a phrase skips those it needs nothing of. `size`: the segment's number
    of documents, which no id reaches."""
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise _damaged("not a Whoosh 3 posting list")
    stream = BytesIO(data)
    view = memoryview(data)
    position = 4
    while position < len(data):
        try:
            (length,) = unpack_int(data[position : position + _INT_SIZE])
            start = position + _INT_SIZE
            stream.seek(start)
            count, last, _max_weight, compression, _min, _max = pickle.load(stream)
            position = start + abs(length)
            whole = position <= len(data) and 0 < count <= last + 1 <= size
        except Exception as exc:  # whatever unpickling damaged bytes raises
            raise _damaged("a posting block's header", exc) from exc
        if not whole:
            raise _damaged("a posting block beyond its list or its segment")
        block = view[stream.tell() : position]
        yield count, last, lambda b=block, c=compression, n=count, m=last: _block(b, c, n, m)
        if length < 0:
            return
    raise _damaged("a posting list cut short")


def _block(data, compression: int, count: int, last: int) -> tuple[np.ndarray, object, object]:
    """A block's ids (as docnums), weights and values, checked against its header."""
    try:
        deltas, weights, values = pickle.loads(zlib.decompress(data) if compression else data)
        ids = np.cumsum(np.asarray(deltas, np.int64))  # each id after the first is a gap
        holds = len(ids) == count and ids[-1] == last and ids[0] >= 0 and np.all(ids[1:] > ids[:-1])
        weighed = weights is None or isinstance(weights, (int, float)) or len(weights) == count
        # Values of a fixed size are one string (the words' frequencies), others one each.
        valued = values is None or isinstance(values, bytes) or len(values) == count
    except Exception as exc:  # whatever unpickling damaged bytes raises
        raise _damaged("a posting block", exc) from exc
    if not (holds and weighed and valued):
        raise _damaged("a posting block that does not hold what its header says")
    return ids, weights, values


def _term_blocks(leaf, field: str, text: str):
    """A term's posting blocks in one segment, deleted documents included, as `_blocks`
    gives them; the postings Whoosh keeps in the term's entry (a term of one document) are
    one block of ids that are not gaps."""
    terms = getattr(leaf, "_terms", None)  # a reader of no segment (an empty index) has none
    if terms is None:
        return
    try:
        info = terms.term_info(field, text.encode())
    except (TermNotFound, KeyError):
        return
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        block = (np.asarray(ids, np.int64), weights, values)
        yield len(ids), ids[-1], lambda: block
        return
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh reads it back as the tuple `struct.unpack` gives
        (length,) = length
    data = terms._postfile.get(offset, length)
    if len(data) != length:
        raise _damaged("a posting list cut short")
    yield from _blocks(data, leaf.doc_count_all())


def leaf_postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's docnums and weights (its frequency in each) in one segment, deleted ones
    included."""
    all_ids, all_weights = [], []
    for count, _last, read in _term_blocks(leaf, field, text):
        ids, weights, _values = read()
        all_ids.append(ids)
        if weights is None or isinstance(weights, (int, float)):
            all_weights.append(np.full(count, 1.0 if weights is None else float(weights)))
        else:
            all_weights.append(np.asarray(weights, np.float64))
    if not all_ids:
        return NONE.docs, NONE.scores
    return np.concatenate(all_ids), np.concatenate(all_weights)


def leaf_positions(leaf, field: str, text: str, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every position of a term in the `wanted` docnums (sorted) of one segment, as two
    arrays: the docnum and the position. Only the blocks holding one are read, and no Python
    object is made per document (thousands of them made the garbage collector sweep the
    whole heap every few searches)."""
    docs, values = [], []
    previous = -1
    for _count, last, read in _term_blocks(leaf, field, text):
        low, high = np.searchsorted(wanted, [previous, last], side="right")
        previous = last
        if low == high:
            continue
        ids, _weights, block_values = read()
        asked = wanted[low:high]
        at = np.minimum(np.searchsorted(ids, asked), len(ids) - 1)
        held = at[ids[at] == asked]
        docs.append(ids[held])
        values.extend(map(block_values.__getitem__, held.tolist()))
    if not values:
        return NONE.docs, NONE.docs
    # Each value (`whoosh.PackedPositions`): its count (big-endian, as Whoosh packs it), then
    # its positions, as 4-byte words.
    sizes = np.fromiter(map(len, values), np.int64, len(values))
    if np.any(sizes % 4) or np.any(sizes < 8):
        raise _damaged(f"positions of {text!r} that are not whole")
    sizes //= 4
    words = np.frombuffer(b"".join(values), np.uint32)
    counts = np.cumsum(sizes) - sizes
    if np.any(words[counts].byteswap() != sizes - 1):
        raise _damaged(f"positions of {text!r} that do not hold their count")
    keep = np.ones(len(words), bool)
    keep[counts] = False
    return np.repeat(np.concatenate(docs), sizes - 1), words[keep].astype(np.int64)


# ---------------------------------------------------------------- a searcher's arrays


class Arrays:
    """One searcher's index as arrays: each field's lengths, each term's postings, all in the
    searcher's docnums (its segments one after another). Matches include deleted documents:
    the reader's mask, which every answer goes through, leaves them out."""

    def __init__(self, searcher, live: np.ndarray, lengths):
        self.searcher = searcher
        self.leaves = searcher.reader().leaf_readers()
        self.live = live
        self.lengths = lengths  # a field's name -> its length in every docnum, an array

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's docnums and weights across the segments."""
        docs, weights = [], []
        for leaf, offset in self.leaves:
            found, found_weights = leaf_postings(leaf, field, text)
            docs.append(found + offset)
            weights.append(found_weights)
        if not docs:
            return NONE.docs, NONE.scores
        return np.concatenate(docs), np.concatenate(weights)

    def term(self, field: str, text: str, boost: float = 1.0) -> Scored:
        """A term's matches, scored as Whoosh's BM25F scores a `Term` (statistics of the whole
        index: deleted documents count in them, as in Whoosh)."""
        docs, tf = self.postings(field, text)
        if not len(docs):
            return NONE
        searcher = self.searcher
        idf = searcher.idf(field, text)
        average = searcher.avg_field_length(field) or 1
        lengths = self.lengths(field)[docs]
        b, k1 = _BM25.B, _BM25.K1
        scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / average)))
        return boosted(Scored(docs, scores), boost)

    def every(self) -> Scored:
        docs = np.flatnonzero(self.live)
        return Scored(docs, np.ones(len(docs)))

    def by_whoosh(self, q: query.Query) -> Scored:
        """Matches found and scored by Whoosh's own matchers (phrases, prefixes)."""
        docs: list[int] = []
        scores: list[float] = []
        context = self.searcher.context()
        for sub, offset in self.searcher.leaf_searchers():
            matcher = q.matcher(sub, context)
            while matcher.is_active():
                docs.append(offset + matcher.id())
                scores.append(matcher.score())
                matcher.next()
        found_docs = np.asarray(docs, np.int64)
        order = np.argsort(found_docs, kind="stable")
        return Scored(found_docs[order], np.asarray(scores, np.float64)[order])

    # ------------------------------------------------------------ our parsed queries

    def matches(self, parsed, *, ranked: bool) -> Scored:
        """Every match of a parsed query, scored as Whoosh scores the same query (the title's
        words in an "and maybe" clause)."""
        found = self.node(parsed.query)
        if ranked and parsed.titled and len(found):
            titles = [self.term(TITLE, term) for term in parsed.titled]
            title = titles[0]
            for other in titles[1:]:
                title = either(title, other)
            found = maybe(found, boosted(title, TITLE_BOOST))
        return found

    def node(self, node) -> Scored:
        if isinstance(node, Words):
            return self.words(node)
        if isinstance(node, Every):
            return self.every()
        if isinstance(node, And):
            kept = [item for item in node.items if not isinstance(item, Not)]
            # NOT alone: everything but, scored only by what the NOTs add (as Whoosh scores it).
            found = self.node(kept[0]) if kept else boosted(self.every(), 0.0)
            for item in kept[1:]:
                if not len(found):
                    return NONE
                found = both(found, self.node(item))
            for item in node.items:
                if isinstance(item, Not) and len(found):
                    # Whoosh's NOT within AND matches what the other does not, scoring 1.
                    found = without(found, self.node(item.item))
                    found = Scored(found.docs, found.scores + 1.0)
            return found
        if isinstance(node, Or):
            found = self.node(node.items[0])
            for item in node.items[1:]:
                found = either(found, self.node(item))
            return found
        if isinstance(node, Not):
            return without(self.every(), self.node(node.item))
        if isinstance(node, AndMaybe):
            return maybe(self.node(node.required), self.node(node.optional))
        raise TypeError(node)

    def words(self, words: Words) -> Scored:
        """A typed word, or a phrase: each scored as Whoosh scores its terms (a phrase's
        score is the sum of its terms'), numbers in the fields of numbers too."""
        terms = words.terms
        if words.prefix:
            return self.by_whoosh(_words(words))
        found = self.term(WORDS, terms[0])
        for term in terms[1:]:
            if not len(found):
                break
            found = both(found, self.term(WORDS, term))
        if len(terms) > 1 and len(found):
            found = self.phrase(terms, found)
        for name, boost in NUMBER_FIELDS.items():
            for number in words.numbers:
                found = either(found, self.term(name, number, boost))
        return found

    def phrase(self, terms: tuple[str, ...], candidates: Scored) -> Scored:
        """The candidates (each holding every term) where the terms follow one another in
        the text, read from the positions of the text field. Where a phrase could start is a
        docnum and a position in one int; the rarest term is read first, and each next one
        only for the candidates still left."""
        rarest_first = sorted(range(len(terms)), key=lambda i: self.searcher.frequency(TEXT, terms[i]))
        kept = []
        for leaf, offset in self.leaves:
            low, high = np.searchsorted(candidates.docs, [offset, offset + leaf.doc_count_all()])
            left = candidates.docs[low:high] - offset
            starts = None
            for i in rarest_first:
                if not len(left):
                    break
                docs, positions = leaf_positions(leaf, TEXT, terms[i], left)
                could = positions >= i
                here = (docs[could] << 32) | (positions[could] - i)  # sorted and unique
                starts = here if starts is None else np.intersect1d(starts, here, assume_unique=True)
                left = np.unique(starts >> 32)
            kept.append(left + offset)
        keep = np.isin(candidates.docs, np.concatenate(kept) if kept else NONE.docs)
        return Scored(candidates.docs[keep], candidates.scores[keep])


def ranked(found: Scored) -> np.ndarray:
    """Positions in `found` from the best score down; equal scores in docnum order, as
    Whoosh's collector ranks them. Scores are compared to 9 decimals: sums of the same terms
    in another order differ in the last bits, and must still tie."""
    return np.lexsort((found.docs, -np.round(found.scores, 9)))
