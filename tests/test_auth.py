"""Login, logout, sessions, throttling, CSRF and security headers."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.login import geblokkeerd
from leerplicht.accounts.models import Gebruiker, Inlogpoging, Rol
from leerplicht.extensions import db
from leerplicht.models_base import utcnow

import factories as f
from conftest import Client


@pytest.fixture
def users(app):
    """A beheerder and a school user; returns their e-mail addresses."""
    with app.app_context():
        school = f.school(naam="De Testschool", code="12AB00")
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.SCHOOL, "zorg@school.example.nl", scholen=[school])
        f.gebruiker(Rol.LLZ, "oud@llz.example.nl", actief=False)
        db.session.commit()
    return {"beheerder": "beheer@llz.example.nl", "school": "zorg@school.example.nl"}


def test_login_lands_school_user_on_own_dossier(users, client):
    """A school user with one school goes straight to that dossier after login."""
    response = client.login(users["school"])
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/scholen/12AB00"


def test_wrong_password_is_refused_with_dutch_message(users, client):
    """A wrong password gives 422 and one clear message, no session."""
    response = client.post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": "fout-wachtwoord-123"}
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("[role=alert]").get_text(strip=True) == (
        "Het e-mailadres of het wachtwoord klopt niet."
    )
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "data",
    [{}, {"email": "", "wachtwoord": ""}, {"email": "x" * 300, "wachtwoord": "a"}],
    ids=["niets", "leeg", "te-lang"],
)
def test_login_bad_input(users, client, data):
    """Missing or oversized input: Dutch field errors, 422, no 500."""
    response = client.post("/inloggen", data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select(".utrecht-form-field-error-message")
    assert soup.select_one("#foutoverzicht")


def test_inactive_user_cannot_log_in(users, client):
    """A blocked account gets the same message as a wrong password."""
    response = client.post(
        "/inloggen", {"email": "oud@llz.example.nl", "wachtwoord": f.WACHTWOORD}
    )
    assert response.status_code == 422


def test_session_is_regenerated_at_login(users, client):
    """Nothing of the anonymous session survives login (no session fixation)."""
    with client.http.session_transaction() as session:
        session["planted"] = "by-attacker"
    client.login(users["beheerder"])
    with client.http.session_transaction() as session:
        assert "planted" not in session


def test_copied_cookie_is_refused_after_logout(users, client, make_client):
    """A session cookie copied before logout no longer works afterwards."""
    client.login(users["beheerder"])
    cookie = client.http.get_cookie("leerplicht_session").value
    thief = make_client()
    thief.http.set_cookie("leerplicht_session", cookie)
    assert thief.get("/beheer/gebruikers").status_code == 200
    assert client.post("/uitloggen").status_code == 302
    replay = thief.get("/beheer/gebruikers")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith("/inloggen")


def test_password_change_ends_other_sessions(users, client, make_client):
    """After a password change, other sessions stop working; this one goes on."""
    client.login(users["beheerder"])
    other = make_client()
    other.login(users["beheerder"])
    response = client.post(
        "/account/wachtwoord",
        {"huidig": f.WACHTWOORD, "nieuw": "een-nieuw-lang-wachtwoord", "herhaal":
         "een-nieuw-lang-wachtwoord"},
    )
    assert response.status_code == 302
    assert client.get("/beheer/gebruikers").status_code == 200
    assert other.get("/beheer/gebruikers").status_code == 302
    fresh = make_client()
    fresh.login(users["beheerder"], "een-nieuw-lang-wachtwoord")


@pytest.mark.parametrize(
    ("huidig", "nieuw", "herhaal", "veld"),
    [
        ("verkeerd-wachtwoord", "een-nieuw-lang-wachtwoord", "een-nieuw-lang-wachtwoord", "huidig"),
        (f.WACHTWOORD, "kort", "kort", "nieuw"),
        (f.WACHTWOORD, "een-nieuw-lang-wachtwoord", "iets-anders-lang-genoeg", "herhaal"),
    ],
    ids=["huidig-fout", "te-kort", "herhaling-anders"],
)
def test_password_change_bad_input(app, users, client, huidig, nieuw, herhaal, veld):
    """Bad password changes are refused beside the right field and change nothing."""
    client.login(users["beheerder"])
    with app.app_context():
        before = db.session.scalar(select(Gebruiker.wachtwoord_hash).filter_by(
            email=users["beheerder"]))
    response = client.post(
        "/account/wachtwoord", {"huidig": huidig, "nieuw": nieuw, "herhaal": herhaal}
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one(f"#{veld}[aria-invalid=true]")
    assert soup.select_one(f"#{veld}-fout")
    with app.app_context():
        after = db.session.scalar(select(Gebruiker.wachtwoord_hash).filter_by(
            email=users["beheerder"]))
    assert before == after


def test_login_throttled_in_database_across_app_instances(app, users, second_app):
    """Failures counted by one worker block the next attempt at another worker."""
    first = Client(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        first.post("/inloggen", {"email": users["beheerder"], "wachtwoord": "fout-fout-fout"})
    second = Client(second_app())
    response = second.post("/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD})
    assert response.status_code == 422
    assert "Te veel mislukte pogingen" in BeautifulSoup(response.text, "html.parser").select_one(
        "[role=alert]").get_text()
    with app.app_context():
        # The blocked attempt is refused before the password is even checked or recorded.
        assert db.session.scalar(select(func.count(Inlogpoging.id))) == 5


def test_throttle_window_expires(app, users):
    """Old failures no longer count once the window has passed."""
    with app.app_context():
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            db.session.add(Inlogpoging(email=users["beheerder"], ip="1.2.3.4", gelukt=False))
        db.session.commit()
        assert geblokkeerd(users["beheerder"], "1.2.3.4")
        later = utcnow() + app.config["LOGIN_WINDOW"] + timedelta(seconds=1)
        assert not geblokkeerd(users["beheerder"], "1.2.3.4", now=later)


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
     "http:/evil.example"],
)
def test_next_only_to_local_paths(users, client, target):
    """An open redirect through next= is not possible."""
    response = client.post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD, "next": target}
    )
    assert response.headers["Location"] == "/"


def test_next_to_local_path_is_followed(users, client):
    """After login the user returns to the page they asked for."""
    response = client.post(
        "/inloggen",
        {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD, "next": "/scholen/?q=test"},
    )
    assert response.headers["Location"] == "/scholen/?q=test"


def test_post_without_csrf_token_is_refused(users, client):
    """Every form needs the CSRF token, also login and logout."""
    assert client.post("/inloggen", {"email": users["beheerder"]}, csrf=False).status_code == 400
    client.login(users["beheerder"])
    response = client.post("/uitloggen", csrf=False)
    assert response.status_code == 400
    assert client.get("/beheer/gebruikers").status_code == 200


def test_csrf_failure_on_htmx_request_refreshes_page(users, client):
    """htmx gets HX-Refresh so an expired page reloads instead of failing silently."""
    client.login(users["beheerder"])
    response = client.post("/uitloggen", csrf=False, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Refresh"] == "true"


def test_csrf_token_accepted_from_htmx_header(users, client):
    """htmx sends the token in X-CSRFToken (hx-headers on body), which is accepted."""
    client.login(users["beheerder"])
    token = client.csrf_token()
    response = client.post("/uitloggen", csrf=False, headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_csrf_token_has_no_fixed_expiry(app):
    """The token lives as long as the session, not one hour."""
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)


def test_security_headers_and_no_inline_code(users, client):
    """Strict CSP, and pages contain no inline script, style element or style attribute."""
    client.login(users["beheerder"])
    for url in ("/", "/scholen/", "/scholen/12AB00", "/beheer/gebruikers", "/beheer/patronen"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"
        soup = BeautifulSoup(response.text, "html.parser")
        assert all(script.get("src") for script in soup.find_all("script")), url
        assert not soup.find_all("style"), url
        assert not soup.select("[style]"), url
        handlers = [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
        assert not handlers, url


def test_session_cookie_flags(users, second_app):
    """Production cookies are Secure, HttpOnly and SameSite=Lax."""
    secure = second_app(SESSION_COOKIE_SECURE=True)
    response = Client(secure).post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD},
        base_url="https://localhost",
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_htmx_config_is_strict(users, client):
    """htmx is configured for the CSP: no eval, no inline indicator style, no history cache."""
    import json

    soup = client.soup("/inloggen")
    config = json.loads(soup.select_one("meta[name=htmx-config]")["content"])
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["historyCacheSize"] == 0
    assert config["selfRequestsOnly"] is True
    swapped = {rule["code"] for rule in config["responseHandling"] if rule["swap"]}
    assert {"409", "422"} <= swapped
