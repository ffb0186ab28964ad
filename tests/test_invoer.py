"""Bad input on every form and query string of the app: refused with a message, never a 500.

The forms are not listed by hand: every page the policy lets a role open is fetched, every
POST form on it is submitted with hostile values in every field (overlong, NUL, markup,
odd Unicode, nonsense numbers and dates), and every GET endpoint gets a hostile query string.
On PostgreSQL this also proves that every text column has a length check in its form.
"""

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from test_access import ROLES, _build_world, _requests, url_args

NASTY = {
    "lang": "x" * 5000,
    "nul": "abc\x00def",
    "markup": "<script>alert(1)</script><b onmouseover=x>",
    "unicode": "\u202e\U0001f600 ẞ \ufeff",
    "getal": "-99999999999999999999",
    "datum": "2026-13-45",
}
ALLOWED = {200, 302, 303, 400, 403, 404, 409, 422}


@pytest.fixture
def world(app):
    """The access-matrix world: two schools and a user for every role."""
    with app.app_context():
        return _build_world()


def _forms(html: str):
    """(action, field names, csrf token) of every POST form on a page."""
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.select("form[method=post]"):
        names = {el.get("name") for el in form.select("input, select, textarea") if el.get("name")}
        token = form.select_one("input[name=csrf_token]")
        yield form.get("action"), names - {"csrf_token"}, token["value"] if token else None


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anoniem"])
def test_every_form_survives_hostile_input(app, world, make_client, role):
    """Each POST form of each reachable page answers hostile values without a server error."""
    args = url_args(app, world)
    client = make_client()
    client.login(world["emails"][role])
    failures, submitted = [], 0
    for rule, method in _requests(app):
        if method != "GET":
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
        page = client.get(url)
        if page.status_code != 200 or not page.mimetype == "text/html":
            continue
        for action, names, token in _forms(page.text):
            if not action or "uitloggen" in action:
                continue
            for label, value in NASTY.items():
                data = {name: value for name in names}
                if token:
                    data["csrf_token"] = token
                response = client.post(action, data=data, csrf=False)
                submitted += 1
                if response.status_code not in ALLOWED:
                    failures.append(f"{action} [{label}] als {role}: {response.status_code}")
    assert submitted > 0
    assert not failures, "\n".join(failures)


def test_every_get_endpoint_survives_hostile_query_strings(app, world, make_client):
    """Query strings with hostile values in the known parameters never give a 500."""
    args = url_args(app, world)
    client = make_client()
    client.login(world["emails"]["beheerder"])
    failures = []
    params = ("q", "sector", "llz", "pagina", "van", "naar", "afdrukken", "mijn", "next")
    for rule, method in _requests(app):
        if method != "GET":
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
        for label, value in NASTY.items():
            response = client.get(url, query_string={p: value for p in params})
            if response.status_code not in ALLOWED:
                failures.append(f"GET {url} [{label}]: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_nul_byte_is_refused_with_a_dutch_message(world, client):
    """A NUL character gets a clear 400 page before it reaches the database."""
    client.login("beheer@llz.example.nl")
    response = client.get("/scholen/", query_string={"q": "a\x00b"})
    assert response.status_code == 400
    assert "ongeldig teken" in BeautifulSoup(response.text, "html.parser").select_one(
        "main").get_text()
