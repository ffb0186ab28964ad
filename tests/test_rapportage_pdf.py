"""The jaarverslag as a PDF: its text (pypdf) holds every figure, the contents' page numbers are
right, every page after the cover is numbered, and WeasyPrint never fetches anything outside
static/."""

import io
import re
from dataclasses import replace

import pypdf
import pytest
from rapportage_voorbeeld import JAREN, voorbeeld

from leerplicht.rapportage.pdf import (
    STATIC,
    AlleenStatic,
    _html,
    als_pdf,
    kolommen,
    themakleuren,
)
from leerplicht.rapportage.tabel import Jaarverslag


def plat(tekst: str) -> str:
    """Text without any whitespace: pypdf splits and joins words at will, the order stays."""
    return re.sub(r"\s+", "", tekst)


def paginas(verslag: Jaarverslag) -> list[str]:
    """The text of each page of the report's PDF."""
    lezer = pypdf.PdfReader(io.BytesIO(als_pdf(verslag)))
    return [pagina.extract_text() for pagina in lezer.pages]


@pytest.fixture(scope="module")
def voorbeeld_paginas() -> list[str]:
    """The sample report's PDF, rendered once for this module."""
    return paginas(voorbeeld())


def pagina_van(teksten: list[str], stuk: str, vanaf: int = 2) -> int:
    """The 1-based number of the first page from `vanaf` whose text holds `stuk`."""
    for nummer, tekst in enumerate(teksten, start=1):
        if nummer >= vanaf and plat(stuk) in plat(tekst):
            return nummer
    raise AssertionError(f"niet gevonden: {stuk}")


def rijtekst(tabel, rij) -> str:
    """A row as it reads in the PDF: label, the shown years' cells, the change."""
    return " ".join([rij.label, *(rij.cellen[i].tekst for i in kolommen(tabel)),
                     rij.verschil.tekst])


def bijlagetekst(verslag: Jaarverslag, sleutel: str) -> str:
    """A school's row in the appendix: its name, then the report year's figure of every
    per-school table (empty where the table has no row for it)."""
    scholen = [t for t in verslag.tabellen if t.per_school]
    label = next(r.label for t in scholen for r in t.rijen if r.sleutel == sleutel)
    waarden = [next((r.cellen[-1].tekst for r in t.rijen if r.sleutel == sleutel), "")
               for t in scholen]
    return " ".join([label, *waarden])


def assert_alle_cijfers(verslag: Jaarverslag, teksten: list[str]) -> None:
    """Every table's rows, in order and with every shown figure, stand in the PDF's text; the
    per-school tables as one appendix row per school with the report year's figures."""
    alles = plat(" ".join(teksten))
    scholen = [t for t in verslag.tabellen if t.per_school]
    if scholen:
        assert plat("Bijlage: cijfers per school") in alles
        for rij in scholen[0].rijen:
            assert plat(bijlagetekst(verslag, rij.sleutel)) in alles, rij.label
    for tabel in verslag.tabellen:
        if tabel.per_school:
            assert plat(tabel.titel) not in alles, tabel.sleutel  # not as a table of its own
            continue
        assert plat(tabel.titel) in alles, tabel.sleutel
        for groep in tabel.groepen:
            if groep.label:
                assert plat(groep.label) in alles
        for rij in tabel.rijen:
            assert plat(rijtekst(tabel, rij)) in alles, (tabel.sleutel, rijtekst(tabel, rij))


def test_pdf_parses_and_is_a4(voorbeeld_paginas):
    """pypdf reads it; a cover, contents and chapters make several A4 pages."""
    lezer = pypdf.PdfReader(io.BytesIO(als_pdf(voorbeeld())))
    assert len(lezer.pages) >= 2
    breedte, hoogte = float(lezer.pages[0].mediabox.width), float(lezer.pages[0].mediabox.height)
    assert (round(breedte), round(hoogte)) == (595, 842)  # A4 in points
    assert lezer.metadata.title == voorbeeld().titel


