"""Benchmark: the jaarverslag over 250 schools and three schooljaren (~120,000 meldingen).

Usage: .venv/bin/python bench/jaarverslag/run.py [--schools 250] [--meldingen 40000]
       [--repeat 5] [--schooljaar 2026-2027] [--profiel]

Builds a fresh SQLite database in a temp folder (`leerplicht demo --schools N`; a third
schooljaar added before the demo's two; its meldingen replaced by `--meldingen` generated ones
per schooljaar on realistic paths, stored termijnen computed by termijnen.regels and bulk
inserted; questions, developments, visits and afsprakenlijsten for the earlier years; a few
hundred escalations per year through the escalation rules, some resolved; vastgelegde
evaluations with scores for part of the schools in the oldest year), then measures side by
side, alternating, median and p90 of `repeat` rounds (after one warm-up round):

  (a) the floor: every statement (with its parameters) that `bouw_jaarverslag` executes,
      captured once with a `before_cursor_execute` event, re-executed on a raw DBAPI
      connection, all rows fetched;
  (b) `bouw_jaarverslag(schooljaar, "", vandaag)` in its own app context, like a request;
  (c) GET /jaarverslag?schooljaar=... as the beheerder (test client), for information;
  (d) `als_pdf(bouw_jaarverslag(...))`: build and PDF, and the PDF alone; pages and size;
  (e) `als_xlsx(bouw_jaarverslag(...))`: build and XLSX, and the XLSX alone.

A piece that does not exist yet is printed as "overgeslagen" instead of failing the run. When
(b) costs more than 3× (a), or the PDF more than 10 s, or with --profiel, it prints where the
time goes (cProfile, the slowest functions by cumulative time). Prints a Markdown table and
writes only in its temp folder.
"""

import argparse
import cProfile
import importlib.util
import io
import json
import os
import pstats
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, event, func, insert, select

from leerplicht import create_app
from leerplicht.accounts.models import Gebruiker
from leerplicht.afspraken.demo import vul_afsprakenlijsten
from leerplicht.afspraken.models import Afsprakenlijst
from leerplicht.cyclus.demo_bezoeken import vul_bezoeken
from leerplicht.cyclus.harde import harde_gegevens
from leerplicht.cyclus.models import (
    Besluit,
    Bezoek,
    Evaluatie,
    Evaluatiescore,
    Evaluatiestatus,
    Klankbordoverleg,
    Thema,
    Verbeterpunt,
)
from leerplicht.demo import demo_wachtwoord, vul_demo
from leerplicht.escalatie.models import Escalatie
from leerplicht.escalatie.regels import los_op, open_escalatie, routes_voor, schaal_op
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.models import School
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar, huidig_schooljaar, maak_schooljaar
from leerplicht.termijnen import demo as registerdemo
from leerplicht.termijnen.kalender import kalender
from leerplicht.termijnen.models import Ontwikkeling, Verzuimmelding, Vraag

HIER = Path(__file__).resolve().parent


