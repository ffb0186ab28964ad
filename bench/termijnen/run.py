"""Benchmark: the termijnen registers with 40,000 meldingen in one schooljaar.

Usage: .venv/bin/python bench/termijnen/run.py [--schools 250] [--meldingen 40000] [--repeat 5]

Builds a fresh SQLite database in a temp folder (`leerplicht demo --schools N`, its meldingen
replaced by `--meldingen` generated ones on realistic paths, stored termijnen computed by
termijnen.regels and bulk inserted), then measures side by side, median and p90 of `repeat` runs:

  (a) the floor: ONE SQL query with the per-school counts the overview shows;
  (b) the LLZ figures overview, GET /termijnen?schooljaar=... as the beheerder (test client);
  (c) the same counts in-process: termijnen.cijfers.per_school;
  (d) `leerplicht meldingen import FILE` of a CSV with as many rows, into a fresh copy of the
      database (a subprocess, so app start-up is included; twice);
  (e) adding one sluitingsdag (POST /beheer/sluitingsdagen: the recompute of the rows around
      it), each time followed by removing it again (also timed); twice.

Prints a Markdown table. Writes only in its temp folder.
"""

import argparse
import csv
import math
import os
import random
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select, text

from leerplicht import create_app
from leerplicht.accounts.models import Gebruiker
from leerplicht.demo import demo_wachtwoord, vul_demo
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.models import School
from leerplicht.schooljaren import huidig_schooljaar
from leerplicht.termijnen import demo as registerdemo
from leerplicht.termijnen.kalender import kalender
from leerplicht.termijnen.models import Oordeel, Sluitingsdag, Verzuimmelding

LEERPLICHT = Path(sys.executable).with_name("leerplicht")

# The floor: the per-school counts the overview shows, in one hand-written aggregate query: the
# meldingen, how many are judged and incomplete, and per step (terugmelden, aanvullen, reactie)
# on time / late / running / overdue (niet verzonden is aanvullen overdue).
def _stap(klaar: str, uiterlijk: str) -> str:
    return (f"sum({klaar} <= {uiterlijk}), sum({klaar} > {uiterlijk}), "
            f"sum({klaar} IS NULL AND {uiterlijk} >= :vandaag), "
            f"sum({klaar} IS NULL AND {uiterlijk} < :vandaag)")


VLOER = text(f"""
SELECT school_id, count(*), sum(oordeel != 'open'), sum(oordeel = 'onvolledig'),
       {_stap('teruggemeld_op', 'terugmelden_uiterlijk')},
       {_stap('aangevuld_op', 'aanvullen_uiterlijk')},
       {_stap('gereageerd_op', 'reactie_uiterlijk')}
FROM verzuimmelding
WHERE schooljaar_id = :jaar
GROUP BY school_id
""")


def tijden(functie, herhaal: int) -> list[float]:
    """Milliseconds of `herhaal` calls (after one warm-up call)."""
    functie()
    uitkomst = []
    for _ in range(herhaal):
        begin = time.perf_counter()
        functie()
        uitkomst.append((time.perf_counter() - begin) * 1000)
    return uitkomst


def naast_elkaar(eerste, tweede, herhaal: int) -> tuple[list[float], list[float]]:
    """Milliseconds of two functions called alternately `herhaal` times (after a warm-up)."""
    eerste(), tweede()
    a, b = [], []
    for _ in range(herhaal):
        for functie, lijst in ((eerste, a), (tweede, b)):
            begin = time.perf_counter()
            functie()
            lijst.append((time.perf_counter() - begin) * 1000)
    return a, b


def p90(waarden: list[float]) -> float:
    """90th percentile, nearest rank."""
    gesorteerd = sorted(waarden)
    return gesorteerd[max(0, math.ceil(0.9 * len(gesorteerd)) - 1)]


def genereer(aantal: int, rng: random.Random) -> list[dict]:
    """`aantal` meldingen of the current schooljaar spread over all schools (uneven, as VO
    schools file more), their stored termijnen set by the rules."""
    jaar = huidig_schooljaar()
    normen, agenda = normen_voor(jaar), kalender()
    vandaag = min(date.today(), jaar.eind)
    planner = registerdemo._Planner(rng, agenda, jaar.begin, vandaag)
    scholen = db.session.execute(select(School.id, School.sector)).all()
    gewicht = [registerdemo.MELDINGEN_PER_JAAR.get(sector, (6, 18))[1] for _, sector in scholen]
    ids = rng.choices([school_id for school_id, _ in scholen], weights=gewicht, k=aantal)
    return [registerdemo._melding(school_id, jaar, normen, agenda, planner,
                                  f"BENCH-{jaar.begin.year}-{nummer:06d}")
            for nummer, school_id in enumerate(ids, 1)]


