"""What can be done to documents. Web views, the API, the CLI and the tests all call these.

Each service checks the policy, validates its input, and writes in one unit of work: the
rows, the audit event and (where a file comes in) the stored bytes, so a refused request
leaves nothing behind. What happened is announced with a signal in the same transaction.
"""

from .diff import diff_versions, diff_words
from .lifecycle import (
    IssuePlan,
    allowed_transitions,
    approve,
    check_can_transition,
    default_signer,
    issuing,
    move,
    next_number,
    transition,
)
from .reading import (
    editable_documents,
    get_document,
    get_version,
    grant_reading,
    known_terms,
    list_documents,
)
from .relations import add_relation, relations
from .renditions import RENDITION_LABELS, add_rendition, get_rendition
from .versions import (
    Upload,
    add_version,
    check_can_add_version,
    check_can_create,
    check_can_edit,
    check_upload,
    create_document,
    lock_document,
    restore_version,
    restrict,
    safe_filename,
    store_version,
    update_metadata,
    upload_limits,
    write_with_file,
)

__all__ = [
    "RENDITION_LABELS",
    "IssuePlan",
    "Upload",
    "add_relation",
    "add_rendition",
    "add_version",
    "allowed_transitions",
    "approve",
    "check_can_add_version",
    "check_can_create",
    "check_can_edit",
    "check_can_transition",
    "check_upload",
    "create_document",
    "default_signer",
    "diff_versions",
    "diff_words",
    "editable_documents",
    "get_document",
    "get_rendition",
    "get_version",
    "grant_reading",
    "issuing",
    "known_terms",
    "list_documents",
    "lock_document",
    "move",
    "next_number",
    "relations",
    "restore_version",
    "restrict",
    "safe_filename",
    "store_version",
    "transition",
    "update_metadata",
    "upload_limits",
    "write_with_file",
]
