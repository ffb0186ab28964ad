"""School list (search, filters, htmx partial, paging), dossier, and editing a school."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.audit import Auditregel
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant, School

import factories as f


def _world(aantal_extra=0):
    """Schools of several sectors, an LLZ contact, a team leader and users; plain values back."""
    leider = f.persoon("Tineke Teamleider", teamleider=True, telefoon="070-1234567",
                       email="tineke@llz.example.nl")
    llz = f.persoon("Lars Leerplicht")
    ander = f.persoon("Anna Anders")
    vlinder = f.school(naam="Basisschool De Vlinder", code="21XA00", sector="PO")
    college = f.school(naam="Zeevliet College", code="31XF00", sector="VO", plaats="Havendorp")
    f.toewijzing(vlinder, llz, Contactrol.LLZ_CONTACT)
    f.toewijzing(vlinder, ander, Contactrol.LLZ_VERVANGER)
    f.toewijzing(college, ander, Contactrol.LLZ_CONTACT)
    f.toewijzing(vlinder, f.persoon("Dora Directeur", kant=Kant.SCHOOL, telefoon="06-11112222"),
                 Contactrol.DIRECTEUR)
    for _ in range(aantal_extra):
        extra = f.school(sector="MBO")
        f.toewijzing(extra, llz, Contactrol.LLZ_CONTACT)
        f.toewijzing(extra, f.persoon(kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
        f.toewijzing(extra, f.persoon(kant=Kant.SCHOOL), Contactrol.SCHOOL_CONTACT)
    f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl", contactpersoon=leider)
    f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=llz)
    f.gebruiker(Rol.LLZ, "anna@llz.example.nl", contactpersoon=ander)
    f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[vlinder])
    db.session.commit()
    return {"llz_id": llz.id, "ander_id": ander.id}


@pytest.fixture
def world(app):
    """The default school world."""
    with app.app_context():
        return _world()


def _rows(soup):
    """School names in the result table."""
    cells = soup.select("table.scholenlijst tbody td:first-child a")
    return [a.get_text(strip=True) for a in cells]


def test_list_shows_all_schools_for_llz(world, client):
    """LLZ sees every school, sorted by name, with its LLZ contact person."""
    client.login("lars@llz.example.nl")
    soup = client.soup("/scholen/")
    assert _rows(soup) == ["Basisschool De Vlinder", "Zeevliet College"]
    contact = soup.select("table.scholenlijst tbody tr")[0].select("td")[-1].get_text(strip=True)
    assert contact == "Lars Leerplicht"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=vlinder", ["Basisschool De Vlinder"]),
        ("q=31XF", ["Zeevliet College"]),
        ("q=havendorp", ["Zeevliet College"]),
        ("sector=VO", ["Zeevliet College"]),
        ("sector=XX", ["Basisschool De Vlinder", "Zeevliet College"]),
        ("q=niets-te-vinden", []),
        ("pagina=abc", ["Basisschool De Vlinder", "Zeevliet College"]),
    ],
    ids=["naam", "brin", "plaats", "sector", "onbekende-sector", "geen", "rare-pagina"],
)
def test_search_and_filters(world, client, query, expected):
    """Search on name, code and place; sector filter; nonsense filters are ignored."""
    client.login("lars@llz.example.nl")
    assert _rows(client.soup(f"/scholen/?{query}")) == expected


def test_filter_on_llz_contact_includes_substitute(world, client):
    """Filtering on a person gives the schools where they are contact or vervanger."""
    client.login("lars@llz.example.nl")
    assert _rows(client.soup(f"/scholen/?llz={world['ander_id']}")) == [
        "Basisschool De Vlinder", "Zeevliet College"]
    assert _rows(client.soup(f"/scholen/?llz={world['llz_id']}")) == ["Basisschool De Vlinder"]


def test_htmx_search_returns_only_the_results_partial(world, client):
    """The active search swaps the same partial the page includes: no layout around it."""
    client.login("lars@llz.example.nl")
    response = client.get("/scholen/?q=college", headers={"HX-Request": "true"})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None and soup.find("header") is None
    assert _rows(soup) == ["Zeevliet College"]
    page = client.soup("/scholen/?q=college")
    assert _rows(page.select_one("#resultaten")) == _rows(soup)
    form = page.select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/scholen/"
    assert form["data-hx-get"] == "/scholen/" and form["data-hx-target"] == "#resultaten"


def test_paging(app, client):
    """More than one page of schools: 50 per page, and links keep the filters."""
    with app.app_context():
        _world(aantal_extra=60)
    client.login("lars@llz.example.nl")
    soup = client.soup("/scholen/?sector=MBO")
    assert len(_rows(soup)) == 50
    assert soup.select_one(".resultaat-telling").get_text(strip=True).startswith("60 scholen")
    next_link = soup.select_one("a[rel=next]")["href"]
    assert "sector=MBO" in next_link and "pagina=2" in next_link
    assert len(_rows(client.soup(next_link))) == 10


def test_list_shows_only_the_current_llz_contact(app, world, client):
    """An LLZ contact whose assignment ended, or starts later, is not the one the list names."""
    with app.app_context():
        college = db.session.scalars(select(School).where(School.code == "31XF00")).one()
        oud = db.session.scalars(select(f.Toewijzing).where(
            f.Toewijzing.school_id == college.id,
            f.Toewijzing.rol == Contactrol.LLZ_CONTACT)).one()
        oud.tot = date.today()  # ended today: no longer in force
        f.toewijzing(college, f.persoon("Toekomstige Tineke"), Contactrol.LLZ_CONTACT,
                     vanaf=date.today() + timedelta(days=7))
        db.session.commit()
    client.login("lars@llz.example.nl")
    soup = client.soup("/scholen/?q=college")
    (rij,) = soup.select("table.scholenlijst tbody tr")
    assert rij.select("td")[-1].get_text(strip=True) == "–"


def test_page_past_the_end_still_counts_the_schools(world, client):
    """A page number past the last page shows no rows but the right total."""
    client.login("lars@llz.example.nl")
    soup = client.soup("/scholen/?pagina=7")
    assert _rows(soup) == []
    assert soup.select_one(".resultaat-telling").get_text(strip=True).startswith("2 scholen")


def test_list_is_one_query_for_the_schools(app, client, query_counter):
    """Login, the page of schools with their LLZ contact and total, the filter's people."""
    with app.app_context():
        _world(aantal_extra=60)
    client.login("lars@llz.example.nl")
    client.get("/scholen/")
    with query_counter() as counter:
        assert client.get("/scholen/").status_code == 200
    assert counter.count <= 4  # SQLite: with its explicit BEGIN; PostgreSQL: 3


