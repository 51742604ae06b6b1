"""The registers' section of the document page, for the office: the outgoing book's columns
of an issued document of ours, the incoming book's working columns of a received one."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from ..auth.policy import Action, can
from ..documents.models import Document
from ..documents.types import Origin, Status
from .forms import DispatchForm, HandlingForm


def _iso(day) -> str:
    return day.isoformat() if day else ""


def book_columns_panel(doc: Document, *, actor) -> Markup | None:
    if not can(actor, Action.CREATE_CONFIDENTIAL):
        return None
    sent = doc.origin == Origin.INTERNAL and doc.number and doc.status in (Status.APPROVED, Status.SUPERSEDED)
    if not sent and doc.origin != Origin.INCOMING:
        return None
    html = render_template(
        "registers/_columns.html",
        doc=doc,
        dispatch_form=DispatchForm(
            formdata=None,
            recipients=doc.recipients or "",
            archive_holder=doc.archive_holder or "",
            copies=str(doc.copies or ""),
            sent_date=_iso(doc.sent_date),
            note=doc.register_note or "",
        ),
        handling_form=HandlingForm(
            formdata=None,
            handler=doc.handler or "",
            reply_due=_iso(doc.reply_due),
            replied_date=_iso(doc.replied_date),
            note=doc.register_note or "",
        ),
    )
    return Markup(html)
