"""In a real browser: LLZ and the school make an afsprakenlijst together with htmx (add, edit,
reorder, delete), both give akkoord, and the school sees the vastgestelde version."""

import pytest
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Afsprakenlijst
from leerplicht.afspraken.regels import zet_tekst
from leerplicht.afspraken.sjablonen import LEEG
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant

import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    """A PO school with its LLZ contact and a school user."""
    with app.app_context():
        f.schooljaar("2026-2027")
        school = f.school(naam="Basisschool De Vlinder", code="21XA00", sector="PO")
        lars = f.persoon("Lars Leerplicht")
        f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.toewijzing(school, f.persoon("Dirk Directeur", kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
        f.persoon("Anouk Verbeek", teamleider=True)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[school], naam="Zora Zorg")
        db.session.commit()


def _vul_in(app):
    """Fill in the blanks of the concept in the database (as if done earlier)."""
    with app.app_context():
        for afspraak in db.session.scalars(select(Afsprakenlijst)).one().afspraken:
            zet_tekst(afspraak, afspraak.tekst.replace(LEEG, "in overleg afgesproken"))
        db.session.commit()


def _titels(page) -> list[str]:
    """Titles of the concept's afspraken, in order."""
    return page.locator("#concept .afspraak__titel").all_inner_texts()


def _voeg_toe(page, titel: str, tekst: str):
    """Open 'Afspraak toevoegen', fill it in and submit (htmx swaps the concept)."""
    page.click("#concept summary:has-text('Afspraak toevoegen')")
    form = page.locator("#concept details.nieuwe-afspraak form")
    form.locator("input[name=titel]").fill(titel)
    form.locator("textarea[name=tekst]").fill(tekst)
    form.locator("button[type=submit]").click()
    page.locator(f"#concept .afspraak__titel:text-is('{titel}')").wait_for()


def test_llz_and_school_make_and_agree_a_list(app, world, browserpagina):
    """The whole cycle in the browser, with htmx, without a full page reload for edits."""
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/scholen/21XA00/afsprakenlijst")
    page.click("text=Afsprakenlijst aanmaken")
    page.wait_for_load_state("load")
    standaard = _titels(page)
    assert standaard[0] == "Contactpersonen en vervanging" and len(standaard) == 7
    b.assert_toegankelijk()
    _vul_in(app)  # the blanks; test_fill_in_blanks_inline_then_akkoord does it in the page
    b.open("/scholen/21XA00/afsprakenlijst")

    # htmx swaps must not reload the page: a marker on window survives them.
    page.evaluate("window.geenHerlaad = true")

    _voeg_toe(page, "Overleg met de intern begeleider", "Elke **maand** een belafspraak.")
    _voeg_toe(page, "Tijdelijke afspraak", "Wordt weer verwijderd.")
    assert _titels(page)[-2:] == ["Overleg met de intern begeleider", "Tijdelijke afspraak"]
    assert page.locator("#concept strong:text-is('maand')").count() == 1

    # Edit inline: the form replaces the afspraak, saving swaps the new text back in.
    item_id = page.locator("#concept li.afspraak", has_text="Overleg met de intern begeleider"
                           ).get_attribute("id")
    item = page.locator(f"#{item_id}")
    item.locator("a:has-text('Wijzigen')").click()
    item.locator("textarea[name=tekst]").wait_for()
    b.assert_toegankelijk()  # the inline edit form
    item.locator("textarea[name=tekst]").fill("Elke **twee weken** een belafspraak.")
    item.locator("button:has-text('Opslaan')").click()
    item.locator("strong:text-is('twee weken')").wait_for()

    # Inline validation: an empty title is refused next to the field, nothing saved.
    item.locator("a:has-text('Wijzigen')").click()
    item.locator("input[name=titel]").fill("")
    item.locator("button:has-text('Opslaan')").click()
    item.locator(".utrecht-form-field-error-message").wait_for()
    assert item.locator("input[name=titel]").get_attribute("aria-invalid") == "true"
    b.assert_toegankelijk()
    item.locator("a:has-text('Annuleren')").click()
    item.locator(".afspraak__titel:text-is('Overleg met de intern begeleider')").wait_for()

    # Reorder: move the new afspraak one place up.
    page.click("button:has-text('Omhoog'):has-text('Overleg met de intern begeleider')")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#concept .afspraak__titel')]"
        ".map(e => e.textContent).indexOf('Overleg met de intern begeleider') === 6"
    )

    # Delete, confirming the browser's dialog.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Verwijderen'):has-text('Tijdelijke afspraak')")
    page.locator("#concept .afspraak__titel:text-is('Tijdelijke afspraak')").wait_for(
        state="detached")
    assert "Tijdelijke afspraak" not in _titels(page)
    assert page.evaluate("window.geenHerlaad") is True

    page.click("button:has-text('Akkoord geven namens Leerlingzaken')")
    page.wait_for_load_state("load")
    assert "Lars Leerplicht" in page.locator("#concept .akkoord").inner_text()
    b.assert_toegankelijk()

    # The school gives its akkoord: the list is vastgesteld.
    page.click("header button:has-text('Uitloggen')")
    page.wait_for_load_state("load")
    b.login("zorg@vlinder.example.nl")
    b.open("/scholen/21XA00/afsprakenlijst")
    page.click("button:has-text('Akkoord geven namens de school')")
    page.wait_for_load_state("load")
    geldend = page.locator("section.geldend")
    assert "Geldende afspraken (versie 1)" in geldend.locator("h2").inner_text()
    assert "Overleg met de intern begeleider" in geldend.inner_text()
    assert "twee weken" in geldend.inner_text()
    assert page.locator("#concept").count() == 0
    b.assert_toegankelijk()

    # The dossier shows the list as vastgesteld to the school user too.
    b.open("/scholen/21XA00")
    assert "Vastgesteld" in page.locator("main").inner_text()
    b.assert_toegankelijk()

    with app.app_context():
        lijst = db.session.scalars(select(Afsprakenlijst)).one()
        assert lijst.status == "vastgesteld"
        assert [a.titel for a in lijst.afspraken][6] == "Overleg met de intern begeleider"


