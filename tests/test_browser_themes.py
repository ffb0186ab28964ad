"""Every theme at desktop and phone width: the main pages pass axe-core, nothing scrolls
sideways at 390 px, and a screenshot of each page is saved (LEERPLICHT_SCREENSHOTS)."""

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from leerplicht import create_app
from leerplicht.accounts.models import Gebruiker, Rol
from leerplicht.config import THEMES
from leerplicht.demo import vul_demo
from leerplicht.extensions import db

from conftest import Browserpagina, app_config

pytestmark = pytest.mark.browser

BREEDTES = (1280, 390)


class StilleHandler(WSGIRequestHandler):
    """Serve without a log line per request (dozens of pages per theme)."""

    def log_request(self, *args, **kwargs):
        """Log nothing."""


@dataclass
class Site:
    """One running app in one theme, filled with the demo municipality."""

    thema: str
    url: str
    wachtwoorden: dict[str, tuple[str, str]]  # rol -> (e-mail, wachtwoord)
    code: str  # a school the school user belongs to


@pytest.fixture(scope="module", params=sorted(THEMES))
def site(request, tmp_path_factory, pg_schema):
    """The app in one theme, with demo data, served over HTTP for the whole module."""
    thema = request.param
    tmp = tmp_path_factory.mktemp(f"thema-{thema}")
    app = create_app({**app_config(tmp, pg_schema), "THEME": thema})
    with app.app_context():
        db.create_all()
        logins = vul_demo()
        wachtwoorden = {}
        for rol, email, wachtwoord in logins:
            wachtwoorden.setdefault(str(rol), (email, wachtwoord))
        school_email = wachtwoorden[Rol.SCHOOL.value][0]
        gebruiker = db.session.scalar(select(Gebruiker).where(Gebruiker.email == school_email))
        code = gebruiker.scholen[0].code
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=StilleHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(thema, f"http://127.0.0.1:{server.server_port}", wachtwoorden, code)
    server.shutdown()
    server.server_close()
    thread.join()
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="module")
def schermafdrukken(tmp_path_factory) -> Path:
    """The folder for the screenshots: LEERPLICHT_SCREENSHOTS, else a pytest temp folder."""
    folder = os.environ.get("LEERPLICHT_SCREENSHOTS")
    pad = Path(folder) if folder else tmp_path_factory.mktemp("schermafdrukken")
    pad.mkdir(parents=True, exist_ok=True)
    return pad


def paginas(rol: str, code: str) -> list[tuple[str, str]]:
    """The main pages (name, path) a role works with."""
    if rol == Rol.BEHEERDER.value:
        return [
            ("start", "/"), ("scholen", "/scholen/"), ("dossier", f"/scholen/{code}"),
            ("afsprakenlijst", f"/scholen/{code}/afsprakenlijst"),
            ("escalatieroute", f"/scholen/{code}/escalatieroute"),
            ("escalaties", f"/scholen/{code}/escalaties"), ("overzicht", "/escalaties"),
            ("termijnen", "/afsprakenlijsten/termijnen"), ("registertermijnen", "/termijnen"),
            ("gebruikers", "/beheer/gebruikers"),
            ("beheer", "/beheer"), ("patronen", "/beheer/patronen"),
            ("normen", "/beheer/normen"), ("normconcept", "/beheer/normen/1"),
            ("wachtwoord", "/account/wachtwoord"),
            ("jaarplanning", "/jaarplanning?persoon=alle"),
            ("jaarplanning-school", f"/scholen/{code}/jaarplanning"), ("account", "/account"),
            ("klankbordgroep", "/klankbordgroep"), ("jaarverslag", "/jaarverslag"),
        ]
    if rol == Rol.LLZ.value:
        return [("start", "/"), ("dossier", f"/scholen/{code}"),
                ("meldingen", f"/scholen/{code}/meldingen"), ("invoer", "/termijnen/invoer"),
                ("bezoeken", f"/scholen/{code}/bezoeken"),
                ("evaluatie", f"/scholen/{code}/evaluatie"),
                ("registertermijnen", "/termijnen"), ("jaarplanning", "/jaarplanning"),
                ("account", "/account"), ("klankbordgroep", "/klankbordgroep"),
                ("jaarverslag", "/jaarverslag")]
    return [("start", "/"), ("afsprakenlijst", f"/scholen/{code}/afsprakenlijst"),
            ("bezoeken", f"/scholen/{code}/bezoeken"),
            ("evaluatie", f"/scholen/{code}/evaluatie"),
            ("escalatieroute", f"/scholen/{code}/escalatieroute"),
            ("meldingen", f"/scholen/{code}/meldingen"), ("vragen", f"/scholen/{code}/vragen"),
            ("jaarplanning", f"/scholen/{code}/jaarplanning"), ("account", "/account"),
            ("klankbordgroep", "/klankbordgroep")]


def bekijk(b: Browserpagina, site: Site, breedte: int, naam: str, map_: Path) -> list[str]:
    """Check the open page (axe, sideways scrolling), save its screenshot; return problems."""
    page = b.page
    problemen = [f"{naam}: {v}" for v in b.axe()]
    problemen += [f"{naam}: {fout}" for fout in b.fouten]
    b.fouten.clear()
    breed = page.evaluate("document.documentElement.scrollWidth")
    if breed > page.evaluate("window.innerWidth"):
        problemen.append(f"{naam}: scrolt zijwaarts ({breed} px)")
    page.screenshot(path=str(map_ / f"{site.thema}-{breedte}-{naam}.png"), full_page=True)
    return problemen


@pytest.mark.parametrize("breedte", BREEDTES)
@pytest.mark.parametrize("rol", [r.value for r in Rol] + ["anoniem"])
def test_thema_op_breedte(site, browser, schermafdrukken, rol, breedte):
    """Each role's main pages in this theme and width: accessible, no sideways scrolling."""
    context = browser.new_context(viewport={"width": breedte, "height": 900})
    context.set_default_timeout(10_000)
    b = Browserpagina(context.new_page(), site.url)
    problemen = []
    try:
        if rol == "anoniem":
            b.open("/inloggen")
            problemen += bekijk(b, site, breedte, "inloggen", schermafdrukken)
            # The same form with an error message and summary.
            b.page.fill("#email", "onbekend@example.nl")
            b.page.fill("#wachtwoord", "fout-wachtwoord")
            b.page.click("main button[type=submit]")
            b.page.wait_for_selector(".utrecht-alert, .utrecht-form-field-error-message")
            problemen += bekijk(b, site, breedte, "inloggen-fout", schermafdrukken)
        else:
            b.login(*site.wachtwoorden[rol])
            for naam, pad in paginas(rol, site.code):
                b.open(pad)
                assert b.page.locator("h1").count() >= 1, pad
                problemen += bekijk(b, site, breedte, f"{rol}-{naam}", schermafdrukken)
    finally:
        context.close()
    if problemen:
        pytest.fail("\n".join(problemen), pytrace=False)
