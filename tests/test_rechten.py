"""Owner-only files: the SQLite database with its WAL and SHM, the instance folder, secret key."""

import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from leerplicht import create_app
from leerplicht.extensions import db

from conftest import app_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ruime_umask():
    """A permissive umask (022, as on most servers) for the test; the old one is restored."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def rechten(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(os.stat(path).st_mode)


def _wal_en_shm(database: Path) -> list[Path]:
    """The database file with its -wal and -shm companions."""
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


def _start_en_schrijf(config: dict) -> None:
    """Create the app, write to its database and check the files while a connection is open."""
    app = create_app(config)
    try:
        with app.app_context():
            db.create_all()  # a write: SQLite now has -wal and -shm beside the database
            with db.engine.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM gebruiker")
                database = Path(db.engine.url.database)
                for path in _wal_en_shm(database):
                    assert rechten(path) == 0o600, path
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_new_sqlite_database_wal_and_shm_are_owner_only(tmp_path, ruime_umask):
    """A database created by the app, and the -wal/-shm SQLite makes, are 0600."""
    _start_en_schrijf(app_config(tmp_path, None))  # always SQLite: these are SQLite's files


def test_existing_world_readable_database_is_tightened(tmp_path, ruime_umask):
    """A database (and WAL/SHM) created earlier with 0644 is made owner-only at start."""
    database = tmp_path / "test.sqlite"
    older = sqlite3.connect(database)  # kept open so the -wal and -shm stay on disk
    try:
        older.execute("PRAGMA journal_mode=WAL")
        older.execute("CREATE TABLE oud (id INTEGER)")
        older.commit()
        assert {rechten(path) for path in _wal_en_shm(database)} == {0o644}
        _start_en_schrijf(app_config(tmp_path, None))
    finally:
        older.close()


def test_generated_secret_key_and_instance_folder_are_owner_only(
    tmp_path, ruime_umask, monkeypatch
):
    """instance/ is 0700 and the generated instance/secret_key 0600."""
    monkeypatch.delenv("LEERPLICHT_SECRET_KEY", raising=False)
    config = app_config(tmp_path, None)
    del config["SECRET_KEY"]
    app = create_app(config)
    instance = Path(app.instance_path)
    assert rechten(instance) == 0o700
    assert rechten(instance / "secret_key") == 0o600
    assert app.secret_key == (instance / "secret_key").read_text().strip()
    with app.app_context():
        db.engine.dispose()


def test_existing_instance_folder_and_secret_key_are_tightened(
    tmp_path, ruime_umask, monkeypatch
):
    """An instance folder and key made world-readable earlier are tightened; the key is kept."""
    monkeypatch.delenv("LEERPLICHT_SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    (instance / "secret_key").write_text("een-oude-sleutel\n")
    assert (rechten(instance), rechten(instance / "secret_key")) == (0o755, 0o644)
    config = app_config(tmp_path, None)
    del config["SECRET_KEY"]
    app = create_app(config)
    assert app.secret_key == "een-oude-sleutel"
    assert (rechten(instance), rechten(instance / "secret_key")) == (0o700, 0o600)
    with app.app_context():
        db.engine.dispose()


def test_default_database_in_instance_folder_is_owner_only(tmp_path, ruime_umask, monkeypatch):
    """Without a database setting the SQLite file lands 0600 in a 0700 instance folder."""
    for name in ("LEERPLICHT_DATABASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config = app_config(tmp_path, None)
    del config["SQLALCHEMY_DATABASE_URI"]
    _start_en_schrijf(config)
    assert rechten(tmp_path / "instance") == 0o700
    assert rechten(tmp_path / "instance" / "leerplicht.sqlite") == 0o600


def test_readme_documents_every_environment_variable():
    """Every LEERPLICHT_ variable the app reads has a row in the README's configuration table."""
    gelezen = set()
    for module in (PROJECT_ROOT / "leerplicht").rglob("*.py"):
        gelezen |= set(re.findall(r"\"(LEERPLICHT_[A-Z_]+)\"", module.read_text()))
    readme = (PROJECT_ROOT / "README.md").read_text()
    tabel = readme.split("## Configuratie", 1)[1].split("\n\n", 2)[1]
    rijen = set()
    for rij in tabel.splitlines()[2:]:
        rijen |= set(re.findall(r"`(LEERPLICHT_[A-Z_]+)`", rij.split("|")[1]))
    assert "LEERPLICHT_TRUSTED_PROXIES" in gelezen
    assert gelezen <= rijen
