"""Bad input on every form and query string of the app: refused with a message, never a 500.

The forms are not listed by hand: every page the policy lets a role open is fetched, every
POST form on it is submitted with hostile values in every field (overlong, NUL, markup,
odd Unicode, nonsense numbers and dates), and every GET endpoint gets a hostile query string.
On PostgreSQL this also proves that every text column has a length check in its form.
"""

import re
from functools import cached_property
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import event, func, select
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

from leerplicht import requestlog
from leerplicht.extensions import db
from leerplicht.security import refuse_nul_bytes
from leerplicht.termijnen.models import Sluitingsdag
from leerplicht.verzoek import MAX_ID, BoundedIntConverter, positive_int

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
    params = ("q", "sector", "llz", "pagina", "van", "naar", "afdrukken", "mijn", "next",
              "toon")
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


@pytest.mark.parametrize("naam", ["a\\", "a\nb", "\r"])
def test_unreadable_multipart_field_name_is_a_dutch_400(world, client, naam):
    """A multipart field name Werkzeug cannot read (it becomes None) is refused with a Dutch
    page before CSRF and the policy look at the form, on a public and on a logged-in page."""
    for pad, inloggen in (("/inloggen", False), ("/scholen/", True)):
        if inloggen:
            client.login("beheer@llz.example.nl")
        response = client.http.post(pad, data={"email": "x", naam: "y"},
                                    content_type="multipart/form-data")
        assert response.status_code == 400
        tekst = BeautifulSoup(response.text, "html.parser").select_one("main").get_text()
        assert "veldnaam is ongeldig" in tekst


# --- junk in URLs: numbers parsed in one place with bounds, NUL refused first ---------------

# Every query parameter the app reads (the query walk checks that it read no other).
QUERY_PARAMS = ("q", "sector", "llz", "pagina", "van", "naar", "afdrukken", "mijn", "next",
                "schooljaar", "rol", "toon", "school", "datum", "besluit", "persoon")

JUNK = {
    "25 negens": "9" * 25,
    "net te groot": str(MAX_ID + 1),
    "5000 negens": "9" * 5000,  # beyond Python's 4300-digit int() limit
    "min een": "-1",
    "nul": "0",
    "superscript": "²",  # isdigit() is True, int() fails
    "arabisch": "١٢",  # int() reads 12
    "breedte": "１２",  # full-width digits: int() reads 12 as well
    "NUL": "\x00",
    "procent-00": "%00",  # the text itself, double-encoded in the URL
    "lang": "x" * 5000,
    "pad omhoog": "../",
    "witruimte": " \t",
    "markup": "<script>",
}
WALK_ROLES = ("school_eigen", "beheerder")
# Endpoints too slow to ask once per parameter per junk value (a whole PDF each time), with
# the only parameters they read; the all-at-once request still sends them every parameter.
ALLEEN_GELEZEN = {"rapportage.pdf": ("schooljaar", "sector")}
PLACEHOLDER = re.compile(r"<(?:[^<>:]+:)?(\w+)>")


def _path(rule, values: dict) -> str:
    """The rule's path with each variable replaced by its (percent-encoded) value."""
    return PLACEHOLDER.sub(lambda m: quote(str(values[m[1]]), safe=""), rule.rule)


def _ask(client, rule, method, url, email, **kwargs):
    """One request with a valid CSRF token (so a POST gets past it), logged in again after
    a logout, so the walk goes on as the same user."""
    if method == "GET":
        response = client.get(url, **kwargs)
    else:
        response = client.post(url, {}, **kwargs)
    if rule.endpoint == "accounts.logout":
        client.login(email)
    return response


@pytest.mark.parametrize("role", WALK_ROLES)
def test_junk_in_every_path_parameter_is_404(app, world, make_client, role):
    """Every route, every path variable, every kind of junk: 404 (400 for a NUL), never 5xx.

    The other variables hold school A's valid values (a school user's own school). A route the
    role may not use at all may answer 403, as it does with a valid value.
    """
    args = url_args(app, world)
    email = world["emails"][role]
    client = make_client()
    client.login(email)
    failures, asked = [], 0
    for rule, method in _requests(app):
        if not rule.arguments:
            continue
        baseline = _ask(client, rule, method, _path(rule, args), email).status_code
        for name in sorted(rule.arguments):
            for label, value in JUNK.items():
                url = _path(rule, {**args, name: value})
                status = _ask(client, rule, method, url, email).status_code
                asked += 1
                if "\x00" in value:
                    allowed = {400}
                else:
                    # Werkzeug first redirects a path with "//" to its merged form.
                    allowed = {404} | ({403} & {baseline}) | ({308} if "/" in value else set())
                if status not in allowed:
                    failures.append(f"{method} {rule.rule} {name}=[{label}] als {role}: "
                                    f"{status}, verwacht {sorted(allowed)}")
    assert asked > 500
    assert not failures, "\n".join(failures)


