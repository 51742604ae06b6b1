"""How text goes into the index, whatever the engine: what is indexed and how words are cut and
folded.

The analysis is done here, in Python, before either engine sees the text (NFC, one tone
placement, lower case, no diacritics, đ as d), so Whoosh and tantivy index the very same terms
and a query means the same on both. A typed word is looked for in one folded field holding
all of an entry's text (title, summary, body), where it was looked for in eight (exact and
folded, per kind of content): document numbers have their own fields, the title one more for
weighting, and exact spellings rank first by re-ranking the best candidates (`querying.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..searchable import SearchEntry
from ..text import DOCUMENT_NUMBER, fold, normalise

# Bump whenever the schema or the analysis changes: the application then rebuilds.
# 2: no "confidential" field; 3: "stamp" a column (cheap reconciliation); 4: origin, issuer;
# 5: one folded field for all the text, analysis shared by the engines; 6: "public", whether
# every member reads the entry (the read mask without the database); 7: Whoosh "words", the
# text without positions; 8: at most TERMS_PER_ENTRY distinct terms and TEXT_LIMIT characters
# of stored text per entry
SCHEMA_VERSION = 8

# Words, and numbers written the Vietnamese way kept whole: "181,55", "4.817", "05/11/2025".
WORD = re.compile(r"\d+(?:[.,/]\d+)*|[^\W_]+")

# Where a typed word is looked for: all the text, and numbers in the fields of numbers (an
# entry's own weighs more than those it cites). Words of the query found in the title add to
# the score of what matched.
TEXT = "text"
NUMBER_FIELDS = {"number": 12.0, "refs": 6.0}
TITLE = "title"
TITLE_BOOST = 6.0
STORED = ("title", "summary", "content", "number")
# Between the title, the summary and the body in the text field: no phrase spans two of them.
GAP = 100
FACETS = ("doc_type", "status", "term", "year", "origin", "issuer")
# Only so much of a long text is read again for highlights and exact spellings, and so only
# so much is stored in the index.
TEXT_LIMIT = 100_000
# Distinct terms one entry puts in the index: a long report has a few thousand; a draft of
# random tokens (490,000 in 4.9 MB) would add a posting list for each, the index growing 35
# times the text. Words past the limit that are new are not indexed (the rest of the text is).
TERMS_PER_ENTRY = 10_000


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    position: int
    start: int
    end: int


def normalised(text: str) -> str:
    """The text as search reads it (and shows it in highlights): NFC, one tone placement."""
    return normalise(text or "")


# Letters whose lower case or folding takes another number of characters ("İ" lowers to two;
# a combining mark with no letter to sit on folds to none): the text is then cut word by word.
_UNEVEN = re.compile("[\u0130\u0300-\u036f]")


def uneven(text: str) -> bool:
    """Whether folding `text` as a whole would move characters' offsets."""
    return _UNEVEN.search(text) is not None


def folded_tokens(text: str) -> list[Token]:
    """Words of already normalised text, folded, with their character offsets in it."""
    folded = fold(text)
    if len(folded) != len(text) or uneven(text):
        return [Token(fold(m.group(0)), i, m.start(), m.end()) for i, m in enumerate(WORD.finditer(text))]
    return [Token(m.group(0), i, m.start(), m.end()) for i, m in enumerate(WORD.finditer(folded))]


def terms(text: str) -> list[str]:
    """The folded terms of a text (or of a typed word: "46-CT/TW" gives 46, ct, tw)."""
    return [token.text for token in folded_tokens(normalised(text))]


def number_tokens(text: str) -> list[Token]:
    """Document numbers in normalised text, kept whole and folded: "05-NQ/ĐU" -> "05-nq/du".
    Only those with a letter: "05/11/2025" is a date."""
    found = []
    for match in DOCUMENT_NUMBER.finditer(text):
        value = match.group(0)
        if any(ch.isalpha() for ch in value):
            found.append(Token(fold(value.replace("–", "-")), len(found), match.start(), match.end()))
    return found


def number_terms(text: str) -> list[str]:
    return [token.text for token in number_tokens(normalised(text))]


def exact_words(text: str) -> list[str]:
    """The typed words whose spelling says more than their folded form ("đất" is not "đạt"):
    lower case, normalised; words typed without diacritics give none."""
    return [w for w in WORD.findall(normalised(text).lower()) if fold(w) != w]


@dataclass(frozen=True)
class IndexedEntry:
    """One entry as both engines index it: normalised texts and their analysed tokens."""

    key: str
    kind: str
    stored: dict[str, str]  # title, summary, content, number: shown in hits
    tokens: dict[str, list[Token]]  # text, title, number, refs
    facets: dict[str, str]
    date: object
    stamp: str
    public: bool


def bounded(tokens: list[Token], limit: int = TERMS_PER_ENTRY) -> list[Token]:
    """The tokens of the first `limit` distinct terms met (every occurrence of each)."""
    seen: set[str] = set()
    kept = []
    for token in tokens:
        if token.text not in seen:
            if len(seen) == limit:
                continue
            seen.add(token.text)
        kept.append(token)
    return kept


def indexed(entry: SearchEntry) -> IndexedEntry:
    texts = {name: normalised(getattr(entry, name)) for name in STORED}
    references = "\n".join((texts["title"], texts["summary"], texts["content"]))
    title = folded_tokens(texts["title"])
    text, at = [], 0
    for part in (title, folded_tokens(texts["summary"]), folded_tokens(texts["content"])):
        text.extend(Token(t.text, at + t.position, t.start, t.end) for t in part)
        at += len(part) + GAP
    return IndexedEntry(
        key=entry.key,
        kind=entry.kind,
        stored={**texts, "content": texts["content"][:TEXT_LIMIT]},
        tokens={
            TEXT: bounded(text),
            TITLE: title,
            "number": number_tokens(texts["number"]),
            "refs": bounded(number_tokens(references)),
        },
        facets={
            "doc_type": entry.doc_type,
            "status": entry.status,
            "term": entry.term,
            "year": str(entry.date.year),
            "origin": entry.origin,
            "issuer": entry.issuer,
        },
        date=entry.date,
        stamp=entry.stamp,
        public=entry.public,
    )
