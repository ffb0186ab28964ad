"""`leerplicht export --only jaarverslag`: the internal report as static pages in its own folder,
checked as a reader would (BeautifulSoup, links followed on disk)."""

import csv
import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.demo import vul_demo
from leerplicht.export import bouwen
from leerplicht.extensions import db
from leerplicht.rapportage.bestanden import als_csv
from leerplicht.rapportage.jaarverslag import bouw_jaarverslag
from leerplicht.scholen.models import School
from leerplicht.schooljaren import huidig_schooljaar
from leerplicht.termijnen.models import Verzuimmelding

import factories as f

SECTORPAGINAS = ["index.html", "mbo.html", "po.html", "so.html", "vo.html", "vso.html"]


@pytest.fixture
def demo(app):
    """The demo municipality: 12 schools of every sector with a year of registers."""
    with app.app_context():
        logins = vul_demo(12)
    app.config["DEMO_BEHEERDER"] = next((e, w) for rol, e, w in logins if rol == Rol.BEHEERDER)
    return app


def exporteer(app, uit: Path, **opties):
    """Run the exporter in-process for the jaarverslag only; return its result."""
    with app.app_context():
        (resultaat,) = bouwen.exporteer(app, uit, bouwen.Opties(doelen=("jaarverslag",),
                                                                **opties))
    return resultaat


def lees(pad: Path) -> BeautifulSoup:
    """Parse an exported page."""
    return BeautifulSoup(pad.read_text(encoding="utf-8"), "html.parser")


def rijen(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Every table row with an id (a row of the report): its cells' text."""
    return {
        tr["id"]: [cel.get_text(" ", strip=True) for cel in tr.find_all(["th", "td"])]
        for tr in soup.select(".jaarverslag tr[id]")
    }


def verslag_van(app, sector: str = ""):
    """The app's own report of the current schooljaar (the builder the page uses)."""
    with app.app_context():
        return bouw_jaarverslag(huidig_schooljaar(), sector)


@pytest.fixture
def geexporteerd(demo, tmp_path):
    """The demo municipality's jaarverslag exported; returns the jaarverslag/ folder."""
    exporteer(demo, tmp_path / "uit")
    return tmp_path / "uit" / "jaarverslag"


def test_only_jaarverslag_writes_its_own_folder(demo, runner, tmp_path):
    """Through the command: index and one page per sector with schools, nothing else."""
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit"),
                                   "--only", "jaarverslag"])
    assert uitkomst.exit_code == 0, uitkomst.output
    assert uitkomst.output.startswith("jaarverslag: ")
    uit = tmp_path / "uit"
    assert not (uit / "brochure").exists() and not (uit / "dossiers").exists()
    boom = uit / "jaarverslag"
    assert sorted(p.name for p in boom.glob("*.html")) == SECTORPAGINAS


def test_only_sectors_with_schools_get_a_page(app, tmp_path):
    """Two VO schools only: the index and vo.html, no page for empty sectors."""
    with app.app_context():
        f.huidig_schooljaar()
        f.school("Het Lyceum", "11BB00", sector="VO")
        f.school("College Noord", "12BB00", sector="VO")
        db.session.commit()
    exporteer(app, tmp_path / "uit")
    boom = tmp_path / "uit" / "jaarverslag"
    assert sorted(p.name for p in boom.glob("*.html")) == ["index.html", "vo.html"]
    nav = lees(boom / "vo.html").select("nav.jv-sectoren a")
    assert [(a["href"], a.get_text(strip=True)) for a in nav] == [
        ("index.html", "Alle sectoren"), ("vo.html", "Voortgezet onderwijs")]
    assert nav[1]["aria-current"] == "page"


def test_pages_are_internal_without_script(geexporteerd):
    """noindex on every page, no script, the report body with its title and summary."""
    for naam in SECTORPAGINAS:
        soup = lees(geexporteerd / naam)
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
        assert soup.find("script") is None
        assert soup.select_one(".jaarverslag #jv-samenvatting") is not None
    index = lees(geexporteerd / "index.html")
    titel = index.select_one("h1").get_text(strip=True)
    assert titel.startswith("Jaarverslag samenwerking Leerlingzaken en scholen ")
    assert lees(geexporteerd / "vo.html").select_one("h1").get_text(strip=True).endswith(
        ", Voortgezet onderwijs")


def test_every_link_is_relative_and_stays_in_the_folder(geexporteerd):
    """Every href/src resolves to a file inside jaarverslag/ (and an existing id), or is an
    in-page anchor that exists."""
    boom = geexporteerd.resolve()
    ids: dict[Path, set] = {}
    gecontroleerd = 0
    for pagina in sorted(boom.glob("*.html")):
        soup = lees(pagina)
        ids[pagina] = {tag["id"] for tag in soup.select("[id]")}
        for tag in soup.select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            delen = urlsplit(url)
            assert not delen.scheme and not delen.netloc and not url.startswith("/"), url
            doel = (pagina.parent / unquote(delen.path)).resolve() if delen.path else pagina
            assert doel.is_relative_to(boom), url
            assert doel.is_file(), url
            if delen.fragment and doel.suffix == ".html":
                if doel not in ids:
                    ids[doel] = {t["id"] for t in lees(doel).select("[id]")}
                assert delen.fragment in ids[doel], url
            gecontroleerd += 1
    assert gecontroleerd > 100


