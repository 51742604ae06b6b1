"""What a feature hands to search: its entries, its keys, who may read them, how a hit looks.

Search knows no model by name. Each feature that makes something searchable has a SearchProvider,
listed in `create_app`'s wiring; search asks every provider for index
entries (rebuild, check, the outbox), for the objects a user may not read, and for the fields
of the hits it found. Keys are `kind:id` and are made here only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Select
from sqlalchemy.orm import Session


def make_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def split_key(key: str) -> tuple[str, int]:
    kind, _, number = key.partition(":")
    return kind, int(number)


@dataclass(frozen=True)
class SearchEntry:
    """What is written to the index for one searchable object."""

    key: str
    kind: str
    title: str
    summary: str
    content: str
    number: str
    doc_type: str
    status: str
    term: str
    date: datetime
    stamp: str  # changes whenever what is indexed changes: how `index check` finds stale entries
    # Where it comes from ("internal", "incoming") and who issued it: filters and facets.
    origin: str = ""
    issuer: str = ""
    # Whether every active member reads it, as its feature's rule says at indexing time: search
    # then needs the database only for what a user reads beyond these, and for changes not
    # indexed yet (`SearchProvider.restriction`).
    public: bool = False


@dataclass(frozen=True)
class Restriction:
    """What one user reads of a provider's objects, beside those indexed as public: `also`
    (readable though not indexed as public) and `hidden` (indexed as public, not readable)."""

    also: frozenset[int] = frozenset()
    hidden: frozenset[int] = frozenset()


class SearchProvider(ABC):
    """One feature's searchable objects. `kind` is the key prefix of its entries."""

    kind: str
    # The model whose rows are this provider's objects.
    model: type
    # The signals after which the sender (an object of `model`) must be indexed again.
    changed_by: ClassVar[tuple] = ()
    # Labels of the facet values this provider's entries carry: {"doc_type": {code: label}, …}.
    facet_labels: ClassVar[dict[str, dict[str, str]]] = {}

    def key(self, object_id: int) -> str:
        return make_key(self.kind, object_id)

    @abstractmethod
    def entries(self, session: Session, ids: list[int] | None, chunk: int) -> Iterator[list[SearchEntry]]:
        """Entries of all objects (ids None) or of these, in chunks ordered by id."""

    @abstractmethod
    def stamps(self, session: Session) -> dict[int, str]:
        """id -> stamp of every object, as the database has it now."""

    @abstractmethod
    def changed_since(self, session: Session, when: datetime) -> list[int]:
        """Objects changed at or after `when` (a rebuild re-reads them after the swap)."""

    @abstractmethod
    def count(self, session: Session) -> int: ...

    @abstractmethod
    def restriction(self, user, pending: list[int]) -> Restriction | None:
        """What this user reads beside the objects indexed as public, from the database now;
        None when they read all. `pending` are the objects changed since they were indexed
        (their indexed `public` may be out of date): each is in `also` or `hidden` as the
        database says."""

    @abstractmethod
    def hits(self, user, ids: list[int]) -> dict[int, dict]:
        """Hit fields of the objects among `ids` the user may read:
        {id: {kind, id, title, number, doc_type, status, term, url, badges}}, where badges are
        the labels shown beside the title, the status's last."""


def in_chunks(
    session: Session,
    query: Select,
    id_column,
    make: Callable[..., SearchEntry],
    ids: Iterable[int] | None,
    chunk: int,
) -> Iterator[list[SearchEntry]]:
    """Rows of `query` by id, `chunk` at a time, made into entries; memory stays bounded."""
    wanted = None if ids is None else sorted(set(ids))
    if wanted is not None and not wanted:
        return
    after = 0
    while True:
        page = query.where(id_column > after).order_by(id_column).limit(chunk)
        if wanted is not None:
            page = page.where(id_column.in_(wanted))
        rows = session.execute(page).all()
        if not rows:
            return
        yield [make(*row) for row in rows]
        after = rows[-1][0].id
        session.expunge_all()
