"""The jaarverslag page, its partials and charts, its downloads and who may open them."""

import csv
import io
import sys
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from bs4 import BeautifulSoup
from rapportage_voorbeeld import JAREN, voorbeeld

from leerplicht import rapportage
from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.rapportage import grafiek, views
from leerplicht.rapportage.tabel import Cel, Grafieksoort, Groep, Rij, Soort, Tabel

import factories as f

SECTOREN = {"": "Alle sectoren", "PO": "Primair onderwijs", "VO": "Voortgezet onderwijs"}
DOWNLOADS = ("/jaarverslag/jaarverslag.pdf", "/jaarverslag/jaarverslag.xlsx",
             "/jaarverslag/tabellen.zip", "/jaarverslag/termijnen-sector.csv")


@pytest.fixture
def gebruikers(app):
    """Schooljaren 2024-2025 and 2025-2026 (current), a beheerder, an LLZ and a school user."""
    with app.app_context():
        f.schooljaar("2024-2025", huidig=False)
        f.schooljaar("2025-2026")
        school = f.school(naam="Basisschool De Linde", code="00AA00")
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.LLZ, "llz@llz.example.nl")
        f.gebruiker(Rol.SCHOOL, "school@linde.example.nl", scholen=[school])
        db.session.commit()


@pytest.fixture
def voorbeeldbouw(monkeypatch):
    """The page builds the hand-made sample; the calls are recorded."""
    aanroepen = []

    def bouw(schooljaar, sector, dag):
        aanroepen.append((schooljaar.naam, sector, dag))
        verslag = voorbeeld()
        return replace(verslag, sector=sector, sectornaam=SECTOREN[sector].lower()) \
            if sector else verslag

    monkeypatch.setattr(views, "bouw", bouw)
    monkeypatch.setattr(views, "sectoren", lambda: SECTOREN)
    monkeypatch.setattr(views, "vandaag", lambda: date(2026, 3, 1))
    return aanroepen


@pytest.fixture
def llz(client, gebruikers):
    """A client logged in as LLZ."""
    client.login("llz@llz.example.nl")
    return client


def _cellen(soup, anker: str) -> list[str]:
    """The texts of a row: label, one cell per year, the change."""
    rij = soup.find(id=anker)
    return [c.get_text(" ", strip=True) for c in rij.find_all(["th", "td"])]


def test_page_shows_the_sample_report(llz, voorbeeldbouw):
    """Title, peildatum, norms, the builder called with the chosen year, sector and today."""
    soup = llz.soup("/jaarverslag?schooljaar=2025-2026&sector=VO")
    assert voorbeeldbouw == [("2025-2026", "VO", date(2026, 3, 1))]
    assert soup.select_one("main h1").get_text(strip=True) == (
        "Jaarverslag samenwerking Leerlingzaken en scholen 2025-2026, voortgezet onderwijs")
    gegevens = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
                for dt in soup.select(".jv-gegevens dt")}
    assert gegevens == {"Peildatum": "31-07-2026", "Normen": "versie 1", "Scholen": "2"}
    assert soup.select_one("#jv-schooljaar option[selected]")["value"] == "2025-2026"
    assert soup.select_one("#jv-sector option[selected]")["value"] == "VO"
    assert soup.select_one("form.jv-keuze")["method"] == "get"


def test_without_arguments_the_current_year_and_every_sector(llz, voorbeeldbouw):
    """No query: the current schooljaar and all sectors."""
    llz.soup("/jaarverslag")
    assert voorbeeldbouw == [("2025-2026", "", date(2026, 3, 1))]


