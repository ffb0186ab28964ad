"""Start pages per role: the beheerder's cockpit, the LLZ contact person's work, the school's."""

from collections import Counter
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.regels import geef_akkoord
from leerplicht.escalatie.regels import open_escalatie, routes_voor
from leerplicht.extensions import db
from leerplicht.home import cockpit, taken
from leerplicht.home.cockpit import FOUT_LLZ, FOUT_SECTOR, FOUT_TOON, Peil
from leerplicht.scholen.contactregels import Wijziging, voer_uit
from leerplicht.scholen.models import Contactrol, Kant, School
from leerplicht.schooljaren import huidig_schooljaar

import factories as f

VANDAAG = date(2026, 11, 30)  # a Monday; the afsprakenlijst deadline (31-10) has passed


@pytest.fixture(autouse=True)
def vandaag(monkeypatch):
    """The start pages judge as on VANDAAG, whatever the clock says."""
    monkeypatch.setattr(cockpit, "peil_nu", lambda: Peil(huidig_schooljaar(), VANDAAG))


def _escalatie(school, jaar, onderwerp, sinds, termijn):
    """Open an escalation whose current step began `sinds` with a termijn of `termijn` days."""
    route = routes_voor([school], jaar)[school.id]
    escalatie = open_escalatie(school, jaar, route, "inhoud", onderwerp, sinds, "Lars", "llz")
    escalatie.stap_sinds, escalatie.stap_termijn = sinds, termijn
    return escalatie


def _bouw(aantal_extra=0):
    """Four schools in different states (see wereld), plus extra schools like Alfa."""
    jaar = f.schooljaar("2026-2027")
    f.persoon("Tessa Teamleider", teamleider=True)
    lars = f.persoon("Lars Leerplicht")
    anna = f.persoon("Anna Andere")
    beheerder = f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
    scholen = {}
    for sleutel, naam, code, sector, llz in (
        ("alfa", "Alfa Basisschool", "11AA00", "PO", lars),
        ("beta", "Beta College", "22BB00", "VO", lars),
        ("gamma", "Gamma College", "33CC00", "VO", anna),
        ("delta", "Delta Basisschool", "44DD00", "PO", anna),
    ):
        school = f.school(naam=naam, code=code, sector=sector)
        scholen[sleutel] = school
        f.toewijzing(school, llz, Contactrol.LLZ_CONTACT)
        f.toewijzing(school, f.persoon(f"Zorg {naam}", kant=Kant.SCHOOL),
                     Contactrol.SCHOOL_CONTACT)
        if sleutel != "beta":  # Beta's rode knop is incomplete
            f.toewijzing(school, f.persoon(f"Directeur {naam}", kant=Kant.SCHOOL),
                         Contactrol.DIRECTEUR)
    f.toewijzing(scholen["delta"], lars, Contactrol.LLZ_VERVANGER)
    f.toewijzing(scholen["gamma"], f.persoon("Vera Vervanger Gamma", kant=Kant.SCHOOL),
                 Contactrol.SCHOOL_VERVANGER)
    # Alfa: LLZ agreed, the school's akkoord is asked; one escalation past its termijn.
    alfa = f.afsprakenlijst(scholen["alfa"], jaar)
    geef_akkoord(alfa, "llz", beheerder.id, None, nu=datetime(2026, 10, 1, tzinfo=UTC))
    _escalatie(scholen["alfa"], jaar, "Reactie blijft uit", date(2026, 11, 2), 5)
    # Beta: no list at all (late), a planned change and a change without warm handover.
    nieuw = f.persoon("Nico Nieuw", kant=Kant.SCHOOL)
    voer_uit(Wijziging(scholen["beta"].id, Contactrol.SCHOOL_CONTACT, nieuw.id,
                       date(2026, 10, 1), date(2026, 8, 15)))
    voer_uit(Wijziging(scholen["beta"].id, Contactrol.DIRECTEUR,
                       f.persoon("Dora Later", kant=Kant.SCHOOL).id,
                       date(2030, 1, 1), date(2026, 11, 1)))
    _escalatie(scholen["beta"], jaar, "Belmomenten gemist", VANDAAG, 3)  # due this week
    # Gamma: vastgesteld on time, nothing to do.
    gamma = f.afsprakenlijst(scholen["gamma"], jaar)
    for kant in ("llz", "school"):
        geef_akkoord(gamma, kant, beheerder.id, None, nu=datetime(2026, 10, 1, tzinfo=UTC))
    # Delta: the school agreed, LLZ's akkoord (Lars is the vervanger) is asked.
    delta = f.afsprakenlijst(scholen["delta"], jaar)
    geef_akkoord(delta, "school", beheerder.id, None, nu=datetime(2026, 10, 1, tzinfo=UTC))
    for n in range(aantal_extra):
        extra(jaar, lars, n)
    f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
    f.gebruiker(Rol.LLZ, "los@llz.example.nl", naam="Losse Medewerker")
    f.gebruiker(Rol.SCHOOL, "zorg@alfa.example.nl", scholen=[scholen["alfa"]], naam="Zora")
    f.gebruiker(Rol.SCHOOL, "zorg@gamma.example.nl", scholen=[scholen["gamma"]])
    db.session.commit()
    return {k: s.code for k, s in scholen.items()} | {"lars_id": lars.id, "anna_id": anna.id}


