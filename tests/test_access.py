"""Authorization matrix: every endpoint x method x role against the written policy.

The policy of the foundation's endpoints is below; each later area adds a module
`tests/policy_<area>.py` with its own POLICY dict (same format) and, when its URLs need more
variables, a function `url_args(world) -> dict` that creates the records (inside an app
context) for school A and returns the values.
"""

import importlib
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import func, select

from leerplicht.accounts.models import Gebruiker, Rol
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant, School

import factories as f

ROLES = ("anoniem", "school_eigen", "school_ander", "llz_toegewezen", "llz_ander", "beheerder")

# Expected outcome per role, in the order of ROLES, for a request about school A.
# ok: the page or action is served; login: sent to the login page; 403 / 404: refused.
POLICY = {
    "home.index": ("login", "ok", "ok", "ok", "ok", "ok"),
    "home.patronen": ("login", "403", "403", "403", "403", "ok"),
    "home.beheer": ("login", "403", "403", "403", "403", "ok"),
    "accounts.login": ("ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts.logout": ("login", "ok", "ok", "ok", "ok", "ok"),
    "accounts.wachtwoord": ("login", "ok", "ok", "ok", "ok", "ok"),
    "accounts.gebruikers": ("login", "403", "403", "403", "403", "ok"),
    "accounts.gebruiker_nieuw": ("login", "403", "403", "403", "403", "ok"),
    "accounts.gebruiker_bewerken": ("login", "403", "403", "403", "403", "ok"),
    "scholen.lijst": ("login", "ok", "ok", "ok", "ok", "ok"),
    "scholen.dossier": ("login", "ok", "404", "ok", "ok", "ok"),
    "scholen.geschiedenis": ("login", "ok", "404", "ok", "ok", "ok"),
    "scholen.bewerken": ("login", "403", "404", "ok", "403", "ok"),
    "scholen.nieuw": ("login", "403", "403", "403", "403", "ok"),
}

AREA_MODULES = [
    importlib.import_module(path.stem)
    for path in sorted(Path(__file__).parent.glob("policy_*.py"))
]
for _module in AREA_MODULES:
    assert not set(_module.POLICY) & set(POLICY), f"{_module.__name__} redefines endpoints"
    POLICY.update(_module.POLICY)

MARKER_A = "Alfaschool Markeertekst"
MARKER_B = "Bravoschool Markeertekst"

# The school-side people of each school: a school user must never see another school's
# names, e-mail addresses or phone numbers, anywhere.
MENSEN = {
    "a": [("Dirk Directeur A", "dirk.directeur@alfa.example.nl", "06-11110001", "directeur"),
          ("Anke Alfacontact", "anke.contact@alfa.example.nl", "06-11110002", "school_contact")],
    "b": [("Bea Directeur B", "bea.directeur@bravo.example.nl", "06-22220001", "directeur"),
          ("Bob Bravocontact", "bob.contact@bravo.example.nl", "06-22220002", "school_contact")],
}


def sporen_van(school: str) -> list[str]:
    """Everything that identifies school `school` ('a' or 'b') and its people."""
    marker = MARKER_A if school == "a" else MARKER_B
    return [marker] + [waarde for mens in MENSEN[school] for waarde in mens[:3]]


@pytest.fixture
def world(app):
    """Two schools, one LLZ person assigned to A, one not, a user for every role."""
    with app.app_context():
        return _build_world()


def _build_world():
    """Create the records of the world fixture; return plain values."""
    school_a = f.school(naam=MARKER_A, code="11AA00")
    school_b = f.school(naam=MARKER_B, code="22BB00", sector="VO", bestuur="Stichting Bravo")
    llz_a = f.persoon("Lia Toegewezen")
    llz_x = f.persoon("Xander Elders")
    f.toewijzing(school_a, llz_a, Contactrol.LLZ_CONTACT)
    f.toewijzing(school_b, llz_x, Contactrol.LLZ_CONTACT)
    personen = {}
    for sleutel, school in (("a", school_a), ("b", school_b)):
        for naam, email, telefoon, rol in MENSEN[sleutel]:
            persoon = f.persoon(naam, kant=Kant.SCHOOL, email=email, telefoon=telefoon)
            f.toewijzing(school, persoon, Contactrol(rol))
            personen[f"{sleutel}_{rol}"] = persoon.id
    users = {
        "school_eigen": f.gebruiker(Rol.SCHOOL, "a@school.example.nl", scholen=[school_a]),
        "school_ander": f.gebruiker(Rol.SCHOOL, "b@school.example.nl", scholen=[school_b]),
        "llz_toegewezen": f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=llz_a),
        "llz_ander": f.gebruiker(Rol.LLZ, "xander@llz.example.nl", contactpersoon=llz_x),
        "beheerder": f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl"),
    }
    db.session.commit()
    return {
        "a_id": school_a.id,
        "b_id": school_b.id,
        "a": school_a.code,
        "b": school_b.code,
        "personen": personen,
        "emails": {role: user.email for role, user in users.items()},
        "ids": {role: user.id for role, user in users.items()},
    }


