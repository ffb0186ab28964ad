"""Jaarplanning: milestones per school, programme calendars from content/, the pages and access."""

from datetime import date

import pytest
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.cyclus import planning
from leerplicht.cyclus.jaarplanning import (
    ProgrammaFout,
    Stand,
    dag_in_schooljaar,
    evaluatie_uiterlijk,
    jaarplanning,
    laad_programma,
    laad_programmas,
    standaard_programmamap,
)
from leerplicht.cyclus.models import Bezoek, Evaluatie, Klankbordoverleg
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, School
from leerplicht.schooljaren import Schooljaar

import factories as f

START = {"Contactgegevens nalopen", "Kennismaken met de contactpersoon van Leerlingzaken",
         "Afspraken voor het nieuwe schooljaar bespreken"}
GESPREK = "Gesprek over overstappers met risico"
NO_SHOW = "No-show-actie"


@pytest.fixture
def wereld(app):
    """A PO, a VO and an MBO school in 2026-2027; LLZ person Lia for PO and VO, Xander for MBO;
    a planned evaluation and visit at the VO school; one meeting of each Klankbordgroep."""
    with app.app_context():
        jaar = f.huidig_schooljaar("2026-2027")
        po = f.school("Basisschool De Linde", "10PO00", sector="PO")
        vo = f.school("Lyceum Duinzicht", "20VO00", sector="VO")
        mbo = f.school("Vakcollege Haven", "30MB00", sector="MBO")
        lia, xander = f.persoon("Lia Toegewezen"), f.persoon("Xander Elders")
        f.toewijzing(po, lia, Contactrol.LLZ_CONTACT)
        f.toewijzing(vo, lia, Contactrol.LLZ_VERVANGER)
        f.toewijzing(mbo, xander, Contactrol.LLZ_CONTACT)
        db.session.add_all([
            Evaluatie(school_id=vo.id, schooljaar_id=jaar.id, gepland_op=date(2027, 5, 12)),
            Bezoek(school_id=vo.id, schooljaar_id=jaar.id, datum=date(2026, 9, 15), soort="jes"),
            Klankbordoverleg(sector="PO", schooljaar_id=jaar.id, datum=date(2026, 11, 20)),
            Klankbordoverleg(sector="VO", schooljaar_id=jaar.id, datum=date(2027, 1, 15)),
        ])
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        f.gebruiker(Rol.LLZ, "xander@llz.example.nl", contactpersoon=xander)
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.SCHOOL, "po@school.example.nl", scholen=[po])
        db.session.commit()
        return {"po": po.code, "vo": vo.code, "mbo": mbo.code}


def _plan(code: str, vandaag: date) -> list:
    """The jaarplanning of one school in the current schooljaar (inside an app context)."""
    school = db.session.scalar(select(School).where(School.code == code))
    jaar = db.session.scalar(select(Schooljaar).where(Schooljaar.huidig.is_(True)))
    return jaarplanning([school], jaar, vandaag)


def _mijlpalen(items) -> list[tuple]:
    """(kind, date, title, stand) of the school's own milestones and meetings."""
    return [(i.soort, i.datum, i.titel, i.standen[0] if i.standen else None)
            for i in items if i.soort != "programma"]


def test_mijlpalen_po_school(app, wereld):
    """PO: afsprakenlijst and start visit due 31 October, evaluation due 30 June, the PO
    meeting; the start-of-year programme but no VO→MBO programme."""
    with app.app_context():
        items = _plan(wereld["po"], date(2026, 11, 5))
        assert _mijlpalen(items) == [
            ("afsprakenlijst", date(2026, 10, 31), "Afsprakenlijst uiterlijk vastgesteld",
             Stand.TE_LAAT),
            ("startbezoek", date(2026, 10, 31), "Startbezoek van Leerlingzaken uiterlijk",
             Stand.TE_LAAT),
            ("klankbord", date(2026, 11, 20), "Overleg Klankbordgroep PO", None),
            ("evaluatie", date(2027, 6, 30), "Jaarlijkse evaluatie uiterlijk", Stand.KOMT),
        ]
        programma = {i.titel for i in items if i.soort == "programma"}
        assert programma == START


def test_mijlpalen_vo_school(app, wereld):
    """VO: the planned visit and evaluation, the VO meeting and the VO→MBO programme (not the
    MBO-only steps); before the deadline nothing is late yet."""
    with app.app_context():
        items = _plan(wereld["vo"], date(2026, 9, 1))
        assert _mijlpalen(items) == [
            ("bezoek", date(2026, 9, 15), "Bezoek van Leerlingzaken: JES (Jeugd en School overleg)",
             Stand.KOMT),
            ("afsprakenlijst", date(2026, 10, 31), "Afsprakenlijst uiterlijk vastgesteld",
             Stand.KOMT),
            ("startbezoek", date(2026, 10, 31), "Startbezoek van Leerlingzaken uiterlijk",
             Stand.KOMT),
            ("klankbord", date(2027, 1, 15), "Overleg Klankbordgroep VO", None),
            ("evaluatie", date(2027, 5, 12), "Jaarlijkse evaluatie", Stand.KOMT),
        ]
        programma = {i.titel: i for i in items if i.soort == "programma"}
        assert GESPREK in programma and NO_SHOW not in programma
        gesprek = programma[GESPREK]
        assert (gesprek.datum, gesprek.tot) == (date(2027, 3, 1), date(2027, 3, 15))
        afronding = programma["Afronding van de overstap"]
        assert (afronding.datum, afronding.tot) == (date(2026, 10, 1), date(2026, 10, 31))
        assert START <= set(programma)


