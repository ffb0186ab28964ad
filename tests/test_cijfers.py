"""The termijnen figures: per school and sector from the stored columns, the overview, the
dossier section, the charts, cockpit columns and the overdue groups of the start pages.

The fixture sets the stored columns by hand (the figures are plain SQL over them), and every
expected figure below is worked out by hand from this table. VANDAAG is Monday 16-11-2026.

Meldingen (ontvangen, oordeel; per step: uiterlijk, klaar, werkdagen):
P1 m1 01-09 compleet: reactie 08-09, 04-09, 3 op tijd
P1 m2 10-09 compleet: reactie 17-09, 21-09, 7 te laat
P1 m3 01-10 onvolledig: terugmelden 08-10, 05-10, 2 op tijd; aanvullen 12-10, open: verlopen
P1 m4 12-11 open: reactie 19-11, open: loopt
P1 m5 02-11 open: reactie 09-11, open: verlopen
P2 m6 07-09 compleet: reactie 14-09, 09-09, 2 op tijd
P2 m7 05-10 compleet: reactie 12-10, 12-10, 5 op tijd
P2 m8 06-10 onvolledig: terugmelden 13-10, 15-10, 7 te laat; aanvullen 22-10, 20-10, 3 op tijd;
   reactie 27-10, 22-10, 2 op tijd
Vragen: P1 v1 by school (LLZ answers) 08-10, 06-10, 3 op tijd; P1 v2 by LLZ (school answers)
09-11, open: verlopen; V1 v3 by school 20-11, open: loopt.
Ontwikkelingen: P1 o1 10-11, open: verlopen; P2 o2 06-10, 09-10, 6: te laat.
"""

from datetime import date

import pytest

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.home import cockpit
from leerplicht.home.cockpit import Peil
from leerplicht.scholen.models import Contactrol, Kant, School
from leerplicht.schooljaren import huidig_schooljaar
from leerplicht.termijnen import cijferviews
from leerplicht.termijnen.cijfers import Telling, aandeel, per_school, per_sector, percentiel
from leerplicht.termijnen.models import Ontwikkeling, Verzuimmelding, Vraag
from leerplicht.termijnen.openstaand import open_stappen
from leerplicht.termijnen.regels import Stapnaam

import factories as f

VANDAAG = date(2026, 11, 16)
R, T, A = Stapnaam.REACTIE, Stapnaam.TERUGMELDEN, Stapnaam.AANVULLEN
LLZ_ANTW, SCHOOL_ANTW, INF = Stapnaam.ANTWOORD_LLZ, Stapnaam.ANTWOORD_SCHOOL, Stapnaam.INFORMEREN


@pytest.fixture(autouse=True)
def vandaag(monkeypatch):
    """Figures and start pages judge as on VANDAAG."""
    monkeypatch.setattr(cijferviews, "vandaag", lambda: VANDAAG)
    monkeypatch.setattr(cockpit, "peil_nu", lambda: Peil(huidig_schooljaar(), VANDAAG))


def d(tekst: str) -> date:
    """'01-09' in 2026."""
    dag, maand = tekst.split("-")
    return date(2026, int(maand), int(dag))


def melding(school, jaar, ref, ontvangen, oordeel="compleet", t=None, a=None, r=None):
    """A melding with its stored steps: each (uiterlijk, klaar, werkdagen) or None."""
    m = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id, referentie=ref,
                       ontvangen_op=d(ontvangen), oordeel=oordeel,
                       elementen=511 if oordeel == "compleet" else 0)
    for stap, klaar_veld, waarden in (("terugmelden", "teruggemeld_op", t),
                                      ("aanvullen", "aangevuld_op", a),
                                      ("reactie", "gereageerd_op", r)):
        if waarden:
            uiterlijk, klaar, werkdagen = waarden
            setattr(m, f"{stap}_uiterlijk", d(uiterlijk))
            setattr(m, klaar_veld, d(klaar) if klaar else None)
            setattr(m, f"{stap}_werkdagen", werkdagen)
    db.session.add(m)
    return m


def vraag(school, jaar, door, gesteld, uiterlijk, klaar=None, werkdagen=None, onderwerp="Vraag"):
    """A question with its stored deadline."""
    v = Vraag(school_id=school.id, schooljaar_id=jaar.id, gesteld_door=door, onderwerp=onderwerp,
              gesteld_op=d(gesteld), uiterlijk=d(uiterlijk),
              beantwoord_op=d(klaar) if klaar else None, werkdagen=werkdagen)
    db.session.add(v)
    return v


