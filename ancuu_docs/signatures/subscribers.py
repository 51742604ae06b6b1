"""Signatures are checked when a PDF arrives, in the upload's transaction."""

from __future__ import annotations

from ..signals import document_created, version_added
from .services import check_version


@document_created.connect
@version_added.connect
def check_signed_pdf(doc, *, actor, version) -> None:
    if version is not None:
        check_version(actor, version)
