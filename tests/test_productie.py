"""Production plumbing: the health endpoint, JSON request logs, HSTS, session limits and the
password policy."""

import json
import logging
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht import create_app
from leerplicht.accounts.login import ACTIEF_OP, INGELOGD_OP, SESSIE_VERLOPEN
from leerplicht.accounts.models import Gebruiker, Rol
from leerplicht.accounts.passwords import is_veelgebruikt, wachtwoord_probleem
from leerplicht.extensions import db
from leerplicht.requestlog import json_handler
from leerplicht.security import HSTS

import factories as f
from conftest import app_config

BEHEERDER = "beheer@llz.example.nl"
SCHOOL = "zorg@school.example.nl"


@pytest.fixture
def users(app):
    """A beheerder and a school user."""
    with app.app_context():
        school = f.school(naam="De Testschool", code="12AB00")
        f.gebruiker(Rol.BEHEERDER, BEHEERDER)
        f.gebruiker(Rol.SCHOOL, SCHOOL, scholen=[school])
        db.session.commit()


# --- /health ---------------------------------------------------------------------------------


def test_health_says_ok_without_login_and_nothing_else(users, client):
    """200 with exactly {"status": "ok"}: no version, no database name, no cookie."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    client.login(BEHEERDER)  # logged in it answers the same
    assert client.get("/health").get_json() == {"status": "ok"}


def test_health_without_a_database_is_503_and_reveals_no_reason(
    app, tmp_path, second_app, caplog
):
    """A database that does not answer: 503 {"status": "fout"}; the reason is only logged."""
    kapot = second_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/bestaat-niet/x.sqlite",
                       SQLALCHEMY_ENGINE_OPTIONS={})
    with caplog.at_level(logging.ERROR, logger="leerplicht"):
        response = kapot.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "fout"}
    assert "sqlite" not in response.text.lower()
    fouten = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert fouten and fouten[0].exc_info is not None
    assert fouten[0].request_id == response.headers["X-Request-ID"]


def test_health_refuses_other_methods(client):
    """Only GET (and HEAD): a POST is a 405 page, not a database check."""
    assert client.post("/health", {}).status_code in (400, 405)


# --- request logs ----------------------------------------------------------------------------


def _regels(caplog) -> list[dict]:
    """The request log records of caplog as the JSON objects the handler writes."""
    formatter = json_handler().formatter
    return [json.loads(formatter.format(r)) for r in caplog.records
            if r.name == "leerplicht.verzoek"]


def test_one_json_line_per_request_with_id_user_status_and_duration(app, users, client, caplog):
    """Each request: one line with request id, method, path, status, duration and user id."""
    client.login(BEHEERDER)
    with app.app_context():
        user_id = db.session.scalar(select(Gebruiker.id).where(Gebruiker.email == BEHEERDER))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="leerplicht.verzoek"):
        response = client.get("/scholen/")
        client.get("/bestaat-niet")
    regels = _regels(caplog)
    assert len(regels) == 2
    eerste, tweede = regels
    assert eerste["request_id"] == response.headers["X-Request-ID"]
    assert len(eerste["request_id"]) == 32
    assert (eerste["method"], eerste["path"], eerste["status"]) == ("GET", "/scholen/", 200)
    assert eerste["user_id"] == user_id
    assert isinstance(eerste["duration_ms"], float) and eerste["duration_ms"] >= 0
    assert eerste["level"] == "INFO" and eerste["logger"] == "leerplicht.verzoek"
    assert tweede["status"] == 404 and tweede["request_id"] != eerste["request_id"]


def test_log_never_holds_password_token_cookie_or_query(app, users, client, caplog):
    """A login POST, a search and a calendar feed: no password, CSRF token, cookie, query
    string or feed token anywhere in the lines."""
    geheim = "een-heel-geheim-wachtwoord"
    with caplog.at_level(logging.INFO, logger="leerplicht.verzoek"):
        token = client.csrf_token()
        client.post("/inloggen", {"email": BEHEERDER, "wachtwoord": geheim})
        client.login(BEHEERDER)
        client.get("/scholen/", query_string={"q": "zoekterm-van-iemand"})
        client.get("/agenda/abcdefghijklmnopqrstuvwxyz0123456789ABCD.ics")
    regels = _regels(caplog)
    tekst = "\n".join(json.dumps(r) for r in regels)
    with client.http.session_transaction() as session:
        cookie_inhoud = dict(session)
    for verboden in (geheim, "wachtwoord-voor-tests", token, "zoekterm-van-iemand",
                     "abcdefghijklmnopqrstuvwxyz0123456789ABCD", cookie_inhoud["csrf_token"]):
        assert verboden not in tekst, verboden
    paden = [r["path"] for r in regels]
    assert "/agenda/<token>.ics" in paden and "/scholen/" in paden
    assert [r["status"] for r in regels if r["method"] == "POST"] == [422, 302]


@pytest.mark.parametrize(("inkomend", "overgenomen"), [
    ("nginx-3f2a9c1d7e", True), ("a" * 64, True), ("kort", False), ("<script>", False),
    ("a" * 65, False), ("id met spatie", False)])
def test_request_id_from_the_proxy_only_when_plain(client, caplog, inkomend, overgenomen):
    """A plain id from the proxy (X-Request-ID) is kept; anything else gets a new id."""
    with caplog.at_level(logging.INFO, logger="leerplicht.verzoek"):
        response = client.get("/health", headers={"X-Request-ID": inkomend})
    gekregen = response.headers["X-Request-ID"]
    assert (gekregen == inkomend) is overgenomen
    assert _regels(caplog)[-1]["request_id"] == gekregen


def test_json_handler_writes_one_parseable_line_per_record(app, caplog):
    """The handler's output: one line, valid JSON, also for an exception with a traceback."""
    handler = json_handler()
    try:
        raise ValueError("regel een\nregel twee")
    except ValueError:
        record = logging.getLogger("leerplicht").makeRecord(
            "leerplicht", logging.ERROR, __file__, 1, "mislukt", (), __import__("sys").exc_info())
    assert handler.filter(record)  # the handler's filter adds the request id
    uitvoer = handler.format(record)
    assert "\n" not in uitvoer
    geparsed = json.loads(uitvoer)
    assert geparsed["message"] == "mislukt" and "regel twee" in geparsed["exc_info"]
    assert geparsed["request_id"] is None  # outside a request


