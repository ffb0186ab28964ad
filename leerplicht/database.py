"""Database plumbing: SQLite pragmas and BEGIN IMMEDIATE, record lookup helpers, conflicts."""

import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import abort, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .config import owner_only
from .extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def configure_engine(engine: Engine) -> None:
    """Install the SQLite connection settings that prevent lost updates and lock errors."""
    if engine.dialect.name != "sqlite":
        return
    if engine.url.database not in (None, "", ":memory:") and not engine.url.query.get("uri"):
        restrict_sqlite_files(Path(engine.url.database))

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


def restrict_sqlite_files(database_path: Path) -> None:
    """Create the SQLite file owner-only (0600) before the first connect; tighten older files."""
    # SQLite gives its -wal and -shm files the permissions of the main file, so creating that
    # file 0600 ourselves keeps all three from the umask's usual world-readable 0644.
    if not database_path.parent.is_dir():
        return  # SQLite reports the missing folder itself at the first connect
    try:
        os.close(os.open(database_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    for path in (database_path, *(Path(f"{database_path}{end}") for end in ("-wal", "-shm"))):
        owner_only(path, 0o600)


def get_or_404(model, **criteria):
    """Return the one record matching criteria, or answer 404."""
    record = db.session.scalars(select(model).filter_by(**criteria)).one_or_none()
    if record is None:
        abort(404)
    return record


class Conflict(Exception):
    """Someone else saved the record after this form was loaded."""


# The one message for a conflict: beside a re-rendered form, in a flash, and on the 409 page.
CONFLICT_TEKST = (
    "Iemand anders heeft dit tegelijk met u gewijzigd. Er is niets van uw wijziging "
    "opgeslagen: bekijk de huidige stand en probeer het zo nodig opnieuw."
)


def check_version(record, submitted: str | None) -> None:
    """Raise Conflict when the form's hidden version is not the record's current version."""
    if str(record.versie) != (submitted or "").strip():
        raise Conflict()


# What the database says when another request got there first: a row changed since it was read
# (version_id_col), or a unique index / constraint refused a row another request just wrote.
RACE_ERRORS = (StaleDataError, IntegrityError)


def commit_or_conflict() -> None:
    """Commit; a concurrent save or insert (stale version, unique index) becomes Conflict."""
    try:
        db.session.commit()
    except RACE_ERRORS as error:
        db.session.rollback()
        raise Conflict() from error




def handle_race(_error):
    """Error handler: a conflict no view caught answers 409 with a Dutch page, never a 500."""
    from .security import error_page

    db.session.rollback()
    return error_page(409, CONFLICT_TEKST)


def register(app) -> None:
    """Turn every uncaught Conflict, stale version and unique-index refusal into a 409."""
    for error in (Conflict, *RACE_ERRORS):
        app.register_error_handler(error, handle_race)


def lock_for_write(query):
    """Add FOR UPDATE to a query on PostgreSQL when the request writes (SQLite: BEGIN IMMEDIATE
    already serialises writers; its dialect leaves the clause out)."""
    if has_request_context() and request.method in WRITE_METHODS:
        return query.with_for_update()
    return query