def test_download_links_keep_the_choice(llz, voorbeeldbouw):
    """The PDF, XLSX, zip and per-table CSV links carry the schooljaar and sector."""
    soup = llz.soup("/jaarverslag?schooljaar=2024-2025&sector=PO")
    links = [a["href"] for a in soup.select(".jv-downloads a")]
    assert links == [f"{pad}?schooljaar=2025-2026&sector=PO" for pad in DOWNLOADS[:3]]
    csvs = [a["href"] for a in soup.select(".jv-tabel__download a")]
    assert csvs == [f"/jaarverslag/{t.sleutel}.csv?schooljaar=2025-2026&sector=PO"
                    for t in voorbeeld().tabellen]


def test_summary_links_resolve_and_ids_are_unique(llz, voorbeeldbouw):
    """Every in-page link (summary, table of contents) points at an element that exists."""
    soup = llz.soup("/jaarverslag")
    ids = [el["id"] for el in soup.select("main [id]")]
    assert len(ids) == len(set(ids))
    zinnen = soup.select(".jv-samenvatting__zinnen a")
    assert [a["href"] for a in zinnen] == ["#termijnen-sector-po", "#meldingen-school-11BB00"]
    assert zinnen[0].get_text(strip=True).startswith("In het primair onderwijs was 88%")
    for a in soup.select("main a[href^='#']"):
        assert soup.find(id=a["href"][1:]) is not None, a["href"]
    inhoud = [a.get_text(strip=True) for a in soup.select(".jv-inhoudsopgave a")]
    assert inhoud == ["Samenvatting", "Termijnen", "Termijnen per sector",
                      "Mediane afhandeltijd per sector", "Verzuimmeldingen per school",
                      "Afsprakenlijsten", "Afsprakenlijst per school",
                      "Evaluatie en Klankbordgroep", "Evaluatiescores per thema",
                      "Besluiten Klankbordgroep VO", "Maatregelen Klankbordgroep VO",
                      "Besluiten Klankbordgroep PO"]


def test_every_table_is_a_real_table(llz, voorbeeldbouw):
    """Caption, column heads with scope, a row head per row, the year without data said so."""
    soup = llz.soup("/jaarverslag")
    tabellen = soup.select("table.jv-tabel__tabel")
    assert len(tabellen) == 5
    for tabel in tabellen:
        assert tabel.caption.get_text(strip=True).endswith("2023-2024 tot en met 2025-2026")
        koppen = [th.get_text(" ", strip=True) for th in tabel.select("thead th[scope=col]")]
        assert koppen[1:] == ["2023-2024 (geen gegevens)", "2024-2025", "2025-2026",
                              "Verschil t.o.v. vorig jaar"]
        for tr in tabel.select("tbody tr"):
            kop = tr.find("th")
            assert kop["scope"] in ("row", "rowgroup")
            if kop["scope"] == "row":
                assert len(tr.find_all("td")) == 4
    school = soup.select_one("#tabel-meldingen-school table")
    assert [th.get_text(strip=True) for th in school.select("th[scope=rowgroup]")] == [
        "Primair onderwijs", "Voortgezet onderwijs"]
    assert all(th["colspan"] == "5" for th in school.select("th[scope=rowgroup]"))
    assert school.select_one("thead th").get_text(strip=True) == "School"


def test_figures_as_the_reader_sees_them(llz, voorbeeldbouw):
    """Exact cells: shares, the change in procentpunten, '—', '< 5', 'geen gegevens' (not 0)."""
    soup = llz.soup("/jaarverslag")
    assert _cellen(soup, "termijnen-sector-po") == [
        "Primair onderwijs", "geen gegevens", "75%", "88%", "+13 procentpunt"]
    assert _cellen(soup, "termijnen-sector-vo") == [
        "Voortgezet onderwijs", "geen gegevens", "90%", "80%", "−10 procentpunt"]
    assert _cellen(soup, "mediaan-sector-vo") == [
        "Voortgezet onderwijs", "geen gegevens", "—", "5", "—"]
    assert _cellen(soup, "meldingen-school-00AA00") == [
        "Basisschool De Linde (00AA00)", "geen gegevens", "12", "< 5", "—"]
    assert _cellen(soup, "meldingen-school-11BB00") == [
        "Het Lyceum (11BB00)", "geen gegevens", "40", "52", "+12"]
    assert _cellen(soup, "scores-sector-vo-bereikbaarheid-school") == [
        "Bereikbaarheid (school)", "geen gegevens", "3,5", "3,8", "+0,3"]
    assert _cellen(soup, "afsprakenlijst-school-00AA00") == [
        "Basisschool De Linde (00AA00)", "geen gegevens", "op tijd", "te laat", "—"]
    # The hidden number itself (3) appears nowhere in the row.
    assert "3" not in soup.find(id="meldingen-school-00AA00").get_text()


