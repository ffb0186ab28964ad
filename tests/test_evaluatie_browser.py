"""In a real browser: a school user fills in its side of the evaluation by keyboard and clicks,
saves with htmx, and the page passes axe-core."""

from datetime import date

import pytest
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.cyclus.models import Evaluatie, Evaluatiescore
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol

import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    """A school with a planned evaluation (date passed), its LLZ contact and a school user."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        lars = f.persoon("Lars Leerplicht")
        school = f.school(naam="Basisschool De Vlinder", code="21XA00")
        f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[school])
        evaluatie = Evaluatie(school_id=school.id, schooljaar_id=jaar.id,
                              gepland_op=date(2026, 11, 2))
        db.session.add(evaluatie)
        db.session.flush()
        db.session.add(Evaluatiescore(evaluatie_id=evaluatie.id, kant="llz", thema="bejegening",
                                      score=4, toelichting="Prettig contact."))
        db.session.commit()


def test_school_fills_in_its_side_with_htmx(app, world, browserpagina):
    """Score and comment by keyboard, save by click without a page load; LLZ side read-only."""
    b = browserpagina
    page = b.page
    b.login("zorg@vlinder.example.nl")
    b.open("/scholen/21XA00/evaluatie")
    b.assert_toegankelijk()
    page.evaluate("window.geenHerlaad = true")
    assert page.locator("form.evaluatie-eigen-kant select").count() == 6
    assert page.locator("form.evaluatie-eigen-kant [name=kant]").count() == 0
    page.focus("#score_bejegening")
    page.keyboard.press("ArrowDown")  # 1 – slecht
    page.keyboard.press("ArrowDown")  # 2 – matig
    page.keyboard.press("ArrowDown")  # 3 – voldoende
    page.keyboard.press("Tab")
    page.keyboard.type("Vriendelijk, soms wat laat.")
    page.select_option("#score_samenwerking", "5")
    page.click("button:has-text('Scores opslaan')")
    page.locator("#evaluatie-zacht .utrecht-alert--ok").wait_for()
    assert page.evaluate("window.geenHerlaad") is True
    rij = page.locator("tr[data-thema=bejegening]")
    assert rij.locator("td[data-kant=school]").inner_text() == "3 – voldoende"
    assert rij.locator("td[data-kant=llz]").inner_text() == "4 – goed"
    assert page.locator("#score_bejegening").input_value() == "3"
    assert page.locator("#score_samenwerking").input_value() == "5"
    with app.app_context():
        rijen = {(s.kant, s.thema): (s.score, s.toelichting)
                 for s in db.session.scalars(select(Evaluatiescore))}
    assert rijen[("school", "bejegening")] == (3, "Vriendelijk, soms wat laat.")
    assert rijen[("llz", "bejegening")] == (4, "Prettig contact.")
    b.assert_toegankelijk()
    page.set_viewport_size({"width": 390, "height": 900})
    b.assert_toegankelijk()


def test_llz_page_with_forms_is_accessible(app, world, browserpagina):
    """The LLZ contact's view, with the planning, status and points forms, passes axe-core."""
    b = browserpagina
    b.login("lars@llz.example.nl")
    b.open("/scholen/21XA00/evaluatie")
    b.page.fill("#wat", "Vaste belmomenten")
    b.page.select_option("#wie", "llz")
    b.page.fill("#uiterlijk", "2027-03-01")
    b.page.click("button:has-text('Verbeterpunt toevoegen')")
    b.page.locator("#evaluatie-punten tr.verbeterpunt").wait_for()
    for breedte in (1280, 390):
        b.page.set_viewport_size({"width": breedte, "height": 900})
        b.assert_toegankelijk()