def test_every_figure_of_every_table_is_in_the_text(voorbeeld_paginas):
    """Each row reads label, figures, change; the hidden count and 'geen gegevens' included."""
    assert_alle_cijfers(voorbeeld(), voorbeeld_paginas)
    alles = plat(" ".join(voorbeeld_paginas))
    # The appendix: meldingen (termijnen) before afsprakenlijst, the report year only.
    assert plat("School Meldingen Afsprakenlijst") in alles
    assert plat("Basisschool De Linde (00AA00) < 5 te laat") in alles
    assert plat("Het Lyceum (11BB00) 52") in alles
    assert plat("Voortgezet onderwijs — 5 —") in alles
    assert plat("Bereikbaarheid (school) 3,5 3,8 +0,3") in alles
    assert plat("Primair onderwijs 75% 88% +13 procentpunt") in alles


def test_a_year_without_any_data_is_said_not_shown_as_a_column(voorbeeld_paginas):
    """2023-2024 has no data: a note says so; the table header starts at 2024-2025."""
    alles = plat(" ".join(voorbeeld_paginas))
    assert plat("Over 2023-2024 heeft de app geen gegevens") in alles
    assert plat("Sector 2024-2025 2025-2026 Verschil") in alles
    assert plat("Sector 2023-2024") not in alles


def test_a_cell_without_data_in_a_year_with_data_says_geen_gegevens():
    """A school new this year shows 'geen gegevens' in the year before, never a zero."""
    verslag = voorbeeld()
    tabel = verslag.tabel("termijnen-sector")
    tabel.jaren_zonder_gegevens = ()
    alles = plat(" ".join(paginas(verslag)))
    assert plat("Primair onderwijs geen gegevens 75% 88% +13 procentpunt") in alles
    assert plat("Sector 2023-2024 2024-2025 2025-2026 Verschil") in alles


def test_columns_shown():
    """Years without data are left out, unless that would leave no year at all."""
    tabel = voorbeeld().tabel("termijnen-sector")
    assert kolommen(tabel) == [1, 2]
    assert kolommen(replace(tabel, jaren_zonder_gegevens=())) == [0, 1, 2]
    assert kolommen(replace(tabel, jaren_zonder_gegevens=tuple(JAREN))) == [0, 1, 2]


def test_cover_says_what_the_report_is(voorbeeld_paginas):
    """Title, schooljaar, sector, peildatum and the norms' version on the first page."""
    omslag = plat(voorbeeld_paginas[0])
    for stuk in ["Jaarverslag samenwerking Leerlingzaken en scholen 2025-2026",
                 "Schooljaar 2025-2026", "Sector alle sectoren", "Peildatum 31 juli 2026",
                 "Normen versie 1", "Scholen 2"]:
        assert plat(stuk) in omslag
    assert "pagina" not in voorbeeld_paginas[0]


def test_summary_sentences_point_at_the_page_of_their_row(voorbeeld_paginas):
    """Each sentence is in the text followed by the page its row stands on."""
    verslag = voorbeeld()
    alles = plat(" ".join(voorbeeld_paginas))
    for zin in verslag.samenvatting:
        tabel = verslag.tabel(zin.tabel)
        rij = (bijlagetekst(verslag, zin.rij) if tabel.per_school
               else rijtekst(tabel, tabel.rij(zin.rij)))
        rijpagina = pagina_van(voorbeeld_paginas, rij, vanaf=4)
        assert plat(f"{zin.tekst} (pagina {rijpagina})") in alles