def url_args(app, world) -> dict:
    """Values for every URL variable the app uses, all pointing at school A's world."""
    args = {"code": world["a"], "gebruiker_id": world["ids"]["school_eigen"]}
    for module in AREA_MODULES:
        if hasattr(module, "url_args"):
            with app.app_context():
                args.update(module.url_args(world))
    return args


def foreign_args(app, world) -> dict:
    """The same URL variables for records of school B (made by the same area functions)."""
    world_b = {**world, "a_id": world["b_id"], "a": world["b"], "b_id": world["a_id"],
               "b": world["a"]}
    args = {}
    for module in AREA_MODULES:
        if hasattr(module, "url_args"):
            with app.app_context():
                args.update(module.url_args(world_b))
    return args


def leaks(role: str, html: str) -> list[str]:
    """What of the other school a school user's response shows (empty: nothing)."""
    other = {"school_eigen": "b", "school_ander": "a"}.get(role)
    return [spoor for spoor in sporen_van(other) if spoor in html] if other else []


def test_policy_names_exactly_the_app_endpoints(app):
    """A new route without a line in POLICY fails the build, and so does a stale line."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(POLICY)


def test_every_route_declares_an_access_rule(app):
    """The app itself refuses to start with an undeclared route."""
    from leerplicht.policy import regel_van

    assert all(regel_van(app, rule.endpoint) for rule in app.url_map.iter_rules())


def _requests(app):
    """(endpoint, method) for every rule, without HEAD/OPTIONS."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _outcome(response) -> str:
    """Classify a response as ok / login / 403 / 404."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/inloggen?next="):
        return "login"
    # 400/409/422: access was granted and the (empty) input was refused.
    if response.status_code in (200, 302, 303, 400, 409, 422):
        return "ok"
    return str(response.status_code)


def test_authorization_matrix(app, world, make_client):
    """Every endpoint x method x role gives the written outcome and leaks no foreign school."""
    args = url_args(app, world)
    failures = []
    for rule, method in _requests(app):
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
        for role, expected in zip(ROLES, POLICY[rule.endpoint], strict=True):
            client = make_client()
            if role != "anoniem":
                client.login(world["emails"][role])
            response = client.get(url) if method == "GET" else client.post(url, {})
            outcome = _outcome(response)
            if outcome != expected:
                failures.append(f"{method} {url} als {role}: {outcome}, verwacht {expected}")
            # Binary downloads (XLSX, PDF, zip) are read as far as they are text.
            for spoor in leaks(role, response.get_data().decode("utf-8", "replace")):
                failures.append(f"{method} {url} als {role}: toont {spoor}")
    assert not failures, "\n".join(failures)


# Where a URL variable is an id of a record that belongs to a school, school A's URL is also
# tried with the id of school B's record: everyone who may act on A gets a 404, and nothing of
# B shows.
SCHOOL_IDS = ("afspraak_id", "stap_id", "escalatie_id", "toewijzing_id", "melding_id", "vraag_id",
              "ontwikkeling_id", "bezoek_id", "verbeterpunt_id")


def test_foreign_ids_in_own_school_urls_are_not_found(app, world, make_client):
    """Every id-bearing school URL with another school's id: 404 for GET and POST, no leak."""
    own, foreign = url_args(app, world), foreign_args(app, world)
    failures, tried = [], 0
    for rule, method in _requests(app):
        ids = [name for name in rule.arguments if name in SCHOOL_IDS]
        if not ids:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: foreign[k] if k in ids else own[k]
                                            for k in rule.arguments})
        for role, expected in zip(ROLES, POLICY[rule.endpoint], strict=True):
            if role == "anoniem":
                continue
            client = make_client()
            client.login(world["emails"][role])
            data = formulier(app, world, rule.endpoint, own) if method == "POST" else None
            response = client.get(url) if method == "GET" else client.post(url, data)
            tried += 1
            outcome = _outcome(response)
            wanted = "404" if expected == "ok" else expected
            if outcome != wanted:
                failures.append(f"{method} {url} als {role}: {outcome}, verwacht {wanted}")
            for spoor in leaks(role, response.get_data(as_text=True)):
                failures.append(f"{method} {url} als {role}: toont {spoor}")
    assert tried > 0
    assert not failures, "\n".join(failures)


