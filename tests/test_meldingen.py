"""Flash messages always belong to the last action: every htmx fragment carries the flash area
out of band (leerplicht/rendering.py), so no view has to remember it."""

import pytest
from bs4 import BeautifulSoup
from flask import Response, flash, get_flashed_messages
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Afsprakenlijst
from leerplicht.extensions import db
from leerplicht.rendering import meldingen_bijwerken
from leerplicht.scholen.models import Contactrol

import factories as f

CODE = "21XA00"
LIJST = f"/scholen/{CODE}/afsprakenlijst"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def llz(app, client):
    """A school with a concept afsprakenlijst; its LLZ contact logged in, no flash pending."""
    with app.app_context():
        f.schooljaar("2026-2027")
        school = f.school(code=CODE)
        lars = f.persoon("Lars Leerplicht")
        f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
        db.session.commit()
    client.login("lars@llz.example.nl")
    client.post(f"{LIJST}/aanmaken")
    client.get(LIJST)  # shows (and so clears) "De afsprakenlijst is aangemaakt"
    return client


def _afspraken(app) -> list[tuple[int, int, str, bool]]:
    """(id, version, title, free) of the concept's afspraken."""
    with app.app_context():
        lijst = db.session.scalars(select(Afsprakenlijst)).one()
        return [(a.id, a.versie, a.titel, a.is_vrij) for a in lijst.afspraken]


def _meldingen(html: str):
    """The flash area in a response, and whether it is sent out of band."""
    area = BeautifulSoup(html, "html.parser").select("#meldingen")
    assert len(area) == 1, html
    return area[0]


def test_htmx_answer_empties_the_flash_area(app, llz):
    """A message shown by the last full page does not stay above the result of an htmx save."""
    afspraak_id, versie, titel, _ = _afspraken(app)[0]
    response = llz.post(f"/scholen/{CODE}/afspraken/{afspraak_id}",
                        {"versie": versie, "titel": titel, "tekst": "x", "wie": "llz"},
                        headers=HTMX)
    area = _meldingen(response.text)
    assert area["data-hx-swap-oob"] == "innerHTML"
    assert area.select(".utrecht-alert") == []


@pytest.mark.parametrize("wat", ["verwijderen-vast", "verwijderen-oud"])
def test_flash_during_htmx_is_shown_now_not_on_the_next_page(app, llz, wat):
    """A message flashed by an htmx action comes with its answer, and only there."""
    llz.post(f"/scholen/{CODE}/afspraken/nieuw", {"titel": "Vrij", "wie": "llz"})
    llz.get(LIJST)
    vast = next(a for a in _afspraken(app) if not a[3])
    vrij = next(a for a in _afspraken(app) if a[3])
    afspraak_id, versie = (vast[0], vast[1]) if wat == "verwijderen-vast" else (vrij[0], 99)
    response = llz.post(f"/scholen/{CODE}/afspraken/{afspraak_id}/verwijderen",
                        {"versie": versie}, headers=HTMX)
    assert response.status_code in (409, 422)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("section#concept")  # the answer itself: the concept, redrawn
    area = _meldingen(response.text)
    assert area["data-hx-swap-oob"] == "innerHTML"
    assert len(area.select(".utrecht-alert--error")) == 1
    later = llz.soup(LIJST).select_one("#meldingen")
    assert later.select(".utrecht-alert") == [] and not later.has_attr("data-hx-swap-oob")
    assert len(_afspraken(app)) == 8  # nothing deleted


def test_full_pages_and_redirects_are_left_alone(app, llz):
    """Without htmx the page has its own flash area; a redirect keeps the flash for the page."""
    page = llz.get(LIJST)
    assert not _meldingen(page.text).has_attr("data-hx-swap-oob")
    redirect = llz.post(f"/scholen/{CODE}/afspraken/nieuw", {"titel": "Vrij", "wie": "llz"})
    assert redirect.status_code == 302 and "meldingen" not in redirect.text
    assert "De afspraak is toegevoegd." in _meldingen(llz.get(LIJST).text).get_text()


def test_reload_answers_keep_the_flash_for_the_reloaded_page(app):
    """An htmx answer that reloads the page (HX-Refresh) leaves the message to that page."""
    with app.app_context(), app.test_request_context(headers=HTMX):
        flash("Bewaard voor de volgende pagina.", "fout")
        response = Response("", 409, mimetype="text/html", headers={"HX-Refresh": "true"})
        assert meldingen_bijwerken(response).get_data(as_text=True) == ""
        assert get_flashed_messages() == ["Bewaard voor de volgende pagina."]


def test_a_full_page_sent_to_htmx_gets_no_second_flash_area(app):
    """A fragment that already holds the flash area is not given another one."""
    with app.app_context(), app.test_request_context(headers=HTMX):
        page = '<main><div id="meldingen" class="meldingen" role="status"></div></main>'
        response = meldingen_bijwerken(Response(page, 200, mimetype="text/html"))
        assert response.get_data(as_text=True) == page
        fragment = meldingen_bijwerken(Response("<p>ok</p>", 200, mimetype="text/html"))
        assert _meldingen(fragment.get_data(as_text=True))["data-hx-swap-oob"] == "innerHTML"
        json = meldingen_bijwerken(Response("{}", 200, mimetype="application/json"))
        assert json.get_data(as_text=True) == "{}"
