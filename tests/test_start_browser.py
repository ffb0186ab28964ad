"""In a real browser: the start pages are accessible, the cockpit's filter swaps only its table."""

import pytest

from leerplicht.home import cockpit
from leerplicht.home.cockpit import Peil
from leerplicht.schooljaren import huidig_schooljaar

from test_start import VANDAAG, _bouw

pytestmark = pytest.mark.browser


@pytest.fixture
def wereld(app, monkeypatch):
    """The world of test_start, judged on VANDAAG (the live server runs in this process)."""
    monkeypatch.setattr(cockpit, "peil_nu", lambda: Peil(huidig_schooljaar(), VANDAAG))
    with app.app_context():
        return _bouw()


def _zonder_zijwaarts_scrollen(page) -> bool:
    """True when nothing sticks out sideways."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_cockpit_filter_swaps_the_table_in_place(wereld, browserpagina):
    """Choosing a sector updates the table and the address bar; the page stays; all accessible."""
    b = browserpagina
    b.login("beheer@llz.example.nl")
    page = b.open("/")
    rows = page.locator("table.cockpit tbody tr")
    assert rows.count() == 4
    b.assert_toegankelijk()

    page.select_option("#filter-sector", "VO")
    page.wait_for_url("**/?sector=VO")
    page.wait_for_function("document.querySelectorAll('table.cockpit tbody tr').length == 2")
    assert page.locator("h1").inner_text() == "Waar staan de scholen?"
    b.assert_toegankelijk()

    page.click(".cockpit-kaarten [data-kaart=rode_knop] dd > a")
    page.wait_for_url("**/?sector=VO&toon=rode_knop")
    assert rows.count() == 1 and "Beta College" in rows.first.inner_text()
    b.assert_toegankelijk()


@pytest.mark.parametrize("email", ["beheer@llz.example.nl", "lars@llz.example.nl",
                                   "zorg@alfa.example.nl"], ids=["beheerder", "llz", "school"])
def test_start_pages_at_phone_width(wereld, browserpagina, email):
    """At 390 px the start page needs no sideways scrolling and passes axe-core."""
    b = browserpagina
    b.page.set_viewport_size({"width": 390, "height": 844})
    b.login(email)
    page = b.open("/")
    assert _zonder_zijwaarts_scrollen(page)
    b.assert_toegankelijk()