@pytest.fixture
def query_keys_read(app, monkeypatch):
    """The names of every query parameter the app reads (present or not) while the test runs."""
    read = set()

    class RecordingArgs(ImmutableMultiDict):
        """request.args that notes each name looked up."""

        def __getitem__(self, key):
            """args[key]"""
            read.add(key)
            return super().__getitem__(key)

        def __contains__(self, key):
            """key in args"""
            read.add(key)
            return super().__contains__(key)

        def get(self, key, default=None, type=None):
            """args.get(key) (Werkzeug's signature, `type` included)"""
            read.add(key)
            return super().get(key, default, type)

        def getlist(self, key, type=None):
            """args.getlist(key)"""
            read.add(key)
            return super().getlist(key, type)

    class RecordingRequest(app.request_class):
        """The app's request class with recording query arguments."""

        @cached_property
        def args(self):
            """The parsed query string, recording."""
            return RecordingArgs(super().args)

    monkeypatch.setattr(app, "request_class", RecordingRequest)
    return read


@pytest.mark.parametrize("role", WALK_ROLES)
def test_junk_in_every_query_parameter_never_errors(app, world, make_client, query_keys_read,
                                                    role):
    """Every route, every query parameter the app reads, every kind of junk: never a 5xx.

    All parameters get the junk at once; when that answers differently from the bare URL
    (one parameter refused the request, which could hide another), each parameter is tried
    alone. A NUL anywhere is a 400; a malformed version number (van, naar) a 404.
    """
    args = url_args(app, world)
    email = world["emails"][role]
    client = make_client()
    client.login(email)
    failures, asked = [], 0

    def check(rule, method, url, query, label):
        """Ask once with this query; note a failure; return the status."""
        nonlocal asked
        status = _ask(client, rule, method, url, email, query_string=query).status_code
        asked += 1
        if "\x00" in "".join(query.values()):
            bad = status != 400
        elif rule.endpoint == "afspraken.verschil_tonen" and query.keys() & {"van", "naar"}:
            bad = status != 404
        else:
            bad = status >= 500
        if bad:
            failures.append(f"{method} {url} {sorted(query)}=[{label}] als {role}: {status}")
        return status

    for rule, method in _requests(app):
        url = _path(rule, args)
        baseline = _ask(client, rule, method, url, email).status_code
        for label, value in JUNK.items():
            status = check(rule, method, url, dict.fromkeys(QUERY_PARAMS, value), label)
            # A NUL is refused before any parameter is read: nothing is hidden by it.
            if status != baseline and "\x00" not in value:
                for param in ALLEEN_GELEZEN.get(rule.endpoint, QUERY_PARAMS):
                    check(rule, method, url, {param: value}, label)
    assert asked > 500
    assert not failures, "\n".join(failures)
    # The walk tried every parameter the app read on the way (helpers like _volgnummer too).
    assert "pagina" in query_keys_read
    assert query_keys_read <= set(QUERY_PARAMS), sorted(query_keys_read - set(QUERY_PARAMS))


def test_huge_and_foreign_numbers_in_the_path_are_404(app, world, client):
    """25 nines, one above the largest INTEGER, Arabic-Indic digits: a Dutch 404, no 500."""
    args = url_args(app, world)
    client.login("a@school.example.nl")
    code = world["a"]
    for url in (
        f"/scholen/{code}/afspraken/{'9' * 25}",
        f"/scholen/{code}/afsprakenlijst/versie/{MAX_ID + 1}",
        f"/scholen/{code}/afsprakenlijst/versie/{quote('١')}",
    ):
        soup = client.soup(url, status=404)
        assert soup.select_one("main h1").get_text(strip=True) == "Niet gevonden"
    # The bound itself still reaches the view (where no such version exists), and so does 1.
    adapter = app.url_map.bind("localhost")
    endpoint, values = adapter.match(f"/scholen/{code}/afsprakenlijst/versie/{MAX_ID}")
    assert (endpoint, values["volgnummer"]) == ("afspraken.versie", MAX_ID)
    client.soup(f"/scholen/{code}/afsprakenlijst/versie/{args['volgnummer']}")