def ontwikkeling(school, jaar, bekend, uiterlijk, klaar=None, werkdagen=None,
                 onderwerp="Verhuizing"):
    """A development with its stored deadline."""
    o = Ontwikkeling(school_id=school.id, schooljaar_id=jaar.id, onderwerp=onderwerp,
                     bekend_op=d(bekend), uiterlijk=d(uiterlijk),
                     gemeld_op=d(klaar) if klaar else None, werkdagen=werkdagen)
    db.session.add(o)
    return o


def _bouw():
    """The table of the module docstring, plus users (LLZ on P1, school users of P1 and P2)."""
    jaar = f.huidig_schooljaar()
    p1 = f.school(naam="Pluto Basisschool", code="11PA00", sector="PO")
    p2 = f.school(naam="Pegasus Basisschool", code="22PB00", sector="PO")
    v1 = f.school(naam="Vega College", code="33VC00", sector="VO")
    lars = f.persoon("Lars Leerplicht")
    f.toewijzing(p1, lars, Contactrol.LLZ_CONTACT)
    melding(p1, jaar, "M-1", "01-09", r=("08-09", "04-09", 3))
    melding(p1, jaar, "M-2", "10-09", r=("17-09", "21-09", 7))
    melding(p1, jaar, "M-3", "01-10", "onvolledig", t=("08-10", "05-10", 2),
            a=("12-10", None, None))
    melding(p1, jaar, "M-4", "12-11", "open", r=("19-11", None, None))
    m5 = melding(p1, jaar, "M-5", "02-11", "open", r=("09-11", None, None))
    melding(p2, jaar, "M-6", "07-09", r=("14-09", "09-09", 2))
    melding(p2, jaar, "M-7", "05-10", r=("12-10", "12-10", 5))
    melding(p2, jaar, "M-8", "06-10", "onvolledig", t=("13-10", "15-10", 7),
            a=("22-10", "20-10", 3), r=("27-10", "22-10", 2))
    vraag(p1, jaar, "school", "01-10", "08-10", "06-10", 3)
    v2 = vraag(p1, jaar, "llz", "02-11", "09-11", onderwerp="Rooster van leerling")
    vraag(v1, jaar, "school", "13-11", "20-11")
    o1 = ontwikkeling(p1, jaar, "05-11", "10-11", onderwerp="Gezin verhuist")
    ontwikkeling(p2, jaar, "01-10", "06-10", "09-10", 6)
    f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
    f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
    f.gebruiker(Rol.SCHOOL, "p1@school.example.nl", scholen=[p1])
    f.gebruiker(Rol.SCHOOL, "p2@school.example.nl", scholen=[p2])
    db.session.commit()
    return {"jaar": jaar.id, "p1": p1.id, "p2": p2.id, "v1": v1.id, "m5": m5.id, "v2": v2.id,
            "o1": o1.id}


@pytest.fixture
def wereld(app):
    """The hand-computed table."""
    with app.app_context():
        return _bouw()


def _cijfers(app, wereld):
    """Per school and per sector, as the overview computes them."""
    jaar = db.session.get(huidig_schooljaar().__class__, wereld["jaar"])
    per = per_school(jaar, VANDAAG)
    scholen = db.session.scalars(db.select(School).order_by(School.naam)).all()
    return per, per_sector(scholen, per)


def test_percentiel_nearest_rank_on_even_and_odd_counts():
    """Rank ceil(p/100 * n): the median of four values is the 2nd, of five the 3rd."""
    from collections import Counter

    assert percentiel(Counter({2: 1, 4: 1, 6: 1, 8: 1}), 50) == 4
    assert percentiel(Counter({2: 1, 4: 1, 6: 1, 8: 1}), 90) == 8
    assert percentiel(Counter({2: 2, 3: 1, 5: 1, 7: 1}), 50) == 3
    assert percentiel(Counter({1: 9, 20: 1}), 90) == 1  # rank 9 of 10
    assert percentiel(Counter(), 50) is None
    assert aandeel(Telling().binnen) == "—"
    assert aandeel(2 / 3) == "67%"


