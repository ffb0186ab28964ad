"""An export that is killed or fails at any point never leaves a broken live site.

The live tree is whatever DIR/<target> points at; after every interruption it must be a
complete build: every file its manifest lists, with the listed hash, nothing missing, every
link resolving. The next run then succeeds and removes the leftovers.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from test_export import gebroken_links

from leerplicht import create_app
from leerplicht.demo import vul_demo
from leerplicht.export import bouwen, uitvoer
from leerplicht.export.stempels import digest
from leerplicht.extensions import db
from leerplicht.scholen.models import School

# Runs in its own process: loads the app once, then for every "go" line forks a child that
# exports (so each round does not pay for Python's start-up) and reports how the child ended.
DRIVER = """
import os, sys
from pathlib import Path
from leerplicht import create_app
from leerplicht.export import bouwen, dossiers, schrijven
url, uit, instance = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "INSTANCE_PATH": instance})
for regel in sys.stdin:
    _, parallel, gemeente = regel.rstrip("\\n").split(" ", 2)
    kind = os.fork()
    if kind == 0:
        app.config["MUNICIPALITY"] = gemeente
        if parallel == "1":  # small batches in forked workers, so kills also hit those
            schrijven.PARALLEL_VANAF, dossiers.PARTIJ = 1, 4
        with app.app_context():
            bouwen.exporteer(app, uit, bouwen.Opties(volledig=True, werkers=2))
        os._exit(0)
    print("pid", kind, flush=True)
    _, status = os.waitpid(kind, 0)
    print("einde", status, flush=True)
"""


def controleer_live(uit: Path, scholen: int | None = None, gezien: set | None = None) -> None:
    """Each live tree is one complete build: manifest and files agree, links resolve.

    Files are checked every time; links are followed for every fifth new build only (`gezien`
    counts the builds seen), which keeps many rounds fast; the final check follows them all.
    """
    for boom in tuple(bouwen.DOELEN):
        link = uit / boom
        if not link.is_symlink():
            assert not link.exists()
            continue  # no export has finished yet
        site = link.resolve()
        manifest = json.loads((site.parent / "manifest.json").read_text(encoding="utf-8"))
        op_schijf = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
        assert op_schijf == set(manifest["bestanden"]), boom
        for pad, info in manifest["bestanden"].items():
            assert digest((site / pad).read_bytes()) == info["hash"], pad
        if gezien is None or site not in gezien:
            if gezien is None or len(gezien) % 5 == 0:
                assert gebroken_links(link) == [], boom
            if gezien is not None:
                gezien.add(site)
        if boom == "dossiers" and scholen is not None:
            assert len(list((site / "scholen").glob("*.html"))) == scholen


def controleer_opgeruimd(uit: Path) -> None:
    """After a finished run only the lock and the live builds are left in .export."""
    levend = {(uit / boom).resolve().parent.name for boom in tuple(bouwen.DOELEN)}
    assert {p.name for p in (uit / ".export").iterdir()} == levend | {"slot"}
    assert not list(uit.glob(".*.nieuw"))


@pytest.fixture
def database(tmp_path):
    """A SQLite database with the demo municipality (30 schools), shared with subprocesses."""
    url = f"sqlite:///{tmp_path / 'export.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "PASSWORD_HASH_FAST": True})
    with app.app_context():
        db.create_all()
        vul_demo(30)
    yield url, app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _wijzig(app, teller: int) -> None:
    """Change one school, so every run has something new to publish."""
    with app.app_context():
        school = db.session.scalars(select(School).order_by(School.id)).all()[teller % 30]
        school.naam = f"School in wijziging {teller}"
        db.session.commit()


class Exporteur:
    """The driver process: `ronde()` starts one export and returns its pid."""

    def __init__(self, tmp_path: Path, url: str, uit: Path):
        """Start the driver process."""
        driver = tmp_path / "driver.py"
        driver.write_text(DRIVER, encoding="utf-8")
        self.proces = subprocess.Popen(
            [sys.executable, str(driver), url, str(uit), str(tmp_path / "instance")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        )

    def start(self, parallel: bool, gemeente: str) -> int:
        """Start one export; return the pid of the process doing it."""
        self.proces.stdin.write(f"go {int(parallel)} {gemeente}\n")
        self.proces.stdin.flush()
        soort, pid = self.proces.stdout.readline().split()
        assert soort == "pid"
        return int(pid)

    def einde(self) -> int:
        """Wait for the export to end; its wait status (0: finished)."""
        soort, status = self.proces.stdout.readline().split()
        assert soort == "einde"
        return int(status)

    def wezen(self) -> list[int]:
        """Processes of this driver's group other than the driver: stray export workers."""
        wezen = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                velden = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            if int(velden[2]) == self.proces.pid and pid != self.proces.pid:
                wezen.append(pid)
        return wezen

    def stop(self) -> None:
        """End the driver."""
        self.proces.stdin.close()
        self.proces.wait(30)
        self.proces.stdout.close()