def test_mbo_school_has_no_start_visit_but_the_no_show(app, wereld):
    """MBO has no presence norm (no start visit) and gets the MBO steps of the programme."""
    with app.app_context():
        items = _plan(wereld["mbo"], date(2026, 9, 1))
        soorten = {i.soort for i in items}
        assert "startbezoek" not in soorten
        titels = {i.titel for i in items}
        assert NO_SHOW in titels and GESPREK not in titels
        assert "Overleg Klankbordgroep VO" in titels


def test_regels_van_de_datum():
    """Month-days fall in the schooljaar's first or second calendar year; the evaluation is
    due on 30 June."""
    jaar = Schooljaar(naam="2026-2027", begin=date(2026, 8, 1), eind=date(2027, 7, 31))
    assert dag_in_schooljaar(jaar, 9, 30) == date(2026, 9, 30)
    assert dag_in_schooljaar(jaar, 3, 1) == date(2027, 3, 1)
    assert dag_in_schooljaar(jaar, 2, 29) == date(2027, 2, 28)
    assert evaluatie_uiterlijk(jaar) == date(2027, 6, 30)


def test_programmabestanden_van_content_zijn_geldig():
    """The shipped programme files load; the transition programme concerns VO, VSO and MBO."""
    items = laad_programmas(standaard_programmamap())
    overstap = [i for i in items if i.bestand == "overstap-vo-mbo"]
    assert len(overstap) >= 8
    assert {s for i in overstap for s in i.sectoren} == {"VO", "VSO", "MBO"}
    assert len({i.sleutel for i in items if i.bestand == "overstap-vo-mbo"}) == len(overstap)


GOED_ITEM = 'titel = "Goed"\nvan = "09-01"\nsectoren = ["VO"]\n'


@pytest.mark.parametrize(("inhoud", "melding"), [
    ("naam = [", "geen geldige TOML"),
    ('[[item]]\n' + GOED_ITEM, "naam van het programma ontbreekt"),
    ('naam = "P"\n', "geen [[item]]"),
    ('naam = "P"\n[[item]]\n' + GOED_ITEM + '[[item]]\nvan = "09-01"\nsectoren = ["VO"]\n',
     "item 2: titel ontbreekt"),
    ('naam = "P"\n[[item]]\ntitel = "Mis"\nvan = "3-1"\nsectoren = ["VO"]\n',
     "item 1 (Mis): van moet een maand-dag zijn"),
    ('naam = "P"\n[[item]]\ntitel = "Mis"\nvan = "02-30"\nsectoren = ["VO"]\n',
     "item 1 (Mis): van 02-30 bestaat niet"),
    ('naam = "P"\n[[item]]\ntitel = "Mis"\nvan = "09-01"\nsectoren = ["XO"]\n',
     "item 1 (Mis): sectoren moet een lijst zijn"),
    ('naam = "P"\n[[item]]\ntitel = "Mis"\nvan = "03-01"\ntot = "09-01"\nsectoren = ["VO"]\n',
     "item 1 (Mis): tot ligt in het schooljaar"),
    ('naam = "P"\n[[item]]\n' + GOED_ITEM + 'datum = "09-01"\n',
     "item 1 (Goed): onbekende velden: datum"),
    ('naam = "P"\n[[item]]\n' + GOED_ITEM + '[[item]]\n' + GOED_ITEM,
     "twee items met dezelfde titel"),
])
def test_kapot_programmabestand_wordt_gemeld(tmp_path, inhoud, melding):
    """A broken programme file is refused with a Dutch message naming the file and the item."""
    pad = tmp_path / "kapot.toml"
    pad.write_text(inhoud, encoding="utf-8")
    with pytest.raises(ProgrammaFout) as fout:
        laad_programma(pad)
    assert str(pad) in str(fout.value)
    assert melding in str(fout.value)


def test_kapot_programmabestand_in_de_app(tmp_path, client, app):
    """The app reads PROGRAMMAS_MAP; a broken file there is reported by name, not ignored."""
    map_ = tmp_path / "programmas"
    map_.mkdir()
    (map_ / "fout.toml").write_text('naam = "P"\n[[item]]\ntitel = "X"\n', encoding="utf-8")
    app.config["PROGRAMMAS_MAP"] = map_
    from leerplicht.cyclus.jaarplanning import programmas

    with app.app_context(), pytest.raises(ProgrammaFout, match="fout.toml, item 1 \\(X\\)"):
        programmas()


