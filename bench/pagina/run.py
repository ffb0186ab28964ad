"""Benchmark: SQL queries and render time of the main pages with few and many schools.

Usage: .venv/bin/python bench/pagina/run.py [--schools 12 2000] [--repeat 20]

For each size a fresh SQLite database in a temp folder is filled with `leerplicht demo`,
a beheerder (and, for their start pages, an LLZ and a school user) logs in through the test
client, and every page is requested `repeat` times.
Prints, per page and size, the number of SQL statements (must not grow with the number of
schools, except for pages that list every school) and the median time per request.
"""

import argparse
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select

from leerplicht import create_app
from leerplicht.accounts.models import Gebruiker
from leerplicht.demo import demo_wachtwoord, vul_demo
from leerplicht.extensions import db
from leerplicht.scholen.models import School

PAGINAS = (
    ("start (beheerder)", "/"),
    ("start (llz)", "/"),
    ("start (school)", "/"),
    ("scholenlijst", "/scholen/"),
    ("scholenlijst, zoeken", "/scholen/?q=zeevliet&sector=VO"),
    ("schooldossier", "/scholen/{code}"),
    ("afsprakenlijst", "/scholen/{code}/afsprakenlijst"),
    ("escalaties school", "/scholen/{code}/escalaties"),
    ("escalatieroute", "/scholen/{code}/escalatieroute"),
    ("open escalaties", "/escalaties"),
    ("termijnen afsprakenlijsten", "/afsprakenlijsten/termijnen"),
    ("beheer", "/beheer"),
)


def meet(aantal: int, herhaal: int) -> dict[str, tuple[int, float]]:
    """Fill a fresh database with `aantal` schools; return {page: (queries, median ms)}."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(16), "INSTANCE_PATH": tmp,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
            "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False,
        })
        with app.app_context():
            db.create_all()
            vul_demo(aantal)
            logins = {}
            for rol in ("beheerder", "llz", "school"):
                gebruiker = db.session.scalars(select(Gebruiker).where(
                    Gebruiker.rol == rol).order_by(Gebruiker.id)).first()
                logins[rol] = (gebruiker.email, demo_wachtwoord(gebruiker.email))
            code = db.session.scalars(select(School.code).order_by(School.id)).first()
            engine = db.engine
        clients = {}
        for rol, (email, wachtwoord) in logins.items():
            clients[rol] = app.test_client()
            clients[rol].post("/inloggen", data={"email": email, "wachtwoord": wachtwoord})
        teller = [0]

        def tel(*_args):
            teller[0] += 1

        event.listen(engine, "before_cursor_execute", tel)
        uitkomst = {}
        for naam, pad in PAGINAS:
            rol = naam.removeprefix("start (").rstrip(")") if naam.startswith("start") else ""
            client = clients.get(rol, clients["beheerder"])
            url = pad.format(code=code)
            assert client.get(url).status_code == 200, url
            teller[0] = 0
            client.get(url)
            queries = teller[0]
            tijden = []
            for _ in range(herhaal):
                begin = time.perf_counter()
                client.get(url)
                tijden.append((time.perf_counter() - begin) * 1000)
            uitkomst[naam] = (queries, statistics.median(tijden))
        with app.app_context():
            db.engine.dispose()
        return uitkomst


def main():
    """Run the benchmark for each size and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[12, 2000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    resultaten = {n: meet(n, args.repeat) for n in args.schools}
    kop = "pagina".ljust(28) + "".join(f"{n:>8} sch: queries   ms" for n in args.schools)
    print(kop)
    for naam, _ in PAGINAS:
        regel = naam.ljust(28)
        for n in args.schools:
            queries, ms = resultaten[n][naam]
            regel += f"{queries:>22} {ms:>5.1f}"
        print(regel)


if __name__ == "__main__":
    main()
