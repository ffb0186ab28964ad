"""Escalations across schooljaren (an open one stays visible and counted until resolved; a
resolved one is listed under the schooljaar it was resolved in), the schooljaar choice on the
escalation page and the dossier, and a page that stays current after an htmx action."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.schooljaar import start_schooljaar
from leerplicht.escalatie.models import Escalatie
from leerplicht.escalatie.queries import overzichten
from leerplicht.escalatie.regels import los_op, open_escalatie, routes_voor
from leerplicht.escalatie.views import CONFLICT_TEKST
from leerplicht.extensions import db
from leerplicht.scholen.models import Contactrol, Kant, School
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar

import factories as f

PO = "21XA00"


@pytest.fixture
def world(app):
    """A PO school in 2026-2027 with its contacts, an assigned LLZ user and a school user."""
    with app.app_context():
        f.schooljaar("2026-2027")
        po = f.school(naam="Basisschool De Vlinder", code=PO, sector="PO")
        f.persoon("Anouk Verbeek", teamleider=True)
        lars = f.persoon("Lars Leerplicht")
        f.toewijzing(po, lars, Contactrol.LLZ_CONTACT)
        f.toewijzing(po, f.persoon("Zora Zorg", kant=Kant.SCHOOL), Contactrol.SCHOOL_CONTACT)
        f.toewijzing(po, f.persoon("Dirk Directeur", kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[po], naam="Zora Zorg")
        db.session.commit()


def _school():
    """The PO school with its contacts."""
    (school,) = laad_scholen([db.session.scalar(select(School.id).where(School.code == PO))])
    return school


def _jaar(naam=None) -> Schooljaar:
    """A schooljaar by name, or the current one."""
    query = select(Schooljaar).where(
        Schooljaar.naam == naam if naam else Schooljaar.huidig.is_(True))
    return db.session.scalars(query).one()


def _open(app, onderwerp, datum, spoor="inhoud", jaar=None) -> int:
    """Open an escalation in the schooljaar (default: the current one); return its id."""
    with app.app_context():
        school, jaar = _school(), _jaar(jaar)
        escalatie = open_escalatie(school, jaar, routes_voor([school], jaar)[school.id], spoor,
                                   onderwerp, datum, "Lars", "llz")
        db.session.commit()
        return escalatie.id


def _los_op(app, escalatie_id, datum):
    """Resolve an escalation on `datum`."""
    with app.app_context():
        los_op(db.session.get(Escalatie, escalatie_id), datum, "Afgesproken", "Lars", datum)
        db.session.commit()


def _nieuw_jaar(app):
    """Open 2027-2028 (as on 1 June 2027)."""
    with app.app_context():
        start_schooljaar("2027-2028", date(2027, 6, 1))


def _telling(soup) -> dict[str, str]:
    """The counters of the escalation page: {label: value text}."""
    return {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True)
            for div in soup.select("#escalaties-telling > div")}


def _kaarten(soup, lijst: str) -> list[int]:
    """Ids of the escalation cards in #escalaties-open or #escalaties-opgelost."""
    return [int(a["id"].removeprefix("escalatie-"))
            for a in soup.select(f"#escalaties-{lijst} article.escalatie")]


# --- across schooljaren -------------------------------------------------------------------------


