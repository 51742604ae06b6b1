"""Transactions: SQLite set up for concurrent writers, and the one way services write."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .extensions import db

log = logging.getLogger(__name__)

_IMMEDIATE = "ancuu_immediate"
_AFTER_COMMIT = "ancuu_after_commit"
_ON_ROLLBACK = "ancuu_on_rollback"
_ACTIVE = "ancuu_unit_active"


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

    Called inside another unit of work, it joins it: the outermost one commits, so services
    compose into one transaction (a meeting's decision approves its document atomically).
    """
    session = db.session
    if session.info.get(_ACTIVE):
        yield session
        return
    session.rollback()
    session.info.update({_ACTIVE: True, _AFTER_COMMIT: [], _ON_ROLLBACK: []})
    try:
        session.connection(execution_options={_IMMEDIATE: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        _run(session.info.get(_ON_ROLLBACK, []), "rollback")
        raise
    finally:
        session.info.pop(_ACTIVE, None)
        session.info.pop(_ON_ROLLBACK, None)
        callbacks = session.info.pop(_AFTER_COMMIT, [])
    _run(callbacks, "after-commit")


def _run(callbacks: list[Callable[[], None]], when: str) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the transaction is decided; follow-up work retries on its own
            log.exception("%s work failed", when)


def _pending(key: str) -> list:
    pending = db.session.info.get(key)
    if pending is None:
        raise RuntimeError("only inside unit_of_work()")
    return pending


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current unit of work has committed (once per unit)."""
    pending = _pending(_AFTER_COMMIT)
    if callback not in pending:
        pending.append(callback)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the current unit of work rolls back (to undo work outside the database)."""
    _pending(_ON_ROLLBACK).append(callback)


def locked_counter(model, **key):
    """The counter row of `model` with primary key `key`, made (at 0) when missing and locked
    until the transaction ends, holding the latest committed value.

    Made first with a no-op on conflict, so the first two writers of a new key lock the same
    row instead of both inserting it; refreshed after the lock (a row this session read
    earlier may hold a value another writer has since committed over).
    """
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(model).values(**key, last_value=0).on_conflict_do_nothing())
    identity = tuple(key[column.key] for column in inspect(model).primary_key)
    return db.session.get(model, identity, with_for_update=True, populate_existing=True)


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
