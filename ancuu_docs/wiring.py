"""What one feature shows on another's page, and what one feature asks of another.

Signals (`signals.py`) say that something happened; whoever reacts does not answer. A page
that shows other features' panels, or a service that needs another feature's answer (who
renders the issued file, whether a worker process runs), reads it from the app's `Wiring`,
which `create_app` fills in one place, in order, so a reader sees who answers.

This module is infrastructure: it names no feature. The callables' arguments are written
beside each slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

_KEY = "ancuu_docs.wiring"

Panel = Callable[..., Markup | None]


def _nobody_runs_a_worker() -> bool:
    return False


@dataclass(frozen=True)
class Wiring:
    # The document page's sections under the document's own, top to bottom.
    # (document, *, actor) -> Markup, or None when there is nothing to show.
    document_panels: tuple[Panel, ...] = ()
    # The home page's lists, top to bottom. (user, *, since) -> Markup or None.
    home_panels: tuple[Panel, ...] = ()
    # Every feature's searchable.SearchProvider.
    search_providers: tuple[Any, ...] = ()
    # Every feature's audit labels: () -> {"actions", "objects", "details", "values", "names"}.
    audit_labels: tuple[Callable[[], dict], ...] = ()
    # (document, *, version, number, issued, signer) -> documents.issuing.IssuedFile or None:
    # the feature that generated the version renders the issued file; with None (or nobody
    # here) documents fills an uploaded file itself. Asked before the approving transaction.
    issued_file: Callable[..., Any] | None = None
    # (document) -> {"signer": …, "recipients": …} as its current version's draft names them.
    draft_details: Callable[..., dict] | None = None
    # () -> True while a worker process runs the background jobs (index, OCR); without one
    # each feature runs its jobs in-process.
    worker_running: Callable[[], bool] = _nobody_runs_a_worker
    # (fields, upload) -> the registered Document, or None when the fields ask for a new
    # draft: documents' `POST /api/documents` with an origin, a printed number or a security
    # level is a registration, which the registers answer.
    api_registration: Callable[..., Any] | None = None
    # (document, fields) -> the corrected Document, or None when it is not a registered entry:
    # documents' `PATCH /api/documents/<id>` on an entry of the books corrects the entry, which
    # the registers answer (every column, audited, its arrival number kept).
    entry_correction: Callable[..., Any] | None = None


def install(app: Flask, wiring: Wiring) -> None:
    app.extensions[_KEY] = wiring


def wired() -> Wiring:
    """This app's wiring (an app built without any answers nothing)."""
    return current_app.extensions.get(_KEY) or Wiring()


def panels(slots: tuple[Panel, ...], *args, **kwargs) -> list[Markup]:
    """Each panel of a page, in order, those with nothing to show left out."""
    return [html for panel in slots if (html := panel(*args, **kwargs)) is not None]