def test_contents_lists_the_chapters_with_their_page_numbers(voorbeeld_paginas):
    """The contents (page 2) gives each chapter the page its heading starts."""
    verslag = voorbeeld()
    inhoud = voorbeeld_paginas[1]
    assert inhoud.lstrip().startswith("Inhoud")
    onderdelen = ["Samenvatting", *(h.titel for h in verslag.hoofdstukken)]
    for titel in onderdelen:
        regel = re.search(rf"^{re.escape(titel)}\s*\.+\s*(\d+)\s*$", inhoud, re.MULTILINE)
        assert regel, titel
        begint = [n for n, tekst in enumerate(voorbeeld_paginas, start=1)
                  if n > 2 and tekst.lstrip().startswith(titel)]
        assert begint and int(regel.group(1)) == begint[0], titel
    for tabel in verslag.tabellen:
        regel = re.search(rf"^{re.escape(tabel.titel)}\s*\.+\s*(\d+)\s*$", inhoud, re.MULTILINE)
        if tabel.per_school:  # gathered in the appendix, which the contents list instead
            assert regel is None, tabel.titel
            continue
        assert regel, tabel.titel
        assert plat(tabel.titel) in plat(voorbeeld_paginas[int(regel.group(1)) - 1])
    bijlage = re.search(r"^Bijlage: cijfers per school\s*\.+\s*(\d+)\s*$", inhoud, re.MULTILINE)
    assert bijlage
    assert voorbeeld_paginas[int(bijlage.group(1)) - 1].lstrip().startswith("Bijlage")


def test_every_page_after_the_cover_is_numbered(voorbeeld_paginas):
    """'pagina N van M' in the footer, with the report's title in the header."""
    totaal = len(voorbeeld_paginas)
    for nummer, tekst in enumerate(voorbeeld_paginas[1:], start=2):
        assert f"pagina {nummer} van {totaal}" in tekst
        assert plat(voorbeeld().titel) in plat(tekst)


def test_chapters_and_lists_are_in_the_text(voorbeeld_paginas):
    """Chapter titles and introductions; list entries with details; an empty list says so."""
    alles = plat(" ".join(voorbeeld_paginas))
    for stuk in ["Termijnen", "Afsprakenlijsten", "Evaluatie en Klankbordgroep",
                 "Hoe snel Leerlingzaken en de scholen reageerden.",
                 "12 maart 2026 De termijn voor vragen wordt 4 werkdagen.",
                 "Maatregel 1: vaste spreekuren Elke week een spreekuur. Periode 1 Gestart op drie",
                 "De Klankbordgroep PO nam dit schooljaar geen besluiten.",
                 "Staafdiagram van termijnen per sector",  # the chart partial's text alternative
                 "Lijngrafiek van mediane afhandeltijd per sector"]:
        assert plat(stuk) in alles, stuk


def test_user_text_is_escaped_not_markup():
    """A school name with markup is printed as text."""
    verslag = voorbeeld()
    verslag.tabel("meldingen-school").rijen[0].label = "<b>De Linde</b> & co"
    assert plat("<b>De Linde</b> & co") in plat(" ".join(paginas(verslag)))


def test_an_unfinished_schooljaar_says_so_on_the_cover():
    """A report of a running schooljaar warns that its counts run to the peildatum."""
    verslag = replace(voorbeeld(), lopend=True, peildatum="2026-03-01")
    omslag = plat(paginas(verslag)[0])
    assert plat("Schooljaar 2025-2026 loopt nog: de cijfers gaan tot en met 01-03-2026.") in omslag
    assert plat("Peildatum 1 maart 2026") in omslag


@pytest.mark.parametrize("url", [
    "http://example.org/logo.png",
    "https://example.org/x.css",
    "data:text/css,body{}",
    "file:///etc/passwd",
    (STATIC / ".." / "pyproject.toml").as_uri(),
    (STATIC / "css" / "bestaat-niet.css").as_uri(),
])
def test_fetcher_refuses_everything_outside_static(url):
    """No network, no other files: the fetcher raises and WeasyPrint leaves the resource out."""
    with pytest.raises(ValueError):
        AlleenStatic().fetch(url)


def test_fetcher_serves_the_print_css():
    """The print CSS comes from static/ with a CSS content type."""
    antwoord = AlleenStatic().fetch((STATIC / "css" / "jaarverslag-pdf.css").as_uri())
    assert antwoord.headers.get_content_type() == "text/css"
    assert b"@page" in antwoord.read()


