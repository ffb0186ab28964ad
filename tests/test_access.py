"""Authorization matrix: every endpoint x method x role against the written policy.

The policy of the foundation's endpoints is below; each later area adds a module
`tests/policy_<area>.py` with its own POLICY dict (same format) and, when its URLs need more
variables, a function `url_args(world) -> dict` that creates the records (inside an app
context) for school A and returns the values.
"""

import importlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant

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


@pytest.fixture
def world(app):
    """Two schools, one LLZ person assigned to A, one not, a user for every role."""
    with app.app_context():
        return _build_world()


def _build_world():
    """Create the records of the world fixture; return plain values."""
    school_a = f.school(naam=MARKER_A, code="11AA00")
    school_b = f.school(naam=MARKER_B, code="22BB00", sector="VO")
    llz_a = f.persoon("Lia Toegewezen")
    llz_x = f.persoon("Xander Elders")
    f.toewijzing(school_a, llz_a, Contactrol.LLZ_CONTACT)
    f.toewijzing(school_b, llz_x, Contactrol.LLZ_CONTACT)
    f.toewijzing(school_a, f.persoon("Dirk Directeur A", kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
    f.toewijzing(school_b, f.persoon("Bea Directeur B", kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
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
            forbidden = {"school_eigen": MARKER_B, "school_ander": MARKER_A}.get(role)
            if forbidden and forbidden in response.get_data(as_text=True):
                failures.append(f"{method} {url} als {role}: toont {forbidden}")
    assert not failures, "\n".join(failures)


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
    soup.body["hx-headers"] = ""
    return str(soup)


def test_htmx_request_without_login_gets_hx_redirect(world, client):
    """An htmx request from an expired session redirects the whole page to the login."""
    response = client.get("/scholen/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/inloggen")
