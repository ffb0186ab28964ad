"""Database plumbing: SQLite pragmas and BEGIN IMMEDIATE, record lookup helpers, backups."""

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import abort, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def configure_engine(engine: Engine) -> None:
    """Install the SQLite connection settings that prevent lost updates and lock errors."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let us emit BEGIN ourselves: pysqlite's own transaction handling loses updates.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


# Set by alleen_lezen(): work outside a request that only reads (the export).
_ALLEEN_LEZEN: ContextVar[bool] = ContextVar("alleen_lezen", default=False)


@contextmanager
def alleen_lezen():
    """Within this block, transactions outside a request begin without SQLite's write lock."""
    token = _ALLEEN_LEZEN.set(True)
    try:
        yield
    finally:
        _ALLEEN_LEZEN.reset(token)


def _wants_write_lock() -> bool:
    """Writes (POST requests, CLI commands) take the write lock at BEGIN; page views do not."""
    if has_request_context():
        return request.method in WRITE_METHODS
    return not _ALLEEN_LEZEN.get()


def get_or_404(model, **criteria):
    """Return the one record matching criteria, or answer 404."""
    record = db.session.scalars(select(model).filter_by(**criteria)).one_or_none()
    if record is None:
        abort(404)
    return record


def backup_sqlite(database_path: Path, target: Path) -> None:
    """Write a consistent copy of a live SQLite database with the online backup API."""
    if target.exists():
        raise FileExistsError(f"{target} bestaat al")
    source = sqlite3.connect(database_path)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


class Conflict(Exception):
    """Someone else saved the record after this form was loaded."""


def check_version(record, submitted: str | None) -> None:
    """Raise Conflict when the form's hidden version is not the record's current version."""
    if str(record.versie) != (submitted or "").strip():
        raise Conflict()


def commit_or_conflict() -> None:
    """Commit; a concurrent save between load and flush (version_id_col) becomes Conflict."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict() from error
