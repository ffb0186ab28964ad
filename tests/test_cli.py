"""Command-line commands: demo, user create, backup, migrations."""

import sqlite3

from sqlalchemy import func, select

from leerplicht.accounts.models import Gebruiker
from leerplicht.extensions import db
from leerplicht.scholen.models import School, Sector
from leerplicht.schooljaren import Schooljaar


def test_demo_fills_every_sector_and_prints_logins(app, runner):
    """Demo data: 12 schools of every sector, a current schooljaar, one login line per user."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines() if line.startswith("  ")]
    assert sorted(line[0] for line in lines) == ["beheerder", "llz", "llz", "school", "school"]
    with app.app_context():
        sectors = set(db.session.scalars(select(School.sector)))
        assert sectors == {s.value for s in Sector}
        assert db.session.scalar(select(func.count(School.id))) == 12
        assert db.session.scalars(select(Schooljaar).filter_by(huidig=True)).one()
    client = app.test_client()
    role, email, password = lines[0]
    assert role == "beheerder"
    from conftest import Client

    Client(app).login(email, password)
    assert client is not None


def test_demo_refuses_non_empty_database_and_if_empty_only_prints(app, runner):
    """Running demo twice adds nothing; --if-empty prints the same logins again."""
    first = runner.invoke(args=["demo"])
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "niet leeg" in again.output
    quiet = runner.invoke(args=["demo", "--if-empty"])
    assert quiet.exit_code == 0
    logins = [line for line in first.output.splitlines() if line.startswith("  ")]
    assert [line for line in quiet.output.splitlines() if line.startswith("  ")] == logins
    with app.app_context():
        assert db.session.scalar(select(func.count(School.id))) == 12


def test_demo_with_many_schools(app, runner):
    """--schools N generates N schools with unique codes."""
    result = runner.invoke(args=["demo", "--schools", "300"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(func.distinct(School.code)))) == 300


def test_user_create(app, runner):
    """leerplicht user create adds a user; bad input is refused with a Dutch message."""
    runner.invoke(args=["demo"])
    ok = runner.invoke(args=["user", "create", "--email", "Nieuw@Example.nl", "--naam", "Nieuw",
                             "--rol", "school", "--school", "21XA00"],
                       input="een-lang-wachtwoord\neen-lang-wachtwoord\n")
    assert ok.exit_code == 0, ok.output
    with app.app_context():
        user = db.session.scalars(select(Gebruiker).filter_by(email="nieuw@example.nl")).one()
        assert [s.code for s in user.scholen] == ["21XA00"]
    for args, message in [
        (["--email", "nieuw@example.nl", "--naam", "X", "--rol", "llz"], "al een gebruiker"),
        (["--email", "x@example.nl", "--naam", "X", "--rol", "school"], "minstens één --school"),
        (["--email", "x@example.nl", "--naam", "X", "--rol", "school", "--school", "00XX00"],
         "Onbekende school"),
    ]:
        result = runner.invoke(args=["user", "create", *args],
                               input="een-lang-wachtwoord\neen-lang-wachtwoord\n")
        assert result.exit_code != 0 and message in result.output
    short = runner.invoke(args=["user", "create", "--email", "k@example.nl", "--naam", "K",
                                "--rol", "llz"], input="kort\nkort\n")
    assert short.exit_code != 0 and "12 tekens" in short.output


def test_backup_is_a_consistent_copy(app, runner, tmp_path):
    """backup writes a readable SQLite copy and refuses to overwrite."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        result = runner.invoke(args=["backup", "--out", str(tmp_path / "b.sqlite")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    runner.invoke(args=["demo"])
    target = tmp_path / "kopie.sqlite"
    result = runner.invoke(args=["backup", "--out", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("select count(*) from school").fetchone()[0] == 12
    again = runner.invoke(args=["backup", "--out", str(target)])
    assert again.exit_code != 0 and "bestaat al" in again.output
