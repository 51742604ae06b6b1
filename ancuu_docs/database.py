"""Transactions: SQLite set up for concurrent writers, and the one way services write."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .extensions import db

log = logging.getLogger(__name__)

_IMMEDIATE = "ancuu_immediate"
_AFTER_COMMIT = "ancuu_after_commit"


def configure_sqlite(engine: Engine) -> None:
    """Take control of BEGIN so a writing unit of work can start with BEGIN IMMEDIATE.

    pysqlite opens deferred transactions lazily; two deferred transactions that both read
    and then write deadlock, and SQLite answers one of them "database is locked" at once.
    BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue instead.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Run one writing transaction: commit on success, roll back on any error.

    Any read transaction already open in this session (the login lookup, say) is ended
    first, so the writer starts with a fresh snapshot and, on SQLite, the write lock.
    Rows the caller loaded before stay usable; they are reloaded on access.
    """
    session = db.session
    session.rollback()
    session.info[_AFTER_COMMIT] = []
    session.connection(execution_options={_IMMEDIATE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.info.pop(_AFTER_COMMIT, None)
        session.rollback()
        raise
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # the change is committed; follow-up work retries on its own
            log.exception("after-commit work failed")


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current unit of work has committed (once per unit)."""
    pending = db.session.info.get(_AFTER_COMMIT)
    if pending is None:
        raise RuntimeError("after_commit() outside unit_of_work()")
    if callback not in pending:
        pending.append(callback)


class ImmutableRow:
    """Mixin for revisions: rows are added, never changed or deleted."""


class ImmutableVersionError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _revisions_are_immutable(session: Session, _context, _instances) -> None:
    """Refuse, at the ORM level, any update or delete of a stored revision."""
    for obj in session.deleted:
        if isinstance(obj, ImmutableRow):
            raise ImmutableVersionError("Phiên bản đã lưu không được xóa.")
    for obj in session.dirty:
        if isinstance(obj, ImmutableRow) and session.is_modified(obj, include_collections=False):
            raise ImmutableVersionError("Phiên bản đã lưu không được sửa.")
