"""Auth sits below audit: it announces what happens to users, and it is recorded here."""

from __future__ import annotations

from ..signals import user_changed
from .services import record


@user_changed.connect
def _record_user_change(user, *, actor, action: str, details: dict) -> None:
    record(actor, action, user, **details)
