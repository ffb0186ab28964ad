"""The Klankbordgroep PO and VO: the sector overview (hard and soft data, worked out by hand),
the small-number and no-leak rules for school users, and the beheerder's meetings, decisions,
measures and results (with bad input, duplicates, stale versions and access)."""

import json
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Status
from leerplicht.cyclus import klankbord
from leerplicht.cyclus.harde import HardeGegevens
from leerplicht.cyclus.klankbordregels import (
    DUBBELE_PERIODE,
    MINIMUM_SCHOLEN,
    peildatum_voor,
)
from leerplicht.cyclus.models import (
    Besluit,
    Bezoek,
    Evaluatie,
    Evaluatiescore,
    Klankbordoverleg,
    Klankbordsector,
    Maatregel,
    Maatregelresultaat,
)
from leerplicht.escalatie.models import Escalatie
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant
from leerplicht.schooljaren import Schooljaar
from leerplicht.termijnen.models import Verzuimmelding

import factories as f

PEIL = date(2026, 11, 16)
HTMX = {"HX-Request": "true"}
URL = "/klankbordgroep"


@pytest.fixture(autouse=True)
def vaste_dag(monkeypatch):
    """The overview is judged on Monday 16-11-2026 (the afsprakenlijst deadline was 31-10)."""
    monkeypatch.setattr(klankbord, "vandaag", lambda: PEIL)


def _bevroren(**waarden) -> str:
    """The JSON of frozen hard data: a quiet school, with `waarden` over it."""
    basis = dict(
        peildatum="2026-11-10", normversie="2026", meldingen=0, aandeel_onvolledig=None,
        niet_verzonden=0, llz_binnen=None, llz_mediaan=None, aanvullen_binnen=None, vragen=0,
        vragen_binnen=None, ontwikkelingen_binnen=None, bezoeken_gehouden=0, bezoeken_norm=1,
        bezoeken_verwacht=1, jes_gehouden=0, aanwezigheid_achter=False,
        aanwezigheid_tekst="", escalaties_geopend=0, escalaties_opgelost=0,
        afsprakenlijst_status="vastgesteld", afsprakenlijst_termijn="Op tijd vastgesteld",
        afsprakenlijst_op_tijd=True)
    return json.dumps(HardeGegevens(**{**basis, **waarden}).als_dict())


def _evaluatie(school, jaar, status="gepland", bevroren=None, **scores):
    """An evaluation with scores given as kant_thema=score (e.g. school_bereikbaarheid=4)."""
    evaluatie = Evaluatie(school_id=school.id, schooljaar_id=jaar.id,
                          gepland_op=date(2026, 11, 2), status=status,
                          harde_gegevens=bevroren)
    for sleutel, score in scores.items():
        kant, thema = sleutel.split("_", 1)
        evaluatie.scores.append(Evaluatiescore(kant=kant, thema=thema, score=score))
    db.session.add(evaluatie)
    return evaluatie


def _melding(school, jaar, ref, ontvangen, oordeel, **stappen):
    """A melding with stored step columns (the figures read only those)."""
    db.session.add(Verzuimmelding(
        school_id=school.id, schooljaar_id=jaar.id, referentie=ref, ontvangen_op=ontvangen,
        oordeel=oordeel, elementen=511 if oordeel == "compleet" else 0, **stappen))


def _escalatie(school, jaar, onderwerp, opgelost=None):
    """An escalation opened on 1 October."""
    db.session.add(Escalatie(
        school_id=school.id, schooljaar_id=jaar.id, spoor="inhoud", onderwerp=onderwerp,
        geopend_op=date(2026, 10, 1), niveau=1, stap_sinds=date(2026, 10, 1), stap_termijn=5,
        stap_llz_rol="llz_contact", stap_school_rol="school_contact", opgelost_op=opgelost))