def test_lists_with_items_and_empty(llz, voorbeeldbouw):
    """A list shows kop, tekst and details; an empty list says its `leeg` sentence."""
    soup = llz.soup("/jaarverslag")
    maatregel = soup.select_one("#lijst-maatregelen-vo .jv-lijst__item")
    assert maatregel.select_one(".jv-lijst__kop").get_text(strip=True) == (
        "Maatregel 1: vaste spreekuren")
    assert maatregel.select_one(".jv-lijst__tekst").get_text(strip=True) == (
        "Elke week een spreekuur.")
    assert [(dt.get_text(strip=True), dt.find_next("dd").get_text(strip=True))
            for dt in maatregel.select("dt")] == [("Periode 1", "Gestart op drie scholen.")]
    assert soup.select_one("#lijst-besluiten-po .jv-lijst__leeg").get_text(strip=True) == (
        "De Klankbordgroep PO nam dit schooljaar geen besluiten.")
    assert not soup.select("#lijst-besluiten-po li")


def test_charts_are_accessible_svg(llz, voorbeeldbouw):
    """Only the tables with a chart have one; role=img, a title, a sentence with the figures."""
    soup = llz.soup("/jaarverslag")
    svgs = soup.select("svg.jv-grafiek__svg")
    assert len(svgs) == 2
    staaf = soup.select_one("#tabel-termijnen-sector svg")
    assert staaf["role"] == "img"
    assert staaf.title.get_text() == "Termijnen per sector"
    titel_id, zin_id = staaf["aria-labelledby"].split()
    assert soup.find(id=titel_id) is staaf.title
    zin = soup.find(id=zin_id).get_text(" ", strip=True)
    assert zin == (
        "Staafdiagram van termijnen per sector, per schooljaar. Primair onderwijs: 2024-2025 "
        "75%, 2025-2026 88%. Voortgezet onderwijs: 2024-2025 90%, 2025-2026 80%. Over "
        "2023-2024 zijn geen gegevens; dat jaar staat niet in de grafiek.")
    # No bar for the year without data: two rows, two years each.
    assert len(staaf.select("rect.jv-grafiek__staaf")) == 4
    assert [r["width"] for r in staaf.select("rect.jv-grafiek__staaf")] == [
        "187.5", "218.8", "225.0", "200.0"]
    # The chart comes before its table, inside the table's section.
    sectie = soup.select_one("#tabel-termijnen-sector")
    assert [el.name for el in sectie.find_all(["figure", "table"])] == ["figure", "table"]
    lijn = soup.select_one("#tabel-mediaan-sector svg")
    assert lijn["role"] == "img" and lijn.title.get_text() == "Mediane afhandeltijd per sector"
    # PO has two figures (one line piece); VO only one (a point, no line).
    reeksen = lijn.select("g.jv-grafiek__reeks")
    assert [len(g.select("polyline")) for g in reeksen] == [1, 0]
    assert [len(g.select("circle")) for g in reeksen] == [2, 1]
    assert [t.get_text() for t in lijn.select("text.jv-grafiek__waarde")] == ["4", "3", "5"]
    legenda = [li.get_text(strip=True) for li in soup.select("#tabel-mediaan-sector figcaption li")]
    assert legenda == ["Primair onderwijs", "Voortgezet onderwijs"]


