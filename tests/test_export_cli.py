"""`leerplicht export` on the command line: the summary, and bad input that changes nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leerplicht import create_app
from leerplicht.demo import vul_demo
from leerplicht.extensions import db
from leerplicht.scholen.models import School


@pytest.fixture
def demo(app):
    """The demo municipality (12 schools)."""
    with app.app_context():
        vul_demo(12)
    return app


def _stand(map_: Path) -> dict:
    """Everything under a folder (files with their bytes, folders and symlinks by name)."""
    if not map_.exists():
        return {}
    return {
        str(p.relative_to(map_)): p.read_bytes() if p.is_file() and not p.is_symlink() else p.name
        for p in sorted(map_.rglob("*"))
    }


def test_export_command_writes_and_summarises(demo, runner, tmp_path):
    """A first run writes everything, a second finds nothing changed; a quiet summary."""
    eerste = runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    assert eerste.exit_code == 0, eerste.output
    regels = eerste.output.splitlines()
    assert regels[0].startswith("brochure: 13 geschreven, 0 ongewijzigd, 0 verwijderd")
    assert regels[1].startswith("dossiers: ") and "geschreven" in regels[1]
    assert regels[2].startswith("jaarverslag: ") and "geschreven" in regels[2]
    assert regels[3].startswith("Klaar in ")
    tweede = runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    assert tweede.exit_code == 0
    assert "brochure: 0 geschreven, 13 ongewijzigd, 0 verwijderd" in tweede.output
    assert "dossiers: 0 geschreven" in tweede.output
    assert "jaarverslag: 0 geschreven" in tweede.output


def test_only_and_school_and_url(demo, runner, tmp_path):
    """--only brochure makes only brochure/; --url makes the sitemap absolute."""
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), "--only",
                                   "brochure", "--url", "https://www.zeevliet.nl/werkafspraken"])
    assert uitkomst.exit_code == 0, uitkomst.output
    assert not (tmp_path / "uit" / "dossiers").exists()
    sitemap = (tmp_path / "uit" / "brochure" / "sitemap.xml").read_text()
    assert "<loc>https://www.zeevliet.nl/werkafspraken/index.html</loc>" in sitemap
    school = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), "--only", "dossiers",
                                 "--school", "31XF00"])
    assert school.exit_code == 0, school.output
    assert [p.name for p in (tmp_path / "uit/dossiers/scholen").iterdir()] == ["31XF00.html"]


@pytest.mark.parametrize(
    ("argumenten", "melding"),
    [
        (["--school", "99ZZ99"], "Er is geen school met BRIN- en vestigingsnummer 99ZZ99."),
        (["--schooljaar", "2026/2027"], "'2026/2027' is geen schooljaar; schrijf het als 2026-20"),
        (["--schooljaar", "2026-2028"], "is geen schooljaar"),
        (["--schooljaar", "2040-2041"], "Schooljaar 2040-2041 bestaat nog niet."),
        (["--only", "brochure", "--school", "21XA00"], "--school geldt alleen voor de dossiers"),
        (["--only", "jaarverslag", "--school", "21XA00"], "--school geldt alleen voor de dossiers"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(demo, runner, tmp_path, argumenten, melding):
    """A clear Dutch message, a non-zero exit, and no file touched (not even created)."""
    runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    voor = _stand(tmp_path / "uit")
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), *argumenten])
    assert uitkomst.exit_code != 0
    assert melding in uitkomst.output
    assert "Traceback" not in uitkomst.output
    assert _stand(tmp_path / "uit") == voor
    nieuw = runner.invoke(args=["export", "--out", str(tmp_path / "nieuw"), *argumenten])
    assert nieuw.exit_code != 0 and not (tmp_path / "nieuw").exists()


def test_unknown_placeholder_on_the_command_line(demo, runner, tmp_path):
    """A typo in the brochure source: file and line, exit 1, the live brochure unchanged."""
    runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    voor = _stand(tmp_path / "uit")
    bronnen = tmp_path / "bronnen"
    bronnen.mkdir()
    from leerplicht.export.brochure import brochure_map

    for bron in brochure_map(demo).glob("*.md"):
        (bronnen / bron.name).write_text(bron.read_text(encoding="utf-8"), encoding="utf-8")
    (bronnen / "02-contactpersonen.md").write_text(
        "# Vaste contactpersonen\n\nBinnen {{ norm.vragen_beantwoordn }} antwoord.\n",
        encoding="utf-8",
    )
    demo.config["BROCHURE_PAD"] = str(bronnen)
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    assert uitkomst.exit_code == 1
    assert f"{bronnen / '02-contactpersonen.md'}, regel 3: onbekende norm" in uitkomst.output
    assert "vragen_beantwoordn" in uitkomst.output
    assert _stand(tmp_path / "uit") == voor


def test_out_is_a_file(demo, runner, tmp_path):
    """--out naming a file: a message, the file untouched."""
    bestand = tmp_path / "bestand.txt"
    bestand.write_text("niet overschrijven")
    uitkomst = runner.invoke(args=["export", "--out", str(bestand)])
    assert uitkomst.exit_code != 0
    assert f"{bestand} is geen map." in uitkomst.output
    assert bestand.read_text() == "niet overschrijven"
    onder = runner.invoke(args=["export", "--out", str(bestand / "sub")])
    assert onder.exit_code != 0 and "een deel van het pad is geen map" in onder.output


def test_unwritable_out_dir(demo, runner, tmp_path, monkeypatch):
    """No permission to write (simulated: the tests run as root): a message, nothing made."""
    alleen_lezen = tmp_path / "alleen-lezen"
    alleen_lezen.mkdir()
    echte_mkdir = Path.mkdir

    def geweigerd(self, *args, **kwargs):
        """Path.mkdir, refused below the read-only folder."""
        if self.is_relative_to(alleen_lezen):
            raise PermissionError(13, "Permission denied", str(self))
        return echte_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", geweigerd)
    uitkomst = runner.invoke(args=["export", "--out", str(alleen_lezen / "site")])
    assert uitkomst.exit_code != 0
    assert f"Kan niet schrijven in {alleen_lezen / 'site'}: geen schrijfrechten." in uitkomst.output
    assert list(alleen_lezen.iterdir()) == []
    with demo.app_context():
        assert db.session.scalar(select(func.count(School.id))) == 12


def test_leftovers_of_a_killed_run_are_removed_and_reported(demo, runner, tmp_path):
    """An unfinished build and a half-made symlink (a killed export): gone, and said so."""
    runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    rest = tmp_path / "uit" / ".export" / "dossiers.7.bouw" / "site" / "scholen"
    rest.mkdir(parents=True)
    (rest / "21XA00.html").write_text("half")
    (tmp_path / "uit" / ".dossiers.nieuw").symlink_to(".export/dossiers.7.bouw/site")
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit")])
    assert uitkomst.exit_code == 0, uitkomst.output
    assert "resten van een onderbroken export opgeruimd: dossiers.7.bouw" in uitkomst.output
    assert not rest.parent.parent.exists()
    assert not (tmp_path / "uit" / ".dossiers.nieuw").is_symlink()


def test_compiled_templates_are_kept_for_the_next_run(demo, runner, tmp_path):
    """The command keeps Jinja's compiled templates in the instance folder (owner-only); a
    second run gives the same bytes."""
    eerste = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), "--only", "dossiers",
                                 "--volledig"])
    assert eerste.exit_code == 0, eerste.output
    cache = Path(demo.instance_path) / "jinja-export"
    assert list(cache.iterdir()) and cache.stat().st_mode & 0o077 == 0
    voor = _stand(tmp_path / "uit" / "dossiers")
    tweede = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), "--only", "dossiers",
                                 "--volledig"])
    assert tweede.exit_code == 0, tweede.output
    assert "dossiers: 0 geschreven" in tweede.output
    assert _stand(tmp_path / "uit" / "dossiers") == voor


def test_the_console_script_ends_with_all_its_output(tmp_path):
    """`leerplicht export` as a user runs it ends without Python's teardown (leerplicht/cli.py),
    yet every line arrives through a pipe, and the exit code is right."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "PASSWORD_HASH_FAST": True})
    with app.app_context():
        db.create_all()
        vul_demo(12)
        db.session.remove()
        db.engine.dispose()
    omgeving = {**os.environ, "LEERPLICHT_DATABASE_URL": url,
                "LEERPLICHT_SECRET_KEY": "cli-" + "x" * 40}
    leerplicht = str(Path(sys.executable).with_name("leerplicht"))

    def export(*extra):
        return subprocess.run([leerplicht, "export", "--out", str(tmp_path / "uit"), *extra],
                              env=omgeving, capture_output=True, text=True, timeout=120)

    gelukt = export("--only", "dossiers")
    assert gelukt.returncode == 0, gelukt.stderr
    regels = gelukt.stdout.splitlines()
    assert regels[0].startswith("dossiers: ") and regels[-1].startswith("Klaar in "), regels
    assert (tmp_path / "uit" / "dossiers" / "index.html").is_file()
    mislukt = export("--only", "dossiers", "--school", "99ZZ99")
    assert mislukt.returncode == 1
    assert "Er is geen school met BRIN- en vestigingsnummer 99ZZ99" in mislukt.stderr