@pytest.mark.parametrize("sector, pagina", [("", "index.html"), ("VO", "vo.html"),
                                            ("PO", "po.html")])
def test_figures_equal_the_report(demo, geexporteerd, sector, pagina):
    """Every row of the exported page holds the report's cells and change, as text."""
    verslag = verslag_van(demo, sector)
    getoond = rijen(lees(geexporteerd / pagina))
    verwacht = {
        tabel.anker(rij): [rij.label, *(c.tekst for c in rij.cellen), rij.verschil.tekst]
        for tabel in verslag.tabellen for rij in tabel.rijen
    }
    assert verwacht and getoond == verwacht
    summary = [li.get_text(strip=True)
               for li in lees(geexporteerd / pagina).select(".jv-samenvatting__zinnen li")]
    assert summary == [zin.tekst for zin in verslag.samenvatting]


def test_figures_equal_the_app_page(demo, geexporteerd, client):
    """The exported VO page and the app's VO page show the same rows and cells."""
    client.login(*demo.config["DEMO_BEHEERDER"])
    with demo.app_context():
        naam = huidig_schooljaar().naam
    app_pagina = client.soup(f"/jaarverslag?schooljaar={naam}&sector=VO")
    assert rijen(app_pagina) == rijen(lees(geexporteerd / "vo.html"))
    assert len(rijen(app_pagina)) > 10


def test_tables_are_written_and_linked_as_csv(demo, geexporteerd):
    """Each table's CSV is a file of the tree, linked from the page, equal to the download."""
    verslag = verslag_van(demo, "VO")
    links = [a["href"] for a in lees(geexporteerd / "vo.html").select(".jv-downloads a")]
    assert links == [f"csv/vo/{t.sleutel}.csv" for t in verslag.tabellen]
    for tabel in verslag.tabellen:
        data = (geexporteerd / "csv" / "vo" / f"{tabel.sleutel}.csv").read_bytes()
        assert data == als_csv(tabel).encode("utf-8")
    meldingen = (geexporteerd / "csv" / "vo" / "meldingen.csv").read_text(encoding="utf-8-sig")
    kop, *regels = csv.reader(io.StringIO(meldingen), delimiter=";")
    assert kop[-1] == "verschil" and regels


def test_second_export_rewrites_nothing(demo, tmp_path):
    """Same data: nothing rendered into a new build, every file unchanged."""
    eerste = exporteer(demo, tmp_path / "uit")
    assert eerste.geschreven > 0
    tweede = exporteer(demo, tmp_path / "uit")
    assert tweede.geschreven == 0 and tweede.verwijderd == 0
    assert tweede.ongewijzigd == eerste.geschreven
    assert not tweede.nieuwe_bouw


def test_a_new_melding_rewrites_the_pages_showing_it(demo, tmp_path):
    """One more VO melding: the index and vo.html (and their meldingen CSVs) are rewritten with
    the new count; the PO page is not."""
    uit = tmp_path / "uit"
    exporteer(demo, uit)
    voor = rijen(lees(uit / "jaarverslag" / "vo.html"))["meldingen-vo"]
    with demo.app_context():
        jaar = huidig_schooljaar()
        school = db.session.scalars(select(School).where(School.sector == "VO")).first()
        bestaand = db.session.scalars(select(Verzuimmelding).where(
            Verzuimmelding.school_id == school.id, Verzuimmelding.schooljaar_id == jaar.id)).first()
        db.session.add(Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id,
                                      referentie="EXTRA-1", ontvangen_op=bestaand.ontvangen_op))
        db.session.commit()
    resultaat = exporteer(demo, uit)
    assert "vo.html" in resultaat.geschreven_paden
    assert "index.html" in resultaat.geschreven_paden
    assert "csv/vo/meldingen.csv" in resultaat.geschreven_paden
    assert "po.html" not in resultaat.geschreven_paden
    assert "csv/po/meldingen.csv" not in resultaat.geschreven_paden
    na = rijen(lees(uit / "jaarverslag" / "vo.html"))["meldingen-vo"]
    assert int(na[-2]) == int(voor[-2]) + 1


def test_unknown_schooljaar_is_refused_before_writing(demo, runner, tmp_path):
    """A schooljaar the app does not have: a clear message, no folder."""
    uitkomst = runner.invoke(args=["export", "--out", str(tmp_path / "uit"), "--only",
                                   "jaarverslag", "--schooljaar", "2090-2091"])
    assert uitkomst.exit_code != 0
    assert "Schooljaar 2090-2091 bestaat nog niet" in uitkomst.output
    assert not (tmp_path / "uit" / "jaarverslag").exists()


def test_no_schooljaar_open_gives_a_page_saying_so(app, tmp_path):
    """A fresh install without schooljaren: one page that says there is no report yet."""
    exporteer(app, tmp_path / "uit")
    boom = tmp_path / "uit" / "jaarverslag"
    assert sorted(p.name for p in boom.glob("*.html")) == ["index.html"]
    tekst = lees(boom / "index.html").select_one("main").get_text(" ", strip=True)
    assert "nog geen jaarverslag" in tekst
