"""Benchmark of `leerplicht export` against Frozen-Flask, on `leerplicht demo --schools 8000`.

Run from the project root (see README.md next to this file):

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/export/run.py [--schools 8000] [--zonder-frozen-flask] [--bewaar]

Everything happens in a temporary instance folder: its own SQLite database, its own output.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DOELEN = {"full": 12.0, "ongewijzigd": 2.0, "een_school": 2.0}


def _cli(omgeving: dict, *argumenten: str) -> tuple[float, str]:
    """Run `leerplicht ARGS` in a new process; return the wall-clock time and the output."""
    begin = time.perf_counter()
    uitkomst = subprocess.run(
        [sys.executable, "-c", "from leerplicht.cli import main; main()", *argumenten],
        env=omgeving, cwd=PROJECT, capture_output=True, text=True, check=True,
    )
    return time.perf_counter() - begin, uitkomst.stdout


def _exporteer(app, uit: Path, **opties) -> tuple[float, list]:
    """One in-process export; return its duration and the results per target."""
    from leerplicht.export.bouwen import Opties, exporteer

    with app.app_context():
        begin = time.perf_counter()
        resultaten = exporteer(app, uit, Opties(**opties))
        return time.perf_counter() - begin, resultaten


def _regel(naam: str, seconden: float, resultaten=None) -> None:
    """Print one measurement."""
    extra = ""
    if resultaten:
        extra = "  " + "; ".join(
            f"{r.doel}: {r.geschreven} geschreven, {r.ongewijzigd} ongewijzigd, "
            f"{r.verwijderd} verwijderd" for r in resultaten
        )
    print(f"{naam:<44} {seconden:7.2f} s{extra}", flush=True)


def _wijzig_een_school(app, nummer: int) -> None:
    """Rename one school (what a user editing a dossier does)."""
    from sqlalchemy import select

    from leerplicht.extensions import db
    from leerplicht.scholen.models import School

    with app.app_context():
        school = db.session.scalars(select(School).order_by(School.id).offset(100)).first()
        school.naam = f"Basisschool De Vuurtoren {nummer}"
        db.session.commit()


def _frozen_flask(app, uit: Path) -> tuple[float, int]:
    """Freeze the same dossier pages with Frozen-Flask, logged in as the beheerder."""
    from flask_frozen import Freezer
    from sqlalchemy import select

    from leerplicht.accounts.models import Gebruiker, Rol
    from leerplicht.extensions import db, login_manager
    from leerplicht.scholen.models import School

    with app.app_context():
        codes = list(db.session.scalars(select(School.code).order_by(School.code)))
        beheerder_id = db.session.scalar(select(Gebruiker.id).where(Gebruiker.rol == Rol.BEHEERDER))

    # Bench only: every request of the freezer's test client is the beheerder's (the app has
    # a login form; Frozen-Flask cannot fill it in).
    @login_manager.request_loader
    def _beheerder(_request):
        """The beheerder, for every request of the freezer."""
        return db.session.get(Gebruiker, beheerder_id)

    app.config.update(
        FREEZER_DESTINATION=str(uit),
        FREEZER_RELATIVE_URLS=True,
        FREEZER_REMOVE_EXTRA_FILES=False,
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
        FREEZER_IGNORE_404_NOT_FOUND=False,
    )
    # Only the dossier URLs: no crawling of url_for links (PITFALLS: it followed a "delete").
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False,
                      log_url_for=False)

    @freezer.register_generator
    def _dossiers():
        """Every school's dossier URL."""
        for code in codes:
            yield "scholen.dossier", {"code": code}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        begin = time.perf_counter()
        urls = freezer.freeze()
        return time.perf_counter() - begin, len(urls)


def main() -> int:
    """Load the demo, time the exports and Frozen-Flask, print the figures and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=8000)
    parser.add_argument("--zonder-frozen-flask", action="store_true")
    parser.add_argument("--bewaar", action="store_true", help="tijdelijke map laten staan")
    args = parser.parse_args()

    map_ = Path(tempfile.mkdtemp(prefix="leerplicht-bench-"))
    database = f"sqlite:///{map_ / 'leerplicht.sqlite'}"
    omgeving = {**os.environ, "LEERPLICHT_DATABASE_URL": database,
                "LEERPLICHT_SECRET_KEY": "bench-" + "x" * 40}
    print(f"Map: {map_}  ({os.cpu_count()} cores, Python {sys.version.split()[0]})", flush=True)
    try:
        _cli(omgeving, "db", "upgrade")
        duur, _ = _cli(omgeving, "demo", "--schools", str(args.schools))
        _regel(f"leerplicht demo --schools {args.schools}", duur)

        os.environ.update(omgeving)
        from leerplicht import create_app
        from leerplicht.export import uitvoer

        app = create_app({"INSTANCE_PATH": str(map_ / "instance")})
        uit = map_ / "uit"
        cijfers = {}
        cijfers["full"], r = _exporteer(app, uit)
        _regel("export, volledig (lege map)", cijfers["full"], r)
        cijfers["ongewijzigd"], r = _exporteer(app, uit)
        _regel("export, niets veranderd", cijfers["ongewijzigd"], r)
        _wijzig_een_school(app, 1)
        cijfers["een_school"], r = _exporteer(app, uit)
        _regel("export, één school veranderd", cijfers["een_school"], r)

        _wijzig_een_school(app, 2)
        uitvoer.HARDE_LINKS = False
        duur, r = _exporteer(app, uit)
        uitvoer.HARDE_LINKS = True
        _regel("  idem, ongewijzigde bestanden gekopieerd", duur, r)
        duur, r = _exporteer(app, map_ / "een-proces", werkers=1)
        _regel("  volledig in één proces (zonder werkers)", duur, r)
        duur, uitvoer_cli = _cli(omgeving, "export", "--out", str(uit))
        _regel("  leerplicht export (CLI, niets veranderd)", duur)
        print(f"{'':<44} {uitvoer_cli.strip().splitlines()[-1]} (zonder opstarten)")

        if not args.zonder_frozen_flask:
            duur, aantal = _frozen_flask(app, map_ / "frozen")
            _regel(f"Frozen-Flask, {aantal} dossierpagina's", duur)
            factor = duur / cijfers["full"]
            print(f"\nVolledige export {factor:.1f}x sneller dan Frozen-Flask (doel: 4x).")
            cijfers_ok = factor >= 4
        else:
            cijfers_ok = True
        for naam, grens in DOELEN.items():
            oordeel = "gehaald" if cijfers[naam] < grens else "NIET gehaald"
            print(f"{naam}: {cijfers[naam]:.2f} s, doel < {grens:.0f} s: {oordeel}")
            cijfers_ok = cijfers_ok and cijfers[naam] < grens
        return 0 if cijfers_ok else 1
    finally:
        if args.bewaar:
            print(f"Bewaard: {map_}")
        else:
            shutil.rmtree(map_, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
