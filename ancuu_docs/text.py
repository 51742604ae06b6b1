"""Vietnamese text as search sees it: one spelling for what readers consider one word."""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# In decomposed text: o/u carrying the tone, then a/e/y ending the syllable ("hòa", "thủy").
_OLD_TONE_PLACEMENT = re.compile(
    rf"(?:([oO])([{_TONE_MARKS}])([aAeE])|([uU])([{_TONE_MARKS}])([yY]))(?![^\W\d_]|[\u0300-\u036f])"
)


def normalise(text: str) -> str:
    """NFC, with the tone of "oa", "oe", "uy" syllables on the second vowel ("hoà", "thuỷ").

    Both placements are in use ("uỷ ban"/"ủy ban"); they are different strings even in
    NFC, so index and queries are brought to one. The length in characters is kept, so
    offsets into the stored text stay right for highlighting.
    """
    decomposed = unicodedata.normalize("NFD", text)
    if any(mark in decomposed for mark in _TONE_MARKS):
        decomposed = _OLD_TONE_PLACEMENT.sub(_move_tone, decomposed)
    return unicodedata.normalize("NFC", decomposed)


def _move_tone(match: re.Match) -> str:
    first, tone, second = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
    return first + second + tone


def _fold_table() -> dict[int, str | None]:
    """Each Latin letter with marks -> its base letter, combining marks -> nothing."""
    table: dict[int, str | None] = {cp: None for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = "".join(c for c in unicodedata.normalize("NFD", chr(cp)) if not unicodedata.combining(c))
        if base != chr(cp) and len(base) == 1:
            table[cp] = base
    table[ord("đ")] = table[ord("ð")] = "d"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Without diacritics, đ as d, lower case: how members type on a phone. "Ð"/"ð" (eth),
    which OCR reads for "Đ", fold to d too.

    A table does it at C speed for Latin letters (a page of text is folded per search hit);
    letters from other scripts that carry marks are folded the long way."""
    folded = text.lower().translate(_FOLD)
    if folded.isascii():
        return folded
    others = {ch for ch in set(folded) if ord(ch) > 0x7F}  # punctuation, mostly: “ ” – …
    if unicodedata.is_normalized("NFD", folded) and not any(unicodedata.combining(ch) for ch in others):
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Party and state document numbers: 05-NQ/ĐU, 46-CT/TW, 296-QĐ/TW, 30/2020/NĐ-CP.
DOCUMENT_NUMBER = re.compile(r"\d+(?:[-–/][^\W_]+)+")
