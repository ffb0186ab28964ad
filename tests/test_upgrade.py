"""Upgrades: a database made by the first landed migration, with that version's demo data,
migrates to the newest schema with `leerplicht db upgrade` and keeps every row and value.

The data (tests/data/eerste-migratie-demo.json) was written by the demo of the first landed
commit (cec74ca); tools/upgradedata.py says how it was made.
"""

import json
from datetime import UTC, date, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Boolean, Date, DateTime, MetaData, select, text

from leerplicht import migraties
from leerplicht.extensions import db
from leerplicht.migraties import upgrade

EERSTE_MIGRATIE = "ac7988411e40"
DATA = json.loads((Path(__file__).parent / "data" / "eerste-migratie-demo.json").read_text())


def _waarde(column, value):
    """A JSON value of the SQLite dump as the column's Python type."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, Boolean):
        return bool(value)
    return value


def _gelijk(value):
    """A value in comparable form: aware datetimes as naive UTC, SQLite's 0/1 as booleans."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _gereflecteerd() -> MetaData:
    """The database's tables as they are now."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    return metadata


def _head() -> str:
    """The newest migration of the repository."""
    migraties.init(current_app)
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def test_upgrade_from_the_first_migration_keeps_every_row(app, runner):
    """First migration + its demo data, then `leerplicht db upgrade`: every row and value."""
    with app.app_context():
        db.drop_all()
        upgrade(revision=EERSTE_MIGRATIE)
        metadata = _gereflecteerd()
        tabellen = metadata.tables
        assert set(DATA) == set(tabellen), set(DATA) ^ set(tabellen)
        with db.engine.begin() as conn:
            for table in metadata.sorted_tables:  # parents before the rows that point to them
                if table.name == "alembic_version" or not DATA[table.name]["rows"]:
                    continue
                kolommen = DATA[table.name]["columns"]
                conn.execute(table.insert(), [
                    {k: _waarde(table.c[k], v) for k, v in zip(kolommen, rij, strict=True)}
                    for rij in DATA[table.name]["rows"]
                ])
            if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences on
                for table in tabellen.values():
                    if "id" in table.c and table.c.id.autoincrement:
                        conn.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tabellen = _gereflecteerd().tables
        head = _head()
        with db.engine.connect() as conn:
            versie = conn.scalar(text("SELECT version_num FROM alembic_version"))
            verschillen, vergeleken = [], 0
            for naam, dump in DATA.items():
                if naam == "alembic_version":
                    continue
                table = tabellen[naam]
                sleutel = [c.name for c in table.primary_key.columns]
                nu = {tuple(r._mapping[k] for k in sleutel): r._mapping
                      for r in conn.execute(select(table))}
                assert len(nu) >= len(dump["rows"]), naam
                for rij in dump["rows"]:
                    oud = {k: _waarde(table.c[k], v) if k in table.c else v
                           for k, v in zip(dump["columns"], rij, strict=True)}
                    nieuw = nu.get(tuple(oud[k] for k in sleutel))
                    if nieuw is None:
                        verschillen.append(f"{naam} {oud}: rij verdwenen")
                        continue
                    vergeleken += 1
                    for kolom, waarde in oud.items():
                        if kolom in table.c and _gelijk(nieuw[kolom]) != _gelijk(waarde):
                            verschillen.append(f"{naam}.{kolom}: {waarde!r} -> {nieuw[kolom]!r}")
    assert versie == head
    assert vergeleken == sum(len(d["rows"]) for n, d in DATA.items() if n != "alembic_version")
    assert vergeleken > 100
    assert not verschillen, "\n".join(verschillen)
    with app.app_context():  # the next test's app starts from an empty database
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))