def schrijf_csv(rijen: list[dict], codes: dict[int, str], pad: Path) -> None:
    """The rows in the documented import format (helper B's columns, dd-mm-jjjj dates)."""
    def dag(waarde):
        return "" if waarde is None else f"{waarde:%d-%m-%Y}"

    with pad.open("w", encoding="utf-8", newline="") as bestand:
        schrijver = csv.writer(bestand, delimiter=";")
        schrijver.writerow(["schoolcode", "referentie", "ontvangen_op", "status", "compleet",
                            "ontbrekende_elementen", "toelichting", "teruggemeld_op",
                            "aangevuld_op", "gereageerd_op"])
        for rij in rijen:
            compleet = {Oordeel.OPEN: "", Oordeel.COMPLEET: "ja",
                        Oordeel.ONVOLLEDIG: "nee"}[rij["oordeel"]]
            ontbrekend = ",".join(str(i + 1) for i in range(9) if not rij["elementen"] >> i & 1)
            schrijver.writerow([
                codes[rij["school_id"]], rij["referentie"].replace("BENCH", "IMP"),
                dag(rij["ontvangen_op"]), rij["status"], compleet,
                ontbrekend if compleet == "nee" else "", rij["toelichting"],
                dag(rij["teruggemeld_op"]), dag(rij["aangevuld_op"]), dag(rij["gereageerd_op"])])


def kopie(bron: Path, doel: Path) -> None:
    """A consistent copy of a SQLite database (the backup API, never a file copy)."""
    with sqlite3.connect(bron) as van, sqlite3.connect(doel) as naar:
        van.backup(naar)
    naar.close()
    van.close()