@pytest.fixture
def wereld(app):
    """PO: Pluto (live figures) and Saturnus (SO, evaluation vastgelegd); VO: Vega.

    Pluto: meldingen M-1 (reactie on time), M-2 (reactie late), M-3 onvolledig (terugmelden
    on time); one visit held; afsprakenlijst vastgesteld on time; two escalations, one
    resolved. Scores: school bereikbaarheid 4 and bejegening 2, LLZ bereikbaarheid 5.
    Saturnus: frozen figures (77 meldingen, behind on presence, list late); scores: school
    bereikbaarheid 2, LLZ bereikbaarheid 3 and samenwerking 4.
    """
    with app.app_context():
        f.schooljaar("2025-2026", huidig=False)
        jaar = f.schooljaar("2026-2027")
        pluto = f.school(naam="Pluto", code="11PA00", sector="PO")
        saturnus = f.school(naam="Saturnus", code="12SA00", sector="SO")
        vega = f.school(naam="Vega", code="33VC00", sector="VO")
        _melding(pluto, jaar, "M-1", date(2026, 9, 1), "compleet",
                 reactie_uiterlijk=date(2026, 9, 8), gereageerd_op=date(2026, 9, 4),
                 reactie_werkdagen=3)
        _melding(pluto, jaar, "M-2", date(2026, 9, 10), "compleet",
                 reactie_uiterlijk=date(2026, 9, 17), gereageerd_op=date(2026, 9, 21),
                 reactie_werkdagen=7)
        _melding(pluto, jaar, "M-3", date(2026, 10, 1), "onvolledig",
                 terugmelden_uiterlijk=date(2026, 10, 8), teruggemeld_op=date(2026, 10, 5),
                 terugmelden_werkdagen=2, aanvullen_uiterlijk=date(2026, 10, 12))
        db.session.add(Bezoek(school_id=pluto.id, schooljaar_id=jaar.id,
                              datum=date(2026, 9, 15), soort="kennismaking", status="gehouden"))
        lijst = f.afsprakenlijst(pluto, jaar)
        lijst.status = Status.VASTGESTELD
        lijst.vastgesteld_op = datetime(2026, 10, 20, 10, tzinfo=UTC)
        _escalatie(pluto, jaar, "Afstemming rooster", opgelost=date(2026, 10, 20))
        _escalatie(pluto, jaar, "Bereikbaarheid")
        _evaluatie(pluto, jaar, school_bereikbaarheid=4, school_bejegening=2,
                   llz_bereikbaarheid=5)
        _evaluatie(saturnus, jaar, status="vastgelegd",
                   bevroren=_bevroren(meldingen=77, llz_binnen=0.25, aanwezigheid_achter=True,
                                      afsprakenlijst_status="ontbreekt",
                                      afsprakenlijst_termijn="Te laat",
                                      afsprakenlijst_op_tijd=False),
                   school_bereikbaarheid=2, llz_bereikbaarheid=3, llz_samenwerking=4)
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.LLZ, "llz@llz.example.nl")
        f.gebruiker(Rol.SCHOOL, "vega@school.example.nl", scholen=[vega])
        db.session.commit()
        return {"pluto": pluto.code, "saturnus": saturnus.code, "vega": vega.code}


def _rij(soup, code) -> dict[str, str]:
    """The cells of one school's row, by data-veld."""
    rij = soup.select_one(f"table.klankbord-scholen tr[data-school='{code}']")
    assert rij is not None, code
    return {td["data-veld"]: td.get_text(" ", strip=True) for td in rij.select("[data-veld]")}


def _kerncijfer(soup, naam) -> str:
    return soup.select_one(f"#sectortotalen [data-cijfer='{naam}'] dd").get_text(" ", strip=True)


def _thema(soup, thema, kant) -> str:
    return soup.select_one(f"tr[data-thema='{thema}'] td[data-kant='{kant}']").get_text(
        " ", strip=True)


# --- the overview ---------------------------------------------------------------------------------

