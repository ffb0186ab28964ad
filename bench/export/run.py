"""Benchmark of `leerplicht export`: against Frozen-Flask on the same pages, and against its floor.

Run from the project root (see README.md next to this file):

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/export/run.py [--schools 8000] [--zonder-frozen-flask] [--bewaar]

Everything happens in a temporary instance folder: its own SQLite database, its own output.
Like with like:

- Frozen-Flask freezes the exported dossier itself: a route registered here, in this script
  only, renders exactly what the export writes for one school (template export/dossier.html,
  the export's context and relative links; the bytes are compared). It loads that school per
  request, as a route does.
- Processes: the ratio is the export in ONE process against Frozen-Flask in one process. The
  default (multi-process) export is reported on its own row, marked as such.
- The floor: loading and rendering the same pages in memory, one process, nothing written,
  nothing hashed, no links collected; measured in the same run as the export it is compared to.
"""

import argparse
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
GOAL_RATIO = 6.0  # single-process export at least 6x faster than Frozen-Flask in one process
GOAL_FLOOR = 1.5  # full export (empty folder, one process) at most 1.5x the floor
GOAL_EEN_SCHOOL_CLI = 1.2  # one-school re-export, process start-up included (median), s
BENCH_ROUTE = "/_bench/dossiers/<path:pad>"


def _cli(omgeving: dict, *argumenten: str) -> tuple[float, str]:
    """Run `leerplicht ARGS` in a new process (the installed entry point, as a user types it);
    return the wall-clock time and the output."""
    begin = time.perf_counter()
    uitkomst = subprocess.run(
        [str(Path(sys.executable).with_name("leerplicht")), *argumenten],
        env=omgeving, cwd=PROJECT, capture_output=True, text=True, check=True,
    )
    return time.perf_counter() - begin, uitkomst.stdout


def _python(omgeving: dict, code: str, *opties: str) -> tuple[float, str, str]:
    """Run `python OPTIONS -c CODE` in a new process; return wall-clock time, stdout, stderr."""
    begin = time.perf_counter()
    uitkomst = subprocess.run(
        [sys.executable, *opties, "-c", code],
        env=omgeving, cwd=PROJECT, capture_output=True, text=True, check=True,
    )
    return time.perf_counter() - begin, uitkomst.stdout, uitkomst.stderr


def _exporteer(app, uit: Path, **opties) -> tuple[float, list]:
    """One in-process export; return its duration and the results per target."""
    from leerplicht.export.bouwen import Opties, exporteer

    with app.app_context():
        begin = time.perf_counter()
        resultaten = exporteer(app, uit, Opties(doelen=("dossiers",), **opties))
        return time.perf_counter() - begin, resultaten


def _regel(naam: str, seconden: float, resultaten=None) -> None:
    """Print one measurement."""
    extra = ""
    if resultaten:
        extra = "  " + "; ".join(
            f"{r.doel}: {r.geschreven} geschreven, {r.ongewijzigd} ongewijzigd, "
            f"{r.verwijderd} verwijderd" for r in resultaten
        )
    print(f"{naam:<52} {seconden:7.2f} s{extra}", flush=True)


def _wijzig_een_school(app, nummer: int) -> str:
    """Rename one school (what a user editing a dossier does); return its code."""
    from sqlalchemy import select

    from leerplicht.extensions import db
    from leerplicht.scholen.models import School

    with app.app_context():
        school = db.session.scalars(select(School).order_by(School.id).offset(100)).first()
        school.naam = f"Basisschool De Vuurtoren {nummer}"
        db.session.commit()
        return school.code


