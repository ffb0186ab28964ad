"""Load benchmark: throughput and p99 of the main pages under gunicorn + wrk, SQLite and PostgreSQL.

Usage: .venv/bin/python bench/last/run.py [--db sqlite pg] [--schools 250] [--duur 10]

For each database a fresh one is made (SQLite: a temp file; PostgreSQL: a database
`lp_last_<random>` that is dropped afterwards) and filled with `leerplicht demo`. The queries
per request and the response size are counted once with the Flask test client. Then gunicorn
(2 sync workers, loopback, a free port) serves the app, an LLZ user logs in through the real
login form, and `wrk -t2 -c20 -d<duur>s --latency` loads each page with that session cookie.
Per page: requests/s, the ratio to a static file in the same run, p99 latency, response size
and queries per request. The pages with a part in the page cache (leerplicht/paginacache.py) are
measured twice: served from it (the data did not change since the first view), and by a second
gunicorn with the cache off (LEERPLICHT_PAGINACACHE=0: every view built afresh, as the first one
after a change), each against the static file of its own server. Processes and databases are
cleaned up on errors and Ctrl+C too.
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
USER_AGENT = "leerplicht-bench-last"

# (label, path); {code} is a school of the logged-in LLZ user.
PAGINAS = (
    ("statisch bestand (vloer)", "/static/css/app.css"),
    ("dossier /scholen/<code>", "/scholen/{code}"),
    ("scholenlijst (eerste pagina)", "/scholen/"),
    ("afsprakenlijst", "/scholen/{code}/afsprakenlijst"),
    ("LLZ-startpagina /", "/"),
)
DB_NAMES = {"sqlite": "SQLite", "pg": "PostgreSQL"}
# The pages whose body the page cache keeps; measured again with the cache off.
GECACHET = {"dossier /scholen/<code>", "afsprakenlijst", "LLZ-startpagina /"}
ZONDER = " — zonder paginacache"


def log(tekst: str) -> None:
    """Print a progress line to stderr (the table goes to stdout)."""
    print(tekst, file=sys.stderr, flush=True)


def vrije_poort() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database(soort: str, tmp: Path):
    """Yield the URL of a fresh, empty database of `soort`; drop it afterwards."""
    if soort == "sqlite":
        yield f"sqlite:///{tmp / 'last.sqlite'}"
        return
    from sqlalchemy import create_engine, text

    naam = f"lp_last_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{naam}"'))
        log(f"PostgreSQL-database {naam} aangemaakt")
        try:
            yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{naam}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
            log(f"PostgreSQL-database {naam} verwijderd")
    finally:
        admin.dispose()


def vul_en_tel(url: str, tmp: Path, scholen: int) -> dict:
    """Create the schema, fill the demo data; return the LLZ login, a school code and counts."""
    from sqlalchemy import event, select

    from leerplicht import create_app
    from leerplicht.accounts.models import Gebruiker
    from leerplicht.demo import demo_wachtwoord, vul_demo
    from leerplicht.extensions import db
    from leerplicht.scholen.models import School

    app = create_app({
        "SECRET_KEY": secrets.token_hex(16), "INSTANCE_PATH": str(tmp),
        "SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
    })
    begin = time.perf_counter()
    with app.app_context():
        db.create_all()
        vul_demo(scholen)
        # The first LLZ user is LLZ contact of the first school (see leerplicht/demo.py).
        llz = db.session.scalars(select(Gebruiker).where(Gebruiker.rol == "llz")
                                 .order_by(Gebruiker.id)).first()
        login = (llz.email, demo_wachtwoord(llz.email))
        code = db.session.scalars(select(School.code).order_by(School.id)).first()
        engine = db.engine
    log(f"demo met {scholen} scholen gevuld in {time.perf_counter() - begin:.1f} s")
    client = app.test_client()
    antwoord = client.post("/inloggen", data={"email": login[0], "wachtwoord": login[1]})
    assert antwoord.status_code == 302, "inloggen in de testclient mislukt"
    teller = [0]

    def tel(*_args):
        """Count one SQL statement."""
        teller[0] += 1

    event.listen(engine, "before_cursor_execute", tel)
    queries = {}
    try:
        for naam, pad in PAGINAS:
            url_pad = pad.format(code=code)
            client.get(url_pad)  # warm caches (first request of a page)
            teller[0] = 0
            status = client.get(url_pad).status_code
            assert status == 200, f"{url_pad}: {status}"
            queries[naam] = teller[0]
        cache = app.extensions.pop("paginacache")  # every view built afresh
        for naam, pad in PAGINAS:
            if naam in GECACHET:
                teller[0] = 0
                assert client.get(pad.format(code=code)).status_code == 200
                queries[naam + ZONDER] = teller[0]
        app.extensions["paginacache"] = cache
    finally:
        event.remove(engine, "before_cursor_execute", tel)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return {"login": login, "code": code, "queries": queries}


@contextmanager
def gunicorn(url: str, tmp: Path, paginacache: bool = True):
    """Start gunicorn (2 sync workers) on a free loopback port; yield its base URL; stop it."""
    poort = vrije_poort()
    env = dict(os.environ, LEERPLICHT_DATABASE_URL=url,
               LEERPLICHT_SECRET_KEY=secrets.token_hex(32), LEERPLICHT_INSECURE_COOKIES="1",
               LEERPLICHT_PAGINACACHE="1" if paginacache else "0")
    env.pop("DATABASE_URL", None)
    logbestand = (tmp / "gunicorn.log").open("wb")
    proces = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{poort}", "--chdir", str(ROOT), "leerplicht.wsgi:app"],
        env=env, stdout=logbestand, stderr=subprocess.STDOUT, start_new_session=True,
    )
    basis = f"http://127.0.0.1:{poort}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proces.poll() is not None:
                raise RuntimeError(f"gunicorn stopte: {(tmp / 'gunicorn.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{basis}/inloggen", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn start niet binnen 30 s") from None
                time.sleep(0.2)
        yield basis
    finally:
        if proces.poll() is None:
            os.killpg(proces.pid, signal.SIGTERM)
            try:
                proces.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proces.pid, signal.SIGKILL)
                proces.wait()
        logbestand.close()


def inloggen(basis: str, email: str, wachtwoord: str) -> str:
    """Log in through the login form (with its CSRF token); return the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    with opener.open(f"{basis}/inloggen", timeout=10) as antwoord:
        soup = BeautifulSoup(antwoord.read(), "html.parser")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    data = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                   "wachtwoord": wachtwoord}).encode()
    with opener.open(f"{basis}/inloggen", data=data, timeout=10) as antwoord:
        if urllib.parse.urlparse(antwoord.geturl()).path == "/inloggen":
            raise RuntimeError("inloggen via het formulier mislukt")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def haal(url: str, cookie: str) -> bytes:
    """GET a page with the session cookie; fail unless it answers 200 without redirect."""
    verzoek = urllib.request.Request(url, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    with urllib.request.urlopen(verzoek, timeout=30) as antwoord:
        if antwoord.status != 200 or antwoord.geturl() != url:
            raise RuntimeError(f"{url}: {antwoord.status} {antwoord.geturl()}")
        return antwoord.read()


EENHEDEN = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(uitvoer: str) -> dict:
    """Parse wrk --latency output: requests/s, p50/p99 in ms, errors and non-2xx responses."""
    def latentie(pct: str) -> float:
        """The latency at percentile `pct` in ms."""
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", uitvoer, re.M)
        return float(m.group(1)) * EENHEDEN[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", uitvoer).group(1))
    fout = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", uitvoer)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                     uitvoer)
    return {"rps": rps, "p50": latentie("50"), "p99": latentie("99"),
            "non2xx": int(fout.group(1)) if fout else 0,
            "socket_errors": sum(map(int, sock.groups())) if sock else 0}


def wrk(url: str, cookie: str, duur: int) -> dict:
    """Run wrk -t2 -c20 against `url` for `duur` seconds with the cookie; return parsed output."""
    uitvoer = subprocess.run(
        ["wrk", "-t2", "-c20", f"-d{duur}s", "--latency", "--timeout", "10s",
         "-H", f"Cookie: {cookie}", "-H", f"User-Agent: {USER_AGENT}", url],
        capture_output=True, text=True, check=True, timeout=duur + 60,
    ).stdout
    return parse_wrk(uitvoer)


def meet(soort: str, scholen: int, duur: int) -> dict:
    """Run the whole measurement on one database; return {page: figures}."""
    with tempfile.TemporaryDirectory(prefix="lp_last_") as tmpnaam:
        tmp = Path(tmpnaam)
        with database(soort, tmp) as url:
            gegevens = vul_en_tel(url, tmp, scholen)
            uitkomst = {}
            for paginacache, achter in ((True, ""), (False, ZONDER)):
                with gunicorn(url, tmp, paginacache) as basis:
                    cookie = inloggen(basis, *gegevens["login"])
                    for naam, pad in PAGINAS:
                        if achter and naam not in GECACHET and pad != PAGINAS[0][1]:
                            continue
                        volledig = basis + pad.format(code=gegevens["code"])
                        grootte = len(haal(volledig, cookie))
                        for _ in range(5):  # warm both workers
                            haal(volledig, cookie)
                        log(f"[{DB_NAMES[soort]}] wrk {duur} s: {naam}{achter}")
                        cijfers = wrk(volledig, cookie, duur)
                        # The static file's count (0) serves for both servers.
                        queries = gegevens["queries"]
                        cijfers.update(grootte=grootte,
                                       queries=queries.get(naam + achter, queries[naam]))
                        uitkomst[naam + achter] = cijfers
    # Each page against the static file of its own server (the same run, the same machine).
    for naam, cijfers in uitkomst.items():
        vloer = uitkomst[PAGINAS[0][0] + (ZONDER if naam.endswith(ZONDER) else "")]["rps"]
        cijfers["ratio"] = cijfers["rps"] / vloer if vloer else 0.0
    return uitkomst


def grootte_tekst(aantal: int) -> str:
    """Bytes as a short human-readable size."""
    return f"{aantal / 1024:.1f} KB" if aantal >= 1024 else f"{aantal} B"


def tabel(resultaten: dict, scholen: int, duur: int) -> str:
    """The results as a Markdown table: one row per page, columns per database."""
    soorten = list(resultaten)
    kop = ["pagina", "queries", "grootte"]
    for soort in soorten:
        naam = DB_NAMES[soort]
        kop += [f"{naam} req/s", f"{naam} ratio", f"{naam} p99"]
    regels = [f"{scholen} scholen, gunicorn 2 sync workers, wrk -t2 -c20 -d{duur}s, "
              f"{os.cpu_count()} cores", "",
              "| " + " | ".join(kop) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(kop) - 1))
              + " |"]
    for naam in resultaten[soorten[0]]:
        queries = [resultaten[s][naam]["queries"] for s in soorten]
        grootte = resultaten[soorten[0]][naam]["grootte"]
        queries_tekst = "/".join(map(str, queries)) if len(set(queries)) > 1 else str(queries[0])
        rij = [naam, queries_tekst, grootte_tekst(grootte)]
        for soort in soorten:
            c = resultaten[soort][naam]
            fout = f" ({c['non2xx']} niet-2xx)" if c["non2xx"] else ""
            rij += [f"{c['rps']:.0f}{fout}", f"{c['ratio']:.3f}", f"{c['p99']:.0f} ms"]
        regels.append("| " + " | ".join(rij) + " |")
    return "\n".join(regels)


def main() -> int:
    """Parse the arguments, measure each database and print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", choices=sorted(DB_NAMES), default=["sqlite", "pg"])
    parser.add_argument("--schools", type=int, default=250)
    parser.add_argument("--duur", type=int, default=10, help="seconden wrk per pagina")
    parser.add_argument("--json", type=Path, help="schrijf de cijfers ook als JSON hierheen")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        parser.error("wrk ontbreekt: apt-get install wrk")
    # SIGTERM ends the run like Ctrl+C, so the finally blocks stop gunicorn and drop databases.
    # (SIGINT explicitly too: a background process may have inherited it as ignored.)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        resultaten = {soort: meet(soort, args.schools, args.duur) for soort in args.db}
    except KeyboardInterrupt:
        log("afgebroken; gunicorn gestopt en tijdelijke databases verwijderd")
        return 130
    if args.json:
        args.json.write_text(json.dumps(resultaten, indent=2))
    print(tabel(resultaten, args.schools, args.duur))
    return 0


if __name__ == "__main__":
    sys.exit(main())