def test_export_killed_at_random_points_never_breaks_the_live_site(database, tmp_path):
    """At least 20 exports killed with SIGKILL at random moments: the live site stays whole."""
    url, app = database
    uit = tmp_path / "uit"
    rng = random.Random(5)
    exporteur = Exporteur(tmp_path, url, uit)
    try:
        exporteur.start(True, "Gemeente Zeevliet")
        assert exporteur.einde() == 0
        _wijzig(app, 99)
        begin = time.monotonic()  # a second, warm run: how long does an export take?
        exporteur.start(True, "Gemeente Zeevliet")
        assert exporteur.einde() == 0
        duur = time.monotonic() - begin
        gezien: set = set()
        controleer_live(uit, 30, gezien)
        gedood = 0
        for ronde in range(60):
            _wijzig(app, ronde)  # and a new municipality name changes every brochure page
            pid = exporteur.start(ronde % 2 == 0, f"Gemeente Ronde {ronde}")
            time.sleep(rng.uniform(0, duur * 0.9))
            try:
                os.kill(pid, signal.SIGKILL)  # only the export itself; its workers must follow
            except ProcessLookupError:
                pass
            if exporteur.einde() != 0:
                gedood += 1
            for _ in range(100):
                if not exporteur.wezen():
                    break
                time.sleep(0.02)
            assert exporteur.wezen() == [], "een werkproces leefde door na de export"
            controleer_live(uit, 30, gezien)
            if gedood >= 20:
                break
        assert gedood >= 20
        exporteur.start(False, "Gemeente Zeevliet")
        assert exporteur.einde() == 0
    finally:
        exporteur.stop()
    controleer_live(uit, 30)
    controleer_opgeruimd(uit)
    assert "School in wijziging" in (uit / "dossiers" / "index.html").read_text()


class Storing(BaseException):
    """A failure out of the blue (power cut, Ctrl-C) at a chosen file-system operation."""


class StorendOs:
    """The os module, except that the n-th file-system change raises Storing."""

    GETELD = {"link", "rename", "replace", "symlink", "unlink", "mkdir", "rmdir"}

    def __init__(self, na: int):
        """Fail at the `na`-th file-system change."""
        self.na, self.teller = na, 0

    def __getattr__(self, naam):
        """The os function, counted when it changes the file system."""
        echt = getattr(os, naam)
        if naam not in self.GETELD:
            return echt

        def geteld(*args, **kwargs):
            """Count the call; fail at the chosen one."""
            self.teller += 1
            if self.teller == self.na:
                raise Storing(f"storing bij os.{naam}")
            return echt(*args, **kwargs)

        return geteld


def test_failure_at_any_file_operation_keeps_the_live_site(database, tmp_path, monkeypatch):
    """A failure at the n-th link/rename/replace/unlink of a run, for many n: site intact."""
    url, app = database
    uit = tmp_path / "uit"
    with app.app_context():
        bouwen.exporteer(app, uit)
    # How many file operations does a run that changes one school make?
    _wijzig(app, 100)
    teller = StorendOs(na=0)
    monkeypatch.setattr(uitvoer, "os", teller)
    with app.app_context():
        bouwen.exporteer(app, uit)
    totaal = teller.teller
    assert totaal > 40
    rng = random.Random(7)
    gezien: set = set()
    for ronde, na in enumerate(sorted(rng.sample(range(1, totaal + 1), 20))):
        _wijzig(app, 200 + ronde)
        monkeypatch.setattr(uitvoer, "os", StorendOs(na))
        with app.app_context(), pytest.raises(Storing):
            bouwen.exporteer(app, uit)
        monkeypatch.setattr(uitvoer, "os", os)
        controleer_live(uit, 30, gezien)
    with app.app_context():
        bouwen.exporteer(app, uit)
    controleer_live(uit, 30)
    controleer_opgeruimd(uit)
