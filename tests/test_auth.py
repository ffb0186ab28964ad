"""Login, logout, sessions, throttling, CSRF and security headers."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from leerplicht import create_app
from leerplicht.accounts.login import geblokkeerd
from leerplicht.accounts.models import Gebruiker, Inlogpoging, Rol
from leerplicht.extensions import db
from leerplicht.models_base import utcnow

import factories as f
from conftest import Client, app_config


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


def test_login_lands_school_user_on_own_start_page(users, client):
    """A school user lands on the start page of its school, which leads to the dossier."""
    response = client.login(users["school"])
    assert response.headers["Location"] == "/"
    soup = client.soup("/")
    assert soup.select_one("main a[href='/scholen/12AB00']")


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


@pytest.fixture
def argon2_verifies(monkeypatch):
    """Count argon2 password verifications (whatever module asks for them)."""
    calls = []
    real = PasswordHasher.verify

    def counting(self, hash, password):
        calls.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


@pytest.mark.parametrize(
    ("email", "wachtwoord", "status"),
    [
        ("onbekend@llz.example.nl", f.WACHTWOORD, 422),
        ("oud@llz.example.nl", f.WACHTWOORD, 422),
        ("beheer@llz.example.nl", "fout-wachtwoord-123", 422),
        ("beheer@llz.example.nl", f.WACHTWOORD, 302),
    ],
    ids=["onbekend", "inactief", "fout-wachtwoord", "goed"],
)
def test_every_login_does_one_hash_verification(
    users, client, argon2_verifies, email, wachtwoord, status
):
    """Unknown, deactivated, wrong and right logins cost one argon2 verify each (no timing)."""
    response = client.post("/inloggen", {"email": email, "wachtwoord": wachtwoord})
    assert response.status_code == status
    assert len(argon2_verifies) == 1


def test_inactive_user_with_right_password_is_recorded_as_failure(app, users, client):
    """Verifying the hash first does not let a deactivated account in."""
    client.post("/inloggen", {"email": "oud@llz.example.nl", "wachtwoord": f.WACHTWOORD})
    assert client.get("/").status_code == 302
    with app.app_context():
        poging = db.session.scalars(select(Inlogpoging)).one()
        assert (poging.email, poging.gelukt) == ("oud@llz.example.nl", False)


def _wachtwoord_wijzigen(client, huidig, nieuw="een-nieuw-lang-wachtwoord"):
    """POST the password page."""
    return client.post("/account/wachtwoord", {"huidig": huidig, "nieuw": nieuw, "herhaal": nieuw})


def _hash_van(app, email):
    """The stored password hash of a user."""
    with app.app_context():
        return db.session.scalar(select(Gebruiker.wachtwoord_hash).filter_by(email=email))


def test_current_password_is_throttled_like_login(app, users, client, argon2_verifies):
    """After the limit even the right current password is refused, unchecked, on the field."""
    client.login(users["beheerder"])
    before = _hash_van(app, users["beheerder"])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _wachtwoord_wijzigen(client, "verkeerd-wachtwoord").status_code == 422
    with app.app_context():
        pogingen = db.session.scalars(select(Inlogpoging).filter_by(gelukt=False)).all()
        # Counted in the same table as logins, per account and per address.
        assert {(p.email, p.ip) for p in pogingen} == {(users["beheerder"], "127.0.0.1")}
        assert len(pogingen) == app.config["LOGIN_MAX_FAILURES"]
    argon2_verifies.clear()
    response = _wachtwoord_wijzigen(client, f.WACHTWOORD)
    assert response.status_code == 422
    assert argon2_verifies == []  # blocked before the password is checked
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#huidig[aria-invalid=true]")
    assert "Te veel mislukte pogingen" in soup.select_one("#huidig-fout").get_text()
    assert _hash_van(app, users["beheerder"]) == before
    # The same count blocks a fresh login to the account as well.
    assert client.post("/uitloggen").status_code == 302
    blocked = client.post("/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD})
    assert blocked.status_code == 422


def test_current_password_works_again_after_window(app, users, client):
    """Once the failures are older than the window the right current password is accepted."""
    client.login(users["beheerder"])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _wachtwoord_wijzigen(client, "verkeerd-wachtwoord")
    assert _wachtwoord_wijzigen(client, f.WACHTWOORD).status_code == 422
    with app.app_context():
        db.session.execute(
            update(Inlogpoging).values(
                tijdstip=utcnow() - app.config["LOGIN_WINDOW"] - timedelta(seconds=1)
            )
        )
        db.session.commit()
    assert _wachtwoord_wijzigen(client, f.WACHTWOORD).status_code == 302
    Client(app).login(users["beheerder"], "een-nieuw-lang-wachtwoord")


def test_password_change_resets_failures_like_login(app, users, client):
    """A successful change clears the account's failures, as a successful login does."""
    client.login(users["beheerder"])
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _wachtwoord_wijzigen(client, "verkeerd-wachtwoord")
    failed = select(func.count(Inlogpoging.id)).filter_by(email=users["beheerder"], gelukt=False)
    with app.app_context():
        assert db.session.scalar(failed) == app.config["LOGIN_MAX_FAILURES"] - 1
    assert _wachtwoord_wijzigen(client, f.WACHTWOORD).status_code == 302
    with app.app_context():
        assert db.session.scalar(failed) == 0
        assert not geblokkeerd(users["beheerder"], "127.0.0.1")


