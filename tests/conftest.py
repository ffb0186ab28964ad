"""Fixtures: a fresh database per test (SQLite file, or a PostgreSQL schema per run), clients."""

import os
import secrets
import threading
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, event, text
from werkzeug.serving import make_server

from leerplicht import create_app
from leerplicht.extensions import db

PG_URL = os.environ.get("LEERPLICHT_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def pg_schema():
    """On PostgreSQL: one schema for this test run, dropped afterwards (None on SQLite)."""
    if not PG_URL:
        yield None
        return
    schema = f"lp_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def app_config(tmp_path, pg_schema) -> dict:
    """Configuration for one test app: its own database, fast hashes, CSRF on."""
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "PASSWORD_HASH_FAST": True,
        "SESSION_COOKIE_SECURE": False,
        "LOG_JSON": False,  # the request log still reaches caplog; no JSON lines on stderr
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    if pg_schema:
        config["SQLALCHEMY_DATABASE_URI"] = PG_URL
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={pg_schema}"}
        }
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test.sqlite'}"
    return config


@pytest.fixture
def app(tmp_path, pg_schema):
    """A fresh app with empty tables.

    No app context stays pushed: requests made by the test client must get their own
    context (and so their own `g` and database session), as they do in production.
    Tests wrap their own database work in `with app.app_context():`.
    """
    app = create_app(app_config(tmp_path, pg_schema))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


class Client:
    """A test client that knows the CSRF token and parses HTML."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()

    def csrf_token(self) -> str:
        """The signed CSRF token for this client's session (as a form would carry it)."""
        with self.http.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def get(self, url, **kwargs):
        """GET a URL."""
        return self.http.get(url, **kwargs)

    def post(self, url, data=None, csrf=True, **kwargs):
        """POST form data, with the CSRF token unless csrf=False."""
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.http.post(url, data=data, **kwargs)

    def login(self, email, password="wachtwoord-voor-tests"):
        """Log in through the real login form."""
        response = self.post("/inloggen", {"email": email, "wachtwoord": password})
        assert response.status_code == 302, response.text
        return response

    def soup(self, url, status=200, **kwargs) -> BeautifulSoup:
        """GET a URL, check the status and parse the HTML."""
        response = self.get(url, **kwargs)
        assert response.status_code == status, (url, response.status_code)
        return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def client(app):
    """A CSRF-aware test client."""
    return Client(app)


@pytest.fixture
def make_client(app):
    """Factory for extra clients (several users at once)."""
    return lambda: Client(app)


@pytest.fixture
def second_app(app, tmp_path):
    """Factory for another app instance on the same database (another worker); disposed after."""
    made = []

    def make(**overrides):
        other = create_app({**app.config, "INSTANCE_PATH": str(tmp_path / f"w{len(made)}"),
                            **overrides})
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def runner(app):
    """The CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def query_counter(app):
    """Count SQL statements sent by the app's engine while the block runs.

    The page cache is off meanwhile: the counts are those of building each page afresh
    (tests/test_paginacache.py counts a page served from the cache).
    """

    class Counter:
        def __init__(self):
            self.count = 0

        def __enter__(self):
            with app.app_context():
                self.engine = db.engine
            self.cache = app.extensions.pop("paginacache", None)
            event.listen(self.engine, "before_cursor_execute", self._hit)
            self.count = 0
            return self

        def __exit__(self, *exc):
            event.remove(self.engine, "before_cursor_execute", self._hit)
            if self.cache is not None:
                app.extensions["paginacache"] = self.cache

        def _hit(self, *args):
            self.count += 1

    return Counter


# --- real browser: Playwright driving Debian's Chromium, axe-core for accessibility -----------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; missing Chromium fails in CI and skips elsewhere."""
    if not CHROMIUM.exists():
        message = "Chromium ontbreekt: apt-get install -y chromium (of make test)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The test app served over HTTP by a threaded werkzeug server in a daemon thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


class Browserpagina:
    """A Playwright page on the live server that records script errors and CSP violations."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.fouten: list[str] = []
        page.on("pageerror", lambda error: self.fouten.append(str(error)))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        """Console errors include CSP violations (an inline script or style that was blocked)."""
        # A page answered with 404/422 is logged too; _response judges those per resource.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.fouten.append(message.text)

    def _response(self, response):
        """A stylesheet, script or image that fails to load is an error; a page may be 4xx."""
        if response.status >= 400 and response.request.resource_type not in ("document", "fetch",
                                                                            "xhr"):
            self.fouten.append(f"{response.status} {response.url}")

    def open(self, path: str):
        """Navigate to a path of the app and wait until it is loaded."""
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        return self.page

    def login(self, email: str, password: str = "wachtwoord-voor-tests"):
        """Log in through the login form."""
        self.open("/inloggen")
        self.page.fill("#email", email)
        self.page.fill("#wachtwoord", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state("load")

    def wacht_op_htmx(self):
        """Wait until htmx has finished every request, swap and settle on the page.

        New content is bound (its forms and links enhanced) while it settles; acting on it
        before that, as a script can within milliseconds, would submit it without htmx.
        """
        self.page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
            ".htmx-added')")

    def axe(self) -> list[str]:
        """Run axe-core on the current page; return the violations as readable lines."""
        # evaluate() is not subject to the page's CSP, unlike an injected <script> tag.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.map(n => n.target.join(' '))"
            ".join(', '))"
        )
        return violations

    def assert_toegankelijk(self):
        """axe-core reports zero violations and the page logged no script or CSP errors."""
        assert self.axe() == [], self.page.url
        assert self.fouten == [], self.fouten


@pytest.fixture
def browserpagina(browser, live_server):
    """A fresh browser context (no cookies) with one page."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield Browserpagina(context.new_page(), live_server)
    context.close()