@pytest.mark.parametrize("query", [
    "schooljaar=1999-2000", "schooljaar=2025", "schooljaar=%3Cscript%3E", "sector=XX",
    "sector=po", "sector=" + "9" * 30, "schooljaar=2025-2026&sector=HAVO",
])
def test_unknown_schooljaar_or_sector_is_404(llz, voorbeeldbouw, query):
    """An unknown schooljaar or sector: 404 on the page and on every download, no build."""
    for pad in ("/jaarverslag", *DOWNLOADS):
        assert llz.get(f"{pad}?{query}").status_code == 404, pad
    assert voorbeeldbouw == []


def test_unknown_table_csv_is_404(llz, voorbeeldbouw):
    """A table key the report does not have is a 404."""
    for sleutel in ("bestaat-niet", "Termijnen-sector", "samenvatting"):
        assert llz.get(f"/jaarverslag/{sleutel}.csv").status_code == 404


def test_page_is_404_without_any_schooljaar(app, client, voorbeeldbouw):
    """An empty database (no current schooljaar): a 404, not a 500."""
    with app.app_context():
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
    client.login("beheer@llz.example.nl")
    assert client.get("/jaarverslag").status_code == 404


@pytest.mark.parametrize("email", ["beheer@llz.example.nl", "llz@llz.example.nl"])
def test_llz_and_beheerder_may_open_everything(client, gebruikers, voorbeeldbouw, email):
    """The page and every download answer 200 for LLZ staff and the beheerder."""
    client.login(email)
    for pad in ("/jaarverslag", *DOWNLOADS):
        assert client.get(pad).status_code == 200, pad


def test_school_user_gets_403_everywhere(client, gebruikers, voorbeeldbouw):
    """A school user may not open the page nor any download; nothing is built for them."""
    client.login("school@linde.example.nl")
    for pad in ("/jaarverslag", *DOWNLOADS, "/jaarverslag/bestaat-niet.csv"):
        response = client.get(pad)
        assert response.status_code == 403, pad
        assert "Termijnen per sector" not in response.text
    assert voorbeeldbouw == []
    menu = client.soup("/").select("nav[aria-label=Hoofdmenu] a")
    assert "Jaarverslag" not in [a.get_text(strip=True) for a in menu]


def test_anonymous_is_sent_to_login(client, gebruikers, voorbeeldbouw):
    """Not logged in: the login page, for the page and the downloads."""
    for pad in ("/jaarverslag", *DOWNLOADS):
        response = client.get(pad)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen?next=")


def _kopregels(response) -> tuple[str, str, str]:
    """Content type, disposition and cache control of a response."""
    return (response.headers["Content-Type"], response.headers["Content-Disposition"],
            response.headers["Cache-Control"])


def test_csv_download(llz, voorbeeldbouw):
    """One table as CSV: attachment, no-store, the numbers of the table."""
    response = llz.get("/jaarverslag/meldingen-school.csv?schooljaar=2025-2026&sector=PO")
    assert _kopregels(response) == (
        "text/csv; charset=utf-8",
        'attachment; filename="jaarverslag-2025-2026-po-meldingen-school.csv"', "no-store")
    tekst = response.data.decode("utf-8-sig")
    regels = list(csv.reader(io.StringIO(tekst), delimiter=_scheiding(tekst)))
    lyceum = next(r for r in regels if r and r[0] == "Het Lyceum (11BB00)")
    assert "52" in lyceum and "40" in lyceum


def _scheiding(tekst: str) -> str:
    """The CSV's delimiter (the bestanden helper decides it)."""
    return csv.Sniffer().sniff(tekst.splitlines()[0], delimiters=";,").delimiter