def _blokkeer_adres(app, ip):
    """Store enough recent failures from one address (each for another account) to block it."""
    with app.app_context():
        for n in range(app.config["LOGIN_MAX_FAILURES"] * 4):
            db.session.add(Inlogpoging(email=f"iemand{n}@example.nl", ip=ip, gelukt=False))
        db.session.commit()


def test_trusted_proxy_throttles_each_forwarded_address(app, users, second_app):
    """Behind one trusted proxy, a blocked visitor address does not block the others."""
    achter_proxy = second_app(TRUSTED_PROXIES=1)
    bezoeker_a = Client(achter_proxy)
    fout = bezoeker_a.post(
        "/inloggen", {"email": "x@example.nl", "wachtwoord": "fout-fout-fout"},
        headers={"X-Forwarded-For": "203.0.113.5"},
    )
    assert fout.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Inlogpoging.ip)).all() == ["203.0.113.5"]
    _blokkeer_adres(app, "203.0.113.5")
    blocked = bezoeker_a.post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD},
        headers={"X-Forwarded-For": "203.0.113.5"},
    )
    assert blocked.status_code == 422
    assert "Te veel mislukte pogingen" in BeautifulSoup(blocked.text, "html.parser").select_one(
        "[role=alert]").get_text()
    bezoeker_b = Client(achter_proxy)
    response = bezoeker_b.post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD},
        headers={"X-Forwarded-For": "203.0.113.6"},
    )
    assert response.status_code == 302


def test_junk_forwarded_address_is_no_error(app, users, second_app):
    """A forwarded 'address' longer than the column is cut, not a 500 (PostgreSQL too)."""
    client = Client(second_app(TRUSTED_PROXIES=2))
    response = client.post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": "fout-fout-fout"},
        headers={"X-Forwarded-For": "x" * 300 + ", 10.0.0.1"},
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Inlogpoging.ip)).all() == ["x" * 64]


def test_without_trusted_proxy_forwarded_header_is_ignored(app, users, client):
    """With TRUSTED_PROXIES=0 a spoofed X-Forwarded-For does not escape the lockout."""
    assert app.config["TRUSTED_PROXIES"] == 0
    _blokkeer_adres(app, "127.0.0.1")
    response = client.post(
        "/inloggen", {"email": users["beheerder"], "wachtwoord": f.WACHTWOORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert response.status_code == 422
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("waarde", "verwacht"), [(None, 0), ("", 0), ("0", 0), ("1", 1), (" 2 ", 2)]
)
def test_trusted_proxies_setting(tmp_path, pg_schema, monkeypatch, waarde, verwacht):
    """LEERPLICHT_TRUSTED_PROXIES is read as a small whole number; unset means no proxy."""
    if waarde is None:
        monkeypatch.delenv("LEERPLICHT_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("LEERPLICHT_TRUSTED_PROXIES", waarde)
    made = create_app(app_config(tmp_path / "instelling", pg_schema))
    assert made.config["TRUSTED_PROXIES"] == verwacht
    with made.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("waarde", ["abc", "-1", "1.5", "²", "123"])
def test_malformed_trusted_proxies_fails_at_start(tmp_path, pg_schema, monkeypatch, waarde):
    """A malformed LEERPLICHT_TRUSTED_PROXIES stops the app at start with a clear message."""
    monkeypatch.setenv("LEERPLICHT_TRUSTED_PROXIES", waarde)
    with pytest.raises(ValueError, match="LEERPLICHT_TRUSTED_PROXIES moet een geheel getal"):
        create_app(app_config(tmp_path, pg_schema))


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
    """htmx sends the token in X-CSRFToken (data-hx-headers on body), which is accepted."""
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
