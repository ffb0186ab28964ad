"""Backups and restores of the whole database: SQLite with its backup API, PostgreSQL with
pg_dump and pg_restore (the client programs must be installed; a clear message if not)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import URL, Engine

from .extensions import db
from .migraties import upgrade

MIGRATIETABEL = "alembic_version"


class BackupFout(Exception):
    """A backup or restore that cannot be done; the message is Dutch and for the user."""


def maak_backup(engine: Engine, target: Path) -> None:
    """Write a consistent, owner-only copy of the live database to target (never overwrite)."""
    if engine.dialect.name == "sqlite":
        backup_sqlite(Path(engine.url.database), target)
    elif engine.dialect.name == "postgresql":
        _pg_dump(engine.url, target)
    else:
        raise BackupFout(f"Kopieën van {engine.dialect.name} worden niet ondersteund.")


def herstel(engine: Engine, bron: Path, overschrijven: bool = False) -> None:
    """Replace the database's content by the backup `bron`; refuse a database with data unless
    overschrijven. Afterwards the caller runs the migrations (an older backup is upgraded)."""
    if not bron.is_file():
        raise BackupFout(f"{bron} bestaat niet of is geen bestand.")
    if engine.dialect.name == "sqlite":
        _controleer_sqlite_kopie(bron)
    elif engine.dialect.name == "postgresql":
        _pg_programma("pg_restore")
        _controleer_pg_kopie(engine.url, bron)
    else:
        raise BackupFout(f"Herstellen in {engine.dialect.name} wordt niet ondersteund.")
    gevuld = tabellen_met_gegevens(engine)
    if gevuld and not overschrijven:
        raise BackupFout(
            "De database bevat al gegevens (" + ", ".join(gevuld[:5])
            + (", …" if len(gevuld) > 5 else "") + "). Herstellen vervangt alles: "
            "geef --overschrijven mee als dat de bedoeling is (maak eerst zo nodig een kopie)."
        )
    if engine.dialect.name == "sqlite":
        engine.dispose()
        _herstel_sqlite(bron, Path(engine.url.database))
    else:
        _leeg_database(engine)
        _pg_restore(engine.url, bron)
    engine.dispose()


def tabellen_met_gegevens(engine: Engine) -> list[str]:
    """The tables (migration bookkeeping aside) that hold at least one row."""
    metadata = MetaData()
    metadata.reflect(engine)
    gevuld = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name != MIGRATIETABEL and conn.scalar(
                select(func.count()).select_from(table)
            ):
                gevuld.append(table.name)
    return gevuld


# --- SQLite -------------------------------------------------------------------------------------


def backup_sqlite(database_path: Path, target: Path) -> None:
    """Write a consistent, owner-only copy of a live SQLite database with the backup API."""
    # Created 0600 (and never over an existing file) before SQLite writes a byte into it.
    _nieuw_bestand(target)
    try:
        source = sqlite3.connect(database_path)
        try:
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()
    except BaseException:
        target.unlink(missing_ok=True)  # no half-written copy that looks like a backup
        raise


def _controleer_sqlite_kopie(bron: Path) -> None:
    """Refuse a file that is not an SQLite copy of this app (it has the migration table)."""
    try:
        with sqlite3.connect(f"file:{bron}?mode=ro", uri=True) as conn:
            tabellen = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupFout(f"{bron} is geen SQLite-kopie van Leerplicht.") from error
    if MIGRATIETABEL not in tabellen:
        raise BackupFout(f"{bron} is geen kopie van Leerplicht (de migratietabel ontbreekt).")


def _herstel_sqlite(bron: Path, database_path: Path) -> None:
    """Copy the backup into the database file with the backup API (it replaces every page)."""
    source = sqlite3.connect(f"file:{bron}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(database_path)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_programma(naam: str) -> str:
    """The path of pg_dump or pg_restore, or a message that says how to install it."""
    pad = shutil.which(naam)
    if pad is None:
        raise BackupFout(
            f"{naam} is niet gevonden. Installeer de PostgreSQL-clientprogramma's van dezelfde "
            "hoofdversie als de server (Debian/Ubuntu: apt-get install postgresql-client) en "
            "probeer het opnieuw."
        )
    return pad


def _pg_omgeving(url: URL) -> dict[str, str]:
    """libpq's environment for the URL: the password never appears on a command line."""
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    return env


