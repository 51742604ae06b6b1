"""Tests that run the application's processes for real: the index/OCR worker in a child
process on a test's instance, and waiting for what such a process does."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ancuu_docs.extensions import db


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `folder` (made): a disk that can really fill up. Skips the
    test where mounting needs root and this is not root."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:  # not root, or a container without the right to mount
        pytest.skip(f"mount -t tmpfs: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def wait_for(condition, seconds: float = 30.0, *, pause: float = 0.1) -> bool:
    """True once `condition()` holds (read with a fresh snapshot each time), False at the end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        if condition():
            return True
        time.sleep(pause)
    return False


def app_script(instance: Path, body: str) -> str:
    """A Python program that runs `body` (its own lines, unindented) inside an app context on the
    test's instance (and database: the environment names it on PostgreSQL)."""
    preamble = textwrap.dedent(
        f"""
        from ancuu_docs import create_app
        app = create_app({{"SECRET_KEY": "t", "UPLOAD_FOLDER": {str(instance / "uploads")!r}}},
                         instance_path={str(instance)!r})
        app.app_context().push()
        """
    )
    return preamble + textwrap.dedent(body)


def start_worker(instance: Path, *, stderr=None, **settings) -> subprocess.Popen:
    """`flask index worker` on the test's instance, with `settings` as ANCUU_* variables; it
    polls every 0.1 s."""
    env = {**os.environ, "ANCUU_INDEX_WORKER_POLL": "0.1"}
    env.update({f"ANCUU_{key}": str(value) for key, value in settings.items()})
    script = app_script(instance, "from ancuu_docs.search import worker\nworker.run()\n")
    return subprocess.Popen([sys.executable, "-c", script], env=env, stderr=stderr, text=True)