def test_zip_xlsx_and_pdf_downloads(llz, voorbeeldbouw):
    """The zip holds a CSV per table; XLSX and PDF are what their type says; all no-store."""
    response = llz.get("/jaarverslag/tabellen.zip?sector=VO")
    assert _kopregels(response) == (
        "application/zip", 'attachment; filename="jaarverslag-2025-2026-vo.zip"', "no-store")
    namen = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(namen) == sorted(f"{t.sleutel}.csv" for t in voorbeeld().tabellen)
    response = llz.get("/jaarverslag/jaarverslag.xlsx")
    assert _kopregels(response) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="jaarverslag-2025-2026-alle.xlsx"', "no-store")
    assert response.data[:2] == b"PK"
    response = llz.get("/jaarverslag/jaarverslag.pdf")
    assert _kopregels(response) == (
        "application/pdf", 'attachment; filename="jaarverslag-2025-2026-alle.pdf"', "no-store")
    assert response.data[:5] == b"%PDF-"


def test_without_weasyprint_the_pdf_says_why_and_the_rest_works(llz, voorbeeldbouw,
                                                                monkeypatch):
    """A server without Pango (WeasyPrint cannot load): a Dutch 503 for the PDF only."""
    monkeypatch.delitem(sys.modules, "leerplicht.rapportage.pdf", raising=False)
    monkeypatch.delattr(rapportage, "pdf", raising=False)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without the library
    response = llz.get("/jaarverslag/jaarverslag.pdf")
    assert response.status_code == 503
    tekst = BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)
    assert "Pango ontbreekt" in tekst and "Excel en CSV werken wel" in tekst
    assert llz.get("/jaarverslag/jaarverslag.xlsx").status_code == 200
    assert llz.get("/jaarverslag").status_code == 200


def test_page_itself_is_not_cached(llz, voorbeeldbouw):
    """The page holds internal figures too."""
    assert llz.get("/jaarverslag").headers["Cache-Control"] == "no-store"


def test_main_menu_has_jaarverslag_for_llz(llz, voorbeeldbouw):
    """The menu item leads to the page and is marked current there."""
    soup = llz.soup("/jaarverslag")
    huidig = soup.select("nav[aria-label=Hoofdmenu] a[aria-current=page]")
    assert [a.get_text(strip=True) for a in huidig] == ["Jaarverslag"]


# --- the charts on their own ------------------------------------------------------------------


def _tabel(rijen: list[list[Cel]], grafiek_=Grafieksoort.STAAF, zonder=()) -> Tabel:
    """A sector table with these rows of cells."""
    return Tabel(sleutel="t", titel="Aantal meldingen", jaren=JAREN, grafiek=grafiek_,
                 jaren_zonder_gegevens=zonder,
                 groepen=[Groep("", [Rij(f"r{i}", f"Rij {i}", cellen)
                                     for i, cellen in enumerate(rijen)])])


def test_chart_with_all_values_none_draws_nothing_and_says_so():
    """Only '—': no bars, no lines, and the sentence says there is nothing to draw."""
    leeg = [Cel(None), Cel(None), Cel(None)]
    for soort in Grafieksoort:
        g = grafiek.teken(_tabel([leeg, leeg], soort))
        assert g.leeg
        assert not [s for groep in g.groepen for s in groep.staven if s.getekend]
        assert not [p for r in g.reeksen for p in r.punten]
        assert "Er zijn geen cijfers om te tekenen." in g.alternatief


def test_hidden_cell_gets_no_bar_and_is_read_as_less_than():
    """A hidden small number: no bar, its text '< 5', the sentence 'minder dan 5'."""
    g = grafiek.teken(_tabel([[Cel(7), Cel(3, verborgen=True, drempel=5), Cel(12)]]))
    staven = g.groepen[0].staven
    assert [(s.jaar, s.getekend, s.tekst) for s in staven] == [
        ("2023-2024", True, "7"), ("2024-2025", False, "< 5"), ("2025-2026", True, "12")]
    assert staven[1].breedte == 0
    assert "Rij 0: 2023-2024 7, 2024-2025 minder dan 5, 2025-2026 12." in g.alternatief
    # The hidden value is not drawn as a length anywhere.
    assert g.assen[-1].tekst == "15"


