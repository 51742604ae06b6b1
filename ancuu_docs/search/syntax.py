"""What members type, understood once for both engines: words (all required), "phrases",
OR, NOT, ANDNOT, ANDMAYBE, parentheses and a star at the end of a word.

The parser never fails on a typing slip: an unclosed quote or parenthesis closes at the end, a
stray operator is dropped, a query of operators alone looks for those words. It fails
(QueryError) only when nothing searchable is left ("((", ":"). Vietnamese words span
syllables, so the syllables between two operators stand together: "ngân sách OR trật tự"
means (ngân sách) OR (trật tự). No -word: a hyphen belongs to document numbers ("46-CT/TW").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import analysis


class QueryError(ValueError):
    """The query cannot be understood."""


@dataclass(frozen=True)
class Words:
    """Folded terms that follow each other (one typed word, or a phrase), and the numbers in
    them; `prefix`: the last term is the start of a word."""

    terms: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    prefix: bool = False
    exact: tuple[str, ...] = ()  # the words as typed, where diacritics say more than folding


@dataclass(frozen=True)
class Every:
    """Everything ("*" alone)."""


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class AndMaybe:
    """`required`, ranked higher where `optional` matches too."""

    required: object
    optional: object


@dataclass(frozen=True)
class ParsedQuery:
    query: object
    # Spellings the reader typed with diacritics, outside NOT: exact matches rank first.
    exact: tuple[str, ...] = ()
    # Folded words outside NOT: those in a title add to its score.
    titled: tuple[str, ...] = ()


OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_BINARY = frozenset({"AND", "ANDNOT", "ANDMAYBE"})
_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')


def parse(text: str | None) -> ParsedQuery | None:
    """The query, or None for an empty one (browsing)."""
    text = analysis.normalised(text or "").strip()
    if not text:
        return None
    tokens = _TOKEN.findall(text)
    if all(token in OPERATORS for token in tokens):  # "AND" alone: the word, found nowhere
        tokens = [token.lower() for token in tokens]
    query = _Parser(tokens).parse()
    if query is None:
        raise QueryError("no searchable word")
    exact: list[str] = []
    _exact_words(query, exact)
    whole, _prefixes = matched_terms(ParsedQuery(query))
    return ParsedQuery(query, tuple(dict.fromkeys(exact)), tuple(sorted(whole)))


def _word(token: str):
    if token.startswith('"'):
        body = token.strip('"')
        terms = analysis.terms(body)
        if not terms:
            return None
        return Words(
            tuple(terms), tuple(analysis.number_terms(body)), exact=tuple(analysis.exact_words(body))
        )
    if token == "*":
        return Every()
    prefix = token.endswith("*")
    body = token.rstrip("*")
    terms = analysis.terms(body)
    if not terms:
        return None
    exact = () if prefix else tuple(analysis.exact_words(body))
    return Words(tuple(terms), tuple(analysis.number_terms(body)), prefix=prefix, exact=exact)


# Parentheses and NOTs nest no deeper than this: a query of 300 "(" is refused, not a crash.
MAX_DEPTH = 32


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError("nested too deep")

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> str:
        self.at += 1
        return self.tokens[self.at - 1]

    def parse(self):
        query = self._or()
        while self._peek() == ")":  # a stray ")" closes nothing: read on
            self._take()
            query = _and(query, self._or())
        return query

    def _or(self):
        items = [self._and()]
        while self._peek() == "OR":
            self._take()
            items.append(self._and())
        items = [item for item in items if item is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def _and(self):
        query = self._run()
        while (operator := self._peek()) in _BINARY:
            self._take()
            right = self._run()
            while right is None and self._peek() in ("OR", *_BINARY):  # "đất AND OR đai": dropped
                self._take()
                right = self._run()
            if right is None:
                continue
            if operator == "ANDNOT":
                query = _and(query, Not(right))
            elif operator == "ANDMAYBE" and query is not None:
                query = AndMaybe(query, right)
            else:
                query = _and(query, right)
        return query

    def _run(self):
        """Words side by side up to the next operator: they stand together. NOT takes the
        rest of the run."""
        run: list = []
        while (token := self._peek()) is not None and token not in ("OR", ")") and token not in _BINARY:
            self._take()
            if token == "NOT":
                self._deeper()
                negated = self._run()
                self.depth -= 1
                if negated is not None:
                    run.append(Not(negated))
                break
            if token == "(":
                self._deeper()
                inner = self._or()
                self.depth -= 1
                if self._peek() == ")":
                    self._take()
                run.append(inner)
            else:
                run.append(_word(token))
        return _group(run)


def _group(run: list):
    run = [item for item in run if item is not None]
    if not run:
        return None
    return run[0] if len(run) == 1 else And(tuple(run))


def _and(left, right):
    if left is None:
        return right
    if right is None:
        return left
    items = (
        *(left.items if isinstance(left, And) else (left,)),
        *(right.items if isinstance(right, And) else (right,)),
    )
    return And(items)


def _exact_words(node, out: list[str]) -> None:
    if isinstance(node, Words):
        out.extend(node.exact)
    elif isinstance(node, (And, Or)):
        for item in node.items:
            _exact_words(item, out)
    elif isinstance(node, AndMaybe):
        _exact_words(node.required, out)
        _exact_words(node.optional, out)


def matched_terms(parsed: ParsedQuery | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """(folded terms, prefixes) a hit is highlighted for: every word outside NOT."""
    whole: set[str] = set()
    prefixes: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Words):
            whole.update(node.terms[:-1] if node.prefix else node.terms)
            if node.prefix:
                prefixes.append(node.terms[-1])
        elif isinstance(node, (And, Or)):
            for item in node.items:
                walk(item)
        elif isinstance(node, AndMaybe):
            walk(node.required)
            walk(node.optional)

    if parsed is not None:
        walk(parsed.query)
    return frozenset(whole), tuple(prefixes)
