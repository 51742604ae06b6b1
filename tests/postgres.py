"""A throwaway PostgreSQL cluster for the tests and the load run: Debian's initdb and pg_ctl in a
temporary folder, listening on a unix socket only, stopped and removed at the end.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
Durability is switched off (fsync, synchronous commit): nothing here outlives the run.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_USER = "postgres"


def _binaries() -> Path:
    """The newest installed server's bin/ (Debian keeps each major version apart)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    newest = max(found, key=lambda path: [int(part) for part in Path(path).parts[-3].split(".")])
    return Path(newest).parent


class Cluster:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ancuu-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        self.bin = _binaries()

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", SERVER_USER, "--"] if self.as_root else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)

    def start(self) -> Cluster:
        if self.as_root:
            shutil.chown(self.folder, SERVER_USER)
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", SERVER_USER, "--auth=trust", "-E", "UTF8"
        )
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=300"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.folder / "log"),
            "start",
        )
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SERVER_USER}@/{database}?host={self.folder}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class Databases:
    """Creates and drops databases on a server, as copies of a template when one is given."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=None)

    def url(self, name: str) -> str:
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, *, template: str | None = None) -> str:
        with self.engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            # FILE_COPY (PostgreSQL 15+) copies a small template faster than WAL_LOG's default.
            strategy = " STRATEGY FILE_COPY" if connection.dialect.server_version_info >= (15,) else ""
            copy = f' TEMPLATE "{template}"{strategy}' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        return self.url(name)

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.engine.dispose()
