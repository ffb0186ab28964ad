"""Alembic migrations through Flask-Migrate, loaded only when they are needed.

Importing Flask-Migrate brings in Alembic (~0.2 s), which every start of the app and the CLI
would pay for. So the app registers a `db` command that loads Flask-Migrate when it runs, and
the code that migrates (restore, tests) calls upgrade() here. `leerplicht db upgrade` stays
the one command for an upgrade.
"""

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from .config import PROJECT_ROOT
from .extensions import db

MIGRATIES = PROJECT_ROOT / "migrations"


def init(app: Flask) -> None:
    """Bind Flask-Migrate to the app (once); it then also replaces the lazy `db` command."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIES), render_as_batch=True)


def upgrade(revision: str = "head") -> None:
    """Migrate the current app's database to `revision` (the newest by default)."""
    init(current_app._get_current_object())
    from flask_migrate import upgrade as alembic_upgrade

    alembic_upgrade(revision=revision)


class LazyDbGroup(click.Group):
    """Stands in for Flask-Migrate's `db` group until it is used: then it hands over to it."""

    def make_context(self, info_name, args, parent=None, **extra):
        """Bind Flask-Migrate to the app and let its own `db` group parse and run the call."""
        info = parent.find_object(ScriptInfo) if parent is not None else None
        init(info.load_app() if info is not None else current_app._get_current_object())
        from flask_migrate.cli import db as db_group

        return db_group.make_context(info_name, args, parent=parent, **extra)


def register(app: Flask) -> None:
    """Add the lazy `db` command to the app's CLI."""
    app.cli.add_command(LazyDbGroup("db", help="Database bijwerken en migraties beheren "
                                                "(Alembic): leerplicht db upgrade."))