def test_one_row_and_thirty_rows_stay_apart():
    """One row draws; thirty rows give thirty groups that never overlap."""
    een = grafiek.teken(_tabel([[Cel(1), Cel(2), Cel(3)]]))
    assert len(een.groepen) == 1 and een.hoogte > 0
    dertig = grafiek.teken(_tabel([[Cel(i), Cel(i + 1), Cel(i + 2)] for i in range(30)]))
    assert len(dertig.groepen) == 30
    for boven, onder in zip(dertig.groepen, dertig.groepen[1:], strict=False):
        assert onder.label_y >= boven.staven[-1].y + boven.staven[-1].hoogte + 10
    assert dertig.groepen[-1].staven[-1].y < dertig.hoogte
    assert all(s.x + s.breedte <= dertig.breedte for g in dertig.groepen for s in g.staven)
    lijnen = grafiek.teken(_tabel([[Cel(i), Cel(i + 1), Cel(i + 2)] for i in range(30)],
                                  Grafieksoort.LIJN))
    assert len(lijnen.reeksen) == 30
    assert {r.index for r in lijnen.reeksen} == set(range(grafiek.REEKSEN))


@pytest.mark.parametrize(("soort", "waarden", "top", "ticks"), [
    (Soort.AANDEEL, [0.2, 0.5, 0.9], 1.0, ["0%", "25%", "50%", "75%", "100%"]),
    (Soort.SCORE, [3.2, 3.8, 4.1], 5.0, ["0", "1", "2", "3", "4", "5"]),
    (Soort.AANTAL, [12, 40, 52], 60.0, ["0", "20", "40", "60"]),
    (Soort.WERKDAGEN, [1, 2, 3], 3.0, ["0", "1", "2", "3"]),
    (Soort.DAGEN, [9, 23, 17], 30.0, ["0", "10", "20", "30"]),
    (Soort.DAGEN, [0, 0, 0], 4.0, ["0", "1", "2", "3", "4"]),
])
def test_scales(soort, waarden, top, ticks):
    """Shares 0-100%, scores 0-5, counts and days from 0 to a round maximum."""
    tabel = _tabel([[Cel(w, soort) for w in waarden]])
    assert grafiek.schaal(tabel)[0] == top
    assert [t for _, t in grafiek.schaal(tabel)[1]] == ticks


def test_line_over_a_year_without_data():
    """A year without data: no point there, the line starts after it and the sentence says so."""
    g = grafiek.teken(_tabel([[Cel(None, geen_gegevens=True), Cel(4), Cel(3)]],
                             Grafieksoort.LIJN, zonder=("2023-2024",)))
    assert [p.tekst for p in g.reeksen[0].punten] == ["4", "3"]
    assert len(g.reeksen[0].stukken) == 1
    assert [j.zonder_gegevens for j in g.jaarlabels] == [True, False, False]
    assert g.alternatief.endswith("Over 2023-2024 zijn geen gegevens; de lijn begint daarna.")
    assert "2023-2024 geen gegevens" not in g.alternatief


def test_no_chart_for_tables_without_one_or_with_words():
    """grafiek None, or a table of words: nothing is drawn."""
    assert grafiek.teken(_tabel([[Cel(1), Cel(2), Cel(3)]], None)) is None
    woorden = [Cel("op tijd", Soort.TEKST)] * 3
    assert grafiek.teken(_tabel([woorden])) is None


def test_partials_render_without_downloads(app):
    """_verslag.html as the PDF and the export include it: no app links, only in-page ones."""
    from flask import render_template

    with app.test_request_context():
        html = render_template("rapportage/_verslag.html", verslag=voorbeeld())
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("table") and not soup.select(".jv-tabel__download")
    assert all(a["href"].startswith("#") for a in soup.select("a"))
    assert not soup.select("script")


