"""Searching as a user: only what they may read, in the shape the page and the API show.

Search knows no feature's model: each feature's provider says, when it indexes an object,
whether every member reads it, and at search time what a user reads beyond those and which of
its objects changed since (asked of the database now); and how a hit looks. The hits shown are
read from the database again, so nothing a user may not read is ever shown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import current_app

from .. import parsing
from ..auth.models import User
from ..auth.policy import is_active
from ..errors import InvalidInput, Unavailable
from ..searchable import split_key
from . import indexing, querying
from .engines.base import EVERYTHING, NOTHING, Visibility
from .querying import Filters, QueryError
from .store import NeedsRebuild

QUERY_MAX = 500
PER_PAGE_MAX = 100
SORTS = ("relevance", "date")
# Fewer hits than this and a "did you mean" is looked for.
FEW_HITS = 3
log = logging.getLogger(__name__)

NOT_READY = (
    "Chỉ mục tìm kiếm đang được dựng lại hoặc bị hỏng; tìm kiếm sẽ hoạt động lại khi dựng xong. "
    "Nếu kéo dài, quản trị chạy «flask --app app index rebuild»."
)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10


def facet_labels() -> dict[str, dict[str, str]]:
    """Labels of facet values, from every provider: {"doc_type": {"NQ": "Nghị quyết", …}, …}."""
    labels: dict[str, dict[str, str]] = {}
    for provider in indexing.providers().values():
        for facet, values in provider.facet_labels.items():
            labels.setdefault(facet, {}).update(values)
    return labels


def parse_params(args: Mapping) -> SearchParams:
    """Search parameters from a query string, or InvalidInput saying which one is wrong."""
    check = parsing.Checks()
    q = str(args.get("q") or "").strip()
    if len(q) > QUERY_MAX:
        check.add("q", f"Câu tìm kiếm quá dài (tối đa {QUERY_MAX} ký tự).")
    labels = facet_labels()
    chosen = {}
    for name, label in (("doc_type", "loại văn bản"), ("status", "trạng thái"), ("origin", "nguồn")):
        value = (args.get(name) or "").strip() or None
        if value and value not in labels.get(name, {}):
            check.add(name, f"{label.capitalize()} «{value}» không có.")
        chosen[name] = value
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        check.add("sort", "Sắp xếp theo «relevance» (mức liên quan) hoặc «date» (ngày).")
    date_from = check(
        parsing.day, args.get("date_from"), field="date_from", label="ngày bắt đầu", required=False
    )
    date_to = check(parsing.day, args.get("date_to"), field="date_to", label="ngày kết thúc", required=False)
    if date_from and date_to and date_from > date_to:
        check.add("date_from", "Ngày bắt đầu sau ngày kết thúc.")
    page = check(
        parsing.integer, args.get("page"), field="page", label="tham số «page»", low=1, high=10_000, default=1
    )
    per_page = check(
        parsing.integer,
        args.get("per_page"),
        field="per_page",
        label="tham số «per_page»",
        low=1,
        high=PER_PAGE_MAX,
        default=current_app.config["SEARCH_PER_PAGE"],
    )
    issuer = check(parsing.text, args.get("issuer"), field="issuer", label="cơ quan ban hành", limit=200)
    check.done()
    filters = Filters(
        **chosen,
        term=(args.get("term") or "").strip() or None,
        issuer=issuer or None,
        date_from=date_from,
        date_to=date_to,
    )
    return SearchParams(q=q, filters=filters, sort=sort, page=page, per_page=per_page)


def visibility(actor: User) -> Visibility:
    """What this user may see of the index: the entries indexed as public, and what each
    provider says from the database now (drafts asked about, changes not indexed yet)."""
    if not is_active(actor):
        return NOTHING
    pending = indexing.ids_by_kind(indexing.pending_keys())
    providers = indexing.providers()
    kinds, also, hidden = set(), set(), set()
    for kind, provider in providers.items():
        restriction = provider.restriction(actor, pending.get(kind, []))
        if restriction is None:
            kinds.add(kind)
            continue
        also.update(provider.key(object_id) for object_id in restriction.also)
        hidden.update(provider.key(object_id) for object_id in restriction.hidden)
    if kinds == set(providers):
        return EVERYTHING
    return Visibility(kinds=frozenset(kinds), also=frozenset(also), hidden=frozenset(hidden))


def readable_hits(actor: User, keys: list[str]) -> dict[str, dict]:
    """Hit fields, read from the database now (not from the index), for what the user may read."""
    found: dict[str, dict] = {}
    all_providers = indexing.providers()
    for kind, ids in indexing.ids_by_kind(keys).items():
        provider = all_providers.get(kind)
        if provider is not None:
            found.update({provider.key(i): hit for i, hit in provider.hits(actor, ids).items()})
    return found


def search(actor: User, params: SearchParams) -> dict:
    seen = visibility(actor)
    index_store = indexing.store()
    try:
        results = querying.search(
            index_store,
            params.q,
            visibility=seen,
            filters=params.filters,
            sort=params.sort,
            page=params.page,
            per_page=params.per_page,
        )
    except NeedsRebuild as exc:  # reported, never repaired here: the worker or `index rebuild` does it
        log.warning("search answered 503: %s", exc)
        raise Unavailable(NOT_READY) from None
    except QueryError:
        raise InvalidInput(
            "Không hiểu câu tìm kiếm. Hãy gõ các từ cần tìm, cụm từ trong ngoặc kép, "
            "hoặc dùng OR, NOT, dấu * ở cuối từ.",
            field="q",
        ) from None

    objects = readable_hits(actor, [hit.key for hit in results.hits])
    hits = []
    for hit in results.hits:
        found = objects.get(hit.key)
        if found is None:  # changed since it was indexed, and no longer readable: never shown
            continue
        hits.append(
            {
                **found,
                "score": hit.score,
                "highlights": {"title": hit.title_html, "content": hit.content_html},
            }
        )
    suggestion = None
    if params.q and results.total < FEW_HITS:
        suggestion = _suggestion(index_store, params.q, seen, results.total)
    return {
        "total": results.total,
        "page": params.page,
        "per_page": params.per_page,
        "hits": hits,
        "facets": results.facets,
        "suggestion": suggestion,
    }


def _suggestion(index_store, q: str, seen: Visibility, total: int) -> str | None:
    """A corrected query, offered only when it finds more among what this user may read,
    so no word of a document they may not read is ever suggested."""
    try:
        corrected = querying.corrections(index_store, q)
        if corrected and corrected != q and querying.count(index_store, corrected, visibility=seen) > total:
            return corrected
    except (QueryError, NeedsRebuild):  # no suggestion, rather than no answer
        return None
    return None


def key_of(obj) -> str | None:
    """The index key of a feature's object, from the provider whose model it is."""
    for provider in indexing.providers().values():
        if isinstance(obj, provider.model):
            return provider.key(obj.id)
    return None


def similar(actor: User, obj, limit: int = 5) -> list[dict]:
    """More like this object, among the objects of its kind the user may read; nothing while
    the index is not ready."""
    key = key_of(obj)
    if key is None:
        return []
    kind = split_key(key)[0]
    try:
        keys = querying.similar(indexing.store(), key, visibility=visibility(actor), limit=limit * 2)
    except NeedsRebuild:
        return []
    keys = [k for k in keys if split_key(k)[0] == kind][:limit]
    hits = readable_hits(actor, keys)
    return [hits[k] for k in keys if k in hits]