def test_production_app_logs_json_on_stderr(tmp_path):
    """With LOG_JSON (the default outside tests) and no logging set up by anyone else (the
    development server, the CLI), each request is one JSON line on stderr."""
    code = (
        "import logging\nfrom leerplicht import create_app\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.sqlite', "
        "'SECRET_KEY': 'x', 'INSTANCE_PATH': " + repr(str(tmp_path)) + "})\n"
        "app.test_client().get('/health')\napp.test_client().get('/bestaat-niet')\n"
        "logging.getLogger('leerplicht').error('iets mis')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    regels = [json.loads(r) for r in result.stderr.splitlines()]
    assert [(r.get("path"), r.get("status")) for r in regels[:2]] == [
        ("/health", 200), ("/bestaat-niet", 404)]
    assert regels[2]["level"] == "ERROR" and regels[2]["message"] == "iets mis"
    assert len(regels) == 3  # each record once


# --- HSTS ------------------------------------------------------------------------------------


def test_hsts_only_over_https(client):
    """Strict-Transport-Security on HTTPS answers, never on plain HTTP (it would be ignored
    and, behind a misconfigured proxy, wrong)."""
    assert "Strict-Transport-Security" not in client.get("/inloggen").headers
    secure = client.get("/inloggen", base_url="https://leerplicht.example.nl")
    assert secure.headers["Strict-Transport-Security"] == HSTS
    assert "max-age=31536000" in HSTS


def test_hsts_behind_the_trusted_proxy(second_app):
    """Behind one trusted proxy, X-Forwarded-Proto: https turns HSTS on; without the setting
    the same header from a client is not believed."""
    headers = {"X-Forwarded-Proto": "https"}
    achter = second_app(TRUSTED_PROXIES=1).test_client()
    assert achter.get("/inloggen", headers=headers).headers["Strict-Transport-Security"] == HSTS
    direct = second_app(TRUSTED_PROXIES=0).test_client()
    assert "Strict-Transport-Security" not in direct.get("/inloggen", headers=headers).headers


# --- session lifetime and idle timeout -------------------------------------------------------


def _zet_sessie(client, **waarden):
    """Change keys of the client's session cookie."""
    with client.http.session_transaction() as session:
        session.update(waarden)


def _sessie(client) -> dict:
    """The client's session as a dict."""
    with client.http.session_transaction() as session:
        return dict(session)


def test_defaults_eight_hours_and_an_hour_idle(app):
    """Sensible defaults: 8 hours after login, 60 minutes without a request."""
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    assert app.config["SESSIE_INACTIEF"] == timedelta(minutes=60)


def test_login_stamps_the_session(users, client):
    """Login writes the moment of login and of the last request into the session."""
    voor = int(time.time())
    client.login(BEHEERDER)
    sessie = _sessie(client)
    assert voor <= sessie[INGELOGD_OP] <= time.time()
    assert sessie[ACTIEF_OP] == sessie[INGELOGD_OP]


@pytest.mark.parametrize(("ingelogd", "actief", "verlopen"), [
    (60, 60, False),
    (3500, 3500, False),  # just under an hour idle
    (3700, 3700, True),  # over an hour idle
    (8 * 3600 - 60, 100, False),  # long day, active: fine
    (8 * 3600 + 60, 100, True),  # over 8 hours since login, however active
])
def test_session_ends_after_idle_time_or_lifetime(users, client, ingelogd, actief, verlopen):
    """An idle or too old session is logged out: to the login page with a Dutch reason."""
    client.login(BEHEERDER)
    nu = int(time.time())
    _zet_sessie(client, **{INGELOGD_OP: nu - ingelogd, ACTIEF_OP: nu - actief})
    response = client.get("/scholen/")
    if not verlopen:
        assert response.status_code == 200
        assert _sessie(client)[ACTIEF_OP] >= nu  # the request counts as activity
        return
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen")
    login = BeautifulSoup(client.get(response.headers["Location"]).text, "html.parser")
    assert SESSIE_VERLOPEN in login.get_text(" ", strip=True)
    assert "_user_id" not in _sessie(client)
    assert client.get("/scholen/").status_code == 302  # it stays logged out


def test_expired_session_on_an_htmx_request_redirects_the_page(users, client):
    """htmx gets HX-Redirect to the login page instead of a login form inside the page."""
    client.login(BEHEERDER)
    _zet_sessie(client, **{ACTIEF_OP: int(time.time()) - 4000})
    response = client.get("/scholen/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/inloggen")


def test_expired_session_cannot_post(app, users, client):
    """A form sent after the idle timeout changes nothing."""
    client.login(BEHEERDER)
    token = client.csrf_token()
    _zet_sessie(client, **{ACTIEF_OP: int(time.time()) - 4000})
    response = client.post("/account/wachtwoord", {
        "csrf_token": token, "huidig": "wachtwoord-voor-tests",
        "nieuw": "een nieuwe lange zin", "herhaal": "een nieuwe lange zin"})
    assert response.status_code in (302, 400)
    assert client.login(BEHEERDER)  # the old password still works


def test_cookie_from_before_this_version_gets_stamped(users, client):
    """A session without the stamps (logged in before an upgrade) continues and gets them."""
    client.login(BEHEERDER)
    with client.http.session_transaction() as session:
        session.pop(INGELOGD_OP)
        session.pop(ACTIEF_OP)
    assert client.get("/scholen/").status_code == 200
    assert INGELOGD_OP in _sessie(client) and ACTIEF_OP in _sessie(client)


@pytest.mark.parametrize(("uren", "minuten", "max_duur", "inactief"), [
    ("12", "15", timedelta(hours=12), timedelta(minutes=15)),
    ("", " ", timedelta(hours=8), timedelta(minutes=60)),
])
def test_session_settings_from_the_environment(
    tmp_path, pg_schema, monkeypatch, uren, minuten, max_duur, inactief
):
    """LEERPLICHT_SESSIE_UREN and LEERPLICHT_SESSIE_INACTIEF_MINUTEN set both limits."""
    monkeypatch.setenv("LEERPLICHT_SESSIE_UREN", uren)
    monkeypatch.setenv("LEERPLICHT_SESSIE_INACTIEF_MINUTEN", minuten)
    made = create_app(app_config(tmp_path, pg_schema))
    assert made.config["PERMANENT_SESSION_LIFETIME"] == max_duur
    assert made.config["SESSIE_INACTIEF"] == inactief
    with made.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("waarde", ["abc", "-5", "1.5", "²", "99999999"])
def test_malformed_session_setting_stops_the_start(tmp_path, pg_schema, monkeypatch, waarde):
    """A malformed value stops the app at start with a message naming the setting."""
    monkeypatch.setenv("LEERPLICHT_SESSIE_INACTIEF_MINUTEN", waarde)
    with pytest.raises(ValueError, match="LEERPLICHT_SESSIE_INACTIEF_MINUTEN moet een geheel"):
        create_app(app_config(tmp_path, pg_schema))


# --- password policy -------------------------------------------------------------------------


@pytest.mark.parametrize("wachtwoord", [
    "wachtwoord123", "Wachtwoord2026!", "welkomwelkom", "!!Welkom01!!", "qwertyuiop12",
    "123456789012", "aaaaaaaaaaaaaa", "abababababab", "iloveyou1234", "PASSWORD1234",
    "leerplicht2026", "zonnebloem1234", "1qaz2wsx3edc", "Ｗａｃｈｔｗｏｏｒｄ１２３"])
def test_common_passwords_are_refused(wachtwoord):
    """On the list (also with digits or signs around it, any case, full-width): refused."""
    assert is_veelgebruikt(wachtwoord)
    assert "veel gebruikt" in wachtwoord_probleem(wachtwoord)


@pytest.mark.parametrize("wachtwoord", [
    "fiets paraplu kaas", "alleenkleineletters", "ZEVENTIEN STOELEN", "wij gaan naar zee",
    "9817364520391", "Mijn kat heet Pluis!", "tulpenbollenveld"])
def test_long_uncommon_passwords_pass_without_composition_rules(wachtwoord):
    """Length counts, composition not: lower case only, digits only or spaces are fine."""
    assert wachtwoord_probleem(wachtwoord, "iemand@school.nl") is None


@pytest.mark.parametrize(("wachtwoord", "deel"), [
    ("kort", "minstens 12 tekens"), ("elf tekens!", "minstens 12 tekens"),
    ("x" * 129, "hoogstens 128"), ("jan.jansen rijdt fiets", "e-mailnaam")])
def test_length_and_own_name(wachtwoord, deel):
    """Too short, too long, or the own e-mail name: each has its own Dutch reason."""
    assert deel in wachtwoord_probleem(wachtwoord, "jan.jansen@school.nl")


def test_the_shipped_list_is_big_and_normalised():
    """The data file is read: tens of thousands of entries, Dutch ones included."""
    from leerplicht.accounts.passwords import veelgebruikte_wachtwoorden

    lijst = veelgebruikte_wachtwoorden()
    assert len(lijst) > 25_000
    assert {"wachtwoord", "welkom", "password", "qwertyuiop"} <= lijst
    assert all(w == w.casefold().strip() for w in lijst)


def test_own_password_form_refuses_a_common_password(app, users, client):
    """The password page says why, in Dutch, and keeps the old password."""
    client.login(SCHOOL)
    with app.app_context():
        oud = db.session.scalar(select(Gebruiker.wachtwoord_hash)
                                .where(Gebruiker.email == SCHOOL))
    response = client.post("/account/wachtwoord", {
        "huidig": "wachtwoord-voor-tests", "nieuw": "Welkom2026!!", "herhaal": "Welkom2026!!"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "veel gebruikt" in soup.select_one("main").get_text(" ", strip=True)
    with app.app_context():
        assert db.session.scalar(select(Gebruiker.wachtwoord_hash)
                                 .where(Gebruiker.email == SCHOOL)) == oud


def test_own_password_may_not_hold_the_own_mail_name(app, users, client):
    """The password page checks the user's own e-mail name too."""
    client.login(SCHOOL)
    response = client.post("/account/wachtwoord", {
        "huidig": "wachtwoord-voor-tests", "nieuw": "zorg is mijn vak hier",
        "herhaal": "zorg is mijn vak hier"})
    assert response.status_code == 422
    assert "e-mailnaam" in BeautifulSoup(response.text, "html.parser").get_text()


def test_beheerder_cannot_give_a_common_password(app, users, client):
    """A new user with a common first password is not created."""
    client.login(BEHEERDER)
    response = client.post("/beheer/gebruikers/nieuw", {
        "naam": "Nieuwe Collega", "email": "nieuw@llz.example.nl", "rol": "llz",
        "wachtwoord": "qwertyuiop123", "actief": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Gebruiker).where(
            Gebruiker.email == "nieuw@llz.example.nl")) is None


def test_cli_refuses_a_common_password(app, runner):
    """`leerplicht user create` applies the same policy."""
    result = runner.invoke(args=["user", "create", "--email", "k@example.nl", "--naam", "K",
                                 "--rol", "llz"], input="Wachtwoord2026\nWachtwoord2026\n")
    assert result.exit_code != 0 and "veel gebruikt" in result.output
    with app.app_context():
        assert db.session.scalar(select(Gebruiker)) is None
