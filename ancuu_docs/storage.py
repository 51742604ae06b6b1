"""Content-addressed files under uploads/: a file is named by the SHA-256 of its bytes.

Files are written once and never changed; the same bytes are stored once, whatever
their original name. The original filename is kept in the database only.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import current_app

from .database import on_rollback
from .errors import InsufficientStorage

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SYNC_EACH = ContextVar("ancuu_sync_each_file", default=True)


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_for(sha256: str) -> Path:
    if not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 digest")
    return _root() / sha256[:2] / sha256[2:4] / sha256


def exists(sha256: str) -> bool:
    return path_for(sha256).exists()


def put(data: bytes) -> tuple[str, bool]:
    """Store bytes; return their digest and whether this call created the file."""
    digest = sha256_of(data)
    target = path_for(digest)
    if target.exists():
        try:
            os.utime(target)  # fresh again: the orphan sweep leaves young files alone
        except FileNotFoundError:
            pass  # swept this instant: written anew below
        except OSError:
            return digest, False  # another user's file (a restore run as root): it is there
        else:
            return digest, False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed, so a reader never sees half a file.
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise InsufficientStorage() from exc
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if _SYNC_EACH.get():
                os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o444)
        os.replace(tmp_name, target)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise InsufficientStorage() from exc
        raise
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return digest, True


@contextmanager
def synced_once() -> Iterator[None]:
    """Files written inside are made durable by one sync at the end instead of one each: a
    bulk import writes thousands. Leave it before the database commit that points to them."""
    token = _SYNC_EACH.set(False)
    try:
        yield
    finally:
        _SYNC_EACH.reset(token)
        os.sync()


def put_in_unit(data: bytes) -> str:
    """Store bytes inside the caller's unit of work and return their digest. A file this call
    created is removed again if the unit rolls back: no row can point to it then. Call it
    inside the write lock, so the file cannot be what another writer's row points to."""
    digest, created = put(data)
    if created:
        on_rollback(lambda: discard(digest))
    return digest


def discard(sha256: str) -> None:
    """Remove a file this request created when its transaction failed (no row points to it)."""
    path_for(sha256).unlink(missing_ok=True)


def read(sha256: str) -> bytes:
    return path_for(sha256).read_bytes()


def send(sha256: str, *, download_name: str, mimetype: str):
    """A download response for a stored file, offered under its original name."""
    from flask import send_file

    return send_file(path_for(sha256), mimetype=mimetype, as_attachment=True, download_name=download_name)
