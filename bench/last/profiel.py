"""Profile of one page: where the time of a request goes (queries, user, policy, CSRF, templates).

Usage: .venv/bin/python bench/last/profiel.py [--schools 250] [--n 200] [--pagina dossier]
                                             [--db-url URL] [--queries]

Fills a fresh SQLite database (or the empty database at --db-url) with `leerplicht demo`, logs
in as the first LLZ user through the login form (CSRF on, as in production), then requests the
page `n` times with the Flask test client under cProfile. Prints the wall time per request and
the inclusive time of the parts of a request (parts overlap: a query inside a template counts
under both), and with --queries every SQL statement of one request with the app line that ran it.
"""

import argparse
import cProfile
import pstats
import re
import secrets
import tempfile
import time
import traceback
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import event, select

from leerplicht import create_app
from leerplicht.accounts.models import Gebruiker
from leerplicht.demo import demo_wachtwoord, vul_demo
from leerplicht.extensions import db
from leerplicht.scholen.models import School

PAGINAS = {
    "dossier": "/scholen/{code}",
    "scholenlijst": "/scholen/",
    "afsprakenlijst": "/scholen/{code}/afsprakenlijst",
    "start": "/",
}

# (part, file fragment, function name): inclusive (cumulative) time of that function.
DELEN = (
    ("hele verzoek (Flask.wsgi_app)", "flask/app.py", "wsgi_app"),
    ("SQL: Connection._execute_context (alle queries)", "sqlalchemy/engine/base.py",
     "_execute_context"),
    ("sessie-cookie openen (open_session)", "flask/sessions.py", "open_session"),
    ("sessie-cookie opslaan (save_session)", "flask/sessions.py", "save_session"),
    ("gebruiker laden (flask_login _load_user)", "flask_login/login_manager.py", "_load_user"),
    ("sessiebewaking (accounts.login.bewaak_sessie)", "leerplicht/accounts/login.py",
     "bewaak_sessie"),
    ("toegangscontrole (policy.enforce)", "leerplicht/policy.py", "enforce"),
    ("CSRF-token maken (flask_wtf generate_csrf)", "flask_wtf/csrf.py", "generate_csrf"),
    ("view-functie (Flask.dispatch_request)", "flask/app.py", "dispatch_request"),
    ("dossier bouwen (scholen.dossier.dossier_context)", "leerplicht/scholen/dossier.py",
     "dossier_context"),
    ("templates renderen (flask render_template)", "flask/templating.py", "render_template"),
    ("context processors (Flask.update_template_context)", "flask/app.py",
     "update_template_context"),
    ("hoofdmenu (policy.hoofdmenu)", "leerplicht/policy.py", "hoofdmenu"),
    ("url_for", "flask/helpers.py", "url_for"),
    ("after_request hooks (Flask.process_response)", "flask/app.py", "process_response"),
)


def inloggen(client, email: str, wachtwoord: str) -> None:
    """Log in through the login form, taking its CSRF token like a browser."""
    soup = BeautifulSoup(client.get("/inloggen").data, "html.parser")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    antwoord = client.post("/inloggen", data={"csrf_token": token, "email": email,
                                              "wachtwoord": wachtwoord})
    assert antwoord.status_code == 302, "inloggen mislukt"


def herkomst() -> str:
    """The innermost leerplicht line (outside this script) on the stack: who ran the query."""
    for frame in reversed(traceback.extract_stack()):
        if "/leerplicht/" in frame.filename and "bench" not in frame.filename:
            return f"{frame.filename.split('/leerplicht/', 1)[1]}:{frame.lineno} {frame.name}"
    for frame in reversed(traceback.extract_stack()):
        if "/templates/" in frame.filename or frame.filename.endswith(".html"):
            return f"{frame.filename}:{frame.lineno}"
    return "?"


def inclusief(stats: pstats.Stats, bestand: str, functie: str) -> tuple[float, int]:
    """Summed cumulative seconds and calls of the functions named `functie` in `bestand`."""
    totaal, aantal = 0.0, 0
    for (pad, _regel, naam), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if naam == functie and pad.endswith(bestand):
            totaal += ct
            aantal += nc
    return totaal, aantal


def main() -> None:
    """Fill, log in, list the queries of one request, profile `n` requests and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=250)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--pagina", choices=sorted(PAGINAS), default="dossier")
    parser.add_argument("--db-url", help="een lege database (standaard: tijdelijke SQLite)")
    parser.add_argument("--queries", action="store_true", help="toon de SQL van één verzoek")
    parser.add_argument("--top", type=int, default=0, help="toon ook de top-N functies")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(16), "INSTANCE_PATH": tmp,
            "SQLALCHEMY_DATABASE_URI": args.db_url or f"sqlite:///{Path(tmp) / 'p.sqlite'}",
            "SESSION_COOKIE_SECURE": False,
        })
        with app.app_context():
            db.create_all()
            vul_demo(args.schools)
            llz = db.session.scalars(select(Gebruiker).where(Gebruiker.rol == "llz")
                                     .order_by(Gebruiker.id)).first()
            email, wachtwoord = llz.email, demo_wachtwoord(llz.email)
            code = db.session.scalars(select(School.code).order_by(School.id)).first()
            engine = db.engine
        client = app.test_client()
        inloggen(client, email, wachtwoord)
        url = PAGINAS[args.pagina].format(code=code)
        for _ in range(3):
            assert client.get(url).status_code == 200
        statements = []

        def noteer(_conn, _cursor, statement, *_args):
            """Remember one SQL statement and where it came from."""
            statements.append((herkomst(), re.sub(r"\s+", " ", statement)[:110]))

        event.listen(engine, "before_cursor_execute", noteer)
        client.get(url)
        event.remove(engine, "before_cursor_execute", noteer)
        print(f"{args.pagina} ({url}), {args.schools} scholen: {len(statements)} queries")
        if args.queries:
            for waar, sql in statements:
                print(f"  {waar:<55} {sql}")
        begin = time.perf_counter()
        for _ in range(args.n):
            client.get(url)
        zonder = (time.perf_counter() - begin) / args.n * 1000
        profiel = cProfile.Profile()
        profiel.enable()
        for _ in range(args.n):
            client.get(url)
        profiel.disable()
        stats = pstats.Stats(profiel)
        heel, _ = inclusief(stats, "flask/app.py", "wsgi_app")
        print(f"\n{zonder:.2f} ms per verzoek zonder profiler; onder cProfile "
              f"{heel / args.n * 1000:.2f} ms (aandelen hieronder zijn van die tijd)\n")
        print("| deel | ms per verzoek (profiler) | aandeel | aanroepen per verzoek |")
        print("| --- | ---: | ---: | ---: |")
        for naam, bestand, functie in DELEN:
            tijd, aantal = inclusief(stats, bestand, functie)
            print(f"| {naam} | {tijd / args.n * 1000:.2f} | {tijd / heel:.0%} | "
                  f"{aantal / args.n:.1f} |")
        if args.top:
            stats.sort_stats("cumulative").print_stats(args.top)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
