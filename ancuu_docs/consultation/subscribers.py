"""Consultations react to documents: a draft that leaves review (approved, sent back, withdrawn)
takes no more comments, so its open round ends with it."""

from __future__ import annotations

from ..documents.types import Status
from ..signals import document_moved
from . import services


@document_moved.connect
def end_round_when_review_ends(doc, *, actor, source, target) -> None:
    """Inside the move's transaction: the round ends, audited, or neither happens."""
    if source != Status.IN_REVIEW or target == Status.IN_REVIEW:
        return
    current = services.current_consultation(doc)
    if current is not None:
        services.end(actor, current, reason=f"văn bản chuyển sang «{Status(target).label}»")