def test_figures_per_school(app, wereld):
    """School P1 and P2 as worked out in the module docstring."""
    with app.app_context():
        per, _ = _cijfers(app, wereld)
        p1, p2, v1 = per[wereld["p1"]], per[wereld["p2"]], per[wereld["v1"]]
        assert (p1.meldingen, p1.beoordeeld, p1.onvolledig, p1.niet_verzonden) == (5, 3, 1, 1)
        assert aandeel(p1.aandeel_onvolledig) == "33%"
        reactie = p1.stappen[R]
        assert (reactie.op_tijd, reactie.te_laat, reactie.loopt, reactie.verlopen) == (1, 1, 1, 1)
        assert aandeel(reactie.binnen) == "33%"  # 1 / (1 + 1 + 1)
        assert (reactie.mediaan, reactie.p90) == (3, 7)  # [3, 7]: ranks 1 and 2
        assert (p1.stappen[T].op_tijd, p1.stappen[T].mediaan) == (1, 2)
        assert (p1.stappen[A].verlopen, aandeel(p1.stappen[A].binnen)) == (1, "0%")
        assert (p1.stappen[LLZ_ANTW].op_tijd, p1.stappen[SCHOOL_ANTW].verlopen) == (1, 1)
        assert p1.stappen[INF].verlopen == 1
        assert (p1.verlopen(), p1.verlopen(Kant.LLZ), p1.verlopen(Kant.SCHOOL)) == (4, 2, 2)
        assert (p1.vragen, p1.ontwikkelingen) == (2, 1)
        # August .. July: sep 2, okt 1, nov 2.
        assert p1.per_maand == [0, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0]
        assert (p2.meldingen, p2.onvolledig, p2.niet_verzonden) == (3, 1, 0)
        assert (p2.stappen[R].op_tijd, aandeel(p2.stappen[R].binnen)) == (3, "100%")
        assert (p2.stappen[R].mediaan, p2.stappen[R].p90) == (2, 5)  # [2, 2, 5]: ranks 2, 3
        assert (p2.stappen[T].te_laat, aandeel(p2.stappen[T].binnen)) == (1, "0%")
        assert p2.per_maand == [0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        assert p2.verlopen() == 0
        # V1: no meldingen; its one question still runs, so nothing to judge.
        assert v1.meldingen == 0 and v1.stappen[LLZ_ANTW].loopt == 1
        assert aandeel(v1.stappen[LLZ_ANTW].binnen) == "—"
        assert aandeel(v1.aandeel_onvolledig) == "—"


def test_figures_folded_per_sector(app, wereld):
    """PO = P1 + P2, histograms merged: reactie [2, 2, 3, 5, 7], terugmelden [2, 7]."""
    with app.app_context():
        _, sectoren = _cijfers(app, wereld)
        po, vo = sectoren["PO"], sectoren["VO"]
        assert (po.scholen, po.meldingen, po.beoordeeld, po.onvolledig) == (2, 8, 6, 2)
        reactie = po.stappen[R]
        assert (reactie.op_tijd, reactie.te_laat, reactie.loopt, reactie.verlopen) == (4, 1, 1, 1)
        assert aandeel(reactie.binnen) == "67%"  # 4 / 6
        assert (reactie.mediaan, reactie.p90) == (3, 7)  # odd: rank 3 and rank 5 of 5
        assert (po.stappen[T].mediaan, po.stappen[T].p90) == (2, 7)  # even: rank 1 and 2 of 2
        assert aandeel(po.stappen[T].binnen) == "50%"
        assert (aandeel(po.stappen[A].binnen), po.stappen[A].mediaan) == ("50%", 3)
        assert po.stappen[SCHOOL_ANTW].mediaan is None
        assert (aandeel(po.stappen[INF].binnen), po.stappen[INF].mediaan) == ("0%", 6)
        assert po.per_maand == [0, 3, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0]
        assert (vo.scholen, vo.meldingen, vo.vragen) == (1, 0, 1)
        assert aandeel(vo.stappen[LLZ_ANTW].binnen) == "—"


def _rijen(jaar, scholen, per_school_aantal):
    """Schools with `per_school_aantal` meldingen and a question and development each."""
    for n in range(scholen):
        school = f.school(sector="PO" if n % 2 else "VO")
        for i in range(per_school_aantal):
            melding(school, jaar, f"R-{n}-{i}", "01-10", "onvolledig", t=("08-10", "05-10", 2),
                    a=("15-10", "14-10", 4), r=("21-10", "20-10", i % 5))
        vraag(school, jaar, "school", "01-10", "08-10", "06-10", 3)
        ontwikkeling(school, jaar, "01-10", "06-10")
    db.session.commit()


@pytest.mark.parametrize("klein, groot", [((2, 5), (20, 5)), ((2, 5), (2, 50))])
def test_query_count_is_fixed(app, query_counter, klein, groot):
    """2 or 20 schools, 10 or 100 rows: the same number of queries for the figures."""
    tellingen = []
    for scholen, rijen in (klein, groot):
        with app.app_context():
            db.session.query(Verzuimmelding).delete()
            db.session.query(Vraag).delete()
            db.session.query(Ontwikkeling).delete()
            db.session.query(School).delete()
            jaar = f.huidig_schooljaar()
            _rijen(jaar, scholen, rijen)
            alle = db.session.scalars(db.select(School)).all()
            ids = [s.id for s in alle]
            with query_counter() as teller:
                per = per_school(jaar, VANDAAG, school_ids=ids)
                per_sector(alle, per)
                open_stappen(ids, VANDAAG)
            tellingen.append(teller.count)
            assert sum(c.meldingen for c in per.values()) == scholen * rijen
    assert tellingen[0] == tellingen[1]


def test_overview_for_llz_and_beheerder(app, wereld, make_client):
    """The sector table with medians, the schools with shares, the chart with its table."""
    for email in ("lars@llz.example.nl", "beheer@llz.example.nl"):
        client = make_client()
        client.login(email)
        soup = client.soup("/termijnen")
        reactie = soup.select_one('.cijfers-sectoren tr[data-stap="reactie"] td[data-sector="PO"]')
        reactie = reactie.get_text(" ", strip=True)
        assert "67%" in reactie and "mediaan 3, p90 7" in reactie
        rij = soup.select_one('.cijfers-scholen tr[data-school="11PA00"]')
        assert rij.select_one('[data-stap="reactie"]').get_text(strip=True) == "Reageren:33%"
        assert rij.select_one('[data-label="Niet verzonden"]').get_text(strip=True) == "1"
        assert rij.select_one('[data-label="Vandaag over de termijn"]').get_text(strip=True) == "4"
        vega = soup.select_one('.cijfers-scholen tr[data-school="33VC00"]')
        assert vega.select_one('[data-stap="antwoord_llz"] strong').get_text(strip=True) == "—"
        link = rij.find("a")["href"]
        assert link.startswith("/scholen/11PA00/meldingen")
    # Filtered on a sector: only its schools; htmx gets the fragment.
    soup = client.soup("/termijnen?sector=VO")
    assert [tr["data-school"] for tr in soup.select(".cijfers-scholen tbody tr")] == ["33VC00"]
    response = client.get("/termijnen?sector=VO", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == "/termijnen?sector=VO"
    soup = client.soup("/termijnen?sector=XX", status=422)
    assert "Deze sector bestaat niet" in soup.get_text()


def test_overview_pages_the_schools_but_not_the_totals(app, wereld, client, monkeypatch):
    """Two schools per page: page 1 and 2 split the school table (alphabetical), while the key
    figures and the sector table still count every school; a page past the end shows the last."""
    monkeypatch.setattr("leerplicht.termijnen.cijferviews.PER_PAGINA", 2)
    client.login("beheer@llz.example.nl")
    pagina = {}
    for nummer in (1, 2, 9):
        soup = client.soup(f"/termijnen?pagina={nummer}")
        pagina[nummer] = [tr["data-school"] for tr in soup.select(".cijfers-scholen tbody tr")]
        kern = soup.select_one(".kerncijfers dd").get_text(strip=True)
        assert kern == "8"  # every melding of the hand-computed world, on every page
        po = soup.select_one('.cijfers-sectoren tr[data-cijfer="meldingen"] td[data-sector="PO"]')
        assert po.get_text(strip=True) == "8"  # both PO schools, also on page 2
    assert pagina[1] == ["22PB00", "11PA00"]  # Pegasus, Pluto
    assert pagina[2] == pagina[9] == ["33VC00"]
    volgende = client.soup("/termijnen?sector=PO").select_one(".cijfers-scholen ~ nav a[rel=next]")
    assert volgende is None  # two PO schools fit on one page
    soup = client.soup("/termijnen")
    assert "pagina=2" in soup.select_one("a[rel=next]")["href"]


def test_chart_is_accessible_with_the_same_numbers(app, wereld, client):
    """role=img, a title and a sentence, and a table with the numbers of the bars."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/termijnen")
    svg = soup.select_one(".grafiek--maanden svg")
    assert svg["role"] == "img"
    ids = svg["aria-labelledby"].split()
    assert soup.find(id=ids[0]).name == "title"
    assert "8 in totaal" in soup.find(id=ids[1]).get_text()
    tabel = soup.select_one('table[data-grafiek="overzicht-maanden"]')
    assert [td.get_text() for td in tabel.select("td")] == [
        "0", "3", "3", "2", "0", "0", "0", "0", "0", "0", "0", "0"]
    waarden = [t.get_text() for t in svg.select("text.grafiek__waarde")]
    assert waarden == ["3", "3", "2"]
    binnen = soup.select_one('table[data-grafiek="overzicht-binnen"]')
    assert "67%" in binnen.get_text()
    assert "fill=" not in str(svg) and "style=" not in str(svg)


def test_school_dossier_shows_its_own_figures_only(app, wereld, client, make_client):
    """P2's user sees P2's figures and overdue lists; nothing of P1 (and P1 is 404)."""
    client.login("p2@school.example.nl")
    soup = client.soup("/scholen/22PB00")
    sectie = soup.select_one("#sectie-termijnen")
    reactie = sectie.select_one('tr[data-stap="reactie"]')
    assert [td.get_text() for td in reactie.select("td")] == [
        "3", "0", "0", "0", "100%", "2", "5"]
    assert "M-5" not in str(soup) and "Gezin verhuist" not in str(soup)
    client.soup("/scholen/11PA00", status=404)
    client = make_client()
    client.login("lars@llz.example.nl")
    sectie = client.soup("/scholen/11PA00").select_one("#sectie-termijnen")
    school = sectie.select_one('[data-kant="school"]').get_text(" ", strip=True)
    llz = sectie.select_one('[data-kant="llz"]').get_text(" ", strip=True)
    assert "Rooster van leerling" in school and "M-3 aanvullen" in school
    assert "M-5" in llz and "5 werkdagen te laat" in llz and "Gezin verhuist" in llz


def test_export_leaves_out_the_figures(app, wereld):
    """The section is internal: the exported dossier does not load or show it."""
    from leerplicht.scholen.dossier import SECTIES

    assert SECTIES["termijnen"].intern


def test_llz_start_page_lists_overdue_register_steps(app, wereld, client):
    """Lars (P1): the reactie of M-5 (5 werkdagen over) and the development (4) first."""
    client.login("lars@llz.example.nl")
    soup = client.soup("/")
    groep = soup.select_one("#groep-termijnen")
    items = [li.get_text(" ", strip=True) for li in groep.select("li")]
    assert len(items) == 2
    assert "M-5" in items[0] and "5 werkdagen te laat" in items[0]
    assert "Gezin verhuist" in items[1] and "4 werkdagen te laat" in items[1]
    hrefs = [a["href"] for a in groep.select("li a")]
    assert hrefs[0].endswith(f"#melding-{wereld['m5']}")
    assert hrefs[1].endswith(f"#ontwikkeling-{wereld['o1']}")


def test_school_start_page_shows_both_sides(app, wereld, client):
    """P1's user: the question asked of it; LLZ owes M-4, M-5 and the development."""
    client.login("p1@school.example.nl")
    soup = client.soup("/")
    gevraagd = soup.select_one("#kop-gevraagd").find_parent("section").get_text(" ", strip=True)
    assert "Rooster van leerling" in gevraagd and "5 werkdagen te laat" in gevraagd
    assert "M-3" not in gevraagd  # not completed in time: counts as not sent
    kaart = soup.select_one('[data-kaart="termijnen"]').get_text(" ", strip=True)
    assert "M-4" in kaart and "M-5" in kaart and "Gezin verhuist" in kaart


def test_cockpit_columns(app, wereld, client):
    """The beheerder's cockpit: both columns, and a card for meldingen over the termijn."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/")
    p1 = soup.select_one('tr[data-school="11PA00"]')
    cel = p1.select_one('[data-kolom="termijnen_meldingen"]').get_text(" ", strip=True)
    assert "5 meldingen" in cel and "50% binnen" in cel and "1 over de termijn" in cel
    vragen = p1.select_one('[data-kolom="termijnen_vragen"]').get_text(" ", strip=True)
    assert "Leerlingzaken: 1 over de termijn" in vragen and "School: 1 over de termijn" in vragen
    kaart = soup.select_one('[data-kaart="termijnen_meldingen"]')
    assert kaart.find("dd").find("a").get_text(strip=True).startswith("1")
    soup = client.soup("/?toon=termijnen_meldingen")
    assert [tr["data-school"] for tr in soup.select("tr[data-school]")] == ["11PA00"]