@pytest.mark.parametrize("value", ["9" * 25, "²", "١٢", "0", "-3", " 2"])
def test_junk_pagina_and_llz_are_ignored(world, client, value):
    """The school list treats a nonsense page or LLZ filter as absent: page 1, unfiltered."""
    client.login("beheer@llz.example.nl")

    def schools(**query):
        """The names in the school list for this query string."""
        soup = client.soup("/scholen/", query_string=query)
        return [a.get_text(strip=True) for a in soup.select("table.scholenlijst tbody a")]

    expected = schools()
    assert len(expected) == 2
    assert schools(pagina=value) == expected
    assert schools(llz=value) == expected


def test_largest_accepted_page_is_an_empty_page(world, client):
    """Nine nines is a page number (far past the end): an empty list, no database overflow."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/scholen/", query_string={"pagina": "999999999", "llz": "999999999"})
    assert soup.select("table.scholenlijst tbody a") == []


@pytest.mark.parametrize("param", ["van", "naar"])
@pytest.mark.parametrize("value", ["9" * 25, "²", "١٢", "0", "-1", "1.0"])
def test_junk_version_numbers_are_404(app, world, client, param, value):
    """A malformed ?van= or ?naar= on the diff page is a Dutch 404, not a 500."""
    url_args(app, world)
    client.login("a@school.example.nl")
    url = f"/scholen/{world['a']}/afsprakenlijst/verschil"
    client.soup(url)
    soup = client.soup(url, status=404, query_string={param: value})
    assert soup.select_one("main h1").get_text(strip=True) == "Niet gevonden"


@pytest.fixture
def statements(app):
    """The parameters of every SQL statement sent while the test runs."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        """before_cursor_execute listener."""
        seen.append(repr(parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "url",
    [
        "/scholen/%00",
        "/scholen/11AA00%00/afsprakenlijst",
        "/scholen/%00/afspraken/1",
        "/beheer/escalatieroutes/PO%00",
        "/scholen/?a%00b=1",
        "/scholen/?pagina=%00",
    ],
)
@pytest.mark.parametrize("role", WALK_ROLES)
def test_nul_in_path_or_query_key_is_400_before_any_query(world, make_client, statements,
                                                          url, role):
    """A NUL anywhere in the URL is refused before the access check sends it to the database."""
    client = make_client()
    client.login(world["emails"][role])
    statements.clear()
    response = client.get(url)
    assert response.status_code == 400
    main = BeautifulSoup(response.text, "html.parser").select_one("main")
    assert "ongeldig teken" in main.get_text()
    assert not [p for p in statements if "\\x00" in p]


def test_nul_in_a_form_key_is_400_and_changes_nothing(app, world, client):
    """A NUL in a form field's name is refused like one in its value; nothing is written."""
    client.login("beheer@llz.example.nl")
    response = client.post(
        "/beheer/sluitingsdagen",
        {"datum": "2027-03-26", "omschrijving": "Goede vrijdag", "extra\x00veld": "x"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Sluitingsdag.id))) == 0
    # The same form without the odd key is accepted: the NUL alone was the reason.
    response = client.post(
        "/beheer/sluitingsdagen", {"datum": "2027-03-26", "omschrijving": "Goede vrijdag"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Sluitingsdag.id))) == 1


def test_nul_filter_runs_before_every_other_hook(app):
    """The NUL filter is the first before_request hook that reads input (CSRF, policy and user
    come after); only the request log's clock starts earlier, and it reads nothing but its own
    header, which it checks against a plain pattern."""
    assert app.before_request_funcs[None][:2] == [requestlog._start, refuse_nul_bytes]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("42", 42), ("007", 7), ("999999999", 999_999_999), ("0", None),
     ("1000000000", None), ("-1", None), ("+1", None), (" 1", None), ("1\n", None),
     ("²", None), ("١٢", None), ("１２", None), ("", None), (None, None), ("1e3", None)],
)
def test_positive_int_accepts_only_plain_ascii_numbers(value, expected):
    """Query-string numbers: one to nine ASCII digits, above zero; everything else is None."""
    assert positive_int(value) == expected


def test_every_int_rule_is_bounded(app):
    """`<int:...>` in any rule is the bounded converter, and a smaller max still applies."""
    assert app.url_map.converters["int"] is BoundedIntConverter
    adapter = Map([Rule("/a/<int:n>", endpoint="a"), Rule("/b/<int(max=5):n>", endpoint="b")],
                  converters={"int": BoundedIntConverter}).bind("localhost")
    assert adapter.match(f"/a/{MAX_ID}") == ("a", {"n": MAX_ID})
    assert adapter.match("/b/5") == ("b", {"n": 5})
    for path in (f"/a/{MAX_ID + 1}", "/a/١٢", "/a/-1", "/b/6", f"/a/{'9' * 25}"):
        with pytest.raises(NotFound):
            adapter.match(path)
