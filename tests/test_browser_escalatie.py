"""In a real browser: open an escalation, step it up and resolve it with htmx; adapt a route;
every escalation page passes axe-core without CSP or script errors."""

import pytest
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.escalatie.models import Escalatie
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant

import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    """A VO school with its contacts, a team leader, an LLZ user, a school user, a beheerder."""
    with app.app_context():
        f.schooljaar("2026-2027")
        school = f.school(naam="Zeevliet College", code="31XF00", sector="VO")
        leider = f.persoon("Anouk Verbeek", teamleider=True)
        lars = f.persoon("Lars Leerplicht")
        f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.toewijzing(school, f.persoon("Zora Zorg", kant=Kant.SCHOOL), Contactrol.SCHOOL_CONTACT)
        f.toewijzing(school, f.persoon("Dirk Directeur", kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
        f.gebruiker(Rol.SCHOOL, "zorg@college.example.nl", scholen=[school], naam="Zora Zorg")
        f.gebruiker(Rol.BEHEERDER, "anouk@llz.example.nl", contactpersoon=leider)
        db.session.commit()


def test_school_opens_llz_steps_up_and_resolves(app, world, browserpagina):
    """The school opens an escalation; LLZ steps it up (htmx) and resolves it inline."""
    b = browserpagina
    page = b.page
    b.login("zorg@college.example.nl")
    b.open("/scholen/31XF00/escalaties")
    b.assert_toegankelijk()
    page.select_option("#spoor", "inhoud")
    page.fill("#onderwerp", "Reactie op een verzuimmelding blijft uit")
    page.click("button:has-text('Escalatie openen')")
    page.wait_for_load_state("load")
    kaart = page.locator("article.escalatie", has_text="Reactie op een verzuimmelding")
    assert "Nu bij stap 1 van 3" in kaart.inner_text()
    b.assert_toegankelijk()

    page.click("header button:has-text('Uitloggen')")
    page.wait_for_load_state("load")
    b.login("lars@llz.example.nl")
    b.open("/escalaties")
    assert page.locator("table.escalaties tbody tr").count() == 1
    b.assert_toegankelijk()
    page.click("table.escalaties a:has-text('Zeevliet College')")
    page.wait_for_load_state("load")
    page.evaluate("window.geenHerlaad = true")
    kaart = page.locator("article.escalatie").first
    kaart.locator("button:has-text('Opschalen naar stap 2')").click()
    kaart = page.locator("article.escalatie").first
    kaart.locator(".escalatie__stap:has-text('stap 2')").wait_for()
    assert "Teamleider Leerlingzaken" in kaart.inner_text()
    assert "De escalatie is opgeschaald." in kaart.inner_text()

    kaart.locator("a:has-text('Oplossen')").click()
    kaart.locator("textarea[name=uitkomst]").wait_for()
    b.assert_toegankelijk()
    kaart.locator("textarea[name=uitkomst]").fill("Casemanager gekoppeld, afspraak gemaakt.")
    kaart.locator("button:has-text('Opgelost')").click()
    page.locator("article.escalatie .utrecht-status-badge--success").wait_for()
    assert page.evaluate("window.geenHerlaad") is True
    b.assert_toegankelijk()

    with app.app_context():
        escalatie = db.session.scalars(select(Escalatie)).one()
        assert escalatie.niveau == 2 and escalatie.uitkomst.startswith("Casemanager")
        assert [g.soort for g in escalatie.gebeurtenissen] == ["geopend", "opgeschaald",
                                                               "opgelost"]


def test_llz_adapts_the_route_inline(app, world, browserpagina):
    """Adapt the route for the school, change a step's termijn inline, add a step."""
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/scholen/31XF00/escalatieroute")
    b.assert_toegankelijk()
    page.click("button:has-text('Route aanpassen voor deze school')")
    page.wait_for_load_state("load")
    eerste = page.locator("#route li.routestap").first
    stap_id = eerste.get_attribute("id")
    eerste.locator("a:has-text('Wijzigen')").click()
    stap = page.locator(f"#{stap_id}")
    stap.locator("input[name=termijn_werkdagen]").wait_for()
    b.assert_toegankelijk()
    stap.locator("input[name=termijn_werkdagen]").fill("3")
    stap.locator("button:has-text('Opslaan')").click()
    stap.locator(".routestap__titel:has-text('3 werkdagen')").wait_for()

    page.click("#route summary:has-text('Stap toevoegen')")
    form = page.locator("#route details form")
    form.locator("select[name=spoor]").select_option("samenwerking")
    form.locator("select[name=llz_rol]").select_option("teamleider")
    form.locator("select[name=school_rol]").select_option("directeur")
    form.locator("input[name=termijn_werkdagen]").fill("15")
    form.locator("button:has-text('Toevoegen')").click()
    page.locator("#route .routestap__titel:has-text('15 werkdagen')").wait_for()
    assert page.locator("#spoor-samenwerking + ol li.routestap").count() == 3
    b.assert_toegankelijk()


def test_beheer_pages_are_accessible(world, browserpagina):
    """The beheer overview, a sector's default route and the sluitingsdagen pass axe."""
    b = browserpagina
    b.login("anouk@llz.example.nl")
    for path in ("/beheer", "/beheer/escalatieroutes/PO", "/beheer/escalatieroutes/VO",
                 "/beheer/sluitingsdagen", "/scholen/31XF00", "/beheer/schooljaren"):
        b.open(path)
        b.assert_toegankelijk()