def test_open_escalation_of_last_year_stays_on_every_page(app, world, client):
    """After opening 2027-2028, last year's open escalation is shown and counted everywhere."""
    oud = _open(app, "Reactie blijft uit", date(2026, 10, 5))
    klaar = _open(app, "Al opgelost", date(2026, 10, 6))
    _los_op(app, klaar, date(2026, 10, 20))
    _nieuw_jaar(app)
    client.login("lars@llz.example.nl")

    soup = client.soup(f"/scholen/{PO}/escalaties")
    assert soup.select_one("h1").get_text(strip=True) == "Escalaties 2027-2028"
    assert _kaarten(soup, "open") == [oud] and _kaarten(soup, "opgelost") == []
    kaart = soup.select_one(f"#escalatie-{oud}")
    assert "Uit schooljaar 2026-2027" in kaart.select_one(".escalatie__meta").get_text()
    assert kaart.select_one("form[action$='/opschalen']")  # still handled, in the new year
    assert _telling(soup) == {"Open": "1 waarvan 1 uit een eerder schooljaar",
                              "Termijn verstreken": "1", "Geopend in 2027-2028": "0",
                              "Opgelost in 2027-2028": "0"}

    sectie = client.soup(f"/scholen/{PO}").select_one("#sectie-escalaties")
    tekst = sectie.get_text(" ", strip=True)
    assert "Open: 1 escalatie, waarvan 1 uit een eerder schooljaar en 1 over de termijn" in tekst
    assert "uit schooljaar 2026-2027" in tekst
    assert sectie.select_one(f"a[href='/scholen/{PO}/escalaties#escalatie-{oud}']")

    rij = client.soup("/").select_one("table.cockpit tbody tr")
    assert "1 open (waarvan 1 uit een eerder schooljaar)" in rij.select_one(
        "td[data-kolom=escalaties]").get_text(" ", strip=True)

    rij = client.soup("/escalaties").select_one("table.escalaties tbody tr")
    assert "uit schooljaar 2026-2027" in rij.get_text(" ", strip=True)


def test_school_user_with_several_schools_sees_open_counts(app, world, client):
    """The start page of a school user with two schools names each school's open ones."""
    oud = _open(app, "Reactie blijft uit", date(2026, 10, 5))
    _nieuw_jaar(app)
    with app.app_context():
        ander = f.school(naam="Tweede school", code="22XB00")
        f.gebruiker(Rol.SCHOOL, "twee@school.example.nl",
                    scholen=[ander, db.session.get(School, _school().id)])
        db.session.commit()
    client.login("twee@school.example.nl")
    soup = client.soup("/")
    kaarten = {s.h2.get_text(strip=True): s for s in soup.select("section.schoolstart")}
    assert "1 open escalatie" in kaarten["Basisschool De Vlinder"].get_text()
    assert "Geen open escalaties" in kaarten["Tweede school"].get_text()
    assert oud


def test_resolved_are_listed_under_the_schooljaar_they_were_resolved_in(app, world):
    """Resolved by date; the current schooljaar has no end until the next one is opened."""
    vroeg = _open(app, "Opgelost in juli", date(2027, 6, 1))
    laat = _open(app, "Opgelost in augustus", date(2027, 6, 2))
    open_ = _open(app, "Nog open", date(2027, 6, 3))
    _los_op(app, vroeg, date(2027, 7, 10))
    _los_op(app, laat, date(2027, 8, 3))  # 2026-2027 is still current: listed there

    def ids(jaar, lijst):
        with app.app_context():
            school = _school()
            overzicht = overzichten([school], _jaar(jaar), date(2027, 8, 5))[school.id]
            return ([s.escalatie.id for s in getattr(overzicht, lijst)], overzicht.telling)

    assert ids("2026-2027", "opgelost")[0] == [laat, vroeg]
    _nieuw_jaar(app)
    opgelost, telling = ids("2026-2027", "opgelost")
    assert opgelost == [vroeg]
    assert (telling.geopend, telling.opgelost, telling.open, telling.eerder) == (3, 1, 1, 0)
    opgelost, telling = ids("2027-2028", "opgelost")
    assert opgelost == [laat]
    assert (telling.geopend, telling.opgelost, telling.open, telling.eerder) == (0, 1, 1, 1)
    assert ids("2027-2028", "open")[0] == [open_]