def _termijnenbench():
    """The termijnen benchmark as a module (bench/ is no package): its helpers are reused."""
    spec = importlib.util.spec_from_file_location("bench_termijnen",
                                                  HIER.parent / "termijnen" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


termijnenbench = _termijnenbench()
p90 = termijnenbench.p90

ONDERWERPEN = {
    "inhoud": ("Terugkoppeling op een verzuimmelding blijft uit",
               "Onduidelijk wie een langdurig verzuim oppakt",
               "Melding teruggestuurd, aanvulling blijft uit",
               "Afspraak over een thuiszitter niet nagekomen"),
    "samenwerking": ("Vaste belmomenten worden vaak gemist",
                     "Contactpersoon school wisselt zonder overdracht",
                     "Leerlingzaken is slecht bereikbaar",
                     "Afsprakenlijst wordt niet nageleefd"),
}


# --- the data -----------------------------------------------------------------------------

def genereer(aantal: int, jaar: Schooljaar, vandaag: date, scholen: list, rng: random.Random
             ) -> list[dict]:
    """`aantal` meldingen of `jaar` up to `vandaag`, spread over the schools as the termijnen
    bench does (copied from its `genereer`, which is fixed to the current schooljaar)."""
    normen, agenda = normen_voor(jaar), kalender()
    planner = registerdemo._Planner(rng, agenda, jaar.begin, min(vandaag, jaar.eind))
    gewicht = [registerdemo.MELDINGEN_PER_JAAR.get(sector, (6, 18))[1] for _, sector in scholen]
    ids = rng.choices([school_id for school_id, _ in scholen], weights=gewicht, k=aantal)
    return [registerdemo._melding(school_id, jaar, normen, agenda, planner,
                                  f"BENCH-{jaar.begin.year}-{nummer:06d}")
            for nummer, school_id in enumerate(ids, 1)]


def vragen_en_ontwikkelingen(jaar: Schooljaar, scholen: list, rng: random.Random
                             ) -> tuple[int, int]:
    """A whole year of questions and developments per school, as the demo makes them."""
    normen, agenda = normen_voor(jaar), kalender()
    planner = registerdemo._Planner(rng, agenda, jaar.begin, jaar.eind)
    vragen, ontwikkelingen = [], []
    for school_id, _sector in scholen:
        vragen += [registerdemo._vraag(school_id, jaar, normen, agenda, planner)
                   for _ in range(rng.randint(3, 12))]
        ontwikkelingen += [registerdemo._ontwikkeling(school_id, jaar, normen, agenda, planner)
                           for _ in range(rng.randint(1, 8))]
    db.session.connection().execute(insert(Vraag.__table__), vragen)
    db.session.connection().execute(insert(Ontwikkeling.__table__), ontwikkelingen)
    return len(vragen), len(ontwikkelingen)


def escalaties(jaar: Schooljaar, vandaag: date, aantal: int, rng: random.Random) -> int:
    """`aantal` escalations in the year through the real rules: opened on a werkdag, some
    stepped up, most resolved in earlier years, fewer in the running one."""
    agenda = kalender()
    scholen = laad_scholen(db.session.scalars(select(School.id)).all())
    routes = routes_voor(scholen, jaar)
    eind = min(vandaag, jaar.eind)
    dagen = [jaar.begin + timedelta(days=i) for i in range((eind - jaar.begin).days + 1)]
    dagen = [dag for dag in dagen if agenda.is_werkdag(dag)]
    opgelost_kans = 0.8 if jaar.eind < vandaag else 0.45
    for _ in range(aantal):
        school = rng.choice(scholen)
        spoor = "inhoud" if rng.random() < 0.65 else "samenwerking"
        begin = rng.choice(dagen)
        kant = rng.choice(("llz", "school"))
        door = "Leerlingzaken (bench)" if kant == "llz" else "School (bench)"
        escalatie = open_escalatie(school, jaar, routes[school.id], spoor,
                                   rng.choice(ONDERWERPEN[spoor]), begin, door, kant)
        dag = begin
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            if escalatie.niveau >= len(routes[school.id].spoor(spoor)):
                break
            dag = agenda.plus_werkdagen(dag, escalatie.stap_termijn)
            if dag > eind:
                break
            schaal_op(escalatie, routes[school.id], dag, door, "Termijn verstreken.", eind)
        if rng.random() < opgelost_kans:
            klaar = agenda.plus_werkdagen(escalatie.stap_sinds, rng.randint(1, 25))
            if klaar <= eind:
                los_op(escalatie, klaar, "Nieuwe afspraken gemaakt.", door, eind)
    db.session.flush()
    return aantal


def evaluaties(jaar: Schooljaar, deel: float, rng: random.Random) -> int:
    """Vastgelegde evaluations with scores of both sides for `deel` of the schools."""
    scholen = [s for s in db.session.scalars(select(School).order_by(School.id))
               if rng.random() < deel]
    gegevens = harde_gegevens(scholen, jaar, date(jaar.eind.year, 5, 1))
    for index, school in enumerate(scholen):
        dag = date(jaar.eind.year, rng.choice((5, 6)), rng.randint(1, 28))
        evaluatie = Evaluatie(
            school_id=school.id, schooljaar_id=jaar.id, gepland_op=dag, gehouden_op=dag,
            status=Evaluatiestatus.VASTGELEGD, teamleider_aanwezig=index % 3 == 0,
            directeur_aanwezig=index % 2 == 0, aanwezigen="zorgcoördinator",
            harde_gegevens=json.dumps(gegevens[school.id].als_dict(), sort_keys=True),
            vastgelegd_op=datetime(dag.year, dag.month, dag.day, 14, tzinfo=UTC),
            vastgelegd_door_naam="Leerlingzaken (bench)")
        for kant in ("school", "llz"):
            for thema in Thema:
                evaluatie.scores.append(Evaluatiescore(
                    kant=kant, thema=thema.value,
                    score=None if rng.random() < 0.05 else rng.randint(1, 5),
                    ingevuld_door_naam="bench"))
        evaluatie.verbeterpunten.append(Verbeterpunt(
            school_id=school.id, wat="Vaste belmomenten afspreken", wie="llz",
            uiterlijk=date(jaar.eind.year, 12, 1),
            afgerond_op=date(jaar.eind.year, 10, 1) if index % 2 else None))
        db.session.add(evaluatie)
    db.session.flush()
    return len(scholen)


def _heeft(model, jaar: Schooljaar) -> bool:
    """True when the table has rows in the schooljaar."""
    return db.session.scalar(select(func.count()).select_from(model).where(
        model.schooljaar_id == jaar.id)) > 0


def vul(args, rng: random.Random, vandaag: date) -> dict:
    """The demo, then three schooljaren of data; returns what was made (for the header)."""
    vul_demo(args.schools)
    db.session.execute(delete(Verzuimmelding))  # replaced by the generated ones
    huidig = huidig_schooljaar()
    begin = huidig.begin.year
    namen = [f"{begin - 2}-{begin - 1}", f"{begin - 1}-{begin}", huidig.naam]
    bestaand = set(db.session.scalars(select(Schooljaar.naam)))
    db.session.add_all([maak_schooljaar(naam) for naam in namen if naam not in bestaand])
    db.session.flush()
    jaren = [db.session.scalars(select(Schooljaar).where(Schooljaar.naam == naam)).one()
             for naam in namen]
    scholen = db.session.execute(select(School.id, School.sector).order_by(School.id)).all()
    rijen = [{"id": school_id, "sector": sector} for school_id, sector in scholen]
    for jaar in jaren:
        meldingen = genereer(args.meldingen, jaar, vandaag, scholen, rng)
        for start in range(0, len(meldingen), 5000):
            db.session.connection().execute(insert(Verzuimmelding.__table__),
                                            meldingen[start:start + 5000])
        # What the demo does not fill already (it fills the current year, some areas also
        # the year before): a whole year of it.
        if not _heeft(Vraag, jaar):
            vragen_en_ontwikkelingen(jaar, scholen, rng)
        if not _heeft(Bezoek, jaar):
            vul_bezoeken(rijen, jaar, min(vandaag, jaar.eind), rng)
        if not _heeft(Afsprakenlijst, jaar):
            vul_afsprakenlijsten(rijen, jaar, normen_voor(jaar), {}, rng)
        escalaties(jaar, vandaag, rng.randint(250, 400), rng)
    oudste = jaren[0]
    if not _heeft(Evaluatie, oudste):
        evaluaties(oudste, 0.6, rng)
    for sector in ("PO", "VO") if not _heeft(Klankbordoverleg, oudste) else ():
        overleg = Klankbordoverleg(sector=sector, schooljaar_id=oudste.id,
                                   datum=oudste.begin + timedelta(days=75),
                                   notities="Overleg over de termijnen.")
        overleg.besluiten = [Besluit(tekst="De termijn voor terugmelden blijft 5 werkdagen."),
                             Besluit(tekst="Scholen krijgen een checklist voor meldingen.")]
        db.session.add(overleg)
    db.session.commit()

    def tel(model, *voorwaarden):
        return dict(db.session.execute(select(model.schooljaar_id, func.count()).where(
            *voorwaarden).group_by(model.schooljaar_id)).all())

    telling = {
        "meldingen": tel(Verzuimmelding), "vragen": tel(Vraag),
        "ontwikkelingen": tel(Ontwikkeling), "bezoeken": tel(Bezoek),
        "afsprakenlijsten (versies)": tel(Afsprakenlijst),
        "escalaties": tel(Escalatie), "opgelost": tel(Escalatie, Escalatie.opgelost_op.isnot(None)),
        "evaluaties met scores": dict(db.session.execute(
            select(Evaluatie.schooljaar_id, func.count(func.distinct(Evaluatie.id)))
            .join(Evaluatiescore).where(Evaluatiescore.score.isnot(None))
            .group_by(Evaluatie.schooljaar_id)).all()),
    }
    return {"jaren": [(jaar.id, jaar.naam) for jaar in jaren], "telling": telling}


# --- measuring ------------------------------------------------------------------------------

def om_beurten(functies: dict, herhaal: int, fouten: dict) -> dict[str, list[float]]:
    """Milliseconds of each function, called in turn `herhaal` rounds (after a warm-up round),
    so any load on the machine falls on all of them alike. A function may return its own
    extra timings as {naam: ms}. One that fails in the warm-up is left out (its error goes
    into `fouten`): the outputs are written while this runs."""
    for naam, functie in list(functies.items()):
        try:
            functie()
        except Exception as fout:  # noqa: BLE001 - reported in the table instead
            fouten[naam] = f"mislukt: {type(fout).__name__}: {str(fout)[:160]}"
            del functies[naam]
    uitkomst: dict[str, list[float]] = {}
    for _ in range(herhaal):
        for naam, functie in functies.items():
            begin = time.perf_counter()
            extra = functie()
            uitkomst.setdefault(naam, []).append((time.perf_counter() - begin) * 1000)
            for deel, ms in (extra or {}).items() if isinstance(extra, dict) else ():
                uitkomst.setdefault(deel, []).append(ms)
    return uitkomst


def profiel(functie, titel: str, aantal: int = 25) -> str:
    """Where the time of one call goes (cProfile): the project's functions by cumulative time,
    the time inside SQLite, and the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    functie()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rijen = []
    for (bestand, regel, naam), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        pad = bestand.replace(str(HIER.parent.parent) + os.sep, "")
        pad = pad.split("site-packages/")[-1].split("lib/python3.11/")[-1]
        rijen.append((ct, tt, nc, f"{pad}:{regel} {naam}", pad))
    totaal = max(ct for ct, *_ in rijen)
    sqlite = sum(tt for _ct, tt, _nc, naam, _pad in rijen
                 if "sqlite3.Cursor" in naam or "sqlite3.Connection" in naam)
    regels = [f"#### Profiel: {titel}", "",
              f"cProfile, één aanroep: {totaal * 1000:.0f} ms in totaal (met de overhead van "
              f"de profiler), waarvan {sqlite * 1000:.0f} ms in SQLite zelf (execute/fetch).",
              "", "Functies van het project, naar cumulatieve tijd:", "",
              "| functie | aanroepen | cumulatief ms | eigen ms |",
              "| --- | ---: | ---: | ---: |"]
    eigen_code = sorted((r for r in rijen if r[4].startswith(("leerplicht/", "templates/"))),
                        reverse=True)
    regels += [f"| `{naam}` | {nc} | {ct * 1000:.1f} | {tt * 1000:.1f} |"
               for ct, tt, nc, naam, _pad in eigen_code[:aantal]]
    weasy = sorted((r for r in rijen if r[4].startswith("weasyprint/")), reverse=True)
    if weasy:
        regels += ["", "WeasyPrint, naar cumulatieve tijd:", "",
                   "| functie | aanroepen | cumulatief ms | eigen ms |",
                   "| --- | ---: | ---: | ---: |"]
        regels += [f"| `{naam}` | {nc} | {ct * 1000:.1f} | {tt * 1000:.1f} |"
                   for ct, tt, nc, naam, _pad in weasy[:15]]
    regels += ["", "Meeste eigen tijd (alle code):", "", "| functie | aanroepen | eigen ms |",
               "| --- | ---: | ---: |"]
    regels += [f"| `{naam}` | {nc} | {tt * 1000:.1f} |" for _ct, tt, nc, naam, _pad in
               sorted(rijen, key=lambda r: r[1], reverse=True)[:15]]
    return "\n".join(regels)


def pdf_fasen(app, url: str, maak_verslag) -> str:
    """The PDF's time per phase, without a profiler: the report, its HTML (Jinja), WeasyPrint's
    parse, style and layout (`render`) and the writing of the PDF. Uses pdf.py's own pieces."""
    import weasyprint

    from leerplicht.rapportage import pdf

    with app.test_request_context(url):
        stappen = []
        begin = time.perf_counter()
        verslag = maak_verslag()
        stappen.append(("bouw_jaarverslag", time.perf_counter() - begin))
        begin = time.perf_counter()
        html = pdf._html(verslag)
        stappen.append(("HTML uit het sjabloon (Jinja)", time.perf_counter() - begin))
        begin = time.perf_counter()
        document = weasyprint.HTML(string=html, base_url=f"{pdf.STATIC.as_uri()}/",
                                   url_fetcher=pdf.AlleenStatic())
        stappen.append(("WeasyPrint: HTML inlezen", time.perf_counter() - begin))
        begin = time.perf_counter()
        opgemaakt = document.render()
        stappen.append(("WeasyPrint: CSS toepassen en opmaken (render)",
                        time.perf_counter() - begin))
        begin = time.perf_counter()
        opgemaakt.write_pdf()
        stappen.append(("WeasyPrint: PDF schrijven", time.perf_counter() - begin))
    regels = ["#### De PDF per fase (één keer, zonder profiler)", "",
              f"HTML: {len(html) // 1024} KB, {html.count('<tr')} tabelrijen, "
              f"{html.count('<svg')} grafieken, {len(opgemaakt.pages)} pagina's.", "",
              "| fase | ms |", "| --- | ---: |"]
    regels += [f"| {naam} | {sec * 1000:.0f} |" for naam, sec in stappen]
    return "\n".join(regels)


def main():  # noqa: PLR0915 - one straight measuring script
    """Build the database, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=250)
    parser.add_argument("--meldingen", type=int, default=40000, help="per schooljaar")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--schooljaar", default="", help="the report's year (default current)")
    parser.add_argument("--profiel", action="store_true", help="always profile (b) and (d)")
    args = parser.parse_args()
    rng = random.Random(120000)
    vandaag = date.today()
    regels, notities = [], []

    def regel(naam: str, waarden: list[float] | None, opmerking: str = "") -> None:
        if waarden is None:
            regels.append(f"| {naam} | – | – | – | {opmerking} |")
        else:
            regels.append(f"| {naam} | {len(waarden)} | {statistics.median(waarden):.1f} | "
                          f"{p90(waarden):.1f} | {opmerking} |")

    with tempfile.TemporaryDirectory(prefix="bench-jaarverslag-") as tmp:
        tmp = Path(tmp)
        database = tmp / "bench.sqlite"
        app = create_app({
            "SECRET_KEY": secrets.token_hex(16), "INSTANCE_PATH": str(tmp / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False,
        })
        begin = time.perf_counter()
        with app.app_context():
            db.create_all()
            gemaakt = vul(args, rng, vandaag)
            jaar = (db.session.scalars(select(Schooljaar).where(
                Schooljaar.naam == args.schooljaar)).one() if args.schooljaar
                else huidig_schooljaar())
            jaarnaam, jaar_id = jaar.naam, jaar.id
            beheerder = db.session.scalars(select(Gebruiker).where(
                Gebruiker.rol == "beheerder").order_by(Gebruiker.id)).first()
            login = {"email": beheerder.email, "wachtwoord": demo_wachtwoord(beheerder.email)}
            db.session.remove()
            db.engine.dispose()
        with closing(sqlite3.connect(database)) as verbinding:
            verbinding.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        opbouw = time.perf_counter() - begin
        grootte = sum(p.stat().st_size for p in tmp.glob("bench.sqlite*")) / 2**20

        try:
            from leerplicht.rapportage.jaarverslag import bouw_jaarverslag
        except ImportError as fout:
            bouw_jaarverslag = None
            regel("(a)–(e)", None, f"overgeslagen: jaarverslag.py ontbreekt ({fout})")

        if bouw_jaarverslag is not None:
            def bouw():
                with app.app_context():
                    return bouw_jaarverslag(db.session.get(Schooljaar, jaar_id), "", vandaag)

            # (a) capture the builder's statements once, then replay them on a raw connection
            gevangen: list[tuple[str, object]] = []

            def vang(_conn, _cursor, statement, parameters, _context, executemany):
                gevangen.append((statement, parameters, executemany))

            try:
                bouw()  # warm: the capture is of a call like the measured ones
                event.listen(_engine(app), "before_cursor_execute", vang)
                bouw()
            except Exception as fout:  # noqa: BLE001 - reported in the table instead
                regel("(b) bouw_jaarverslag", None,
                      f"mislukt: {type(fout).__name__}: {str(fout)[:160]}")
                bouw_jaarverslag = None
            finally:
                if event.contains(_engine(app), "before_cursor_execute", vang):
                    event.remove(_engine(app), "before_cursor_execute", vang)

        if bouw_jaarverslag is not None:
            statements = [(s, p, many) for s, p, many in gevangen
                          if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK",
                                                                 "PRAGMA"))]

            def vloer():
                verbinding = _engine(app).raw_connection()
                try:
                    cursor = verbinding.cursor()
                    for statement, parameters, many in statements:
                        if many:
                            cursor.executemany(statement, parameters)
                        else:
                            cursor.execute(statement, parameters)
                        cursor.fetchall()
                    cursor.close()
                finally:
                    verbinding.close()

            functies = {"a": vloer, "b": bouw}
            client = app.test_client()
            client.post("/inloggen", data=login)
            url = f"/jaarverslag?schooljaar={jaarnaam}"
            status = client.get(url).status_code
            if status == 200:
                def pagina():
                    assert client.get(url).status_code == 200
                functies["c"] = pagina

            pdf_reden = xlsx_reden = ""
            try:
                from leerplicht.rapportage.pdf import als_pdf
            except ImportError as fout:
                als_pdf = None
                pdf_reden = f"overgeslagen: pdf.py ontbreekt ({fout})"
            try:
                from leerplicht.rapportage.bestanden import als_xlsx
            except ImportError as fout:
                als_xlsx = None
                xlsx_reden = f"overgeslagen: bestanden.py ontbreekt ({fout})"
            uitvoer = {}

            def met_uitvoer(naam, maak):
                def stap():
                    with app.test_request_context(url):
                        verslag = bouw_jaarverslag(db.session.get(Schooljaar, jaar_id), "",
                                                   vandaag)
                        midden = time.perf_counter()
                        uitvoer[naam] = maak(verslag)
                        return {f"{naam} alleen": (time.perf_counter() - midden) * 1000}
                return stap

            if als_pdf is not None:
                functies["d"] = met_uitvoer("d", als_pdf)
            if als_xlsx is not None:
                functies["e"] = met_uitvoer("e", als_xlsx)

            fouten: dict[str, str] = {}
            tijden = om_beurten(functies, args.repeat, fouten)
            verhouding = statistics.median(tijden["b"]) / statistics.median(tijden["a"])
            regel("(a) vloer: de SQL van bouw_jaarverslag, opnieuw uitgevoerd (rauwe verbinding)",
                  tijden["a"], f"{len(statements)} statements")
            regel(f'(b) bouw_jaarverslag({jaarnaam}, "", vandaag)', tijden["b"],
                  f"**{verhouding:.2f}× de vloer** (doel ≤ 3×)")
            if "c" in tijden:
                grootte_html = len(client.get(url).data) // 1024
                regel(f"(c) GET {url} (beheerder)", tijden["c"], f"{grootte_html} KB HTML")
            else:
                regel(f"(c) GET {url}", None, fouten.get("c") or f"overgeslagen: status {status}")
            if "d" in tijden:
                from pypdf import PdfReader
                paginas = len(PdfReader(io.BytesIO(uitvoer["d"])).pages)
                regel("(d) als_pdf(bouw_jaarverslag(...))", tijden["d"],
                      f"{paginas} pagina's, {len(uitvoer['d']) // 1024} KB")
                regel("(d) waarvan als_pdf alleen", tijden["d alleen"], "doel < 10 s")
            else:
                regel("(d) als_pdf", None, fouten.get("d") or pdf_reden)
            if "e" in tijden:
                regel("(e) als_xlsx(bouw_jaarverslag(...))", tijden["e"],
                      f"{len(uitvoer['e']) // 1024} KB")
                regel("(e) waarvan als_xlsx alleen", tijden["e alleen"], "")
            else:
                regel("(e) als_xlsx", None, fouten.get("e") or xlsx_reden)

            pdf_ms = statistics.median(tijden["d"]) if "d" in tijden else 0
            if verhouding > 3 or args.profiel:
                notities.append(profiel(bouw, "(b) bouw_jaarverslag"))
            if pdf_ms > 10000 or (args.profiel and "d" in tijden):
                notities.append(pdf_fasen(app, url, lambda: bouw_jaarverslag(
                    db.session.get(Schooljaar, jaar_id), "", vandaag)))
                notities.append(profiel(functies["d"], "(d) bouw_jaarverslag + als_pdf"))

        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    namen = dict(gemaakt["jaren"])
    print(f"# bench/jaarverslag: {args.schools} scholen, jaarverslag {jaarnaam}, "
          f"opbouw {opbouw:.1f} s, database {grootte:.1f} MB\n")
    print("| gegevens | " + " | ".join(namen.values()) + " |")
    print("| --- |" + " ---: |" * len(namen))
    for soort, per_jaar in gemaakt["telling"].items():
        print(f"| {soort} | " + " | ".join(str(per_jaar.get(i, 0)) for i in namen) + " |")
    print("\n| meting | n | mediaan ms | p90 ms | opmerking |")
    print("| --- | ---: | ---: | ---: | --- |")
    print("\n".join(regels))
    for notitie in notities:
        print("\n" + notitie)


def _engine(app):
    """The app's SQLAlchemy engine (needs an app context to look it up)."""
    with app.app_context():
        return db.engine


if __name__ == "__main__":
    main()