def _vloer(app) -> tuple[float, int, dict[str, str]]:
    """The floor: load and render every page of the dossiers tree in memory, in one process.

    The same targets, batches, bulk loaders and templates as the export, but no fingerprints
    of database rows, no comparison with a previous build, no hashing, no links collected and
    nothing written. Returns the time, the number of pages and a few rendered pages (to check
    that the floor renders the same bytes as the export).
    """
    from leerplicht.export import bouwen, dossiers, schrijven
    from leerplicht.export.doelen import Doel
    from leerplicht.export.stempels import Rijstempels

    def zonder_stempels(_school_id=None):
        """No fingerprints: the floor does not hash rows."""
        return Rijstempels("", {})

    voorbeelden = {}
    with app.app_context():
        oud, dossiers._rijstempels = dossiers._rijstempels, zonder_stempels
        try:
            begin = time.perf_counter()
            with bouwen.geen_automatische_gc(), bouwen.momentopname():
                bouw = bouwen._bouw(app, bouwen.Opties(doelen=("dossiers",)))
                doel: Doel = dossiers.dossiers_doel(bouw)
                assets = schrijven.plan(app, doel, {}, True).assets
                basis = schrijven._basis(app, doel)
                aantal = 0
                for partij in doel.partijen(doel.paginas):
                    for pagina in partij:
                        tekst = schrijven._render(app, pagina, basis, assets)
                        aantal += 1
                        if aantal % 997 == 1:
                            voorbeelden[pagina.pad] = tekst
            return time.perf_counter() - begin, aantal, voorbeelden
        finally:
            dossiers._rijstempels = oud


def _bench_route(app) -> None:
    """Register, in this script only, a route that renders one exported dossier page.

    GET /_bench/dossiers/scholen/<code>.html answers exactly the bytes the export writes to
    dossiers/scholen/<code>.html: the export's template, context, assets and relative links.
    It loads the one school per request (laad_scholen + bouw_dossiers), as a route does.
    """
    from flask import abort
    from sqlalchemy import select

    from leerplicht.export import bouwen, dossiers, schrijven
    from leerplicht.export.doelen import Doel, Pagina
    from leerplicht.extensions import db
    from leerplicht.policy import Regel
    from leerplicht.scholen.dossier import bouw_dossiers, pagina_context
    from leerplicht.scholen.models import School
    from leerplicht.scholen.queries import laad_scholen

    with app.app_context():
        bouw = bouwen._bouw(app, bouwen.Opties(doelen=("dossiers",)))
        doel = Doel(naam="dossiers", publiek=False, titel=dossiers.TITEL, paginas=[],
                    assets=dossiers.opmaak(app))
        assets = schrijven.plan(app, doel, {}, True).assets
        basis = schrijven._basis(app, doel)
        db.session.remove()

    def dossierpagina(pad: str):
        """One exported dossier page, rendered on request."""
        code = pad.removeprefix("scholen/").removesuffix(".html")
        school_id = db.session.scalar(select(School.id).where(School.code == code))
        if school_id is None or not pad.startswith("scholen/"):
            abort(404)
        dossier = bouw_dossiers(laad_scholen([school_id]), bouw.schooljaar, export=True)[0]
        context = pagina_context(dossier, export=True)
        pagina = Pagina(pad=pad, template="export/dossier.html", invoer="",
                        context=lambda: context)
        return schrijven._render(app, pagina, basis, assets)

    dossierpagina.toegangsregel = Regel.PUBLIEK  # bench only: no login for the freezer
    app.add_url_rule(BENCH_ROUTE, "bench_dossier", dossierpagina)


def _frozen_flask(app, uit: Path, paden: list[str]) -> tuple[float, int]:
    """Freeze the exported dossier pages with Frozen-Flask (one process), via the bench route."""
    from flask_frozen import Freezer

    app.config.update(
        FREEZER_DESTINATION=str(uit),
        FREEZER_RELATIVE_URLS=False,  # the page's links are relative already, as exported
        FREEZER_REMOVE_EXTRA_FILES=False,
        FREEZER_IGNORE_MIMETYPE_WARNINGS=True,
        FREEZER_IGNORE_404_NOT_FOUND=False,
    )
    # Only the listed URLs: no crawling of url_for links (PITFALLS: it followed a "delete").
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False,
                      log_url_for=False)

    @freezer.register_generator
    def _dossiers():
        """Every school's exported dossier page."""
        for pad in paden:
            yield "bench_dossier", {"pad": pad}

    # The app logs one JSON line per request; not part of rendering a page, so off here (in
    # Frozen-Flask's favour).
    verzoeklog = logging.getLogger("leerplicht.verzoek")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        verzoeklog.disabled = True
        try:
            begin = time.perf_counter()
            urls = freezer.freeze()
            return time.perf_counter() - begin, len(urls)
        finally:
            verzoeklog.disabled = False


