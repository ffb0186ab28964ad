"""In a real browser: every role logs in, searches the school list, opens a dossier; axe-core
finds no accessibility violations and the strict CSP blocks nothing on any page."""

import pytest

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant

import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    """Three schools, an LLZ team with a team leader, a user for every role."""
    with app.app_context():
        f.schooljaar("2026-2027")
        vlinder = f.school(naam="Basisschool De Vlinder", code="21XA00", sector="PO")
        college = f.school(naam="Zeevliet College", code="31XF00", sector="VO")
        f.school(naam="Techniek College Zeevliet", code="42XM00", sector="MBO")
        leider = f.persoon("Anouk Verbeek", functie="Teamleider Leerlingzaken", teamleider=True)
        lars = f.persoon("Lars Leerplicht")
        for school in (vlinder, college):
            f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
            f.toewijzing(school, f.persoon(kant=Kant.SCHOOL, functie="Locatiedirecteur"),
                         Contactrol.DIRECTEUR)
        f.gebruiker(Rol.BEHEERDER, "anouk@llz.example.nl", contactpersoon=leider)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[vlinder])
        db.session.commit()


@pytest.mark.parametrize(
    ("email", "zichtbaar"),
    [
        ("anouk@llz.example.nl", 3),
        ("lars@llz.example.nl", 3),
        ("zorg@vlinder.example.nl", 1),
    ],
    ids=["beheerder", "llz", "school"],
)
def test_role_searches_and_opens_dossier(world, browserpagina, email, zichtbaar):
    """Log in, the home page, the school list, an htmx search, the dossier: all accessible."""
    b = browserpagina
    b.open("/inloggen")
    b.assert_toegankelijk()
    b.login(email)
    b.assert_toegankelijk()  # the start page of the role

    page = b.open("/scholen/")
    rows = page.locator("table.scholenlijst tbody tr")
    assert rows.count() == zichtbaar
    b.assert_toegankelijk()

    # Active search: typing swaps the results in place (htmx) and updates the address bar.
    page.fill("#zoek-q", "vlinder")
    page.wait_for_url("**/scholen/?q=vlinder")
    assert rows.count() == 1
    assert page.locator("#resultaten .resultaat-telling").inner_text().startswith("1 school")
    assert page.locator("h1").inner_text() == "Scholen"  # the page itself was not replaced
    b.assert_toegankelijk()

    page.click("text=Basisschool De Vlinder")
    page.wait_for_url("**/scholen/21XA00")
    assert page.locator("h1").inner_text() == "Basisschool De Vlinder"
    rode_knop = page.locator(".rode-knop")
    assert "Anouk Verbeek" in rode_knop.inner_text()
    b.assert_toegankelijk()


def test_school_user_cannot_open_other_school(world, browserpagina):
    """Typing another school's address gives the not-found page, not its dossier."""
    b = browserpagina
    b.login("zorg@vlinder.example.nl")
    page = b.open("/scholen/31XF00")
    assert page.locator("h1").inner_text() == "Niet gevonden"
    assert "Zeevliet College" not in page.content()
    b.assert_toegankelijk()


def test_search_works_without_javascript(world, browser, live_server):
    """With JavaScript off the search form is a plain GET form that still filters."""
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/inloggen")
        page.fill("#email", "lars@llz.example.nl")
        page.fill("#wachtwoord", "wachtwoord-voor-tests")
        page.click("main button[type=submit]")
        page.goto(live_server + "/scholen/")
        page.select_option("#zoek-sector", "VO")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_url("**/scholen/?**sector=VO**")
        names = page.locator("table.scholenlijst tbody td:first-child a").all_inner_texts()
        assert names == ["Zeevliet College"]
    finally:
        context.close()


def test_beheerder_pages_are_accessible(world, browserpagina):
    """The beheerder's pages, including the patterns page with every component, pass axe."""
    b = browserpagina
    b.login("anouk@llz.example.nl")
    for path in ("/beheer/patronen", "/beheer/gebruikers", "/beheer/gebruikers/nieuw",
                 "/scholen/nieuw", "/scholen/21XA00/bewerken", "/account/wachtwoord"):
        b.open(path)
        b.assert_toegankelijk()


def test_form_errors_are_announced_and_linked(world, browserpagina):
    """A refused form shows the error summary with links to the fields, and stays accessible."""
    b = browserpagina
    b.login("anouk@llz.example.nl")
    page = b.open("/scholen/nieuw")
    page.fill("#code", "fout")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    summary = page.locator("#foutoverzicht")
    assert summary.is_visible()
    assert page.locator("#code").get_attribute("aria-invalid") == "true"
    b.assert_toegankelijk()