def test_dossier_sections_share_the_route_and_the_edit_right(app, world, client, monkeypatch):
    """The route and escalation sections load the routes once; the edit right comes from the
    loaded contacts: Lars (contact) may edit, Anna (vervanger elsewhere) only at her school."""
    from leerplicht.escalatie import queries as escalatie_queries
    from leerplicht.escalatie.regels import open_escalatie, routes_voor

    with app.app_context():
        jaar = f.huidig_schooljaar()
        vlinder = db.session.scalars(select(School).where(School.code == "21XA00")).one()
        route = routes_voor([vlinder], jaar)[vlinder.id]
        open_escalatie(vlinder, jaar, route, "inhoud", "Reactie blijft uit", date.today(),
                       "Lars", "llz")
        db.session.commit()
    aanroepen = []

    def tel(*args):
        """Count a call of routes_voor, then do it."""
        aanroepen.append(args)
        return routes_voor(*args)

    monkeypatch.setattr(escalatie_queries, "routes_voor", tel)
    client.login("lars@llz.example.nl")
    soup = client.soup("/scholen/21XA00")
    assert len(aanroepen) == 1
    assert soup.select_one("a[href='/scholen/21XA00/bewerken']") is not None
    # The escalation section still shows the open escalation with its step of the route.
    assert "Reactie blijft uit" in soup.get_text()
    client.login("anna@llz.example.nl")  # vervanger at the Vlinder: may edit there too
    assert client.soup("/scholen/21XA00").select_one("a[href='/scholen/21XA00/bewerken']")
    client.login("lars@llz.example.nl")  # not at the college: reads, does not edit
    soup = client.soup("/scholen/31XF00")
    assert soup.select_one("a[href='/scholen/31XF00/bewerken']") is None


