"""Search follows the features: each provider names the signals after which its objects must
be indexed again, and an index job is written in the transaction that sent them."""

from __future__ import annotations

from flask import current_app

from ..signals import documents_imported
from . import indexing

_receivers: dict[tuple[str, int], object] = {}  # held here: blinker keeps only weak references


def connect_providers() -> None:
    """Connect, once, a receiver per provider and signal that enqueues the sender's key."""
    for provider in indexing.providers().values():
        for signal in provider.changed_by:
            if (provider.kind, id(signal)) in _receivers:
                continue

            def reindex(sender, _provider=provider, **_kwargs) -> None:
                indexing.enqueue(_provider.key(sender.id))

            _receivers[(provider.kind, id(signal))] = reindex
            signal.connect(reindex)


@documents_imported.connect
def _merge_after_import(_actor, *, count: int) -> None:
    """A large import leaves many segments behind it: searches walk each one, so they are
    merged once the import is indexed."""
    if count >= current_app.config["INDEX_MERGE_AFTER_IMPORT"]:
        indexing.merge_segments()