def _zelfde_bytes(export_site: Path, andere: Path, paden) -> int:
    """Check that `andere` holds the same bytes as the export for `paden`; return the count."""
    for pad in paden:
        if (export_site / pad).read_bytes() != (andere / pad).read_bytes():
            raise SystemExit(f"NIET dezelfde pagina: {pad} (export vs {andere})")
    return len(paden)


def _opstarten(omgeving: dict, uit: Path, app, herhalingen: int) -> float:
    """One-school re-export with process start-up: median of runs, each after a change of
    that school; then where the time goes (Python, imports, create_app, the export's work)."""
    tijden, werk, cpu = [], [], []
    for nummer in range(herhalingen):
        code = _wijzig_een_school(app, 100 + nummer)
        voor = resource.getrusage(resource.RUSAGE_CHILDREN)
        duur, tekst = _cli(omgeving, "export", "--out", str(uit), "--only", "dossiers",
                           "--school", code)
        na = resource.getrusage(resource.RUSAGE_CHILDREN)
        tijden.append(duur)
        cpu.append(na.ru_utime - voor.ru_utime + na.ru_stime - voor.ru_stime)
        werk.append(float(tekst.strip().splitlines()[-1].split()[2]))
    mediaan = statistics.median(tijden)
    _regel(f"leerplicht export --school (CLI, mediaan van {herhalingen})", mediaan)
    print(f"{'':<4}runs: {', '.join(f'{t:.2f}' for t in tijden)} s wall; CPU (user+sys) "
          f"median {statistics.median(cpu):.2f} s; the export's own work (its 'Klaar in'): "
          f"{statistics.median(werk):.2f} s", flush=True)

    leeg = statistics.median(_python(omgeving, "pass")[0] for _ in range(3))
    meting = (
        "import time; t0 = time.perf_counter(); from leerplicht import create_app; "
        "t1 = time.perf_counter(); app = create_app(); t2 = time.perf_counter(); "
        "import leerplicht.export.bouwen; t3 = time.perf_counter(); "
        "print(t1 - t0, t2 - t1, t3 - t2)"
    )
    delen = [list(map(float, _python(omgeving, meting)[1].split())) for _ in range(3)]
    imp, maak, exp = (statistics.median(d[i] for d in delen) for i in range(3))
    print(f"{'':<4}Python start-up {leeg:.2f} s; import leerplicht {imp:.2f} s; create_app() "
          f"{maak:.2f} s; import leerplicht.export.bouwen after it {exp:.2f} s", flush=True)
    _, _, importtijden = _python(omgeving, meting, "-X", "importtime")
    grootste = []
    for regel in importtijden.splitlines():
        velden = regel.split("|")
        if len(velden) == 3 and velden[1].strip().isdigit():
            grootste.append((int(velden[1]), velden[2].rstrip()))
    grootste.sort(reverse=True)
    print(f"{'':<4}largest imports (-X importtime, cumulative µs):")
    for micro, naam in grootste[:12]:
        print(f"{'':<8}{micro / 1e6:5.2f} s {naam.strip()}")
    return mediaan