def _count_queries(client, query_counter, url):
    """SQL statements for one GET (after login)."""
    with query_counter() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/scholen/", "/scholen/21XA00", "/"])
def test_query_count_does_not_grow_with_schools(app, client, make_client, query_counter, url):
    """The list, the dossier and the home page use as many queries for 12 as for 250 schools."""
    with app.app_context():
        _world(aantal_extra=10)
    client.login("lars@llz.example.nl")
    small = _count_queries(client, query_counter, url)
    with app.app_context():
        lars = db.session.scalars(
            select(f.Contactpersoon).where(f.Contactpersoon.naam == "Lars Leerplicht")
        ).one()
        for _ in range(238):
            extra = f.school(sector="PO")
            f.toewijzing(extra, f.persoon(kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
            f.toewijzing(extra, f.persoon(kant=Kant.SCHOOL), Contactrol.SCHOOL_CONTACT)
            f.toewijzing(extra, lars, Contactrol.LLZ_CONTACT)
        db.session.commit()
        assert db.session.query(School).count() == 250
    large = _count_queries(client, query_counter, url)
    assert large == small, (url, small, large)
    # The start page has the most: its tasks and cockpit columns load three registers (+6).
    assert small <= 15


def test_dossier_shows_rode_knop_first_and_contacts(world, client):
    """The rode knop is the first thing on the dossier, with tel: and mailto: links."""
    client.login("zorg@vlinder.example.nl")
    soup = client.soup("/scholen/21XA00")
    main = soup.select_one("main")
    first = main.select_one(":scope > :not(#meldingen)")  # after the (empty) flash area
    assert first.name == "aside" and "rode-knop" in first["class"]
    links = {a["href"] for a in first.select("a")}
    assert "tel:0701234567" in links and "mailto:tineke@llz.example.nl" in links
    assert "tel:0611112222" in links
    roles = [th.get_text(strip=True) for th in soup.select("table.contacten tbody th")]
    assert roles == [r.label for r in Contactrol]
    assert soup.select_one("h1").get_text(strip=True) == "Basisschool De Vlinder"


def test_dossier_warns_when_rode_knop_contact_missing(world, client):
    """A school without a director shows a warning naming what is missing."""
    client.login("lars@llz.example.nl")
    soup = client.soup("/scholen/31XF00")
    warning = soup.select_one(".utrecht-alert--warning").get_text(" ", strip=True)
    assert "(locatie)directeur" in warning
    assert soup.select_one(".rode-knop__ontbreekt")


def test_edit_button_only_for_editors(world, client, make_client):
    """Assigned LLZ sees 'Gegevens wijzigen'; the school user and other LLZ do not."""
    def has_edit(email):
        c = make_client()
        c.login(email)
        return bool(c.soup("/scholen/31XF00").select('a[href="/scholen/31XF00/bewerken"]'))

    assert has_edit("anna@llz.example.nl")
    assert not has_edit("lars@llz.example.nl")
    assert has_edit("beheer@llz.example.nl")


def _edit_form(client, code):
    """The current values of a school edit form, as a browser would submit them."""
    soup = client.soup(f"/scholen/{code}/bewerken")
    form = soup.select_one("form.utrecht-form")
    inputs = [i for i in form.select("input") if i.get("type") not in ("checkbox", "submit")]
    data = {i["name"]: i.get("value", "") for i in inputs}
    for select_tag in form.select("select"):
        data[select_tag["name"]] = select_tag.select_one("option[selected]")["value"]
    if form.select_one("input[name=actief][checked]"):
        data["actief"] = "y"
    return data


def test_edit_school_saves_and_audits(app, world, client):
    """A valid edit is saved, the version goes up and the audit trail records old -> new."""
    client.login("lars@llz.example.nl")
    data = _edit_form(client, "21XA00")
    data["bestuur"] = "Stichting Nieuw Bestuur"
    response = client.post("/scholen/21XA00/bewerken", data)
    assert response.status_code == 302
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(code="21XA00")).one()
        assert school.bestuur == "Stichting Nieuw Bestuur" and school.versie == 2
        regel = db.session.scalars(select(Auditregel).filter_by(veld="bestuur")).one()
        assert (regel.oud, regel.nieuw, regel.school_id) == ("Stichting Test",
                                                             "Stichting Nieuw Bestuur", school.id)
        assert regel.gebruiker.email == "lars@llz.example.nl"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("naam", "", "Vul de naam van de school in."),
        ("naam", "x" * 161, "160"),
        ("code", "12345", "12AB00"),
        ("code", "31XF00", "Er is al een school"),
        ("postcode", "12345", "1234 AB"),
        ("sector", "HBO", "Kies een van de sectoren"),
        ("naam", "School van leerling 111222333", "burgerservicenummer"),
        ("plaats", "Zee\x07vliet", "stuurtekens"),  # NUL itself: see test_invoer.py
    ],
    ids=["naam-leeg", "naam-te-lang", "code-vorm", "code-bezet", "postcode", "sector", "bsn",
         "stuurteken"],
)
def test_edit_school_bad_input(app, world, client, field, value, message):
    """Bad input: 422, a Dutch message beside the field, and nothing changed."""
    client.login("lars@llz.example.nl")
    data = _edit_form(client, "21XA00")
    data[field] = value
    response = client.post("/scholen/21XA00/bewerken", data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    error = soup.select_one(f"#{field}-fout")
    assert error is not None and message in error.get_text()
    assert soup.select_one(f"#{field}")["aria-invalid"] == "true"
    assert f"#{field}" in [a["href"] for a in soup.select("#foutoverzicht a")]
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(code="21XA00")).one()
        assert (school.naam, school.versie) == ("Basisschool De Vlinder", 1)


