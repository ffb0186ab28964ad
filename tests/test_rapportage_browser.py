"""In a real browser: the jaarverslag page passes axe-core at desktop and phone width, wide
tables scroll inside their own region (never the page), and the in-page links land."""

import os
from datetime import date
from pathlib import Path

import pytest
from rapportage_voorbeeld import voorbeeld

from leerplicht.accounts.models import Rol
from leerplicht.config import THEMES
from leerplicht.demo import vul_demo
from leerplicht.extensions import db
from leerplicht.rapportage import views

import factories as f

pytestmark = pytest.mark.browser

BREEDTES = (1280, 390)


@pytest.fixture
def schermafdrukken(tmp_path) -> Path:
    """The folder for screenshots: LEERPLICHT_SCREENSHOTS, else the test's temp folder."""
    pad = Path(os.environ.get("LEERPLICHT_SCREENSHOTS") or tmp_path)
    pad.mkdir(parents=True, exist_ok=True)
    return pad


def _bekijk(b, breedte: int) -> None:
    """At this width: zero axe violations, no script errors, the page never scrolls sideways."""
    page = b.page
    page.set_viewport_size({"width": breedte, "height": 900})
    b.assert_toegankelijk()
    assert page.evaluate("document.documentElement.scrollWidth") <= breedte
    # Every chart fits its container.
    for svg in page.locator("svg.jv-grafiek__svg").all():
        assert svg.bounding_box()["width"] <= breedte


@pytest.mark.parametrize("thema", sorted(THEMES))
def test_demo_report_is_accessible_at_both_widths(app, browserpagina, schermafdrukken, thema):
    """The real builder's report of the demo municipality, as the beheerder sees it, in
    every theme (theme tokens change contrast)."""
    app.config["THEME"] = thema  # read per request by the template globals
    with app.app_context():
        logins = vul_demo()
        db.session.commit()
    email, wachtwoord = next((e, w) for rol, e, w in logins if str(rol) == Rol.BEHEERDER.value)
    b = browserpagina
    b.login(email, wachtwoord)
    b.open("/jaarverslag")
    assert b.page.locator("main h1").inner_text().startswith("Jaarverslag samenwerking")
    for breedte in BREEDTES:
        _bekijk(b, breedte)
        b.page.screenshot(path=str(schermafdrukken / f"jaarverslag-{thema}-{breedte}.png"),
                          full_page=True)
    # A school table wider than a phone scrolls inside its focusable region.
    b.page.set_viewport_size({"width": 390, "height": 900})
    regio = b.page.locator(".jv-tabel__omhulsel").first
    assert regio.get_attribute("tabindex") == "0"
    assert regio.get_attribute("role") == "region"


def test_sample_report_links_land_on_their_rows(app, browserpagina, monkeypatch):
    """Choosing a sector with the form (no JavaScript needed) and following a summary link."""
    monkeypatch.setattr(views, "bouw", lambda *a: voorbeeld())
    monkeypatch.setattr(views, "vandaag", lambda: date(2026, 3, 1))
    with app.app_context():
        f.schooljaar("2025-2026")
        f.gebruiker(Rol.LLZ, "llz@llz.example.nl")
        db.session.commit()
    b = browserpagina
    b.login("llz@llz.example.nl")
    b.open("/jaarverslag")
    for breedte in BREEDTES:
        _bekijk(b, breedte)
    page = b.page
    page.select_option("#jv-sector", "VO")
    page.click("form.jv-keuze button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/jaarverslag?schooljaar=2025-2026&sector=VO")
    page.click(".jv-samenvatting__zinnen a >> nth=1")
    assert page.url.endswith("#meldingen-school-11BB00")
    assert page.locator("#meldingen-school-11BB00").is_visible()
    b.assert_toegankelijk()
