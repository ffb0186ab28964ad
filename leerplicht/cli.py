"""The `leerplicht` console script (Flask's CLI group for the app) and small admin commands."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.engine import make_url

from .database import backup_sqlite


def _create_app():
    """App factory for the CLI group."""
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Leerplicht: beheer- en exportopdrachten."""


@click.command("backup")
@click.option("--out", "target", required=True, type=click.Path(path_type=Path))
@with_appcontext
def backup_command(target: Path):
    """Schrijf een consistente kopie van de SQLite-database naar OUT."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "Deze opdracht maakt alleen kopieën van SQLite. Gebruik voor PostgreSQL pg_dump."
        )
    try:
        backup_sqlite(Path(url.database), target)
    except FileExistsError as error:
        raise click.ClickException(f"{target} bestaat al; kies een nieuwe bestandsnaam.") from error
    click.echo(f"Kopie geschreven naar {target}")
