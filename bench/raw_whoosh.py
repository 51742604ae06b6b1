"""The raw Whoosh baseline of the benchmarks: Whoosh used directly, as this product used it
before issue 16 (Whoosh's analyzer chain, an exact and a folded field per kind of content,
its multifield parser), indexing the same texts. Our own search is measured against it."""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, Tokenizer
from whoosh.support.charset import accent_map

from ancuu_docs.searchable import SearchEntry
from ancuu_docs.text import DOCUMENT_NUMBER, normalise

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
    date=fields.DATETIME(stored=True, sortable=True),
    stamp=fields.ID(stored=True, sortable=True),
    origin=fields.ID(stored=True, sortable=True),
    issuer=fields.ID(stored=True, sortable=True),
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
FACETS = ("doc_type", "status", "term", "year", "origin", "issuer")


def entry_fields(entry: SearchEntry) -> dict:
    """The Whoosh fields of one entry."""
    refs = " ".join(DOCUMENT_NUMBER.findall(f"{entry.title}\n{entry.summary}\n{entry.content}"))
    return {
        "key": entry.key,
        "kind": entry.kind,
        "title": entry.title,
        "title_f": entry.title,
        "summary": entry.summary,
        "summary_f": entry.summary,
        "content": entry.content,
        "content_f": entry.content,
        "number": entry.number,
        "refs": refs,
        "doc_type": entry.doc_type,
        "status": entry.status,
        "term": entry.term,
        "year": str(entry.date.year),
        "date": entry.date,
        "stamp": entry.stamp,
        "origin": entry.origin,
        "issuer": entry.issuer,
    }