def test_overview_hard_and_soft_data_by_hand(wereld, client):
    """LLZ sees every PO school: Pluto live, Saturnus frozen; the sector totals by hand."""
    client.login("llz@llz.example.nl")
    soup = client.soup(URL)
    codes = [tr["data-school"] for tr in soup.select("table.klankbord-scholen tbody tr")]
    assert codes == [wereld["pluto"], wereld["saturnus"]]  # Vega is VO
    pluto = _rij(soup, wereld["pluto"])
    assert pluto["meldingen"] == "3"
    assert pluto["llz_binnen"] == "67%"  # 2 of 3 LLZ steps within the norm
    assert pluto["onvolledig"] == "33%"
    assert pluto["bezoeken"] == "1 van 1"
    assert pluto["escalaties"] == "2 (1 opgelost)"
    assert pluto["afsprakenlijst"] == "Op tijd"
    assert (pluto["score_school"], pluto["score_llz"]) == ("3,0", "5,0")
    assert pluto["evaluatie"] == "Gepland"
    saturnus = _rij(soup, wereld["saturnus"])
    assert saturnus["meldingen"] == "77"  # frozen, not the live 0
    assert saturnus["llz_binnen"] == "25%"
    assert "Achter op de norm" in saturnus["bezoeken"]
    assert saturnus["afsprakenlijst"] == "Niet op tijd"
    assert (saturnus["score_school"], saturnus["score_llz"]) == ("2,0", "3,5")
    assert saturnus["evaluatie"] == "Vastgelegd"
    assert "vastgelegd op 2026-11-10" in soup.select_one(
        f"tr[data-school='{wereld['saturnus']}'] th").get_text(" ", strip=True)
    assert _kerncijfer(soup, "met_evaluatie") == "2 van 2"
    assert _kerncijfer(soup, "achter").startswith("50%")  # Saturnus of 2 with a norm
    assert _kerncijfer(soup, "op_tijd").startswith("50%")  # Pluto of 2 judged
    assert _thema(soup, "bereikbaarheid", "school") == "3,0 (2 scholen)"
    assert _thema(soup, "bereikbaarheid", "llz") == "4,0 (2 scholen)"
    assert _thema(soup, "bejegening", "school") == "2,0 (1 school)"
    assert _thema(soup, "samenwerking", "llz") == "4,0 (1 school)"
    assert _thema(soup, "aanwezigheid", "school") == "—"
    link = soup.select_one(f"tr[data-school='{wereld['pluto']}'] th a")
    assert link["href"] == f"/scholen/{wereld['pluto']}"


def test_vo_sector_and_school_default(wereld, client, make_client):
    """?sector=VO shows Vega only; a VO school user lands on VO without asking."""
    client.login("llz@llz.example.nl")
    soup = client.soup(f"{URL}?sector=VO")
    assert [tr["data-school"] for tr in soup.select("table.klankbord-scholen tbody tr")] == [
        wereld["vega"]]
    assert soup.select_one(".tabs a[aria-current=page]").get_text(strip=True) == "Klankbordgroep VO"
    school = make_client()
    school.login("vega@school.example.nl")
    assert school.soup(URL).h1.get_text(strip=True).startswith("Klankbordgroep VO")


@pytest.mark.parametrize("waarde", ["XX", "po", "PO'--", "\x00"])
def test_unknown_sector_or_schooljaar_is_404(wereld, client, waarde):
    """A sector or schooljaar that does not exist is a 404, never a 500."""
    client.login("llz@llz.example.nl")
    assert client.get(URL, query_string={"sector": waarde}).status_code in (400, 404)
    assert client.get(URL, query_string={"schooljaar": "1999-2000"}).status_code == 404


def test_earlier_schooljaar_and_peildatum(app, wereld, client):
    """An earlier year is judged on its last day; the page shows that year, nothing of now."""
    with app.app_context():
        jaren = {j.naam: j for j in db.session.scalars(select(Schooljaar))}
        assert peildatum_voor(jaren["2025-2026"], PEIL) == date(2026, 7, 31)
        assert peildatum_voor(jaren["2026-2027"], PEIL) == PEIL
    client.login("llz@llz.example.nl")
    soup = client.soup(f"{URL}?schooljaar=2025-2026")
    assert "31-07-2026" in soup.select_one("#sectortotalen").get_text()
    assert _rij(soup, wereld["pluto"])["meldingen"] == "0"