def test_earlier_schooljaar_page_is_read_only(app, world, client):
    """?schooljaar= shows an earlier year: its escalations, no forms to open or act."""
    oud = _open(app, "Reactie blijft uit", date(2026, 10, 5))
    klaar = _open(app, "Al opgelost", date(2026, 10, 6))
    _los_op(app, klaar, date(2026, 10, 20))
    _nieuw_jaar(app)
    client.login("lars@llz.example.nl")
    soup = client.soup(f"/scholen/{PO}/escalaties?schooljaar=2026-2027")
    assert soup.select_one("h1").get_text(strip=True) == "Escalaties 2026-2027"
    assert _kaarten(soup, "open") == [oud] and _kaarten(soup, "opgelost") == [klaar]
    assert "Uit schooljaar" not in soup.select_one(f"#escalatie-{oud}").get_text()
    assert [form["action"] for form in soup.select("main form[method=post]")] == []
    assert not soup.select("a[href$='/oplossen']")
    assert "eerdere schooljaar 2026-2027" in soup.select_one(".utrecht-alert--info").get_text()
    assert _telling(soup)["Opgelost in 2026-2027"] == "1"
    keuze = soup.select_one("form.schooljaarkeuze")
    assert keuze["method"] == "get" and keuze["action"] == f"/scholen/{PO}/escalaties"
    assert [(o["value"], o.has_attr("selected")) for o in keuze.select("option")] == [
        ("2027-2028", False), ("2026-2027", True)]

    huidig = client.soup(f"/scholen/{PO}/escalaties")
    assert huidig.select_one(f"form[action='/scholen/{PO}/escalaties/nieuw']")
    assert not huidig.select(".utrecht-alert--info")


@pytest.mark.parametrize("jaar", ["2019-2020", "volgend", "²⁰²⁶-2027", "2026-2027x"])
def test_unknown_schooljaar_is_404(world, client, jaar):
    """A schooljaar that does not exist, or junk: 404 on both pages."""
    client.login("lars@llz.example.nl")
    client.soup(f"/scholen/{PO}/escalaties?schooljaar={jaar}", status=404)
    client.soup(f"/scholen/{PO}?schooljaar={jaar}", status=404)


def test_dossier_shows_the_chosen_schooljaar_read_only(app, world, client):
    """The dossier of an earlier schooljaar: its name, the choice, no edit or action links."""
    oud = _open(app, "Reactie blijft uit", date(2026, 10, 5))
    _nieuw_jaar(app)
    client.login("lars@llz.example.nl")
    huidig = client.soup(f"/scholen/{PO}")
    assert "schooljaar 2027-2028" in huidig.select_one("p.lead").get_text()
    assert huidig.select_one(f"a[href='/scholen/{PO}/bewerken']")
    assert huidig.select_one("#schooljaarkeuze option[selected]")["value"] == "2027-2028"

    soup = client.soup(f"/scholen/{PO}?schooljaar=2026-2027")
    assert "schooljaar 2026-2027" in soup.select_one("p.lead").get_text()
    assert soup.select_one("#schooljaarkeuze option[selected]")["value"] == "2026-2027"
    assert "eerdere schooljaar 2026-2027" in soup.select_one(".utrecht-alert--info").get_text()
    assert not soup.select(f"a[href='/scholen/{PO}/bewerken']")
    sectie = soup.select_one("#sectie-escalaties")
    assert sectie.select_one(
        f"a[href='/scholen/{PO}/escalaties?schooljaar=2026-2027#escalatie-{oud}']")
    assert "Nu nog open: 1 escalatie" in sectie.get_text(" ", strip=True)


