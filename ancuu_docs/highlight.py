"""The words a reader searched for, marked in the page they open from a search hit.

Matching is the way search matches: without diacritics, "đ" as "d", either tone placement
("thuy" marks "thủy" and "thuỷ"), so a member who typed "nghi quyet" sees "nghị quyết"
marked. The first mark carries the anchor the hit's link points at, so the page opens there.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .text import fold, normalise

FIRST_MATCH = "khop-dau"
_TAG = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"\w+")
# In text between tags, an entity ("&amp;") is one piece, never a word to mark.
_TEXT_WORD = re.compile(r"&#?\w+;|\w+")
# Query syntax is not something a reader looks for.
_OPERATORS = frozenset({"and", "or", "not"})
MAX_TERMS = 20


def terms_of(query: str | None) -> frozenset[str]:
    """The folded words of a search query, without operators and field names."""
    words = set()
    for word in _WORD.findall(normalise(query or "")):
        folded = fold(word)
        if folded not in _OPERATORS and (len(folded) > 1 or folded.isdigit()):
            words.add(folded)
    return frozenset(sorted(words)[:MAX_TERMS])


class Highlighter:
    """Marks terms across several pieces of one page (the body, then each page's text), giving
    the anchor to the first match of them all."""

    def __init__(self, terms: frozenset[str]):
        self.terms = terms
        self.found = False

    def mark(self, html: str) -> Markup:
        """`html` with every term wrapped in <mark>; tags and attributes are left alone (the
        HTML is ours: the body renderer's or escaped text)."""
        if not self.terms:
            return Markup(html)
        pieces = _TAG.split(str(html))
        for i in range(0, len(pieces), 2):  # even pieces are text between tags
            pieces[i] = _TEXT_WORD.sub(self._word, pieces[i])
        return Markup("".join(pieces))

    def _word(self, match: re.Match) -> str:
        word = match.group(0)
        if word.startswith("&") or fold(word) not in self.terms:
            return word
        anchor = ""
        if not self.found:
            self.found, anchor = True, f' id="{FIRST_MATCH}"'
        return f'<mark class="khop"{anchor}>{word}</mark>'