def test_sector_of_a_school():
    """PO and SO speak in the PO group; VO, VSO and MBO in the VO group."""
    assert [Klankbordsector.van(s).value for s in ("PO", "SO", "VO", "VSO", "MBO")] == [
        "PO", "PO", "VO", "VO", "VO"]


def test_school_table_is_paged(wereld, client, monkeypatch):
    """The school table is paged (here by 1); the links keep sector and schooljaar."""
    monkeypatch.setattr(klankbord, "PER_PAGINA", 1)
    client.login("llz@llz.example.nl")
    soup = client.soup(f"{URL}?pagina=2")
    assert [tr["data-school"] for tr in soup.select("table.klankbord-scholen tbody tr")] == [
        wereld["saturnus"]]
    vorige = soup.select_one("a[rel=prev]")["href"]
    assert "pagina=1" in vorige and "sector=PO" in vorige and "schooljaar=2026-2027" in vorige


def test_query_count_does_not_grow_with_schools(app, wereld, client, query_counter):
    """Two PO schools or twelve: the overview takes the same number of queries."""
    client.login("llz@llz.example.nl")
    client.get(URL)
    with query_counter() as klein:
        client.get(URL)
    with app.app_context():
        jaar = f.huidig_schooljaar()
        for n in range(10):
            school = f.school(naam=f"Extra {n}", sector="PO")
            _evaluatie(school, jaar, school_bereikbaarheid=3)
        db.session.commit()
    with query_counter() as groot:
        client.get(URL)
    assert groot.count == klein.count


# --- school users: the small-number and no-leak rules --------------------------------------------

def _zes_scholen(app, aantal):
    """`aantal` PO schools with distinctive names, codes, people and frozen figures; a school
    user of the first. Returns the traces of every other school."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        scholen, sporen = [], []
        for i in range(aantal):
            school = f.school(naam=f"Kleurschool {'ABCDEFGH'[i]}-{i}x", code=f"{60 + i}KL00",
                              sector="PO")
            persoon = f.persoon(f"Contact Persoon{i}q", kant=Kant.SCHOOL,
                                email=f"contact{i}@kleur{i}.example.nl", telefoon=f"06-9876543{i}")
            f.toewijzing(school, persoon, Contactrol.SCHOOL_CONTACT)
            _evaluatie(school, jaar, status="vastgelegd",
                       bevroren=_bevroren(meldingen=9100 + i, escalaties_geopend=9200 + i),
                       school_bereikbaarheid=1 + i % 5, llz_bereikbaarheid=5 - i % 5)
            scholen.append(school)
            if i:
                sporen += [school.naam, school.code, persoon.naam, persoon.email,
                           persoon.telefoon, str(9100 + i), str(9200 + i)]
        f.gebruiker(Rol.SCHOOL, "eigen@school.example.nl", scholen=[scholen[0]])
        f.gebruiker(Rol.LLZ, "llz@llz.example.nl")
        db.session.commit()
        return scholen[0].code, sporen


def test_school_user_sees_own_row_and_totals_over_enough_schools(app, client):
    """Six schools: the totals show; only the own row; nothing of the other five anywhere."""
    eigen, sporen = _zes_scholen(app, 6)
    client.login("eigen@school.example.nl")
    for headers in ({}, HTMX):
        response = client.get(URL, headers=headers)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert [spoor for spoor in sporen if spoor in html] == []
    soup = client.soup(URL)
    assert [tr["data-school"] for tr in soup.select("table.klankbord-scholen tbody tr")] == [eigen]
    assert _rij(soup, eigen)["meldingen"] == "9100"
    assert _kerncijfer(soup, "met_evaluatie") == "6 van 6"
    # School scores 1,2,3,4,5,1 -> 16/6; LLZ scores 5,4,3,2,1,5 -> 20/6.
    assert _thema(soup, "bereikbaarheid", "school") == "2,7 (6 scholen)"
    assert _thema(soup, "bereikbaarheid", "llz") == "3,3 (6 scholen)"
    assert "minder dan" not in soup.select_one("#sectortotalen dl").get_text()


def test_school_user_sees_no_totals_over_four_schools(app, client, make_client):
    """Four schools: every total shows 'minder dan 5 scholen' to a school user; LLZ sees them."""
    eigen, sporen = _zes_scholen(app, 4)
    assert MINIMUM_SCHOLEN == 5
    client.login("eigen@school.example.nl")
    html = client.get(URL).get_data(as_text=True)
    assert [spoor for spoor in sporen if spoor in html] == []
    soup = BeautifulSoup(html, "html.parser")
    for naam in ("met_evaluatie", "achter", "op_tijd"):
        assert _kerncijfer(soup, naam) == "minder dan 5 scholen"
    assert _thema(soup, "bereikbaarheid", "school") == "minder dan 5 scholen"
    assert _thema(soup, "bereikbaarheid", "llz") == "minder dan 5 scholen"
    llz = make_client()
    llz.login("llz@llz.example.nl")
    soup = llz.soup(URL)
    assert _kerncijfer(soup, "met_evaluatie") == "4 van 4"
    assert len(soup.select("table.klankbord-scholen tbody tr")) == 4


def test_school_user_in_other_sector_sees_no_rows(app, client):
    """A PO school's user looking at VO sees no school rows at all."""
    _zes_scholen(app, 6)
    client.login("eigen@school.example.nl")
    soup = client.soup(f"{URL}?sector=VO")
    assert soup.select("table.klankbord-scholen") == []
    assert "Uw school hoort niet bij deze Klankbordgroep." in soup.get_text()


