"""What an engine does for search: one index folder, a reader and a writer.

Both engines receive text already analysed (`analysis.py`) and queries already parsed
(`syntax.py`); each compiles the parsed query into its own and answers the same questions.
Generations, locks, retries and the results cache are the store's and the querying module's,
the same for both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..analysis import IndexedEntry
from ..syntax import ParsedQuery


@dataclass
class Filters:
    doc_type: str | None = None
    status: str | None = None
    term: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    origin: str | None = None
    issuer: str | None = None

    def terms(self) -> dict[str, str]:
        """The filters that are one value of one field."""
        names = ("doc_type", "status", "term", "origin", "issuer")
        return {name: value for name in names if (value := getattr(self, name))}


@dataclass(frozen=True)
class Visibility:
    """What one reader may see of the index. Entries carry whether every member reads them
    (`public`, decided by their feature when indexed); a reader sees everything, or the
    public entries, every entry of `kinds` and the entries of `also`, never those of `hidden`.
    Only `also` and `hidden` are read from the database per search, and both are small (a
    member's drafts asked for comments, and changes not indexed yet): the mask costs the
    same at 100,000 documents as at 1,000. Members without such drafts share one value, and
    so one results cache entry."""

    everything: bool = False
    public: bool = True
    kinds: frozenset[str] = frozenset()
    also: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()

    def without(self, key: str) -> Visibility:
        return replace(self, hidden=self.hidden | {key})


EVERYTHING = Visibility(everything=True)
NOTHING = Visibility(public=False)


@dataclass
class Candidate:
    """One match, in rank order: its key, score, and its stored texts when asked for."""

    key: str
    score: float
    stored: Callable[[], dict[str, str]]


@dataclass
class Found:
    total: int  # every readable match, exactly
    candidates: list[Candidate]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class IndexFilesUnreadable(Exception):
    """The engine could not read its files (truncated, damaged, removed under it)."""


class Reader(ABC):
    """A point-in-time view of one index, kept open between requests."""

    @abstractmethod
    def version(self) -> tuple:
        """The index state this reader sees: any commit gives another."""

    @abstractmethod
    def up_to_date(self) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def search(
        self,
        parsed: ParsedQuery | None,
        *,
        filters: Filters,
        visibility: Visibility,
        by_date: bool,
        offset: int,
        limit: int,
    ) -> Found:
        """Candidates [offset, offset+limit) by score (or newest first), the exact total and
        the facet counts of every match `visibility` lets through."""

    @abstractmethod
    def count(self, parsed: ParsedQuery, *, visibility: Visibility) -> int: ...

    @abstractmethod
    def frequency(self, term: str) -> int:
        """In how many documents' text a folded term stands."""

    @abstractmethod
    def terms(self, prefix: str) -> list[tuple[str, int]]:
        """Folded terms of the texts starting with `prefix`, with their document frequency."""

    @abstractmethod
    def doc_count(self) -> int: ...

    @abstractmethod
    def stored(self, key: str) -> dict[str, str] | None:
        """The stored texts of a live entry."""

    @abstractmethod
    def stamps(self) -> dict[str, str]:
        """key -> stamp of every live entry."""

    @abstractmethod
    def segment_count(self) -> int: ...


class Writer(ABC):
    @abstractmethod
    def update(self, entry: IndexedEntry) -> None:
        """Add the entry, replacing any earlier one of its key."""

    @abstractmethod
    def add(self, entry: IndexedEntry) -> None:
        """Add an entry known to be new (a rebuild)."""

    @abstractmethod
    def delete(self, key: str) -> None: ...


class Engine(ABC):
    name: str

    @abstractmethod
    def create(self, path: Path) -> None:
        """An empty index in an empty folder."""

    @abstractmethod
    def reader(self, path: Path) -> Reader:
        """Open the index for reading; any failure to do so is raised as it comes."""

    @abstractmethod
    def writer(self, path: Path, *, lock_timeout: float, bulk: bool | None) -> AbstractContextManager[Writer]:
        """The one writer of the index, waited for up to `lock_timeout`; committed when the
        block ends, cancelled when it raises. `bulk`: None for a request's few changes (no
        long merge on its way), True for an import or a rebuild, which may merge."""

    @abstractmethod
    def optimize(self, path: Path, *, lock_timeout: float) -> None:
        """Merge the index into as few segments as it can (after an import)."""

    @abstractmethod
    def unreadable(self, exc: BaseException) -> bool:
        """Whether `exc` came from reading the index files (then the index needs a rebuild)."""
