"""SQLite settings that prevent lost updates, and the same guarantee across processes."""

import multiprocessing

import pytest
from sqlalchemy import select, text

from leerplicht import create_app
from leerplicht.extensions import db
from leerplicht.scholen.models import School

import factories as f


@pytest.fixture
def sqlite_only(app):
    """These tests are about SQLite's own transaction handling."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite-specific")


def test_sqlite_pragmas(app, sqlite_only):
    """Every connection has WAL, a busy timeout and enforced foreign keys."""
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def _increment(config: dict, code: str, times: int) -> int:
    """Worker process: read-modify-write the school's street number `times` times."""
    app = create_app(config)
    with app.app_context():
        for _ in range(times):
            school = db.session.scalars(select(School).where(School.code == code)).one()
            school.straat = str(int(school.straat) + 1)
            db.session.commit()
        db.engine.dispose()
    return times


def test_concurrent_read_modify_write_loses_nothing(app, sqlite_only):
    """4 processes x 25 increments give exactly 100: BEGIN IMMEDIATE serialises the writers."""
    with app.app_context():
        f.school(code="77CC77", straat="0")
        db.session.commit()
    config = {k: v for k, v in app.config.items() if k.isupper()}
    config["INSTANCE_PATH"] = app.instance_path
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        done = sum(pool.starmap(_increment, [(config, "77CC77", 25)] * 4))
    with app.app_context():
        value = db.session.execute(text("select straat from school where code = '77CC77'"))
        assert (done, int(value.scalar())) == (100, 100)
