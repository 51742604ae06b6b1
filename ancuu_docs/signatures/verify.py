"""Reading and checking the signatures of a PDF: who signed, when, with which timestamp
authority, whether the signed revision covers the file or something was added after, and
whether the chain reaches a trusted root. Knows nothing of documents or the database."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)

# What may follow a signature without changing what was signed.
ALLOWED = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class Found:
    position: int
    field_name: str
    signer_name: str
    organisation: str
    signed_at: datetime | None
    timestamp_authority: str
    status: str
    intact: bool
    trusted: bool
    coverage: str
    modification: str


def trust_roots(folder: Path) -> list[asn1_x509.Certificate]:
    """Every certificate in the folder (PEM or DER, .pem/.crt/.cer)."""
    roots = []
    if not folder.is_dir():
        return roots
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".pem", ".crt", ".cer"):
            continue
        data = path.read_bytes()
        try:
            if pem.detect(data):
                roots += [
                    asn1_x509.Certificate.load(der)
                    for _kind, _headers, der in pem.unarmor(data, multiple=True)
                ]
            else:
                roots.append(asn1_x509.Certificate.load(data))
        except ValueError:
            log.warning("not a certificate: %s", path)
    return roots


def has_signatures(data: bytes) -> bool:
    return b"/ByteRange" in data and b"/Sig" in data


def check(data: bytes, roots: list[asn1_x509.Certificate]) -> list[Found]:
    """Each signature of the PDF, checked; [] for a PDF without any."""
    if not has_signatures(data):
        return []
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # signed, but not readable as such: said, not hidden
        log.warning("pyHanko could not read the PDF", exc_info=True)
        return [Found(1, "", "", "", None, "", "invalid", False, False, "", "")]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    found = []
    for position, signature in enumerate(embedded, start=1):
        found.append(_one(position, signature, context))
    return found


def _one(position: int, signature, context: ValidationContext) -> Found:
    name = organisation = authority = ""
    try:
        status = validate_pdf_signature(signature, context)
    except (SignatureValidationError, ValueError, KeyError):
        log.warning("signature %s could not be validated", position, exc_info=True)
        return Found(
            position, str(signature.field_name or ""), "", "", None, "", "invalid", False, False, "", ""
        )
    subject = status.signing_cert.subject.native if status.signing_cert else {}
    name, organisation = subject.get("common_name", ""), subject.get("organization_name", "")
    if status.timestamp_validity is not None and status.timestamp_validity.signing_cert is not None:
        authority = status.timestamp_validity.signing_cert.subject.native.get("common_name", "")
    coverage = status.coverage.name if status.coverage else ""
    modification = status.modification_level.name if status.modification_level else ""
    covered = status.coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
    if not (status.intact and status.valid):
        verdict = "invalid"
    elif not covered or status.modification_level not in ALLOWED:
        verdict = "modified"
    elif not status.trusted:
        verdict = "untrusted"
    else:
        verdict = "valid"
    when = status.signer_reported_dt
    return Found(
        position=position,
        field_name=str(signature.field_name or ""),
        signer_name=str(name),
        organisation=str(organisation),
        signed_at=when.replace(tzinfo=None) - when.utcoffset() if when and when.utcoffset() else when,
        timestamp_authority=str(authority),
        status=verdict,
        intact=bool(status.intact),
        trusted=bool(status.trusted),
        coverage=coverage,
        modification=modification,
    )