def test_pages_query_count_bounded_across_schooljaren(app, world, client, query_counter):
    """More escalations, open from earlier years or resolved, do not mean more queries."""
    _open(app, "Oud", date(2026, 10, 5))
    _nieuw_jaar(app)
    client.login("lars@llz.example.nl")
    paginas = [f"/scholen/{PO}/escalaties", f"/scholen/{PO}/escalaties?schooljaar=2026-2027",
               f"/scholen/{PO}", f"/scholen/{PO}?schooljaar=2026-2027", "/", "/escalaties"]

    def tellingen():
        result = []
        for pagina in paginas:
            client.get(pagina)
            with query_counter() as teller:
                assert client.get(pagina).status_code == 200
            result.append(teller.count)
        return result

    weinig = tellingen()
    for n in range(6):
        klaar = _open(app, f"Oud {n}", date(2026, 10, 5), jaar="2026-2027")
        _los_op(app, klaar, date(2026, 11, 2))
        _open(app, f"Oud open {n}", date(2026, 10, 6), spoor="samenwerking", jaar="2026-2027")
        _open(app, f"Nieuw {n}", date(2026, 11, 3))
    assert tellingen() == weinig


# --- htmx actions keep the whole page current ---------------------------------------------------


def _htmx(client, url, data):
    """POST as htmx does; return (response, parsed body)."""
    response = client.post(url, data, headers={"HX-Request": "true"})
    return response, BeautifulSoup(response.text, "html.parser")


def _versie(app, escalatie_id) -> int:
    """The escalation's current version."""
    with app.app_context():
        return db.session.get(Escalatie, escalatie_id).versie


def _oob_delen(soup) -> dict[str, object]:
    """The parts swapped out of band, by id (the flash area aside)."""
    return {el["id"]: el for el in soup.select("[data-hx-swap-oob]") if el["id"] != "meldingen"}


def test_resolve_with_htmx_updates_counts_and_lists(app, world, client):
    """Oplossen: the card moves to the resolved list and every counter follows, out of band."""
    laat = _open(app, "Reactie blijft uit", date(2026, 9, 1))  # past its termijn
    nu = _open(app, "Belmomenten gemist", date.today(), spoor="samenwerking")
    client.login("zorg@vlinder.example.nl")
    voor = client.soup(f"/scholen/{PO}/escalaties")
    assert _telling(voor)["Open"] == "2" and _telling(voor)["Termijn verstreken"] == "1"

    response, soup = _htmx(client, f"/scholen/{PO}/escalaties/{laat}/oplossen", {
        "versie": _versie(app, laat), "datum": date.today().isoformat(),
        "uitkomst": "Casemanager gekoppeld."})
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
    delen = _oob_delen(soup)
    assert set(delen) == {"escalaties-telling", "escalaties-open", "escalaties-opgelost"}
    assert _telling(soup) == {"Open": "1", "Termijn verstreken": "0",
                              "Geopend in 2026-2027": "2", "Opgelost in 2026-2027": "1"}
    assert _kaarten(soup, "open") == [nu] and _kaarten(soup, "opgelost") == [laat]
    kaart = soup.select_one(f"#escalatie-{laat}")
    assert kaart.select_one("[role=status]").get_text(strip=True) == "De escalatie is opgelost."
    with app.app_context():
        assert db.session.get(Escalatie, laat).opgelost_op == date.today()

    # Rendered like the page: the same counters and lists as a fresh page load.
    pagina = client.soup(f"/scholen/{PO}/escalaties")
    assert _telling(pagina) == _telling(soup)
    assert (_kaarten(pagina, "open"), _kaarten(pagina, "opgelost")) == ([nu], [laat])


def test_step_up_with_htmx_updates_the_overdue_count(app, world, client):
    """Opschalen starts a new termijn: 'Termijn verstreken' drops, the card shows step 2."""
    laat = _open(app, "Reactie blijft uit", date(2026, 9, 1))
    client.login("lars@llz.example.nl")
    response, soup = _htmx(client, f"/scholen/{PO}/escalaties/{laat}/opschalen", {
        "versie": _versie(app, laat), "datum": date.today().isoformat()})
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
    assert _telling(soup)["Termijn verstreken"] == "0"
    kaart = soup.select_one(f"#escalaties-open #escalatie-{laat}")
    assert "stap 2" in kaart.select_one(".escalatie__stap").get_text()
    assert "De escalatie is opgeschaald." in kaart.select_one("[role=status]").get_text()
    # The card's form now carries the new version: a second step-up is not a conflict.
    versie = kaart.select_one("form[action$='/opschalen'] input[name=versie]")["value"]
    assert int(versie) == _versie(app, laat)