def test_the_pdf_only_fetches_from_static(monkeypatch):
    """Rendering asks the fetcher for files under static/ only (the print CSS)."""
    gevraagd = []
    origineel = AlleenStatic.fetch

    def volg(self, url, headers=None):
        gevraagd.append(url)
        return origineel(self, url, headers)

    monkeypatch.setattr(AlleenStatic, "fetch", volg)
    als_pdf(voorbeeld())
    assert gevraagd and all(url.startswith(STATIC.as_uri()) for url in gevraagd)


@pytest.mark.parametrize("thema, kleur", [
    ("voorbeeld", "--pdf-accent: #5115ef;"),
    ("denhaag", "--pdf-accent: hsl(138 58% 33%);"),
    ("utrecht", "--pdf-accent: hsl(211 60% 35%);"),
])
def test_theme_colours_come_from_the_theme_tokens(thema, kleur):
    """The print CSS's variables get the configured theme's resolved token values."""
    css = themakleuren(thema)
    assert kleur in css
    assert "var(" not in css
    assert re.search(r"--pdf-letter: [^;]*sans-serif;", css)


def test_unknown_theme_keeps_the_defaults():
    """No theme, no overrides: the print CSS's own values stay."""
    assert themakleuren("bestaat-niet") == ""


def test_in_the_app_the_cover_names_the_municipality_and_uses_its_theme(app):
    """Inside the app the municipality and the configured theme come from the config."""
    app.config["MUNICIPALITY"] = "Gemeente Testdorp"
    app.config["THEME"] = "denhaag"
    with app.app_context():
        data = als_pdf(voorbeeld())
    teksten = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert plat("Gemeente Testdorp · Leerplicht samenwerking") in plat(teksten[0])
    assert plat("Gemeente Testdorp") in plat(teksten[1])  # the footer


# --- the real report over the demo world ----------------------------------------------------


@pytest.fixture
def demo_verslag(app):
    """The demo world's report for the current schooljaar (when the builder exists)."""
    jaarverslag = pytest.importorskip("leerplicht.rapportage.jaarverslag")
    from leerplicht.demo import vul_demo
    from leerplicht.schooljaren import huidig_schooljaar

    with app.app_context():
        vul_demo(12)
        return jaarverslag.bouw_jaarverslag(huidig_schooljaar())


def test_demo_report_figures_all_appear_in_the_pdf(app, demo_verslag):
    """Every row of the real report, with every shown figure, is in the PDF's text."""
    assert demo_verslag.tabellen
    with app.app_context():
        teksten = paginas(demo_verslag)
    assert_alle_cijfers(demo_verslag, teksten)
    alles = plat(" ".join(teksten))
    for zin in demo_verslag.samenvatting:
        assert plat(zin.tekst) in alles
    for nummer, tekst in enumerate(teksten[1:], start=2):
        assert f"pagina {nummer} van {len(teksten)}" in tekst


def lettertypen(data: bytes) -> set[str]:
    """The base names of the fonts the PDF embeds."""
    namen = set()
    for pagina in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in pagina["/Resources"].get("/Font", {}).values():
            namen.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return namen


def test_theme_fonts_reach_the_pdf_with_a_sans_fallback():
    """The theme's font list arrives intact (not HTML-escaped): body text in the sans fallback."""
    namen = lettertypen(als_pdf(voorbeeld()))
    assert "Liberation-Sans" in namen
    assert "DejaVu-Serif" not in namen


def test_charts_get_their_own_style_inside_the_svg():
    """WeasyPrint ignores page CSS inside inline SVG: every chart carries the theme's colours."""
    html = _html(voorbeeld())
    svgs = re.findall(r"<svg\b[^>]*>\s*<style>(.*?)</style>", html, re.S)
    assert len(svgs) == html.count("<svg") == 2  # one bar chart, one line chart
    assert all(".jv-grafiek__staaf--nu { fill: #5115ef; }" in stijl for stijl in svgs)
