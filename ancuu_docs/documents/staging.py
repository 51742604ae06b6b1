"""Reading a file's header before filing it: the form's empty fields are filled with what the
first page says (each marked for the user to check), and the file is kept for this session's
next submit, so it is not chosen twice. Used by the upload and the register pages.

A kept file is removed from the disk for good the moment the entry it was read for is
submitted as secret (a secret document is registered by its metadata only) and when the
session ends; one simply left behind goes with the worker's sweep."""

from __future__ import annotations

from flask import has_request_context, session

from .. import storage, storage_check
from ..detect import detect
from ..errors import InvalidInput
from ..signals import user_changed
from . import intake, services
from .types import SECRET_FILE

_STAGED = "staged_uploads"  # {sha256: filename} of files this session has read


def is_secret(form) -> bool:
    """Whether the form registers a secret entry (metadata only)."""
    return hasattr(form, "security_level") and (form.security_level.data or "none") != "none"


def upload(form) -> services.Upload | None:
    """The file chosen now, or the one this session read with "Đọc thông tin từ tệp"."""
    chosen = services.Upload.from_file(form.file.data)
    # A secret document takes no file: one read earlier is not carried into it.
    if chosen is None and form.staged.data and not is_secret(form):
        name = session.get(_STAGED, {}).get(form.staged.data)
        if name is not None and storage.exists(form.staged.data):
            return services.Upload(storage.read(form.staged.data), name)
    return chosen


def keep(form) -> None:
    """The file chosen now, kept for this session's next submit (checked first: a file refused
    is not kept), so a form refused for another field does not ask for it again."""
    chosen = services.Upload.from_file(form.file.data)
    if chosen is None or is_secret(form):
        return
    services.check_upload(chosen)
    digest, _created = storage.put(chosen.data)
    session.setdefault(_STAGED, {})[digest] = chosen.filename
    session.modified = True
    form.staged.data, form.file.data = digest, None


def read_header(form, fields: dict[str, str]) -> set[str]:
    """Fill the form's empty `fields` (form field -> detected key) from the chosen file's first
    page; keep the file for the submit that follows. Never for a secret document."""
    if is_secret(form):
        raise InvalidInput(SECRET_FILE, field="file")
    chosen = upload(form)
    if chosen is None:
        raise InvalidInput("Chọn tệp để đọc thông tin.", field="file")
    text = services.check_upload(chosen).text
    if not text:
        raise InvalidInput(
            "Tệp là bản quét hoặc ảnh: thông tin sẽ đọc được sau khi nhận dạng chữ. Hãy nhập tay.",
            field="file",
        )
    digest, _created = storage.put(chosen.data)
    session.setdefault(_STAGED, {})[digest] = chosen.filename
    session.modified = True
    form.staged.data = digest
    found = detect(text).as_json()
    filled = set()
    for name, key in fields.items():
        if name == "issuer" and getattr(form, "origin", None) is not None and form.origin.data != "incoming":
            continue  # ours: the issuing body is the committee itself
        field = getattr(form, name)
        if not field.data and found.get(key):
            field.data = found[key]
            filled.add(name)
    if not filled:
        raise InvalidInput("Không đọc được số, ngày hay trích yếu ở đầu văn bản: hãy nhập tay.", field="file")
    return filled


def staged_name(form) -> str | None:
    return session.get(_STAGED, {}).get(form.staged.data or "")


def forget(form) -> None:
    session.get(_STAGED, {}).pop(form.staged.data or "", None)
    session.modified = True


def discard(form) -> None:
    """The kept file is not wanted (the entry is secret): off the disk now, unless a row names
    the same bytes."""
    digest = form.staged.data or ""
    if session.get(_STAGED, {}).pop(digest, None) is not None:
        session.modified = True
        storage_check.remove_if_unreferenced(digest)
    form.staged.data = ""


def discard_all() -> None:
    """Every file this session kept and did not use (the session ends)."""
    for digest in list(session.pop(_STAGED, {}) or {}):
        storage_check.remove_if_unreferenced(digest)


@user_changed.connect
def _session_ends(user, *, actor, action: str, details: dict) -> None:
    if action == "user.logout" and has_request_context():
        discard_all()
        if user is not None:
            intake.remove_of(user)  # and the files staged for a registration