def test_conflict_with_htmx_shows_the_current_state(app, world, client):
    """A stale version: 409, nothing changes, the card says so and the page is current."""
    laat = _open(app, "Reactie blijft uit", date(2026, 9, 1))
    oud = _versie(app, laat)
    _los_op(app, laat, date.today())  # someone else resolved it meanwhile
    client.login("lars@llz.example.nl")
    response, soup = _htmx(client, f"/scholen/{PO}/escalaties/{laat}/opschalen", {
        "versie": oud, "datum": date.today().isoformat()})
    assert response.status_code == 409 and response.headers["HX-Reswap"] == "none"
    assert _kaarten(soup, "open") == [] and _kaarten(soup, "opgelost") == [laat]
    assert soup.select_one(f"#escalatie-{laat} [role=alert]").get_text(
        strip=True) == CONFLICT_TEKST
    with app.app_context():
        assert db.session.get(Escalatie, laat).niveau == 1


def test_refused_resolve_form_with_htmx_stays_in_the_card(app, world, client):
    """An empty outcome: 422 with the form and its message in the card, nothing saved."""
    laat = _open(app, "Reactie blijft uit", date(2026, 9, 1))
    client.login("lars@llz.example.nl")
    url = f"/scholen/{PO}/escalaties/{laat}/oplossen"
    form = BeautifulSoup(client.get(url, headers={"HX-Request": "true"}).text, "html.parser")
    assert form.select_one("form")["data-hx-target"] == f"#escalatie-{laat}-actie"
    assert not client.soup(url).select("form[data-hx-post]")  # the page of its own: a plain form
    response, soup = _htmx(client, url, {"versie": _versie(app, laat),
                                         "datum": date.today().isoformat(), "uitkomst": ""})
    assert response.status_code == 422 and "HX-Reswap" not in response.headers
    assert soup.select_one("#uitkomst-fout") and soup.select_one("form[data-hx-post]")
    assert not _oob_delen(soup)
    with app.app_context():
        assert db.session.get(Escalatie, laat).opgelost_op is None


def test_actions_without_js_still_redirect(app, world, client):
    """The same forms without htmx: a redirect to the card, the change saved."""
    laat = _open(app, "Reactie blijft uit", date(2026, 9, 1))
    client.login("lars@llz.example.nl")
    response = client.post(f"/scholen/{PO}/escalaties/{laat}/opschalen", {
        "versie": _versie(app, laat), "datum": date.today().isoformat()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/scholen/{PO}/escalaties#escalatie-{laat}")
    with app.app_context():
        assert db.session.get(Escalatie, laat).niveau == 2


@pytest.mark.parametrize("htmx", [True, False])
def test_resolve_dated_before_the_step_keeps_what_was_typed(app, world, client, htmx):
    """A date before the current step: 422, the message at the date, the outcome kept."""
    laat = _open(app, "Reactie blijft uit", date(2026, 9, 1))
    client.login("lars@llz.example.nl")
    response = client.post(f"/scholen/{PO}/escalaties/{laat}/oplossen", {
        "versie": _versie(app, laat), "datum": "2026-08-31", "uitkomst": "Toch opgelost."},
        headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "vóór het begin van de huidige stap" in soup.select_one("#datum-fout").get_text()
    assert soup.select_one("#uitkomst").get_text().strip() == "Toch opgelost."
    assert (soup.select_one("html") is None) is htmx and not _oob_delen(soup)
    with app.app_context():
        assert db.session.get(Escalatie, laat).opgelost_op is None