def test_pages_of_a_list_are_accessible(app, world, browserpagina):
    """Version, print, diff, history and contact pages pass axe once a list exists."""
    b = browserpagina
    b.login("lars@llz.example.nl")
    page = b.open("/scholen/21XA00/afsprakenlijst")
    page.click("text=Afsprakenlijst aanmaken")
    page.wait_for_load_state("load")
    for path in (
        "/scholen/21XA00/afsprakenlijst/versie/1",
        "/scholen/21XA00/afsprakenlijst/versie/1?afdrukken=1",
        "/scholen/21XA00/geschiedenis",
        "/scholen/21XA00/contactpersonen",
        "/scholen/21XA00/contactpersonen/wijzigen",
        "/afsprakenlijsten/termijnen",
    ):
        b.open(path)
        b.assert_toegankelijk()
    item_link = page.locator("a:has-text('Wijzigen')")
    assert item_link.count() == 0  # the print view has no edit buttons
    b.open("/scholen/21XA00/afsprakenlijst")
    href = page.locator("#concept a:has-text('Wijzigen')").first.get_attribute("href")
    b.open(href)  # the no-JS edit page
    b.assert_toegankelijk()


def _bewerk_inline(b, titel: str, oud: str, nieuw: str):
    """Open the inline form of an afspraak, replace text in it and save (htmx), each time
    waiting until htmx has settled (swapped content is bound before the next click)."""
    page = b.page
    item_id = page.locator("#concept li.afspraak", has=page.locator(
        f".afspraak__titel:text-is('{titel}')")).get_attribute("id")
    item = page.locator(f"#{item_id}")  # the form replaces the title while editing
    item.locator("a:has-text('Wijzigen')").click()
    tekst = item.locator("textarea[name=tekst]")
    tekst.wait_for()
    b.wacht_op_htmx()
    tekst.fill(tekst.input_value().replace(oud, nieuw))
    item.locator("button:has-text('Opslaan')").click()
    item.locator("a:has-text('Wijzigen')").wait_for()
    b.wacht_op_htmx()


def test_fill_in_blanks_inline_then_akkoord(app, world, browserpagina):
    """The blanks are listed; filling them in inline (no reload) brings the akkoord button,
    carrying the list's new version: the akkoord is accepted. The flash of the full page
    does not stay above the htmx results."""
    b = browserpagina
    page = b.page
    b.login("lars@llz.example.nl")
    b.open("/scholen/21XA00/afsprakenlijst")
    page.click("text=Afsprakenlijst aanmaken")
    page.wait_for_load_state("load")
    assert "aangemaakt" in page.locator("#meldingen").inner_text()
    open_ = page.locator("#akkoord-blok .nog-in-te-vullen a").all_inner_texts()
    assert open_ == ["Aanwezigheid van Leerlingzaken op school",
                     "Communicatie en bereikbaarheid", "Evaluatie"]
    assert page.locator("form[action$='/akkoord']").count() == 0
    b.assert_toegankelijk()
    page.evaluate("window.geenHerlaad = true")

    for titel in open_:
        _bewerk_inline(b, titel, "(vul in)", "elke eerste maandag")
        assert page.locator("#meldingen .utrecht-alert").count() == 0
    page.locator("#akkoord-blok form[action$='/akkoord']").wait_for()
    assert page.locator("#akkoord-blok .nog-in-te-vullen").count() == 0
    # One more inline edit after the button appeared: the button must follow the new version.
    _bewerk_inline(b, "Evaluatie", "elke eerste maandag", "in mei")
    assert page.evaluate("window.geenHerlaad") is True
    b.assert_toegankelijk()

    page.click("button:has-text('Akkoord geven namens Leerlingzaken')")
    page.wait_for_load_state("load")
    assert "Uw akkoord is vastgelegd" in page.locator("#meldingen").inner_text()
    assert "gewijzigd nadat" not in page.locator("main").inner_text()
    assert "Lars Leerplicht" in page.locator("#akkoord-blok .akkoord").inner_text()
    with app.app_context():
        lijst = db.session.scalars(select(Afsprakenlijst)).one()
        assert lijst.akkoord_llz_op is not None and lijst.status == "concept"
        assert "in mei" in lijst.afspraken[-1].tekst