def test_foreign_ids_in_form_fields_are_refused(app, world, make_client):
    """A form field naming another school's record (a person) is refused: 422, nothing
    written, and nothing of the other school shown."""
    args = url_args(app, world)
    failures, tried = [], 0
    for module in AREA_MODULES:
        for endpoint, velden in getattr(module, "VREEMDE_VELDEN", {}).items():
            rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
            with app.test_request_context():
                url = url_for(endpoint, **{k: args[k] for k in rule.arguments})
            for role, expected in zip(ROLES, POLICY[endpoint], strict=True):
                if expected != "ok":
                    continue
                for veld, vreemd in velden.items():
                    data = {**formulier(app, world, endpoint, args), veld: str(vreemd(world))}
                    client = make_client()
                    client.login(world["emails"][role])
                    before = _tellingen(app)
                    response = client.post(url, data)
                    tried += 1
                    if response.status_code != 422:
                        failures.append(f"{url} {veld} als {role}: {response.status_code}")
                    if _tellingen(app) != before:
                        failures.append(f"{url} {veld} als {role}: er is iets opgeslagen")
                    for spoor in leaks(role, response.get_data(as_text=True)):
                        failures.append(f"{url} {veld} als {role}: toont {spoor}")
    assert tried > 0
    assert not failures, "\n".join(failures)


def _tellingen(app) -> dict[str, int]:
    """The number of rows in every table (a refused request must change none)."""
    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}


def formulier(app, world, endpoint: str, args: dict) -> dict:
    """A complete, valid form for a POST endpoint, from the area module that names it."""
    for module in [sys.modules[__name__], *AREA_MODULES]:
        maker = getattr(module, "FORMULIEREN", {}).get(endpoint)
        if maker is not None:
            with app.app_context():
                return maker(world, args)
    raise AssertionError(f"Geen geldig formulier voor {endpoint}: voeg het toe aan FORMULIEREN")


def _post_endpoints(app) -> list[str]:
    """Every endpoint that takes a POST."""
    return sorted({rule.endpoint for rule, method in _requests(app) if method == "POST"})


def test_every_post_endpoint_has_a_valid_form(app):
    """The complete-form test below covers every POST endpoint: none can be forgotten."""
    known = set(FORMULIEREN)
    for module in AREA_MODULES:
        known |= set(getattr(module, "FORMULIEREN", {}))
    assert set(_post_endpoints(app)) <= known


def _post_endpoint_names():
    """The POST endpoints, for parametrize (an app is made once to read its URL map)."""
    from leerplicht import create_app

    probe = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                        "INSTANCE_PATH": "/nonexistent-leerplicht-probe"})
    return _post_endpoints(probe)


@pytest.mark.parametrize("endpoint", _post_endpoint_names())
def test_complete_valid_form_per_role(app, make_client, endpoint):
    """A complete, valid form: done (a redirect) for every role the policy allows, refused
    for the others; a 422 where a redirect was intended fails, and the reverse."""
    failures, world = [], None
    for role in ROLES:
        # A fresh world after every action that went through: it must not spoil the next
        # role's (a refused request changes nothing, the matrix and the invoer tests check).
        if world is None:
            with app.app_context():
                db.session.remove()
                db.drop_all()
                db.create_all()
                world = _build_world()
            args = url_args(app, world)
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        with app.test_request_context():
            url = url_for(endpoint, **{k: args[k] for k in rule.arguments})
        expected = POLICY[endpoint][ROLES.index(role)]
        client = make_client()
        if role != "anoniem":
            client.login(world["emails"][role])
        response = client.post(url, formulier(app, world, endpoint, args))
        outcome = _gevolg(response)
        if outcome not in ("login", "403", "404"):
            world = None
        wanted = "klaar" if expected == "ok" else expected
        if outcome != wanted:
            failures.append(f"POST {url} als {role}: {outcome}, verwacht {wanted}: "
                            f"{_melding(response)}")
        for spoor in leaks(role, response.get_data(as_text=True)):
            failures.append(f"POST {url} als {role}: toont {spoor}")
    assert not failures, "\n".join(failures)