def test_stale_form_gets_409_and_keeps_both_versions(app, world, client, make_client):
    """Two editors: the second, stale save is refused with 409; nothing is lost."""
    client.login("lars@llz.example.nl")
    other = make_client()
    other.login("beheer@llz.example.nl")
    mine = _edit_form(client, "21XA00")
    theirs = _edit_form(other, "21XA00")
    theirs["bestuur"] = "Bestuur van de beheerder"
    assert other.post("/scholen/21XA00/bewerken", theirs).status_code == 302
    mine["bestuur"] = "Mijn eigen bestuur"
    response = client.post("/scholen/21XA00/bewerken", mine)
    assert response.status_code == 409
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#bestuur")["value"] == "Mijn eigen bestuur"
    shown = soup.select_one(".conflict-versie").get_text(" ", strip=True)
    assert "Bestuur van de beheerder" in shown
    assert soup.select_one("input[name=versie]")["value"] == "2"
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(code="21XA00")).one()
        assert school.bestuur == "Bestuur van de beheerder"
    # Saving again from the refreshed form (new version) now works.
    mine["versie"] = "2"
    assert client.post("/scholen/21XA00/bewerken", mine).status_code == 302


def test_new_school_with_llz_contacts(app, world, client):
    """The beheerder adds a school; its LLZ contact and vervanger are assigned."""
    client.login("beheer@llz.example.nl")
    response = client.post("/scholen/nieuw", {
        "naam": "Nieuwe School", "code": "99zz01", "sector": "SO", "straat": "", "postcode": "",
        "plaats": "Zeevliet", "bestuur": "", "actief": "y",
        "llz_contact": str(world["llz_id"]), "llz_vervanger": str(world["ander_id"]),
    })
    assert response.status_code == 302 and response.headers["Location"] == "/scholen/99ZZ01"
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(code="99ZZ01")).one()
        from leerplicht.scholen.queries import laad_scholen

        (loaded,) = laad_scholen([school.id])
        assert loaded.contact(Contactrol.LLZ_CONTACT).naam == "Lars Leerplicht"
        assert loaded.contact(Contactrol.LLZ_VERVANGER).naam == "Anna Anders"


def test_new_school_same_person_twice_refused(app, world, client):
    """Contact person and vervanger must differ."""
    client.login("beheer@llz.example.nl")
    response = client.post("/scholen/nieuw", {
        "naam": "Nieuwe School", "code": "99ZZ02", "sector": "SO",
        "llz_contact": str(world["llz_id"]), "llz_vervanger": str(world["llz_id"]),
    })
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(School).filter_by(code="99ZZ02")).first() is None
