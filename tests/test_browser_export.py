"""In a real browser: the exported brochure and dossiers opened from disk (file://) are
accessible (axe-core), load their stylesheets, run no script; the app's brochure page too, and
it shows the same text as the exported one."""

import pytest
from bs4 import BeautifulSoup

from leerplicht.accounts.models import Rol
from leerplicht.demo import vul_demo
from leerplicht.export import bouwen
from leerplicht.extensions import db

import factories as f
from conftest import AXE, Browserpagina

pytestmark = pytest.mark.browser


@pytest.fixture
def export(app, tmp_path):
    """The demo municipality, exported; returns the output folder."""
    with app.app_context():
        vul_demo(12)
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl")
        db.session.commit()
        bouwen.exporteer(app, tmp_path / "uit")
    return tmp_path / "uit"


class Schijfpagina(Browserpagina):
    """A page opened from disk. axe-core normally fetches the stylesheets again with
    XMLHttpRequest (for its CSS rules); Chromium forbids that on file://, so it reads the
    stylesheets the page already loaded instead (preload off)."""

    def axe(self) -> list[str]:
        """Run axe-core on the current page; return the violations as readable lines."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        return self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations'], preload: false}))"
            ".violations.map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.map(n => "
            "n.target.join(' ')).join(', '))"
        )


@pytest.fixture
def schijf(browser):
    """A browser page for files on disk (no server), recording script and loading errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield Schijfpagina(context.new_page(), "")
    context.close()


@pytest.mark.parametrize(
    "pad",
    ["brochure/index.html", "brochure/toegankelijkheid.html", "dossiers/index.html",
     "dossiers/scholen/21XA00.html", "dossiers/llz/2.html", "jaarverslag/index.html",
     "jaarverslag/vo.html"],
)
def test_exported_page_from_disk_is_accessible(export, schijf, pad):
    """axe-core: zero violations; the hashed stylesheets load from disk; no script runs."""
    page = schijf.open((export / pad).as_uri())
    schijf.assert_toegankelijk()
    assert page.evaluate("document.scripts.length") == 0
    # The stylesheets were found: the header has the app's border, not the browser default.
    rand = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
    )
    assert rand == "solid"
    assert page.evaluate("document.styleSheets.length") >= 5


def test_links_work_by_clicking_from_disk(export, schijf):
    """From the dossier index to a school and back, and through the brochure's contents."""
    page = schijf.open((export / "dossiers" / "index.html").as_uri())
    page.click("table.scholentabel >> text=Basisschool De Vlinder")
    page.wait_for_load_state("load")
    assert page.url.endswith("/dossiers/scholen/21XA00.html")
    assert page.locator("h1").inner_text() == "Basisschool De Vlinder"
    page.click(".kruimelpad >> text=Schooldossiers")
    assert page.url.endswith("/dossiers/index.html")
    page = schijf.open((export / "brochure" / "index.html").as_uri())
    page.click("nav.brochure__inhoudsopgave >> text=Verzuimmeldingen")
    assert page.url.endswith("#verzuimmeldingen")
    page.click("footer >> text=Toegankelijkheid")
    assert page.locator("h1").inner_text() == "Toegankelijkheid"
    assert schijf.fouten == []


def test_print_view_of_the_brochure(export, schijf):
    """Printed, the brochure starts each chapter on a new page and hides the skip link."""
    page = schijf.open((export / "brochure" / "index.html").as_uri())
    page.emulate_media(media="print")
    hoofdstuk = page.evaluate(
        "getComputedStyle(document.querySelector('.brochure__hoofdstuk')).breakBefore"
    )
    assert hoofdstuk == "page"
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.utrecht-skip-link')).display"
    ) == "none"


def test_brochure_in_the_app_shows_the_same_text_as_the_export(export, browserpagina):
    """Logged in, 'Werkafspraken' in the menu: the same chapters and words, and accessible."""
    b = browserpagina
    b.login("zorg@vlinder.example.nl")
    page = b.open("/")
    page.click("nav.site-nav >> text=Werkafspraken")
    page.wait_for_load_state("load")
    b.assert_toegankelijk()

    def tekst(html: str) -> list[str]:
        """The words of the brochure article, without the publication dates."""
        soup = BeautifulSoup(html, "html.parser")
        soup.select_one("#publicatie") and soup.select_one("#publicatie").decompose()
        return soup.select_one("article.brochure").get_text(" ", strip=True).split()

    in_app = tekst(page.content())
    geexporteerd = tekst((export / "brochure" / "index.html").read_text(encoding="utf-8"))
    assert in_app == geexporteerd
    assert "werkdagen" in in_app
