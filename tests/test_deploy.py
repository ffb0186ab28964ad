"""deploy/: the systemd unit's commands really start the app with the example environment.

The test reads ExecStartPre and ExecStart from deploy/leerplicht.service and the variables
from deploy/leerplicht.env.example, puts this checkout where the unit says /opt/leerplicht,
points the database at a fresh test database, runs both commands and talks to the server as
the reverse proxy would.
"""

import configparser
import json
import os
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from conftest import PG_URL

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
OPT = "/opt/leerplicht"


def _unit(naam: str) -> configparser.ConfigParser:
    """A systemd unit file as sections and keys (systemd's syntax is INI-like)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DEPLOY / naam)
    return parser


def _omgeving_voorbeeld() -> dict[str, str]:
    """KEY=value lines of the example environment file (as systemd's EnvironmentFile reads)."""
    omgeving = {}
    for regel in (DEPLOY / "leerplicht.env.example").read_text().splitlines():
        if regel.strip() and not regel.lstrip().startswith("#"):
            sleutel, _, waarde = regel.partition("=")
            omgeving[sleutel.strip()] = waarde.strip()
    return omgeving


def _commando(regel: str) -> list[str]:
    """A unit's command line with /opt/leerplicht replaced by this checkout."""
    return shlex.split(regel.replace(OPT, str(ROOT)))


def _vrije_poort() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database(tmp_path):
    """A fresh database URL: a new PostgreSQL database when testing on PostgreSQL."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path}/deploy.sqlite"
        return
    naam = f"lp_deploy_{uuid.uuid4().hex[:10]}"
    beheer = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with beheer.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{naam}"'))
    yield make_url(PG_URL).set(database=naam).render_as_string(hide_password=False)
    with beheer.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))


def _vraag(url: str, headers: dict | None = None):
    """GET url; (status, headers, body) also for error statuses."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_unit_and_examples_fit_together():
    """The unit runs the migrations, then gunicorn with our config; files it names exist."""
    unit = _unit("leerplicht.service")
    service = unit["Service"]
    assert service["ExecStartPre"].endswith("leerplicht db upgrade")
    assert "deploy/gunicorn.conf.py" in service["ExecStart"]
    assert service["EnvironmentFile"] == "/etc/leerplicht/leerplicht.env"
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    omgeving = _omgeving_voorbeeld()
    for sleutel in ("LEERPLICHT_DATABASE_URL", "LEERPLICHT_SECRET_KEY",
                    "LEERPLICHT_TRUSTED_PROXIES", "LEERPLICHT_SESSIE_UREN",
                    "LEERPLICHT_SESSIE_INACTIEF_MINUTEN", "LEERPLICHT_BIND"):
        assert sleutel in omgeving, sleutel
    assert omgeving["LEERPLICHT_DATABASE_URL"].startswith("postgresql://")
    backup = _unit("leerplicht-backup.service")["Service"]
    assert "leerplicht backup --out" in backup["ExecStart"]
    assert _unit("leerplicht-backup.timer")["Timer"]["OnCalendar"]
    nginx = (DEPLOY / "nginx-leerplicht.conf").read_text()
    bind = omgeving["LEERPLICHT_BIND"]
    assert f"proxy_pass http://{bind};" in nginx
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-ID"):
        assert f"proxy_set_header {header}" in nginx
    assert "/var/log/leerplicht/*.log" in (DEPLOY / "logrotate-leerplicht").read_text()
    assert "/var/log/leerplicht/leerplicht.log" in service["StandardOutput"]


def test_the_units_commands_serve_the_app_behind_a_proxy(database, tmp_path):
    """ExecStartPre migrates, ExecStart serves: /health, HTTPS via the proxy's headers (HSTS,
    secure cookie), the proxy's request id, JSON lines on stderr, and a clean stop."""
    service = _unit("leerplicht.service")["Service"]
    poort = _vrije_poort()
    omgeving = {
        **os.environ,
        **_omgeving_voorbeeld(),
        "LEERPLICHT_DATABASE_URL": database,
        "LEERPLICHT_SECRET_KEY": "deploytest-" + uuid.uuid4().hex,
        "LEERPLICHT_BIND": f"127.0.0.1:{poort}",
        "LEERPLICHT_WORKERS": "2",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    }
    omgeving.pop("LEERPLICHT_INSECURE_COOKIES", None)
    voor = subprocess.run(_commando(service["ExecStartPre"]), cwd=tmp_path, env=omgeving,
                          capture_output=True, text=True, timeout=120, check=False)
    assert voor.returncode == 0, voor.stderr[-2000:]

    log = tmp_path / "leerplicht.log"
    with open(log, "w") as uitvoer:
        server = subprocess.Popen(_commando(service["ExecStart"]), cwd=tmp_path, env=omgeving,
                                  stdout=uitvoer, stderr=subprocess.STDOUT)
        try:
            basis = f"http://127.0.0.1:{poort}"
            for _ in range(300):
                try:
                    status, _, body = _vraag(f"{basis}/health")
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()[-2000:]
                    time.sleep(0.1)
            else:
                raise AssertionError("gunicorn antwoordde niet binnen 30 s")
            assert status == 200 and json.loads(body) == {"status": "ok"}

            proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
                     "X-Forwarded-Host": "leerplicht.zeevliet.example.nl",
                     "X-Request-ID": "nginx-req-0001"}
            status, headers, _ = _vraag(f"{basis}/inloggen", proxy)
            assert status == 200
            assert headers["Strict-Transport-Security"].startswith("max-age=")
            assert "Secure" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
            assert headers["X-Request-ID"] == "nginx-req-0001"
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(timeout=40)
    assert code == 0
    regels = [json.loads(r) for r in log.read_text().splitlines() if r.startswith("{")]
    verzoeken = [r for r in regels if r.get("logger") == "leerplicht.verzoek"]
    login = next(r for r in verzoeken if r["path"] == "/inloggen")
    assert login["request_id"] == "nginx-req-0001" and login["ip"] == "203.0.113.9"
    assert any(r.get("logger") == "gunicorn.error" for r in regels)  # gunicorn speaks JSON too
    assert all(line.startswith("{") for line in log.read_text().splitlines() if line.strip())