def _gevolg(response) -> str:
    """Classify the answer to a complete form: klaar (redirect), login, or the status."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/inloggen?next="):
        return "login"
    if response.status_code in (302, 303):
        return "klaar"
    return str(response.status_code)


def _melding(response) -> str:
    """The error messages of a refused form, for a readable failure."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    teksten = [el.get_text(" ", strip=True) for el in soup.select(
        ".utrecht-form-field-error-message, .utrecht-alert")]
    return "; ".join(teksten)[:300]


def _versie(model, record_id) -> str:
    """The current version of a record, as a form carries it."""
    return str(db.session.get(model, record_id).versie)


FORMULIEREN = {
    "accounts.login": lambda world, args: {"email": world["emails"]["beheerder"],
                                           "wachtwoord": f.WACHTWOORD},
    "accounts.logout": lambda world, args: {},
    "accounts.wachtwoord": lambda world, args: {
        "huidig": f.WACHTWOORD, "nieuw": "een-heel-nieuw-wachtwoord",
        "herhaal": "een-heel-nieuw-wachtwoord"},
    "accounts.gebruiker_nieuw": lambda world, args: {
        "naam": "Nieuwe Collega", "email": "nieuw@school.example.nl", "rol": "school",
        "contactpersoon_id": "0", "scholen": str(world["a_id"]),
        "wachtwoord": "een-lang-genoeg-wachtwoord", "actief": "y"},
    "accounts.gebruiker_bewerken": lambda world, args: {
        "versie": _versie(Gebruiker, args["gebruiker_id"]), "naam": "Andere Naam",
        "email": "a@school.example.nl", "rol": "school", "contactpersoon_id": "0",
        "scholen": str(world["a_id"]), "wachtwoord": "", "actief": "y"},
    "scholen.bewerken": lambda world, args: {
        "versie": _versie(School, world["a_id"]), "naam": MARKER_A + " (nieuw)",
        "code": world["a"], "sector": "PO", "straat": "Schoolstraat 2",
        "postcode": "1234 AB", "plaats": "Zeevliet", "bestuur": "Stichting Test",
        "actief": "y"},
    "scholen.nieuw": lambda world, args: {
        "naam": "Nieuwe School", "code": "33CC00", "sector": "VO", "straat": "Laan 1",
        "postcode": "1234 AB", "plaats": "Zeevliet", "bestuur": "", "actief": "y",
        "llz_contact": "0", "llz_vervanger": "0"},
}



def test_school_user_list_shows_only_own_school(world, client):
    """The school list, its count and its htmx partial are scoped to the user's schools."""
    client.login("a@school.example.nl")
    for headers in ({}, {"HX-Request": "true"}):
        soup = BeautifulSoup(client.get("/scholen/", headers=headers).text, "html.parser")
        names = [a.get_text(strip=True) for a in soup.select("table.scholenlijst tbody a")]
        assert names == [MARKER_A]
        assert soup.select_one(".resultaat-telling").get_text().startswith("1 school")


def test_forbidden_school_is_404_not_403(world, client):
    """A school user asking for another school's dossier cannot tell it exists."""
    client.login("a@school.example.nl")
    existing = client.get(f"/scholen/{world['b']}")
    missing = client.get("/scholen/99ZZ99")
    assert existing.status_code == missing.status_code == 404
    # The pages are identical except for the CSRF token, which is signed with a timestamp.
    assert _without_csrf(existing.text) == _without_csrf(missing.text)


def _without_csrf(html: str) -> str:
    """The page with every CSRF token value blanked out."""
    soup = BeautifulSoup(html, "html.parser")
    for field in soup.select("input[name=csrf_token]"):
        field["value"] = ""
    soup.body["data-hx-headers"] = ""
    return str(soup)


def test_htmx_request_without_login_gets_hx_redirect(world, client):
    """An htmx request from an expired session redirects the whole page to the login."""
    response = client.get("/scholen/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/inloggen")