def _draai(args: list[str], url: URL, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client program; a failure becomes BackupFout with its own message."""
    result = subprocess.run(args, env=_pg_omgeving(url), stderr=subprocess.PIPE, check=False,
                            **kwargs)
    if result.returncode != 0:
        melding = result.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupFout(f"{Path(args[0]).name} is mislukt: {melding}")
    return result


def _pg_dump(url: URL, target: Path) -> None:
    """pg_dump in its custom format (one consistent snapshot), into a new 0600 file."""
    programma = _pg_programma("pg_dump")
    _nieuw_bestand(target)
    try:
        with open(target, "wb") as fh:
            _draai([programma, "--format=custom"], url, stdout=fh)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _controleer_pg_kopie(url: URL, bron: Path) -> None:
    """Refuse a file pg_restore cannot read, or one without the migration table."""
    try:
        inhoud = _draai([_pg_programma("pg_restore"), "--list", str(bron)], url,
                        stdout=subprocess.PIPE).stdout.decode("utf-8", "replace")
    except BackupFout as error:
        raise BackupFout(f"{bron} is geen kopie die pg_restore kan lezen.") from error
    if not any("TABLE " in regel and f" {MIGRATIETABEL} " in regel
               for regel in inhoud.splitlines()):
        raise BackupFout(f"{bron} is geen kopie van Leerplicht (de migratietabel ontbreekt).")


def _leeg_database(engine: Engine) -> None:
    """Drop every table of the database's schema (also those of a newer version)."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as conn:
        metadata.drop_all(conn)


def _pg_restore(url: URL, bron: Path) -> None:
    """pg_restore into the emptied database, all or nothing (one transaction)."""
    _draai([_pg_programma("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", "--dbname", url.database or "", str(bron)], url)


def _nieuw_bestand(target: Path) -> None:
    """Create target empty and owner-only (0600); an existing file is never overwritten."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# --- the commands: `leerplicht backup` and `leerplicht restore` -------------------------------


@click.command("backup")
@click.option("--out", "target", required=True, type=click.Path(path_type=Path),
              help="Nieuw bestand voor de kopie (wordt nooit overschreven).")
@with_appcontext
def backup_command(target: Path):
    """Schrijf een consistente kopie van de hele database naar OUT.

    SQLite: met de backup-API van SQLite. PostgreSQL: met pg_dump (eigen formaat),
    terug te zetten met `leerplicht restore`.
    """
    try:
        maak_backup(db.engine, target)
    except FileExistsError as error:
        raise click.ClickException(f"{target} bestaat al; kies een nieuwe bestandsnaam.") from error
    except BackupFout as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Kopie geschreven naar {target}")


@click.command("restore")
@click.argument("bron", type=click.Path(path_type=Path))
@click.option("--overschrijven", is_flag=True,
              help="Ook als de database al gegevens bevat: die gaan dan verloren.")
@with_appcontext
def restore_command(bron: Path, overschrijven: bool):
    """Zet de kopie BRON terug in de database en werk het schema daarna bij.

    Weigert een database die al gegevens bevat, tenzij --overschrijven is gegeven.
    Stop de app (gunicorn) eerst: wie tijdens het herstellen werkt, raakt dat kwijt.
    """
    try:
        herstel(db.engine, bron, overschrijven=overschrijven)
    except BackupFout as error:
        raise click.ClickException(str(error)) from error
    db.session.remove()
    upgrade()  # a backup of an older version gets the newer migrations
    click.echo(f"Database hersteld uit {bron} en bijgewerkt naar de nieuwste versie.")
