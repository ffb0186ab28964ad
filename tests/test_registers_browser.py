"""In a real browser: the fast entry by keyboard only, and the register pages pass axe-core."""

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol
from leerplicht.termijnen.models import Verzuimmelding

import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    """Two schools with the same LLZ contact, a school user, a beheerder."""
    with app.app_context():
        f.schooljaar("2026-2027")
        lars = f.persoon("Lars Leerplicht")
        for naam, code in (("Basisschool De Vlinder", "21XA00"), ("Zeevliet College", "31XF00")):
            school = f.school(naam=naam, code=code)
            f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[school])
        db.session.commit()


def _schermafdruk(b, naam: str) -> None:
    """Save a screenshot when LEERPLICHT_SCREENSHOTS names a folder (to look at the pages)."""
    folder = os.environ.get("LEERPLICHT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        b.page.screenshot(path=str(Path(folder) / f"registers-{naam}.png"), full_page=True)
        b.fouten.clear()  # a full-page screenshot sets an inline style the CSP refuses


def _focus(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_fast_entry_by_keyboard(app, world, browserpagina):
    """School, Tab, referentie, Enter: three meldingen, the rows appear, focus returns."""
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/termijnen/invoer")
    b.assert_toegankelijk()
    page.evaluate("window.geenHerlaad = true")
    assert _focus(page) == "school"
    page.keyboard.press("ArrowDown")  # the first school
    page.keyboard.press("Tab")
    assert _focus(page) == "referentie"
    for n in (1, 2, 3):
        page.keyboard.type(f"DUO-{n}")
        page.keyboard.press("Enter")
        page.locator("#invoer-rijen tr", has_text=f"DUO-{n}").wait_for()
        b.wacht_op_htmx()
        page.wait_for_function("document.activeElement && document.activeElement.id === "
                               "'referentie'")
        assert page.input_value("#referentie") == ""
    assert page.evaluate("window.geenHerlaad") is True
    assert page.locator("#invoer-rijen tr").count() == 3
    assert page.locator("#invoer-rijen tr").first.inner_text().count("DUO-3") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Verzuimmelding.id))) == 3
    b.assert_toegankelijk()
    page.set_viewport_size({"width": 390, "height": 900})
    b.assert_toegankelijk()

    # A duplicate is refused in place, with the cursor at the field.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#referentie", "DUO-1")
    page.keyboard.press("Enter")
    page.locator("#foutoverzicht").wait_for()
    assert _focus(page) == "referentie"
    b.assert_toegankelijk()


def test_register_pages_are_accessible(app, world, browserpagina):
    """The three registers with rows, for LLZ (with forms) and for the school; 1280 and 390."""
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/scholen/31XF00/meldingen")
    page.fill("#referentie", "DUO-9")
    page.click("button:has-text('Melding toevoegen')")
    page.locator("#register-rijen tr", has_text="DUO-9").wait_for()
    if page.locator("#register-rijen details[open]").count() == 0:  # open after the add
        page.locator("#register-rijen summary").first.click()
    page.locator("#register-rijen input[name=elementen]").first.check()
    page.click("#register-rijen button:has-text('Oordeel vastleggen')")
    page.locator("#register-rijen :text('Ontbreekt:')").wait_for()
    for breedte in (1280, 390):
        page.set_viewport_size({"width": breedte, "height": 900})
        b.assert_toegankelijk()
    b.open("/scholen/31XF00/vragen")
    page.fill("#onderwerp", "Wanneer volgt de reactie?")
    page.click("button:has-text('Vraag toevoegen')")
    page.locator("#register-rijen tr").first.wait_for()
    b.open("/scholen/31XF00/ontwikkelingen")
    page.fill("#onderwerp", "Verhuizing")
    page.click("button:has-text('Ontwikkeling toevoegen')")
    page.locator("#register-rijen tr").first.wait_for()
    for breedte in (1280, 390):
        page.set_viewport_size({"width": breedte, "height": 900})
        for pad in ("meldingen", "vragen", "ontwikkelingen"):
            b.open(f"/scholen/31XF00/{pad}")
            b.assert_toegankelijk()
            _schermafdruk(b, f"llz-{pad}-{breedte}")
    page.click("header button:has-text('Uitloggen')")
    page.wait_for_load_state("load")
    b.login("zorg@vlinder.example.nl")
    for pad in ("meldingen", "vragen", "ontwikkelingen"):
        b.open(f"/scholen/31XF00/{pad}")
        b.assert_toegankelijk()
