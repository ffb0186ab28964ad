"""Command-line commands: demo, user create, backup, migrations."""

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date

import click
import pytest
from flask.cli import FlaskGroup, ScriptInfo
from sqlalchemy import func, select

from leerplicht.accounts.models import Gebruiker
from leerplicht.afspraken.schooljaar import volgend
from leerplicht.backups import backup_sqlite
from leerplicht.cli import INGEBOUWD, OPDRACHTEN
from leerplicht.extensions import db
from leerplicht.scholen.models import School, Sector
from leerplicht.schooljaren import Schooljaar, naam_voor_datum, plus_maanden

import factories as f


def test_help_lists_every_command_without_building_the_app():
    """`leerplicht --help` in a fresh process: every command, and Flask not even imported."""
    code = ("import sys\nfrom leerplicht.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
            "print('FLASK' if 'flask' in sys.modules else 'GEEN FLASK')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("GEEN FLASK")
    tekst = " ".join(result.stdout.split())
    for naam, uitleg in OPDRACHTEN.items():
        assert f" {naam} {' '.join(uitleg.split())}" in tekst, naam


def test_help_table_is_exactly_the_apps_commands(app):
    """The table of `--help` names every command the app registers, with the command's own
    one-line help (Flask's and Flask-Migrate's built-ins have a Dutch line of ours)."""
    group = FlaskGroup(create_app=lambda: app, add_version_option=False, load_dotenv=False)
    # The context pushes an app context as its resource: `with` pops it again.
    with click.Context(group, obj=ScriptInfo(create_app=lambda: app)) as ctx:
        namen = set(group.list_commands(ctx))
        assert namen == set(OPDRACHTEN)
        for naam in namen - set(INGEBOUWD):
            command = group.get_command(ctx, naam)
            assert command.get_short_help_str(limit=300) == OPDRACHTEN[naam], naam


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


def test_demo_leaves_no_open_register_step_in_a_finished_schooljaar(app, runner):
    """Last schooljaar's demo registers owe LLZ nothing (its start page shows no leftovers of
    a year that is over); this schooljaar has open steps. (Meldingen a school never completed,
    niet verzonden, stay the school's open step, in any year.)"""
    from leerplicht.scholen.models import Kant
    from leerplicht.termijnen.openstaand import open_stappen

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        huidig = db.session.scalars(select(Schooljaar).filter_by(huidig=True)).one()
        ids = list(db.session.scalars(select(School.id)))
        stappen = [s for rij in open_stappen(ids, date.today(), kant=Kant.LLZ).values()
                   for s in rij]
    assert stappen and {s.schooljaar for s in stappen} == {huidig.naam}


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
        pytest.skip("PostgreSQL: pg_dump of a database of its own, in tests/test_backup.py")
    runner.invoke(args=["demo"])
    target = tmp_path / "kopie.sqlite"
    result = runner.invoke(args=["backup", "--out", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("select count(*) from school").fetchone()[0] == 12
    again = runner.invoke(args=["backup", "--out", str(target)])
    assert again.exit_code != 0 and "bestaat al" in again.output
    with sqlite3.connect(target) as copy:  # the refused second run left the copy intact
        assert copy.execute("select count(*) from school").fetchone()[0] == 12


def test_backup_is_owner_only(app, runner, tmp_path):
    """The copy is 0600 even under a permissive umask: it holds the whole database."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL: tests/test_backup.py")
    target = tmp_path / "kopie.sqlite"
    old_umask = os.umask(0o022)
    try:
        result = runner.invoke(args=["backup", "--out", str(target)])
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failed_backup_leaves_no_file(tmp_path):
    """A source that is no database: the error surfaces and no half-written copy remains."""
    source = tmp_path / "geen-database.sqlite"
    source.write_bytes(b"dit is geen sqlite-bestand" * 200)
    target = tmp_path / "kopie.sqlite"
    with pytest.raises(sqlite3.DatabaseError):
        backup_sqlite(source, target)
    assert not target.exists()


# --- leerplicht schooljaar start ---------------------------------------------------------------


def _huidig_jaar(app, naam: str) -> None:
    """An otherwise empty database whose current schooljaar is `naam`, with one school."""
    with app.app_context():
        f.schooljaar(naam)
        f.school()
        db.session.commit()


def _jaren(app) -> tuple[str, int]:
    """(the current schooljaar, how many there are)."""
    with app.app_context():
        huidig = db.session.scalars(select(Schooljaar.naam).filter_by(huidig=True)).one()
        return huidig, db.session.scalar(select(func.count(Schooljaar.id)))


def test_schooljaar_start_shows_summary_and_asks(app, runner):
    """The summary first, then a question: 'n' (or no answer) changes nothing, 'j' opens."""
    vorig = naam_voor_datum(plus_maanden(date.today(), -12))  # today's schooljaar may open
    _huidig_jaar(app, vorig)
    nieuw = volgend(vorig)
    for antwoord in ("n\n", "nee\n", ""):
        result = runner.invoke(args=["schooljaar", "start", nieuw], input=antwoord)
        assert result.exit_code != 0
        assert f"- {nieuw} wordt het huidige schooljaar" in result.output
        assert "- Er zijn geen open escalaties." in result.output
        assert _jaren(app) == (vorig, 1)
    result = runner.invoke(args=["schooljaar", "start", nieuw], input="j\n")
    assert result.exit_code == 0, result.output
    assert "Niet bevestigd" not in result.output and "verlengd: 0" in result.output
    assert _jaren(app) == (nieuw, 2)
    again = runner.invoke(args=["schooljaar", "start", nieuw], input="")
    assert again.exit_code == 0 and "al het huidige schooljaar" in again.output
    assert _jaren(app) == (nieuw, 2)


def test_schooljaar_start_ja_skips_the_question(app, runner):
    """--ja opens after printing the same summary, without asking."""
    vorig = naam_voor_datum(plus_maanden(date.today(), -12))
    _huidig_jaar(app, vorig)
    result = runner.invoke(args=["schooljaar", "start", volgend(vorig), "--ja"])
    assert result.exit_code == 0, result.output
    assert "openen? [j/N]" not in result.output
    assert "- 1 actieve school begint" in result.output
    assert _jaren(app) == (volgend(vorig), 2)


def test_schooljaar_start_refuses_by_the_rules(app, runner):
    """Too far ahead, skipping, earlier, malformed: a Dutch error, nothing asked or changed."""
    huidig = naam_voor_datum(plus_maanden(date.today(), 6))  # its successor starts > 6 months out
    _huidig_jaar(app, huidig)
    start = int(huidig[:4])
    for naam, melding in [
        (volgend(huidig), f"vanaf 1 mei {start + 1}"),
        (f"{start + 2}-{start + 3}", "overslaan"),
        (f"{start - 1}-{start}", "vóór het huidige schooljaar"),
        ("2027", "geen schooljaar"),
    ]:
        result = runner.invoke(args=["schooljaar", "start", naam, "--ja"], input="j\n")
        assert result.exit_code != 0, naam
        assert melding in result.output and "openen?" not in result.output, naam
        assert _jaren(app) == (huidig, 1)