# --- beheer: meetings and decisions ---------------------------------------------------------------

def _aantal(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _overleg(app, sector="PO", datum=date(2026, 10, 5), notities="Eerste overleg.") -> int:
    with app.app_context():
        jaar = f.huidig_schooljaar()
        overleg = Klankbordoverleg(sector=sector, schooljaar_id=jaar.id, datum=datum,
                                   notities=notities)
        db.session.add(overleg)
        db.session.commit()
        return overleg.id


def _record(app, model, record_id):
    with app.app_context():
        record = db.session.get(model, record_id)
        db.session.expunge_all()
        return record


def test_beheerder_adds_a_meeting_with_line_breaks(app, wereld, client):
    """A meeting is stored in the schooljaar shown; its notes show as plain text with breaks."""
    client.login("beheer@llz.example.nl")
    response = client.post(f"{URL}/overleggen/nieuw?sector=PO&schooljaar=2026-2027", {
        "sector": "PO", "datum": "2026-11-02",
        "notities": "Terugkoppeling termijnen meldingen.\n<script>x</script>"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#overleg-1")
    with app.app_context():
        overleg = db.session.scalars(select(Klankbordoverleg)).one()
        assert (overleg.sector, overleg.datum) == ("PO", date(2026, 11, 2))
    html = client.get(URL).get_data(as_text=True)
    assert "Terugkoppeling termijnen meldingen.<br>&lt;script&gt;x&lt;/script&gt;" in html


def test_meeting_via_htmx_answers_the_meetings_section(app, wereld, client):
    """With htmx the answer is the meetings section only, with the new meeting in it."""
    client.login("beheer@llz.example.nl")
    response = client.post(f"{URL}/overleggen/nieuw", {
        "sector": "PO", "datum": "2026-11-02", "notities": "Aanwezigheid in het PO."},
        headers=HTMX)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("section#overleggen")
    assert soup.select_one("section#sectortotalen") is None
    assert "Aanwezigheid in het PO." in soup.select_one("section#overleggen").get_text()


@pytest.mark.parametrize(("velden", "bericht"), [
    ({"datum": "2026-07-31"}, "Kies een datum in schooljaar 2026-2027"),
    ({"datum": "2027-08-01"}, "Kies een datum in schooljaar 2026-2027"),
    ({"datum": "morgen"}, "Vul een geldige datum in."),
    ({"sector": ""}, "Kies de Klankbordgroep."),
    ({"sector": "MBO"}, "Klankbordgroep"),
    ({"notities": "x" * 5001}, "korter dan 5000 tekens"),
    ({"notities": "Leerling 111222333 besproken"}, "burgerservicenummer"),
])
def test_bad_meeting_is_refused(app, wereld, client, velden, bericht):
    """Bad input: 422 with a Dutch message beside the field, nothing stored."""
    client.login("beheer@llz.example.nl")
    for headers in ({}, HTMX):
        data = {"sector": "PO", "datum": "2026-11-02", "notities": "Goed overleg.", **velden}
        response = client.post(f"{URL}/overleggen/nieuw", data, headers=headers)
        assert response.status_code == 422
        assert bericht in response.get_data(as_text=True)
    assert _aantal(app, Klankbordoverleg) == 0


def test_meeting_edit_and_stale_version(app, wereld, client):
    """An edit with the current version goes through; with an old one it is a 409."""
    overleg_id = _overleg(app)
    client.login("beheer@llz.example.nl")
    response = client.post(f"{URL}/overleggen/{overleg_id}", {
        "versie": "1", "sector": "VO", "datum": "2027-01-12", "notities": "Nu VO."})
    assert response.status_code == 302
    overleg = _record(app, Klankbordoverleg, overleg_id)
    assert (overleg.sector, overleg.datum, overleg.notities) == ("VO", date(2027, 1, 12),
                                                                  "Nu VO.")
    response = client.post(f"{URL}/overleggen/{overleg_id}", {
        "versie": "1", "sector": "PO", "datum": "2027-01-13", "notities": "Oud."})
    assert response.status_code == 409
    assert "Iemand anders heeft dit tegelijk met u gewijzigd" in response.text
    # The refused form is on the page (the meeting's own sector), with the user's text kept.
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one(f"#overleg-{overleg_id}-notities").get_text().strip() == "Oud."
    assert _record(app, Klankbordoverleg, overleg_id).notities == "Nu VO."
    assert client.post(f"{URL}/overleggen/999999", {"versie": "1"}).status_code == 404


def test_decisions_added_listed_and_deleted(app, wereld, client):
    """A decision is added, shown with the link to a new norms version, and deleted."""
    overleg_id = _overleg(app)
    client.login("beheer@llz.example.nl")
    response = client.post(f"{URL}/overleggen/{overleg_id}/besluiten",
                           {"tekst": "De antwoordtermijn wordt 4 werkdagen."})
    assert response.status_code == 302
    with app.app_context():
        besluit = db.session.scalars(select(Besluit)).one()
        besluit_id = besluit.id
    soup = client.soup(URL)
    item = soup.select_one(f"#besluit-{besluit_id}")
    assert "De antwoordtermijn wordt 4 werkdagen." in item.get_text()
    if "cyclus.normen_nieuw" in app.view_functions:
        link = item.select_one("a")
        assert link.get_text() == "Nieuwe normversie opstellen op basis van dit besluit"
        assert f"besluit={besluit_id}" in link["href"]
    for tekst, bericht in (("", "Vul het besluit in."), ("x" * 601, "korter dan 600 tekens")):
        response = client.post(f"{URL}/overleggen/{overleg_id}/besluiten", {"tekst": tekst})
        assert response.status_code == 422 and bericht in response.text
    assert _aantal(app, Besluit) == 1
    stale = client.post(f"{URL}/besluiten/{besluit_id}/verwijderen", {"versie": "7"})
    assert stale.status_code == 409 and _aantal(app, Besluit) == 1
    weg = client.post(f"{URL}/besluiten/{besluit_id}/verwijderen", {"versie": "1"},
                      headers=HTMX)
    assert weg.status_code == 200 and "Het besluit is verwijderd." in weg.text
    assert _aantal(app, Besluit) == 0


# --- beheer: measures and results -----------------------------------------------------------------

def _maatregel(client, sector="PO", titel="Spreekuur op school"):
    return client.post(f"{URL}/maatregelen/nieuw",
                       {"sector": sector, "titel": titel, "plan": "Maandelijks spreekuur."})


def test_measures_are_numbered_per_sector(app, wereld, client):
    """Numbers count per Klankbordgroep; moving a measure gives it the next number there."""
    client.login("beheer@llz.example.nl")
    for sector in ("PO", "PO", "VO"):
        assert _maatregel(client, sector).status_code == 302
    with app.app_context():
        rijen = db.session.execute(select(Maatregel.id, Maatregel.sector, Maatregel.nummer)
                                   .order_by(Maatregel.id)).all()
    assert [(s, n) for _, s, n in rijen] == [("PO", 1), ("PO", 2), ("VO", 1)]
    response = client.post(f"{URL}/maatregelen/{rijen[0].id}", {
        "versie": "1", "sector": "VO", "titel": "Warme overdracht", "plan": "Kennismaking."})
    assert response.status_code == 302
    verplaatst = _record(app, Maatregel, rijen[0].id)
    assert (verplaatst.sector, verplaatst.nummer, verplaatst.titel) == ("VO", 2,
                                                                         "Warme overdracht")
    soup = client.soup(f"{URL}?sector=VO")
    koppen = [h.get_text(" ", strip=True) for h in soup.select(".klankbord-maatregel h3")]
    assert koppen[0].startswith("1. Spreekuur op school")
    assert koppen[1].startswith("2. Warme overdracht")


@pytest.mark.parametrize(("velden", "bericht"), [
    ({"titel": ""}, "Vul de naam van de maatregel in."),
    ({"titel": "x" * 161}, "korter dan 160 tekens"),
    ({"sector": "SO"}, "Klankbordgroep"),
    ({"plan": "BSN 111222333"}, "burgerservicenummer"),
])
def test_bad_measure_is_refused(app, wereld, client, velden, bericht):
    """Bad input: 422, a Dutch message, nothing stored."""
    client.login("beheer@llz.example.nl")
    data = {"sector": "PO", "titel": "Spreekuur", "plan": "", **velden}
    response = client.post(f"{URL}/maatregelen/nieuw", data)
    assert response.status_code == 422 and bericht in response.text
    assert _aantal(app, Maatregel) == 0


def test_results_per_period_unique_and_afgerond(app, wereld, client):
    """Results per period (a duplicate is refused, also on edit), then afgerond, once."""
    client.login("beheer@llz.example.nl")
    _maatregel(client)
    with app.app_context():
        maatregel_id = db.session.scalar(select(Maatregel.id))
    nieuw = f"{URL}/maatregelen/{maatregel_id}/resultaten"
    assert client.post(nieuw, {"periode": "2025-2026",
                               "resultaat": "Gestart op vier scholen."}).status_code == 302
    assert client.post(nieuw, {"periode": "augustus 2026 – januari 2027",
                               "resultaat": "Op tien scholen."}).status_code == 302
    dubbel = client.post(nieuw, {"periode": " AUGUSTUS 2026  – januari 2027",
                                 "resultaat": "Nog eens."})
    assert dubbel.status_code == 422 and DUBBELE_PERIODE in dubbel.text
    assert _aantal(app, Maatregelresultaat) == 2
    with app.app_context():
        eerste = db.session.scalars(select(Maatregelresultaat).order_by(
            Maatregelresultaat.id)).first().id
    naar_dubbel = client.post(f"{URL}/resultaten/{eerste}", {
        "versie": "1", "periode": "Augustus 2026 – januari 2027", "resultaat": "x"},
        headers=HTMX)
    assert naar_dubbel.status_code == 422 and DUBBELE_PERIODE in naar_dubbel.text
    assert client.post(f"{URL}/resultaten/{eerste}", {
        "versie": "1", "periode": "2025-2026", "resultaat": "Gestart op vijf scholen."}
    ).status_code == 302
    assert _record(app, Maatregelresultaat, eerste).resultaat == "Gestart op vijf scholen."
    leeg = client.post(nieuw, {"periode": "", "resultaat": ""})
    assert leeg.status_code == 422 and "Vul de periode in." in leeg.text
    soup = client.soup(URL)
    perioden = [th.get_text(strip=True) for th in soup.select(".klankbord-resultaten tbody th")]
    assert perioden == ["2025-2026", "augustus 2026 – januari 2027"]
    afronden = f"{URL}/maatregelen/{maatregel_id}/afgerond"
    assert client.post(afronden, {"versie": "1", "afgerond": "ja"}).status_code == 302
    assert _record(app, Maatregel, maatregel_id).afgerond is True
    nogmaals = client.post(afronden, {"versie": "2", "afgerond": "ja"})
    assert nogmaals.status_code == 422 and "al afgerond" in nogmaals.text
    onzin = client.post(afronden, {"versie": "2", "afgerond": "misschien"})
    assert onzin.status_code == 422
    badge = client.soup(URL).select_one(".klankbord-maatregel h3 .utrecht-status-badge")
    assert badge.get_text(strip=True) == "Afgerond"


# --- access ---------------------------------------------------------------------------------------

SCHRIJVEN = [
    ("/overleggen/nieuw", {"sector": "PO", "datum": "2026-11-02", "notities": "x"}),
    ("/maatregelen/nieuw", {"sector": "PO", "titel": "x", "plan": ""}),
]


@pytest.mark.parametrize("email", ["llz@llz.example.nl", "vega@school.example.nl"])
def test_llz_and_school_users_read_only(app, wereld, make_client, email):
    """LLZ and school users see meetings and measures without forms; their writes are 403."""
    overleg_id = _overleg(app, notities="Leesbaar voor iedereen.")
    beheer = make_client()
    beheer.login("beheer@llz.example.nl")
    _maatregel(beheer)
    client = make_client()
    client.login(email)
    soup = client.soup(f"{URL}?sector=PO")
    assert "Leesbaar voor iedereen." in soup.select_one("#overleggen").get_text()
    assert "Spreekuur op school" in soup.select_one("#maatregelen").get_text()
    assert soup.select("main form[method=post]") == []
    for pad, data in SCHRIJVEN + [(f"/overleggen/{overleg_id}/besluiten", {"tekst": "x"})]:
        assert client.post(URL + pad, data).status_code == 403
    assert _aantal(app, Besluit) == 0 and _aantal(app, Klankbordoverleg) == 1


def test_anonymous_is_sent_to_login(wereld, client):
    """Not logged in: the login page."""
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


@pytest.mark.browser
def test_htmx_forms_in_a_browser(app, wereld, browserpagina):
    """In Chromium: a refused meeting shows its message in place, a good one appears in the
    meetings section without a page load; the page passes axe in both states."""
    b = browserpagina
    page = b.page
    b.login("beheer@llz.example.nl")
    b.open(URL)
    b.assert_toegankelijk()
    page.evaluate("window.geenHerlaad = true")  # gone after a full page load
    sectie = page.locator("#overleggen")
    sectie.locator("summary", has_text="Overleg toevoegen").click()
    sectie.locator("#overleg-nieuw-sector").select_option("PO")
    sectie.locator("#overleg-nieuw-datum").fill("2027-09-01")
    sectie.locator("#overleg-nieuw-notities").fill("Aanwezigheid in het PO.")
    sectie.locator("button", has_text="Overleg vastleggen").click()
    page.locator("#overleggen .error-summary").wait_for()
    assert "Kies een datum in schooljaar 2026-2027" in page.locator("#overleggen").inner_text()
    b.assert_toegankelijk()
    page.locator("#overleg-nieuw-datum").fill("2026-11-02")
    page.locator("#overleggen button", has_text="Overleg vastleggen").click()
    page.locator("#overleggen article.klankbord-overleg").wait_for()
    assert "Aanwezigheid in het PO." in page.locator("#overleggen").inner_text()
    assert page.evaluate("window.geenHerlaad") is True
    assert _aantal(app, Klankbordoverleg) == 1
    b.assert_toegankelijk()
