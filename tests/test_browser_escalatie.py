"""In a real browser: open an escalation, step it up and resolve it with htmx; adapt a route;
every escalation page passes axe-core without CSP or script errors."""

from datetime import date

import pytest
from sqlalchemy import select, update

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.schooljaar import start_schooljaar, volgend
from leerplicht.escalatie.models import Escalatie
from leerplicht.escalatie.regels import open_escalatie, routes_voor
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant, School
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar, maak_schooljaar, naam_voor_datum, plus_maanden

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
    b.wacht_op_htmx()
    assert "Teamleider Leerlingzaken" in kaart.inner_text()
    assert "De escalatie is opgeschaald." in kaart.inner_text()

    kaart.locator("a:has-text('Oplossen')").click()
    kaart.locator("textarea[name=uitkomst]").wait_for()
    b.wacht_op_htmx()
    b.assert_toegankelijk()
    kaart.locator("textarea[name=uitkomst]").fill("Casemanager gekoppeld, afspraak gemaakt.")
    kaart.locator("button:has-text('Opgelost')").click()
    page.locator("article.escalatie .utrecht-status-badge--valid").wait_for()
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
    b.wacht_op_htmx()
    b.assert_toegankelijk()
    stap.locator("input[name=termijn_werkdagen]").fill("3")
    stap.locator("button:has-text('Opslaan')").click()
    stap.locator(".routestap__titel:has-text('3 werkdagen')").wait_for()
    b.wacht_op_htmx()

    page.click("#route summary:has-text('Stap toevoegen')")
    form = page.locator("#route details form")
    form.locator("select[name=spoor]").select_option("samenwerking")
    form.locator("select[name=llz_rol]").select_option("teamleider")
    form.locator("select[name=school_rol]").select_option("directeur")
    form.locator("select[name=wijze]").select_option("telefoon")
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


def _open(onderwerp: str, datum: date) -> int:
    """Open an escalation at the college in the current schooljaar (inside an app context)."""
    (school,) = laad_scholen([db.session.scalar(select(School.id))])
    jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()
    escalatie = open_escalatie(school, jaar, routes_voor([school], jaar)[school.id], "inhoud",
                               onderwerp, datum, "Lars", "llz")
    db.session.commit()
    return escalatie.id


def _telling(page) -> dict[str, str]:
    """The counters of the escalation page as the user sees them."""
    return {div.locator("dt").inner_text(): div.locator("dd").inner_text()
            for div in page.locator("#escalaties-telling > div").all()}


def test_counts_and_lists_follow_htmx_actions(app, world, browserpagina):
    """Opschalen and oplossen with htmx: counters and both lists change without a reload."""
    with app.app_context():
        laat = _open("Reactie blijft uit", date(2026, 9, 1))  # past its termijn
        nu = _open("Belmomenten worden gemist", date.today())
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/scholen/31XF00/escalaties")
    page.evaluate("window.geenHerlaad = true")
    assert _telling(page)["Open"] == "2" and _telling(page)["Termijn verstreken"] == "1"

    page.locator(f"#escalatie-{laat} button:has-text('Opschalen naar stap 2')").click()
    page.locator(f"#escalatie-{laat} .escalatie__stap:has-text('stap 2')").wait_for()
    b.wacht_op_htmx()
    assert _telling(page)["Termijn verstreken"] == "0"

    kaart = page.locator(f"#escalatie-{nu}")
    kaart.locator("a:has-text('Oplossen')").click()
    kaart.locator("textarea[name=uitkomst]").wait_for()
    b.wacht_op_htmx()
    kaart.locator("button:has-text('Opgelost')").click()  # empty: refused in the card
    kaart.locator("#uitkomst-fout").wait_for()
    b.wacht_op_htmx()
    assert page.locator("#escalaties-open article.escalatie").count() == 2
    kaart.locator("textarea[name=uitkomst]").fill("Vaste belmomenten afgesproken.")
    kaart.locator("button:has-text('Opgelost')").click()
    page.locator(f"#escalaties-opgelost #escalatie-{nu}").wait_for()
    assert page.locator("#escalaties-open article.escalatie").count() == 1
    assert _telling(page) == {"Open": "1", "Termijn verstreken": "0",
                              "Geopend in 2026-2027": "2", "Opgelost in 2026-2027": "1"}
    assert "De escalatie is opgelost." in page.locator(f"#escalatie-{nu}").inner_text()
    assert page.evaluate("window.geenHerlaad") is True
    b.assert_toegankelijk()


def test_earlier_schooljaar_and_opening_pages_are_accessible(app, world, browserpagina):
    """The schooljaar choice leads to a read-only earlier year; the summary page passes axe."""
    with app.app_context():
        oud = _open("Reactie blijft uit", date(2026, 10, 5))
        start_schooljaar("2027-2028", date(2027, 6, 1))
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/scholen/31XF00/escalaties")
    assert "Uit schooljaar 2026-2027" in page.locator(f"#escalatie-{oud}").inner_text()
    b.assert_toegankelijk()
    page.select_option("#schooljaarkeuze", "2026-2027")
    page.click("button:has-text('Toon schooljaar')")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Escalaties 2026-2027"
    assert page.locator("main form[method=post]").count() == 0
    b.assert_toegankelijk()
    b.open("/scholen/31XF00?schooljaar=2026-2027")
    b.assert_toegankelijk()

    page.click("header button:has-text('Uitloggen')")
    page.wait_for_load_state("load")
    b.login("anouk@llz.example.nl")
    b.open("/beheer/schooljaren")
    page.fill("#naam", "2029-2030")
    page.click("main button:has-text('Verder')")
    page.wait_for_load_state("load")
    assert "overslaan" in page.locator("#naam-fout").inner_text()
    b.assert_toegankelijk()


def test_opening_a_schooljaar_in_two_steps(app, world, browserpagina):
    """'Verder' shows what will happen; only 'Bevestigen' opens the schooljaar."""
    vorig = naam_voor_datum(plus_maanden(date.today(), -12))  # today's schooljaar may open
    with app.app_context():
        db.session.execute(update(Schooljaar).values(huidig=False))
        jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == vorig)).first()
        if jaar is None:
            db.session.add(maak_schooljaar(vorig, huidig=True))
        else:
            jaar.huidig = True
        db.session.commit()
    nieuw = volgend(vorig)
    b = browserpagina
    page = b.page
    b.login("anouk@llz.example.nl")
    b.open("/beheer/schooljaren")
    assert page.input_value("#naam") == nieuw
    page.click("main button:has-text('Verder')")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == f"Schooljaar {nieuw} openen?"
    assert page.locator("ul.samenvatting li").count() == 5
    b.assert_toegankelijk()
    with app.app_context():
        assert db.session.scalars(select(Schooljaar.naam).where(
            Schooljaar.huidig.is_(True))).one() == vorig
    page.click("main button:has-text('Bevestigen')")
    page.wait_for_load_state("load")
    assert f"Schooljaar {nieuw} is geopend" in page.locator(".utrecht-alert").first.inner_text()
    b.assert_toegankelijk()
    with app.app_context():
        assert db.session.scalars(select(Schooljaar.naam).where(
            Schooljaar.huidig.is_(True))).one() == nieuw
