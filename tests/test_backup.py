"""Backup and restore of the whole database, on SQLite and on PostgreSQL (pg_dump/pg_restore).

The main test writes to the database without pause while `leerplicht backup` runs, restores
the copy into a fresh database with `leerplicht restore`, and compares every table row by row.
"""

import shutil
import threading
import uuid

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from leerplicht import backups, create_app
from leerplicht.extensions import db
from leerplicht.migraties import upgrade

from conftest import PG_URL

SCHRIJVER = "schrijver-"  # e-mail prefix of the rows the writer adds


@pytest.fixture
def databases(tmp_path):
    """Factory of fresh, empty databases (SQLite files, or new PostgreSQL databases): URLs."""
    made = []

    def maak() -> str:
        naam = f"lp_backup_{uuid.uuid4().hex[:10]}"
        if not PG_URL:
            return f"sqlite:///{tmp_path}/{naam}.sqlite"
        with _beheer().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{naam}"'))
        made.append(naam)
        return make_url(PG_URL).set(database=naam).render_as_string(hide_password=False)

    yield maak
    for naam in made:
        with _beheer().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))


def _beheer():
    """An autocommit engine on the PostgreSQL server (CREATE/DROP DATABASE), without a pool:
    each connection closes when its block ends."""
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@pytest.fixture
def apps(tmp_path):
    """Factory of apps on a given database URL; disposed afterwards."""
    made = []

    def maak(url: str):
        made_app = create_app({
            "TESTING": True, "SECRET_KEY": "backup-test", "PASSWORD_HASH_FAST": True,
            "LOG_JSON": False, "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp_path / f"instance{len(made)}"),
        })
        made.append(made_app)
        return made_app

    yield maak
    for made_app in made:
        with made_app.app_context():
            db.session.remove()
            db.engine.dispose()


def _gevuld(app):
    """Migrate the app's database and fill it with the demo municipality."""
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def _inhoud(app) -> dict[str, list[tuple]]:
    """Every table of the app's database: its rows as sorted tuples of strings."""
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(db.engine)
        with db.engine.connect() as conn:
            return {
                table.name: sorted(tuple(str(v) for v in row)
                                   for row in conn.execute(select(table)))
                for table in metadata.sorted_tables
            }