def _rijen(soup) -> list[dict]:
    """The list rows: kind, title text, for whom, stand."""
    rijen = []
    for rij in soup.select("#jaarplanning tbody tr"):
        cel = {td["data-label"]: td.get_text(" ", strip=True) for td in rij.select("td")}
        rijen.append({"soort": rij["data-soort"], **cel})
    return rijen


def test_schoolpagina(app, wereld, client, monkeypatch):
    """The school page lists its milestones by month with a stand and a link to act."""
    monkeypatch.setattr(planning, "vandaag", lambda: date(2026, 11, 5))
    client.login("po@school.example.nl")
    soup = client.soup(f"/scholen/{wereld['po']}/jaarplanning")
    koppen = [h.get_text(strip=True) for h in soup.select("#jaarplanning h2")]
    assert koppen[:3] == ["Augustus 2026", "September 2026", "Oktober 2026"]
    rijen = _rijen(soup)
    lijst = next(r for r in rijen if r["soort"] == "afsprakenlijst")
    assert lijst["Datum"] == "31-10-2026" and lijst["Stand"] == "Te laat"
    link = soup.select_one("tr[data-soort=afsprakenlijst] a")
    assert link["href"] == f"/scholen/{wereld['po']}/afsprakenlijst"
    assert not any(r["soort"] == "bezoek" for r in rijen)
    assert "Lyceum Duinzicht" not in soup.text and GESPREK not in soup.text


def test_persoonlijke_planning_alleen_eigen_scholen(app, wereld, client):
    """An LLZ user sees by default the schools they are contact or vervanger for."""
    client.login("lia@llz.example.nl")
    soup = client.soup("/jaarplanning")
    tekst = soup.select_one("#jaarplanning").get_text(" ", strip=True)
    assert "Basisschool De Linde" in tekst and "Lyceum Duinzicht" in tekst
    assert "Vakcollege Haven" not in tekst
    assert NO_SHOW not in tekst  # no MBO school of hers
    lijst = [r for r in _rijen(soup) if r["soort"] == "afsprakenlijst"]
    assert len(lijst) == 1  # the same deadline of two schools: one line naming both


def test_totaaloverzicht_telt_scholen(app, wereld, client):
    """?persoon=alle: one line per milestone and date with the number of schools, no names."""
    client.login("xander@llz.example.nl")
    soup = client.soup("/jaarplanning?persoon=alle")
    rijen = _rijen(soup)
    lijst = [r for r in rijen if r["soort"] == "afsprakenlijst"]
    assert len(lijst) == 1
    assert lijst[0]["Wat"].startswith("Afsprakenlijst uiterlijk vastgesteld (3 scholen)")
    assert lijst[0]["Voor wie"] == "3 scholen"
    start = [r for r in rijen if r["soort"] == "startbezoek"]
    assert start[0]["Wat"].startswith("Startbezoek van Leerlingzaken uiterlijk (2 scholen)")
    assert "Basisschool De Linde" not in soup.select_one("#jaarplanning").text
    assert {GESPREK, NO_SHOW} <= {r["Wat"].split(" De overstap")[0] for r in rijen}


def test_beheerder_ziet_standaard_alles_en_htmx_krijgt_de_lijst(app, wereld, client):
    """A beheerder's default is all schools; htmx gets only the list."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/jaarplanning")
    assert soup.select_one("#filter-persoon option[selected]")["value"] == "alle"
    deel = client.get("/jaarplanning?persoon=mijn", headers={"HX-Request": "true"})
    assert deel.status_code == 200 and "<html" not in deel.text
    assert 'id="jaarplanning"' in deel.text
    assert "U bent van geen school de contactpersoon of vervanger" in deel.text


def test_toegang(app, wereld, client, make_client):
    """School users: no overview (403), another school is a 404, an unknown year a 404."""
    client.login("po@school.example.nl")
    assert client.get("/jaarplanning").status_code == 403
    assert client.get(f"/scholen/{wereld['vo']}/jaarplanning").status_code == 404
    assert client.get(f"/scholen/{wereld['po']}/jaarplanning?schooljaar=1999-2000").status_code \
        == 404
    assert make_client().get("/jaarplanning").status_code == 302


def test_overzicht_vaste_aantal_queries(app, wereld, make_client, query_counter):
    """The overall view costs the same number of queries for 3 or 13 schools."""
    client = make_client()
    client.login("beheer@llz.example.nl")
    client.get("/jaarplanning")
    with query_counter() as weinig:
        client.get("/jaarplanning")
    with app.app_context():
        for _ in range(10):
            f.school(sector="VO")
        db.session.commit()
    with query_counter() as veel:
        antwoord = client.get("/jaarplanning")
    assert "(13 scholen)" in antwoord.text
    assert veel.count == weinig.count