def main() -> int:
    """Load the demo, time the exports, the floor and Frozen-Flask, print figures and verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=8000)
    parser.add_argument("--zonder-frozen-flask", action="store_true")
    parser.add_argument("--herhalingen", type=int, default=5,
                        help="runs of the one-school re-export with start-up (median)")
    parser.add_argument("--bewaar", action="store_true", help="tijdelijke map laten staan")
    args = parser.parse_args()

    map_ = Path(tempfile.mkdtemp(prefix="leerplicht-bench-"))
    database = f"sqlite:///{map_ / 'leerplicht.sqlite'}"
    omgeving = {**os.environ, "LEERPLICHT_DATABASE_URL": database,
                "LEERPLICHT_SECRET_KEY": "bench-" + "x" * 40,
                # Bytecode cached as after `pip install` (this session's environment sets
                # PYTHONDONTWRITEBYTECODE): in the temporary folder, not in the source tree.
                "PYTHONPYCACHEPREFIX": str(map_ / "pycache")}
    omgeving.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"Map: {map_}  ({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load {os.getloadavg()[0]:.1f})", flush=True)
    try:
        _cli(omgeving, "db", "upgrade")
        duur, _ = _cli(omgeving, "demo", "--schools", str(args.schools))
        _regel(f"leerplicht demo --schools {args.schools}", duur)

        os.environ.update(omgeving)
        from leerplicht import create_app
        from leerplicht.export import uitvoer

        app = create_app({"INSTANCE_PATH": str(map_ / "instance")})
        cijfers = {}
        # Side by side: the floor, then the single-process export of the same pages.
        cijfers["vloer"], aantal, voorbeelden = _vloer(app)
        _regel(f"vloer: {aantal} pagina's laden + renderen (1 proces)", cijfers["vloer"])
        uit1 = map_ / "een-proces"
        cijfers["een_proces"], r = _exporteer(app, uit1, werkers=1)
        _regel("export, volledig, lege map (1 proces)", cijfers["een_proces"], r)
        _zelfde_bytes(uit1 / "dossiers", _vloer_map(map_, voorbeelden), voorbeelden)

        uit = map_ / "uit"
        cijfers["full"], r = _exporteer(app, uit)
        _regel(f"export, volledig, lege map (MULTI-proces, {os.cpu_count()} cores)",
               cijfers["full"], r)
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
        code = _wijzig_een_school(app, 3)
        duur, r = _exporteer(app, uit, school=code)
        _regel("export --school, die school veranderd (in proces)", duur, r)

        cijfers["cli"] = _opstarten(omgeving, uit, app, args.herhalingen)

        oordelen = []
        if not args.zonder_frozen_flask:
            from leerplicht.extensions import db

            _bench_route(app)
            with app.app_context():
                from sqlalchemy import select

                from leerplicht.scholen.models import School

                codes = db.session.scalars(select(School.code).order_by(School.code)).all()
            paden = [f"scholen/{code}.html" for code in codes]
            cijfers["frozen"], aantal = _frozen_flask(app, map_ / "frozen", paden)
            _regel(f"Frozen-Flask, {aantal} dezelfde dossierpagina's (1 proces)",
                   cijfers["frozen"])
            gelijk = _zelfde_bytes(uit1 / "dossiers", map_ / "frozen" / "_bench" / "dossiers",
                                   paden[::max(1, len(paden) // 20)])
            print(f"{'':<4}{gelijk} pages compared with the export: byte for byte the same")
            factor = cijfers["frozen"] / cijfers["een_proces"]
            oordelen.append(("export (1 proces) vs Frozen-Flask (1 proces)",
                             f"{factor:.1f}x sneller", f">= {GOAL_RATIO:.0f}x",
                             factor >= GOAL_RATIO))
            print(f"{'':<4}(multi-process export: "
                  f"{cijfers['frozen'] / cijfers['full']:.1f}x faster than Frozen-Flask)")
        verhouding = cijfers["een_proces"] / cijfers["vloer"]
        oordelen.append(("volledige export (1 proces) / vloer", f"{verhouding:.2f}x",
                         f"<= {GOAL_FLOOR}x", verhouding <= GOAL_FLOOR))
        oordelen.append(("één school opnieuw, met opstarten (CLI)", f"{cijfers['cli']:.2f} s",
                         f"< {GOAL_EEN_SCHOOL_CLI} s", cijfers["cli"] < GOAL_EEN_SCHOOL_CLI))
        print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"(1, 5, 15 min; {os.cpu_count()} cores)")
        for naam, waarde, doel, ok in oordelen:
            print(f"{naam:<46} {waarde:>12}  doel {doel}: {'gehaald' if ok else 'NIET gehaald'}")
        return 0 if all(ok for *_, ok in oordelen) else 1
    finally:
        if args.bewaar:
            print(f"Bewaard: {map_}")
        else:
            shutil.rmtree(map_, ignore_errors=True)


def _vloer_map(map_: Path, voorbeelden: dict[str, str]) -> Path:
    """Write the floor's sample pages to a folder (after timing), to compare them with the
    export byte for byte."""
    doel = map_ / "vloer"
    for pad, tekst in voorbeelden.items():
        (doel / pad).parent.mkdir(parents=True, exist_ok=True)
        (doel / pad).write_bytes(tekst.encode("utf-8"))
    return doel


if __name__ == "__main__":
    sys.exit(main())
