"""The search engines behind one interface (`base.py`), chosen by `SEARCH_BACKEND`."""

from __future__ import annotations

from .base import Engine
from .tantivy import TantivyEngine
from .whoosh import WhooshEngine

ENGINES: dict[str, type[Engine]] = {"whoosh": WhooshEngine, "tantivy": TantivyEngine}


def get(name: str) -> Engine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(ENGINES)}, not {name!r}") from None