def extra(jaar, lars, n):
    """One more school of Lars with contacts, a list waiting for him, escalations, changes."""
    school = f.school(naam=f"Extra school {n:03d}", sector="PO")
    f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
    f.toewijzing(school, f.persoon(kant=Kant.SCHOOL), Contactrol.SCHOOL_CONTACT)
    f.toewijzing(school, f.persoon(kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
    lijst = f.afsprakenlijst(school, jaar)
    geef_akkoord(lijst, "school", 1, None, nu=datetime(2026, 10, 1, tzinfo=UTC))
    _escalatie(school, jaar, "Reactie blijft uit", date(2026, 11, 2), 5)
    _escalatie(school, jaar, "Belmomenten gemist", VANDAAG, 3)
    voer_uit(Wijziging(school.id, Contactrol.SCHOOL_CONTACT, f.persoon(kant=Kant.SCHOOL).id,
                       date(2026, 10, 1), date(2026, 8, 15)))
    return school


@pytest.fixture
def wereld(app):
    """Alfa (akkoord of the school asked, overdue escalation), Beta (no list, no director,
    contact changes), Gamma (all in order, Anna's), Delta (LLZ's akkoord asked, Lars vervanger)."""
    with app.app_context():
        return _bouw()


def _rijen(soup) -> dict:
    """The cockpit table's rows by school name."""
    return {r.select_one("th a").get_text(strip=True): r
            for r in soup.select("table.cockpit tbody tr")}


def _cel(rij, kolom: str):
    """One cell of a cockpit row."""
    return rij.select_one(f"td[data-kolom={kolom}]")


def _kaarten(soup) -> dict:
    """The summary cards: column name -> (count, link)."""
    return {d["data-kaart"]: (int(d.dd.a.contents[0]), d.dd.a["href"])
            for d in soup.select(".cockpit-kaarten [data-kaart]")}


# --- beheerder: the cockpit -----------------------------------------------------------------


def test_cockpit_shows_where_every_school_stands(wereld, client):
    """One row per school: LLZ contact, list status and termijn, rode knop, escalations, changes."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/")
    rijen = _rijen(soup)
    assert list(rijen) == ["Alfa Basisschool", "Beta College", "Delta Basisschool",
                           "Gamma College"]
    koppen = [th.get_text(strip=True) for th in soup.select("table.cockpit thead th")]
    assert koppen == ["School", "Contactpersoon Leerlingzaken", "Afsprakenlijst", "Rode knop",
                      "Escalaties", "Contactwissels", "Aanwezigheid", "Evaluatie",
                      "Termijnen meldingen", "Vragen en ontwikkelingen"]
    # Every body cell is labelled for the stacked phone layout.
    for rij in rijen.values():
        assert [c["data-label"] for c in rij.select("th, td")] == koppen

    alfa, beta, gamma, delta = (rijen[n] for n in (
        "Alfa Basisschool", "Beta College", "Gamma College", "Delta Basisschool"))
    assert _cel(alfa, "llz").get_text(strip=True) == "Lars Leerplicht"
    assert "vervanger: Lars Leerplicht" in _cel(delta, "llz").get_text()

    def lijst(rij):
        cel = _cel(rij, "afsprakenlijst")
        return cel.a.get_text(strip=True), cel.select_one(".utrecht-status-badge")["class"][-1]

    assert lijst(alfa) == ("Wacht op akkoord school", "utrecht-status-badge--invalid")
    assert lijst(beta) == ("Ontbreekt", "utrecht-status-badge--invalid")
    assert lijst(gamma) == ("Vastgesteld", "utrecht-status-badge--valid")
    assert lijst(delta) == ("Wacht op akkoord Leerlingzaken", "utrecht-status-badge--invalid")
    assert "uiterlijk 31-10-2026" in _cel(beta, "afsprakenlijst").get_text()
    assert "uiterlijk" not in _cel(gamma, "afsprakenlijst").get_text()

    assert _cel(gamma, "rode_knop").get_text(strip=True) == "Compleet"
    assert "(locatie)directeur van de school ontbreekt" in _cel(beta, "rode_knop").get_text()

    assert _cel(alfa, "escalaties").get_text(" ", strip=True) == "1 open 1 over de termijn"
    assert _cel(beta, "escalaties").get_text(" ", strip=True) == "1 open"
    assert _cel(gamma, "escalaties").get_text(strip=True) == "geen open"

    assert _cel(beta, "contactwissels").get_text(" ", strip=True) == (
        "1 gepland 1 zonder warme overdracht")
    assert _cel(gamma, "contactwissels").get_text(strip=True) == "geen"


def test_every_cell_and_card_links_to_the_list_behind_it(wereld, client):
    """Cells lead to the dossier, the afsprakenlijst, the escalation log and contact history."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/")
    beta = _rijen(soup)["Beta College"]
    code = wereld["beta"]
    assert beta.select_one("th a")["href"] == f"/scholen/{code}"
    assert _cel(beta, "afsprakenlijst").a["href"] == f"/scholen/{code}/afsprakenlijst"
    assert _cel(beta, "escalaties").a["href"] == f"/scholen/{code}/escalaties"
    assert _cel(beta, "rode_knop").a["href"] == f"/scholen/{code}#kop-contacten"
    assert {a["href"] for a in _cel(beta, "contactwissels").select("a")} == {
        f"/scholen/{code}/contactpersonen"}
    assert _cel(beta, "llz").a["href"] == f"/scholen/{code}/contactpersonen"

    kaarten = _kaarten(soup)
    assert kaarten == {
        "llz": (0, "/?toon=llz"),
        "afsprakenlijst": (3, "/?toon=afsprakenlijst"),
        "rode_knop": (1, "/?toon=rode_knop"),
        "escalaties": (1, "/?toon=escalaties"),
        "contactwissels": (1, "/?toon=contactwissels"),
        # No visit recorded: past the start-visit date every school is behind on presence.
        "aanwezigheid": (4, "/?toon=aanwezigheid"),
        # Before 1 March an evaluation not yet planned needs no attention.
        "evaluatie": (0, "/?toon=evaluatie"),
        "termijnen_meldingen": (0, "/?toon=termijnen_meldingen"),
    }
    lijsten = {a["href"] for a in soup.select(".cockpit-kaarten .kerncijfers__toelichting a")}
    assert lijsten == {"/afsprakenlijsten/termijnen", "/beheer", "/escalaties", "/termijnen"}
    for href in lijsten:  # the lists behind the cards open for the beheerder
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(("toon", "scholen"), [
    ("afsprakenlijst", {"Alfa Basisschool", "Beta College", "Delta Basisschool"}),
    ("rode_knop", {"Beta College"}),
    ("escalaties", {"Alfa Basisschool"}),
    ("contactwissels", {"Beta College"}),
    ("llz", set()),
])
def test_a_card_filters_the_table_to_its_schools(wereld, client, toon, scholen):
    """Following a card shows only the schools that need attention on that point."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/", query_string={"toon": toon})
    assert set(_rijen(soup)) == scholen
    assert soup.select_one("#cockpit a[aria-current]")["href"] == f"/?toon={toon}"
    assert soup.select_one("form input[name=toon]")["value"] == toon


def test_filter_by_sector_and_llz_person(wereld, client):
    """The GET form narrows the table by sector and by LLZ contact person (or substitute)."""
    client.login("beheer@llz.example.nl")
    assert set(_rijen(client.soup("/?sector=VO"))) == {"Beta College", "Gamma College"}
    soup = client.soup(f"/?llz={wereld['lars_id']}")
    assert set(_rijen(soup)) == {"Alfa Basisschool", "Beta College", "Delta Basisschool"}
    assert soup.select_one("#filter-llz option[selected]").get_text() == "Lars Leerplicht"
    soup = client.soup(f"/?llz={wereld['lars_id']}&sector=VO")
    assert set(_rijen(soup)) == {"Beta College"}
    # The cards count the filtered schools and keep the filters in their links.
    assert _kaarten(soup)["afsprakenlijst"] == (
        1, f"/?sector=VO&llz={wereld['lars_id']}&toon=afsprakenlijst")


@pytest.mark.parametrize(("query", "melding"), [
    ({"sector": "XX"}, FOUT_SECTOR),
    ({"sector": "<script>"}, FOUT_SECTOR),
    ({"llz": "999999"}, FOUT_LLZ),
    ({"llz": "9" * 30}, FOUT_LLZ),
    ({"llz": "abc"}, FOUT_LLZ),
    ({"llz": "²"}, FOUT_LLZ),
    ({"toon": "onzin"}, FOUT_TOON),
], ids=["sector", "sector-markup", "llz-onbekend", "llz-groot", "llz-tekst", "llz-superscript",
        "toon"])
def test_bad_filter_values_get_a_message_not_an_error(wereld, client, query, melding):
    """A filter value that makes no sense: 422, a Dutch message, the table without it."""
    client.login("beheer@llz.example.nl")
    response = client.get("/", query_string=query)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#cockpit [role=alert]").get_text(strip=True) == melding
    assert len(_rijen(soup)) == 4


def test_llz_person_of_another_side_is_not_a_filter(wereld, app, client):
    """A school-side person's id is not an LLZ contact person: refused like an unknown one."""
    with app.app_context():
        school = db.session.scalars(select(School).where(School.code == wereld["alfa"])).one()
        school_kant = school.contact(Contactrol.SCHOOL_CONTACT).id
    client.login("beheer@llz.example.nl")
    assert client.get("/", query_string={"llz": school_kant}).status_code == 422


def test_htmx_filter_swaps_only_the_table_and_pushes_a_clean_url(wereld, client):
    """The htmx request gets the cockpit partial and the URL the GET form would show."""
    client.login("beheer@llz.example.nl")
    response = client.get("/", query_string={"sector": "VO", "llz": ""},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == "/?sector=VO"
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("form") is None and soup.select_one("h1") is None
    assert set(_rijen(soup)) == {"Beta College", "Gamma College"}


def test_filter_form_works_without_javascript(wereld, client):
    """A real GET form whose htmx enhancement targets the table only."""
    client.login("beheer@llz.example.nl")
    form = client.soup("/").select_one("main form[role=search]")
    assert form["method"] == "get" and form["action"] == "/"
    assert form["data-hx-get"] == "/" and form["data-hx-target"] == "#cockpit"
    assert form["data-hx-push-url"] == "true"
    assert {el["name"] for el in form.select("select")} == {"sector", "llz"}
    assert form.select_one("button[type=submit]")


def test_cockpit_queries_do_not_grow_with_the_schools(app, client, query_counter):
    """The same number of queries for 4 + 3 schools as for 4 + 30: every column loads in bulk."""
    with app.app_context():
        _bouw(aantal_extra=3)
    client.login("beheer@llz.example.nl")
    client.get("/")
    with query_counter() as weinig:
        assert client.get("/").status_code == 200
    with app.app_context():
        jaar = huidig_schooljaar()
        lars = db.session.get(School, 1).contact(Contactrol.LLZ_CONTACT)
        for n in range(3, 30):
            extra(jaar, lars, n)
        db.session.commit()
    with query_counter() as veel:
        response = client.get("/")
    assert len(_rijen(BeautifulSoup(response.text, "html.parser"))) == 34
    assert veel.count == weinig.count


def test_beheer_tasks_page_still_works(wereld, client):
    """/beheer keeps its tasks and the rode knop list."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/beheer")
    assert [li.a.get_text(strip=True) for li in soup.select("#kop-rode-knop ~ ul li")] == [
        "Beta College"]


# --- LLZ contact person: what needs them today, then their schools ---------------------------


def _groepen(soup) -> dict:
    """The task groups on the LLZ page: name -> [(text, href)]."""
    return {
        sectie["id"].removeprefix("groep-"): [
            (li.a.get_text(strip=True), li.a["href"]) for li in sectie.select("li")]
        for sectie in soup.select("section[id^=groep-]")
    }


def test_llz_page_shows_todays_work_first(wereld, client):
    """Overdue, awaiting their akkoord, due this week, missing handovers: each a link."""
    client.login("lars@llz.example.nl")
    soup = client.soup("/")
    a, b, d = wereld["alfa"], wereld["beta"], wereld["delta"]
    groepen = _groepen(soup)
    assert list(groepen) == ["te_laat", "akkoord", "deze_week", "overdracht", "aanwezigheid"]
    # Past 31-10 none of Lars's lists is vastgesteld: all three are late, and so is Alfa's
    # escalation.
    te_laat = groepen["te_laat"]
    assert sorted(href for tekst, href in te_laat if tekst.startswith("Afsprakenlijst")) == [
        f"/scholen/{code}/afsprakenlijst" for code in (a, b, d)]
    ((tekst, href),) = [(t, h) for t, h in te_laat if t.startswith("Escalatie")]
    assert tekst == "Escalatie ‘Reactie blijft uit’ (stap 1)"
    assert href.startswith(f"/scholen/{a}/escalaties#escalatie-")
    assert groepen["akkoord"] == [("Afsprakenlijst 2026-2027: de school heeft akkoord gegeven",
                                   f"/scholen/{d}/afsprakenlijst#akkoord-blok")]
    assert [t for t, _ in groepen["deze_week"]] == ["Escalatie ‘Belmomenten gemist’ (stap 1)"]
    ((tekst, href),) = groepen["overdracht"]
    assert tekst.startswith("Contactpersoon school: Nico Nieuw")
    assert href.startswith(f"/scholen/{b}/contactpersonen/") and href.endswith(
        "/warme-overdracht")
    # Then the own schools (contact or substitute), in the cockpit's table; not Gamma.
    assert set(_rijen(soup)) == {"Alfa Basisschool", "Beta College", "Delta Basisschool"}
    assert soup.select_one("#groep-te_laat").find_previous("h2")["id"] == "kop-vandaag"


def test_llz_links_lead_to_pages_they_may_open(wereld, client):
    """Every task link of the LLZ page opens (the work is done there)."""
    client.login("lars@llz.example.nl")
    for groep in _groepen(client.soup("/")).values():
        for _, href in groep:
            assert client.get(href.split("#")[0]).status_code == 200, href


def test_llz_page_is_bounded(app, client, query_counter):
    """With many own schools: a fixed number of queries and at most 15 tasks per group."""
    with app.app_context():
        _bouw(aantal_extra=3)
    client.login("lars@llz.example.nl")
    client.get("/")
    with query_counter() as weinig:
        client.get("/")
    with app.app_context():
        jaar = huidig_schooljaar()
        lars = db.session.get(School, 1).contact(Contactrol.LLZ_CONTACT)
        for n in range(3, 30):
            extra(jaar, lars, n)
        db.session.commit()
    with query_counter() as veel:
        soup = BeautifulSoup(client.get("/").text, "html.parser")
    assert veel.count == weinig.count
    groepen = _groepen(soup)
    assert all(len(taken) <= 15 for taken in groepen.values())
    meer = soup.select_one("#groep-te_laat p")
    assert "En nog" in meer.get_text(), soup.select_one("#groep-te_laat")
    assert meer.a["href"] == "/escalaties?mijn=1"


def test_llz_table_is_bounded_and_links_to_all_own_schools(app, client):
    """Past MAX_SCHOLEN own schools the table keeps that many rows, the page stays the same
    size, and a link opens the school list filtered on the person, which has them all."""
    with app.app_context():
        _bouw(aantal_extra=3)
    client.login("lars@llz.example.nl")
    eigen = len(_rijen(client.soup("/")))
    assert eigen < taken.MAX_SCHOLEN

    def erbij(vanaf, aantal):
        """Give Lars `aantal` more schools; return his contact person's id."""
        with app.app_context():
            lars = db.session.get(School, 1).contact(Contactrol.LLZ_CONTACT)
            for n in range(vanaf, vanaf + aantal):
                extra(huidig_schooljaar(), lars, n)
            db.session.commit()
            return lars.id

    erbij(100, taken.MAX_SCHOLEN - eigen)  # exactly MAX_SCHOLEN: all shown, no link
    soup = client.soup("/")
    assert len(_rijen(soup)) == taken.MAX_SCHOLEN
    assert soup.select_one("#mijn-scholen-meer") is None
    erbij(200, 20)  # every task group is full now (15 shown)
    groot = len(client.get("/").data)
    lars_id = erbij(300, 20)
    soup = client.soup("/")
    rijen = _rijen(soup)
    assert len(rijen) == taken.MAX_SCHOLEN
    meer = soup.select_one("#mijn-scholen-meer")
    totaal = taken.MAX_SCHOLEN + 40
    assert f"van {totaal} scholen" in meer.get_text()
    assert meer.a["href"] == f"/scholen/?llz={lars_id}"
    # 20 more schools (a table row is about 2 KB): only the counts in the text change.
    assert abs(len(client.get("/").data) - groot) < 100
    # The filtered list holds every own school (Gamma is Anna's, not Lars's).
    lijst = client.soup(meer.a["href"])
    namen = {a.get_text(strip=True) for a in lijst.select("table a[href^='/scholen/']")}
    assert set(rijen) <= namen and "Gamma College" not in namen


def test_tabelscholen_keeps_the_schools_with_most_tasks():
    """Schools with more tasks (built or only counted) win; ties go by the given (name) order;
    the ids come back in that order; with few schools, all of them."""
    scholen = [SimpleNamespace(id=i, naam=naam) for i, naam in enumerate("ABCDE", 1)]
    taak = lambda i: taken.Taak("t", scholen[i - 1], "/")  # noqa: E731
    groepen = [taken.Groep("x", "X", [taak(2), taak(3)]),
               taken.Groep("termijnen", "T", [taak(3)], niet_gemaakt=3,
                           telling=Counter({3: 1, 4: 3}))]
    assert taken.tabelscholen(scholen, groepen, 2) == [3, 4]  # C: 2 tasks, D: 3
    assert taken.tabelscholen(scholen, groepen, 3) == [2, 3, 4]
    assert taken.tabelscholen(scholen, groepen, 4) == [1, 2, 3, 4]  # A before E: name order
    assert taken.tabelscholen(scholen, [], 5) == [1, 2, 3, 4, 5]
    assert groepen[1].aantal == 4 and groepen[1].verborgen == 0


def test_llz_user_without_contact_person_gets_an_explanation(wereld, client):
    """An LLZ account not linked to a contact person sees why there are no own schools."""
    client.login("los@llz.example.nl")
    soup = client.soup("/")
    assert "niet gekoppeld" in soup.select_one("main .utrecht-alert").get_text()
    assert not soup.select("table.cockpit")


# --- school: what is awaited from it, then its agreements, route and people ------------------


def test_school_page_shows_what_is_asked_first(wereld, client):
    """The akkoord, the open escalation and the missing contact role, each a link."""
    client.login("zorg@alfa.example.nl")
    soup = client.soup("/")
    a = wereld["alfa"]
    gevraagd = soup.select_one("section.taken")
    assert gevraagd.find_next("section", class_="schoolstart")  # tasks come first
    taken = {li.a.get_text(strip=True): li.a["href"] for li in gevraagd.select("li")}
    assert taken["Uw akkoord wordt gevraagd op de afsprakenlijst 2026-2027"] == (
        f"/scholen/{a}/afsprakenlijst#akkoord-blok")
    escalatie = next(t for t in taken if t.startswith("Escalatie ‘Reactie blijft uit’"))
    assert taken[escalatie].startswith(f"/scholen/{a}/escalaties#escalatie-")
    assert taken["Geef door wie de vervanger school is"] == (
        f"/scholen/{a}/contactpersonen/wijzigen?rol=school_vervanger")
    assert len(taken) == 3
    for href in taken.values():
        assert client.get(href.split("#")[0]).status_code == 200


def test_school_page_shows_agreements_route_and_people(wereld, client):
    """Cards per school: the list's status, the escalations and route, the contact persons."""
    client.login("zorg@alfa.example.nl")
    school = client.soup("/").select_one("section.schoolstart")
    a = wereld["alfa"]
    assert school.h2.get_text(strip=True) == "Alfa Basisschool"
    hrefs = {link["href"] for link in school.select("a")}
    assert {f"/scholen/{a}", f"/scholen/{a}/afsprakenlijst", f"/scholen/{a}/escalaties",
            f"/scholen/{a}#sectie-escalatieroute", f"/scholen/{a}/contactpersonen"} <= hrefs
    assert "wacht op akkoord school" in school.get_text()
    mensen = {item.dt.get_text(strip=True): item.dd.get_text(" ", strip=True)
              for item in school.select(".utrecht-data-list__item")}
    assert mensen["Contactpersoon Leerlingzaken"].startswith("Lars Leerplicht")
    assert mensen["(Locatie)directeur"].startswith("Directeur Alfa Basisschool")
    assert mensen["Vervanger school"] == "Ontbreekt"


def test_school_with_nothing_asked_says_so(wereld, client):
    """Gamma is in order: no tasks, a calm sentence."""
    client.login("zorg@gamma.example.nl")
    soup = client.soup("/")
    assert soup.select_one("section.taken p").get_text(strip=True) == "Er wacht nu niets op u."


def test_school_page_shows_nothing_of_another_school(wereld, app, client):
    """No other school's name, code or school-side people anywhere on the page."""
    with app.app_context():
        namen = [s.naam for s in db.session.scalars(select(School))] + [
            "Zorg Beta", "Directeur Beta", "Nico Nieuw", "Dora Later", "Zorg Gamma",
            "Vera Vervanger", "Zorg Delta", "Directeur Delta", "Zorg Gamma"]
    client.login("zorg@alfa.example.nl")
    tekst = client.soup("/").select_one("main").get_text(" ", strip=True)
    html = client.get("/").text
    for naam in namen:
        if naam != "Alfa Basisschool":
            assert naam not in tekst, naam
    for sleutel in ("beta", "gamma", "delta"):
        assert wereld[sleutel] not in html


def test_school_filters_in_the_query_are_ignored(wereld, client):
    """A school user cannot ask for the cockpit: the query string changes nothing."""
    client.login("zorg@alfa.example.nl")
    soup = client.soup("/", query_string={"sector": "VO", "llz": wereld["anna_id"]})
    assert not soup.select("table.cockpit")
    assert [s.h2.get_text(strip=True) for s in soup.select("section.schoolstart")] == [
        "Alfa Basisschool"]



def test_school_page_queries_do_not_grow_with_the_schools(app, client, query_counter):
    """A school user with one school or with three: the same number of queries."""
    with app.app_context():
        _bouw()
    client.login("zorg@alfa.example.nl")
    client.get("/")
    with query_counter() as een:
        client.get("/")
    with app.app_context():
        from leerplicht.accounts.models import Gebruiker

        gebruiker = db.session.scalars(
            select(Gebruiker).where(Gebruiker.email == "zorg@alfa.example.nl")).one()
        gebruiker.scholen = list(db.session.scalars(
            select(School).where(School.code.in_(["11AA00", "22BB00", "44DD00"]))))
        db.session.commit()
    with query_counter() as drie:
        soup = client.soup("/")
    assert len(soup.select("section.schoolstart")) == 3
    assert drie.count == een.count
