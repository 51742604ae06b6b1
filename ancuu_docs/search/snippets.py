"""A hit's title and best passages with the matched words in <mark>, the same for both engines.

Words are matched the way search matched them (folded), in the stored text as it was
indexed (normalised already), so a member who typed "quan ly" sees "quản lý" marked.
Everything else is escaped.
The query's words become one regular expression run over the folded text: a page of text
per hit is searched at C speed, never cut into words in Python.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from . import analysis

BETWEEN = " … "
FRAGMENT = 240  # characters of a passage, at most
SURROUND = 60  # characters of context either side of a match
TOP = 2  # passages shown
# A term stands alone, as the analysis cuts words: not inside a longer word or number.
_BEFORE = r"(?<![^\W_])(?<!\d[.,/])"
_AFTER = r"(?![^\W_]|[.,/]\d)"


@lru_cache(maxsize=256)
def matcher(whole: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern | None:
    """The folded terms (and starts of words) of a query as one pattern; None for none."""
    alternatives = [re.escape(term) for term in sorted(whole, key=len, reverse=True)]
    alternatives += [re.escape(prefix) + r"[^\W_]*" for prefix in prefixes]
    if not alternatives:
        return None
    return re.compile(f"{_BEFORE}(?:{'|'.join(alternatives)}){_AFTER}")


def _matches(text: str, pattern: re.Pattern | None) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of every match in normalised text."""
    if pattern is None:
        return []
    folded = analysis.fold(text)
    if len(folded) == len(text) and not analysis.uneven(text):
        return [(m.start(), m.end(), m.group()) for m in pattern.finditer(folded)]
    # A letter folding to several (rare): word by word, so offsets stay those of the text.
    return [
        (t.start, t.end, t.text)
        for t in analysis.folded_tokens(text)
        if pattern.fullmatch(t.text) is not None
    ]


def _marked(text: str, start: int, end: int, matches: list[tuple[int, int, str]]) -> str:
    out, at = [], start
    for first, last, _word in matches:
        if first < start or last > end:
            continue
        out.append(escape(text[at:first], quote=False))
        out.append("<mark>" + escape(text[first:last], quote=False) + "</mark>")
        at = last
    out.append(escape(text[at:end], quote=False))
    return "".join(out)


def title(text: str, pattern: re.Pattern | None) -> str:
    """The whole title, its matched words marked."""
    return _marked(text, 0, len(text), _matches(text, pattern))


def passages(text: str, pattern: re.Pattern | None) -> str:
    """Up to two passages around the matches, the best chosen (most different words matched,
    then most matches, then the earliest), shown in the order they stand; "" when nothing
    matched."""
    text = text[: analysis.TEXT_LIMIT]
    matches = _matches(text, pattern)
    if not matches:
        return ""
    fragments = []
    i = 0
    while i < len(matches):
        first = matches[i][0]
        j = i
        while j + 1 < len(matches) and matches[j + 1][1] - first <= FRAGMENT - 2 * SURROUND:
            j += 1
        inside = matches[i : j + 1]
        fragments.append((len({m[2] for m in inside}), len(inside), -first, first, matches[j][1]))
        i = j + 1
    best = sorted(sorted(fragments, reverse=True)[:TOP], key=lambda f: f[3])
    shown = []
    for *_rank, first, last in best:
        start, end = _whole_words(text, first - SURROUND, last + SURROUND, first, last)
        shown.append(_marked(text, start, end, matches))
    return BETWEEN.join(shown)


def _whole_words(text: str, start: int, end: int, first: int, last: int) -> tuple[int, int]:
    """Passage bounds moved inward to the nearest spaces, never past the matches."""
    start, end = max(0, start), min(len(text), end)
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", last, end)
        end = space if space != -1 else last
    return start, end


def lead(text: str, limit: int = 240) -> str:
    """The opening of a text, escaped: a hit found by other words than its body's."""
    text = " ".join((text or "").split())
    return escape(text[:limit] + ("…" if len(text) > limit else ""), quote=False)