# --- the real builder on the demo municipality ------------------------------------------------


@pytest.fixture
def demo(app):
    """The demo municipality (two schooljaren of data); the beheerder's (e-mail, password)."""
    from leerplicht.demo import vul_demo

    with app.app_context():
        logins = vul_demo()
        db.session.commit()
    return next((email, wachtwoord) for rol, email, wachtwoord in logins
                if str(rol) == Rol.BEHEERDER.value)


def _echt_verslag(app, sector: str = ""):
    """The real builder's report of the current schooljaar, as the page builds it."""
    from leerplicht.rapportage.jaarverslag import bouw_jaarverslag
    from leerplicht.schooljaren import huidig_schooljaar

    with app.app_context():
        return bouw_jaarverslag(huidig_schooljaar(), sector, views.vandaag())


@pytest.mark.parametrize("sector", ["", "VO"])
def test_page_shows_the_real_report_cell_for_cell(app, client, demo, sector):
    """Every row of every table on the page reads exactly as the builder's cells say; the
    summary points at rows that exist; a year without data reads 'geen gegevens', never 0."""
    verslag = _echt_verslag(app, sector)
    client.login(*demo)
    soup = client.soup(f"/jaarverslag?sector={sector}")
    assert soup.select_one("main h1").get_text(strip=True) == verslag.titel
    ids = [el["id"] for el in soup.select("main [id]")]
    assert len(ids) == len(set(ids))
    zinnen = soup.select(".jv-samenvatting__zinnen a")
    assert [a["href"][1:] for a in zinnen] == [z.anker for z in verslag.samenvatting]
    for a in soup.select("main a[href^='#']"):
        assert soup.find(id=a["href"][1:]) is not None, a["href"]
    assert len(soup.select("table.jv-tabel__tabel")) == len(verslag.tabellen)
    verborgen = zonder = 0
    for tabel in verslag.tabellen:
        html = soup.find(id=f"tabel-{tabel.sleutel}")
        assert html.select_one("caption").get_text(strip=True).startswith(tabel.titel)
        assert len(html.select("thead th[scope=col]")) == len(tabel.jaren) + 2
        for rij in tabel.rijen:
            assert _cellen(soup, tabel.anker(rij)) == (
                [rij.label] + [c.tekst for c in rij.cellen] + [rij.verschil.tekst])
            verborgen += sum(c.verborgen for c in rij.cellen)
        for i, jaar in enumerate(tabel.jaren):
            if jaar in tabel.jaren_zonder_gegevens:
                zonder += 1
                kop = html.select("thead th[scope=col]")[i + 1].get_text(" ", strip=True)
                assert kop == f"{jaar} (geen gegevens)"
                kolom = [tr.find_all("td")[i].get_text(strip=True)
                         for tr in html.select("tbody tr[id]")]
                assert set(kolom) <= {"geen gegevens"}, (tabel.sleutel, kolom)
        if tabel.grafiek:
            svg = html.select_one("svg")
            assert svg["role"] == "img" and svg.title.get_text() == tabel.titel
    # The demo's oldest year has no schooljaar at all: every table says so.
    assert zonder >= len(verslag.tabellen)
    texts = [td.get_text(strip=True) for td in soup.select("td.jv-tabel__leeg")]
    assert texts.count(f"< {verslag.drempel}") == verborgen
    assert soup.select("svg.jv-grafiek__svg")


def test_real_report_table_csv_and_unknown_key(app, client, demo):
    """The first table of the real report downloads as CSV; a made-up key is a 404."""
    sleutel = _echt_verslag(app).tabellen[0].sleutel
    client.login(*demo)
    response = client.get(f"/jaarverslag/{sleutel}.csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/jaarverslag/geen-tabel.csv").status_code == 404