def main():  # noqa: PLR0915 - one straight measuring script
    """Build the database, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=250)
    parser.add_argument("--meldingen", type=int, default=40000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(40000)
    regels, notities = [], []

    def regel(naam: str, waarden: list[float] | None, opmerking: str = "") -> None:
        if waarden is None:
            regels.append(f"| {naam} | – | – | – | {opmerking} |")
        else:
            regels.append(f"| {naam} | {len(waarden)} | {statistics.median(waarden):.1f} | "
                          f"{p90(waarden):.1f} | {opmerking} |")

    with tempfile.TemporaryDirectory(prefix="bench-termijnen-") as tmp:
        tmp = Path(tmp)
        database, basis = tmp / "bench.sqlite", tmp / "basis.sqlite"
        app = create_app({
            "SECRET_KEY": secrets.token_hex(16), "INSTANCE_PATH": str(tmp / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False,
        })
        begin = time.perf_counter()
        with app.app_context():
            db.create_all()
            vul_demo(args.schools)
            db.session.execute(delete(Verzuimmelding))  # replaced by the generated ones
            db.session.commit()
            db.engine.dispose()
        kopie(database, basis)
        with app.app_context():
            rijen = genereer(args.meldingen, rng)
            for start in range(0, len(rijen), 5000):
                db.session.connection().execute(insert(Verzuimmelding.__table__),
                                                rijen[start:start + 5000])
            db.session.commit()
            jaar = huidig_schooljaar()
            jaarnaam, jaar_id = jaar.naam, jaar.id
            codes = dict(db.session.execute(select(School.id, School.code)).all())
            beheerder = db.session.scalars(select(Gebruiker).where(
                Gebruiker.rol == "beheerder").order_by(Gebruiker.id)).first()
            login = {"email": beheerder.email, "wachtwoord": demo_wachtwoord(beheerder.email)}
            agenda = kalender()
            vandaag = date.today()
            # A werkdag about four weeks back: many rows run across it.
            sluitdag = vandaag - timedelta(days=28)
            while not agenda.is_werkdag(sluitdag):
                sluitdag -= timedelta(days=1)
        opbouw = time.perf_counter() - begin
        client = app.test_client()
        client.post("/inloggen", data=login)

        # (a) the floor and (b) the overview page, measured alternately (the same load for both)
        url = f"/termijnen?schooljaar={jaarnaam}"
        status = client.get(url).status_code

        def vloer():
            # Its own app context (and session), as a request has; the page's request too.
            with app.app_context():
                return db.session.execute(VLOER, {"vandaag": vandaag.isoformat(),
                                                  "jaar": jaar_id}).all()

        def pagina():
            assert client.get(url).status_code == 200

        aantal_scholen = len(vloer())
        if status == 200:
            vloertijden, paginatijden = naast_elkaar(vloer, pagina, args.repeat)
        else:
            vloertijden, paginatijden = tijden(vloer, args.repeat), None
        regel("(a) vloer: één SQL-query, tellingen per school", vloertijden,
              f"{aantal_scholen} scholen met meldingen")
        if paginatijden is not None:
            verhouding = statistics.median(paginatijden) / statistics.median(vloertijden)
            regel(f"(b) GET {url} (beheerder)", paginatijden,
                  f"{len(client.get(url).data) // 1024} KB HTML; {verhouding:.2f}× de vloer")
        else:
            regel(f"(b) GET {url}", None, f"overgeslagen: status {status} (pagina ontbreekt)")

        # (c) the same counts in-process
        try:
            from leerplicht.termijnen.cijfers import per_school
        except ImportError:
            regel("(c) cijfers.per_school", None, "overgeslagen: functie ontbreekt")
        else:
            with app.app_context():
                jaar = huidig_schooljaar()
                regel("(c) cijfers.per_school (zonder histogrammen)",
                      tijden(lambda: per_school(jaar, vandaag, histogrammen=False),
                             args.repeat), "4 queries: tellingen, maanden, vragen, ontwikkelingen")
                regel("(c) cijfers.per_school (met histogrammen)",
                      tijden(lambda: per_school(jaar, vandaag), args.repeat),
                      "4 queries: ook de histogrammen")

        # (d) import into a fresh copy of the database without meldingen
        csv_pad = tmp / "meldingen.csv"
        schrijf_csv(rijen, codes, csv_pad)
        env = {**os.environ, "LEERPLICHT_SECRET_KEY": secrets.token_hex(16),
               "FLASK_APP": "leerplicht"}
        if not LEERPLICHT.exists():
            regel("(d) leerplicht meldingen import", None, "overgeslagen: geen leerplicht-opdracht")
        else:
            import_tijden, uitvoer = [], ""
            for ronde in range(min(2, args.repeat)):
                doel = tmp / f"import{ronde}.sqlite"
                kopie(basis, doel)
                env["LEERPLICHT_DATABASE_URL"] = f"sqlite:///{doel}"
                begin = time.perf_counter()
                klaar = subprocess.run([str(LEERPLICHT), "meldingen", "import", str(csv_pad)],
                                       env=env, capture_output=True, text=True, timeout=120,
                                       cwd=tmp)
                import_tijden.append((time.perf_counter() - begin) * 1000)
                uitvoer = (klaar.stdout + klaar.stderr).strip()
                doel.unlink()
                if klaar.returncode != 0:
                    break
            if klaar.returncode == 0:
                regel(f"(d) leerplicht meldingen import ({len(rijen)} regels, CSV)",
                      import_tijden, "subprocess, incl. opstarten; " + uitvoer.splitlines()[0]
                      if uitvoer else "")
            else:
                regel("(d) leerplicht meldingen import", None,
                      f"mislukt (code {klaar.returncode})")
                notities.append("Uitvoer van de import:\n\n```\n" + uitvoer[-2000:] + "\n```")

        # (e) one sluitingsdag more, then removed again: the recompute of the rows around it
        toevoegen, verwijderen = [], []
        for _ in range(min(2, args.repeat)):
            begin = time.perf_counter()
            antwoord = client.post("/beheer/sluitingsdagen", data={
                "datum": sluitdag.isoformat(), "omschrijving": "Teamdag"})
            toevoegen.append((time.perf_counter() - begin) * 1000)
            assert antwoord.status_code == 302, antwoord.status_code
            with app.app_context():
                dag_id = db.session.scalar(select(Sluitingsdag.id).where(
                    Sluitingsdag.datum == sluitdag))
            begin = time.perf_counter()
            antwoord = client.post(f"/beheer/sluitingsdagen/{dag_id}/verwijderen",
                                   follow_redirects=False)
            verwijderen.append((time.perf_counter() - begin) * 1000)
        regel(f"(e) sluitingsdag {sluitdag:%d-%m-%Y} toevoegen (POST, herberekenen)",
              toevoegen, f"{args.meldingen} meldingen in het jaar")
        regel("(e) dezelfde sluitingsdag verwijderen (POST, herberekenen)", verwijderen, "")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    print(f"# bench/termijnen: {args.schools} scholen, {args.meldingen} meldingen in "
          f"{jaarnaam}, opbouw {opbouw:.1f} s\n")
    print("| meting | n | mediaan ms | p90 ms | opmerking |")
    print("| --- | ---: | ---: | ---: | --- |")
    print("\n".join(regels))
    for notitie in notities:
        print("\n" + notitie)


if __name__ == "__main__":
    main()