class Schrijver(threading.Thread):
    """Writes without pause: each transaction adds login attempt k and renames school 1 to
    "Schrijver k", so a consistent copy holds attempts 1..n and the name of n, nothing between."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.engine = create_engine(url, connect_args={"timeout": 30} if "sqlite" in url else {})
        self.gedaan = 0
        self.stop = threading.Event()
        self.fout = None

    def run(self):
        """Write until stopped; remember the first error."""
        try:
            while not self.stop.is_set():
                k = self.gedaan + 1
                with self.engine.begin() as conn:
                    conn.execute(text(
                        "INSERT INTO inlogpoging (email, ip, tijdstip, gelukt) "
                        "VALUES (:email, '10.0.0.1', CURRENT_TIMESTAMP, false)"),
                        {"email": f"{SCHRIJVER}{k}"})
                    conn.execute(text("UPDATE school SET naam = :naam WHERE id = 1"),
                                 {"naam": f"Schrijver {k}"})
                self.gedaan = k
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.fout = error
        finally:
            self.engine.dispose()

    def wacht_tot(self, aantal: int) -> None:
        """Block until the writer has committed `aantal` transactions."""
        for _ in range(3000):
            if self.gedaan >= aantal or self.fout:
                return
            threading.Event().wait(0.01)
        raise AssertionError(f"de schrijver kwam niet verder dan {self.gedaan}")


def _zonder_schrijver(inhoud: dict, n: int | None) -> dict:
    """The content without the writer's traces: its attempts above n (all if None) and the
    name of school 1."""
    schoon = dict(inhoud)
    schoon["inlogpoging"] = [
        r for r in inhoud["inlogpoging"]
        if not (r[1].startswith(SCHRIJVER) and (n is None or int(r[1][len(SCHRIJVER):]) > n))]
    schoon["school"] = [r for r in inhoud["school"] if r[0] != "1"]
    return schoon


def test_backup_under_write_load_restores_row_for_row(databases, apps, tmp_path):
    """A copy made while another connection writes is consistent, and restores exactly."""
    bron = apps(databases())
    _gevuld(bron)
    url = bron.config["SQLALCHEMY_DATABASE_URI"]
    schrijver = Schrijver(url)
    schrijver.start()
    try:
        schrijver.wacht_tot(20)
        kopie = tmp_path / "kopie.dump"
        result = bron.test_cli_runner().invoke(args=["backup", "--out", str(kopie)])
        assert result.exit_code == 0, result.output
        na_backup = schrijver.gedaan
        schrijver.wacht_tot(na_backup + 20)  # the writes went on after the copy
    finally:
        schrijver.stop.set()
        schrijver.join(30)
    assert schrijver.fout is None, schrijver.fout
    voor = _inhoud(bron)

    doel = apps(databases())
    result = doel.test_cli_runner().invoke(args=["restore", str(kopie)])
    assert result.exit_code == 0, result.output
    hersteld = _inhoud(doel)

    # The copy is one moment: attempts 1..n of the writer and school 1 named after n.
    nummers = sorted(int(r[1][len(SCHRIJVER):]) for r in hersteld["inlogpoging"]
                     if r[1].startswith(SCHRIJVER))
    n = len(nummers)
    assert nummers == list(range(1, n + 1))
    assert 20 <= n <= na_backup < schrijver.gedaan
    naam = next(r for r in hersteld["school"] if r[0] == "1")[2]
    assert naam == f"Schrijver {n}"
    # Everything else, in every table, row by row.
    assert set(hersteld) == set(voor)
    assert _zonder_schrijver(hersteld, n) == _zonder_schrijver(voor, n)
    assert sum(len(rows) for rows in hersteld.values()) > 500


def test_restore_refuses_a_database_with_data_unless_told(databases, apps, tmp_path):
    """Without --overschrijven a filled database stays as it is; with it, it becomes the copy."""
    bron = apps(databases())
    _gevuld(bron)
    kopie = tmp_path / "kopie.dump"
    assert bron.test_cli_runner().invoke(args=["backup", "--out", str(kopie)]).exit_code == 0
    bij_backup = _inhoud(bron)
    with bron.app_context():
        db.session.execute(text("UPDATE school SET naam = 'Na de kopie' WHERE id = 2"))
        db.session.execute(text("DELETE FROM auditregel"))
        db.session.commit()
    gewijzigd = _inhoud(bron)

    geweigerd = bron.test_cli_runner().invoke(args=["restore", str(kopie)])
    assert geweigerd.exit_code != 0
    assert "bevat al gegevens" in geweigerd.output and "--overschrijven" in geweigerd.output
    assert _inhoud(bron) == gewijzigd

    result = bron.test_cli_runner().invoke(args=["restore", str(kopie), "--overschrijven"])
    assert result.exit_code == 0, result.output
    assert _inhoud(bron) == bij_backup


@pytest.mark.parametrize("soort", ["onzin", "leeg", "ontbreekt"])
def test_restore_of_something_else_changes_nothing(databases, apps, tmp_path, soort):
    """A file that is no copy of Leerplicht (or no file): a Dutch message, nothing changed."""
    doel = apps(databases())
    with doel.app_context():
        upgrade()
    leeg = _inhoud(doel)
    bestand = tmp_path / "geen-kopie.dump"
    if soort == "onzin":
        bestand.write_bytes(b"dit is geen kopie\n" * 100)
    elif soort == "leeg":
        bestand.write_bytes(b"")
    result = doel.test_cli_runner().invoke(args=["restore", str(bestand), "--overschrijven"])
    assert result.exit_code != 0
    assert "geen" in result.output and "Traceback" not in result.output
    assert _inhoud(doel) == leeg


def test_backup_never_overwrites_and_is_owner_only(databases, apps, tmp_path):
    """An existing file is refused and stays; a new copy is 0600."""
    bron = apps(databases())
    _gevuld(bron)
    bestaand = tmp_path / "bestaand.dump"
    bestaand.write_text("van iemand anders")
    result = bron.test_cli_runner().invoke(args=["backup", "--out", str(bestaand)])
    assert result.exit_code != 0 and "bestaat al" in result.output
    assert bestaand.read_text() == "van iemand anders"
    nieuw = tmp_path / "nieuw.dump"
    assert bron.test_cli_runner().invoke(args=["backup", "--out", str(nieuw)]).exit_code == 0
    assert (nieuw.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("programma", ["pg_dump", "pg_restore"])
def test_missing_postgresql_client_gives_a_clear_message(monkeypatch, programma):
    """Without pg_dump/pg_restore the message names the program and how to install it."""
    monkeypatch.setattr(shutil, "which", lambda naam: None)
    with pytest.raises(backups.BackupFout) as fout:
        backups._pg_programma(programma)
    assert programma in str(fout.value) and "postgresql-client" in str(fout.value)


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL: pg_dump via de CLI")
def test_cli_without_pg_dump_writes_nothing(databases, apps, tmp_path, monkeypatch):
    """On PostgreSQL without pg_dump: the message, and no (empty) file left behind."""
    bron = apps(databases())
    with bron.app_context():
        upgrade()
    monkeypatch.setattr(shutil, "which", lambda naam: None)
    kopie = tmp_path / "kopie.dump"
    result = bron.test_cli_runner().invoke(args=["backup", "--out", str(kopie)])
    assert result.exit_code != 0 and "pg_dump is niet gevonden" in result.output
    assert not kopie.exists()
