"""Escalatieroutes (default per sector, adapted per school), the escalation log, stepping up,
resolving and termijnen in werkdagen."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.schooljaar import start_schooljaar
from leerplicht.escalatie.models import Escalatie, Routestap
from leerplicht.escalatie.queries import overzichten, route_secties
from leerplicht.escalatie.regels import (
    Regelfout,
    bewaking,
    content_routes,
    los_op,
    open_escalatie,
    routes_voor,
    schaal_op,
)
from leerplicht.extensions import db
from leerplicht.scholen.contactregels import Wijziging, voer_uit
from leerplicht.scholen.models import Contactrol, Kant, School
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar
from leerplicht.termijnen.kalender import kalender
from leerplicht.termijnen.models import Sluitingsdag
from leerplicht.werkdagen import Werkdagkalender

import factories as f


@pytest.fixture
def world(app):
    """A PO and a VO school with LLZ contacts, school contacts, directors and users."""
    with app.app_context():
        f.schooljaar("2026-2027")
        po = f.school(naam="Basisschool De Vlinder", code="21XA00", sector="PO")
        vo = f.school(naam="Zeevliet College", code="31XF00", sector="VO")
        f.persoon("Anouk Verbeek", teamleider=True, telefoon="070-1111111")
        lars = f.persoon("Lars Leerplicht", telefoon="06-11111111")
        for school in (po, vo):
            f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
            f.toewijzing(school, f.persoon(f"Zorg {school.code}", kant=Kant.SCHOOL),
                         Contactrol.SCHOOL_CONTACT)
        f.toewijzing(po, f.persoon("Dirk Directeur", kant=Kant.SCHOOL), Contactrol.DIRECTEUR)
        nina = f.persoon("Nina Nieuw", telefoon="06-22222222")
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars, naam="Lars Leerplicht")
        f.gebruiker(Rol.LLZ, "anna@llz.example.nl", contactpersoon=f.persoon("Anna"))
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[po], naam="Zora Zorg")
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()
        return {"po": "21XA00", "vo": "31XF00", "po_id": po.id, "vo_id": vo.id,
                "nina_id": nina.id}


def _school(code):
    """The school with its contacts loaded."""
    school_id = db.session.scalar(select(School.id).where(School.code == code))
    (school,) = laad_scholen([school_id])
    return school


def _jaar():
    """The current schooljaar."""
    return db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()


def _stappen(app, code) -> list[tuple]:
    """The school's own steps as (spoor, positie, llz_rol, school_rol, termijn)."""
    with app.app_context():
        school = _school(code)
        return [(s.spoor, s.positie, s.llz_rol, s.school_rol, s.termijn_werkdagen)
                for s in db.session.scalars(
                    select(Routestap).where(Routestap.school_id == school.id)
                    .order_by(Routestap.spoor, Routestap.positie))]


# --- routes -----------------------------------------------------------------------------------


def test_default_route_per_sector_from_content(app, world):
    """PO follows the general default; VO has its own content track for inhoud."""
    with app.app_context():
        po, vo = _school(world["po"]), _school(world["vo"])
        routes = routes_voor([po, vo], _jaar())
        assert routes[po.id].bron == routes[vo.id].bron == "content"
        assert [s.llz_rol for s in routes[po.id].spoor("inhoud")] == [
            "llz_contact", "teamleider", "teamleider"]
        assert "JES" in routes[vo.id].spoor("inhoud")[0].toelichting
        # A track the sector does not name follows the general default.
        assert routes[vo.id].spoor("samenwerking") == routes[po.id].spoor("samenwerking")


def test_content_routes_only_valid_roles():
    """Every step in the content file has an LLZ role on the left and a school role right."""
    for sporen in content_routes().values():
        for stappen in sporen.values():
            assert stappen
            for stap in stappen:
                assert stap.llz_rol_enum.kant == "llz" and stap.school_rol_enum.kant == "school"


def test_route_resolves_to_current_contact_persons(app, world):
    """When the LLZ contact changes, the route shows the new person's name and phone."""
    with app.app_context():
        school = _school(world["po"])
        eerste = route_secties([school], _jaar())[school.id].sporen["inhoud"][0]
        assert eerste.llz.naam == "Lars Leerplicht"
        assert eerste.school.naam == f"Zorg {world['po']}"
        voer_uit(Wijziging(school.id, Contactrol.LLZ_CONTACT, world["nina_id"],
                           date.today(), date(2026, 8, 1), reden="test"))
        db.session.commit()
        school = _school(world["po"])
        eerste = route_secties([school], _jaar())[school.id].sporen["inhoud"][0]
        assert (eerste.llz.naam, eerste.llz.telefoon) == ("Nina Nieuw", "06-22222222")
        teamleider = route_secties([school], _jaar())[school.id].sporen["inhoud"][1].llz
        assert teamleider.naam == "Anouk Verbeek"


def test_missing_roles_are_counted_and_shown(app, world, client):
    """The VO school has no director: the route and the dossier say so."""
    with app.app_context():
        school = _school(world["vo"])
        assert route_secties([school], _jaar())[school.id].ontbrekend == 2
    client.login("lars@llz.example.nl")
    soup = client.soup(f"/scholen/{world['vo']}")
    sectie = soup.select_one("#sectie-escalatieroute")
    assert "2 rollen in de route" in sectie.get_text()
    assert len(sectie.select(".utrecht-status-badge--warning")) == 2


def test_route_page_has_tel_and_mailto_for_every_person(world, client):
    """Every contact on the route can be called or mailed directly."""
    client.login("zorg@vlinder.example.nl")
    soup = client.soup(f"/scholen/{world['po']}/escalatieroute")
    personen = soup.select(".routestap .routepersoon")
    assert personen
    for persoon in personen:
        assert persoon.select_one("a[href^='tel:']") and persoon.select_one("a[href^='mailto:']")
    assert soup.select_one("a[href='tel:0701111111']")  # the team leader, spaces and dashes out
    # A school user sees the route but no controls to change it.
    assert not soup.select("form[action*='/escalatieroute/']")


def _aanpassen(client, code):
    """Start the school's own route through the page's button."""
    response = client.post(f"/scholen/{code}/escalatieroute/aanpassen")
    assert response.status_code == 302


def test_adapt_route_copies_default_once(app, world, client):
    """'Aanpassen' copies the sector route into the school; a second click adds nothing."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    _aanpassen(client, world["po"])
    stappen = _stappen(app, world["po"])
    assert len(stappen) == 5
    with app.app_context():
        school = _school(world["po"])
        assert routes_voor([school], _jaar())[school.id].bron == "school"


def test_edit_step_inline_with_htmx_and_without_js(app, world, client):
    """Both ways save the step; htmx gets the step partial, no-JS a redirect."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    with app.app_context():
        stap = db.session.scalars(select(Routestap).where(Routestap.positie == 0,
                                                          Routestap.spoor == "inhoud")).one()
        stap_id, versie = stap.id, stap.versie
    url = f"/scholen/{world['po']}/escalatieroute/stappen/{stap_id}"
    form = BeautifulSoup(client.get(url, headers={"HX-Request": "true"}).text, "html.parser")
    assert form.find("html") is None and form.select_one("form[data-hx-post]")
    data = {"versie": versie, "spoor": "inhoud", "llz_rol": "llz_vervanger",
            "school_rol": "school_contact", "wijze": "email", "termijn_werkdagen": "3",
            "toelichting": "Eerst mailen."}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    part = BeautifulSoup(response.text, "html.parser")
    assert "per e-mail" in part.select_one(".routestap__titel").get_text()
    assert _stappen(app, world["po"])[0] == ("inhoud", 0, "llz_vervanger", "school_contact", 3)
    response = client.post(url, {**data, "versie": versie + 1, "termijn_werkdagen": "4"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#stap-{stap_id}")
    assert _stappen(app, world["po"])[0][4] == 4


@pytest.mark.parametrize(
    ("veld", "waarde", "melding"),
    [
        ("termijn_werkdagen", "0", "1 tot en met 60"),
        ("termijn_werkdagen", "61", "1 tot en met 60"),
        ("termijn_werkdagen", "vijf", "Ongeldig getal"),
        ("llz_rol", "directeur", "Ongeldige keuze"),
        ("school_rol", "teamleider", "Ongeldige keuze"),
        ("toelichting", "BSN 111222333", "burgerservicenummer"),
        ("toelichting", "x" * 301, "korter dan 300"),
    ],
)
def test_step_bad_input(app, world, client, veld, waarde, melding):
    """Bad input: 422, the message next to the field, nothing saved."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    voor = _stappen(app, world["po"])
    data = {"spoor": "inhoud", "llz_rol": "llz_contact", "school_rol": "school_contact",
            "wijze": "telefoon", "termijn_werkdagen": "5", "toelichting": "", veld: waarde}
    response = client.post(f"/scholen/{world['po']}/escalatieroute/stappen/nieuw", data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    fout = soup.select_one(f"#{veld}-fout")
    assert fout is not None and melding in fout.get_text()
    assert soup.select_one(f"#{veld}")["aria-invalid"] == "true"
    assert _stappen(app, world["po"]) == voor


def test_add_reorder_delete_steps(app, world, client):
    """Add a step (htmx), move it up (no-JS), delete it; the last step of a track stays."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    response = client.post(f"/scholen/{world['po']}/escalatieroute/stappen/nieuw", {
        "spoor": "samenwerking", "llz_rol": "teamleider", "school_rol": "directeur",
        "wijze": "overleg", "termijn_werkdagen": "15", "toelichting": "Met het bestuur erbij."},
        headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert BeautifulSoup(response.text, "html.parser").select_one("#route")
    with app.app_context():
        nieuw = db.session.scalars(select(Routestap).where(
            Routestap.termijn_werkdagen == 15)).one()
        nieuw_id = nieuw.id
    assert [s[4] for s in _stappen(app, world["po"]) if s[0] == "samenwerking"] == [10, 10, 15]
    client.post(f"/scholen/{world['po']}/escalatieroute/stappen/{nieuw_id}/verplaatsen",
                {"richting": "omhoog"})
    assert [s[4] for s in _stappen(app, world["po"]) if s[0] == "samenwerking"] == [10, 15, 10]
    with app.app_context():
        stappen = db.session.scalars(select(Routestap).where(
            Routestap.spoor == "samenwerking", Routestap.school_id.is_not(None))).all()
        ids = {s.id: s.versie for s in stappen}
    for stap_id, versie in ids.items():
        client.post(f"/scholen/{world['po']}/escalatieroute/stappen/{stap_id}/verwijderen",
                    {"versie": versie})
    # Two were removed; the last one is kept with a clear message.
    assert len([s for s in _stappen(app, world["po"]) if s[0] == "samenwerking"]) == 1
    soup = client.soup(f"/scholen/{world['po']}/escalatieroute")
    assert "minstens één stap" in soup.select_one(".utrecht-alert--error").get_text()


def test_restore_default_needs_confirmation(app, world, client):
    """'Terug naar de standaardroute' drops the own steps only with its confirmation field."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    url = f"/scholen/{world['po']}/escalatieroute/herstellen"
    assert client.post(url).status_code == 400
    assert len(_stappen(app, world["po"])) == 5
    assert client.post(url, {"bevestigd": "ja"}).status_code == 302
    assert _stappen(app, world["po"]) == []


def test_step_of_other_school_is_404(app, world, client):
    """A step id of another school cannot be reached through this school's URL."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["vo"])
    _aanpassen(client, world["po"])
    with app.app_context():
        vo_stap = db.session.scalars(select(Routestap).join(School).where(
            School.code == world["vo"])).first()
    assert client.get(f"/scholen/{world['po']}/escalatieroute/stappen/{vo_stap.id}"
                      ).status_code == 404


def test_beheerder_adapts_sector_default(app, world, client):
    """The beheerder's version of the PO route applies to PO schools without their own."""
    client.login("beheer@llz.example.nl")
    assert client.post("/beheer/escalatieroutes/PO/aanpassen").status_code == 302
    with app.app_context():
        stap = db.session.scalars(select(Routestap).where(
            Routestap.sector == "PO", Routestap.positie == 0,
            Routestap.spoor == "inhoud")).one()
        stap_id, versie = stap.id, stap.versie
    client.post(f"/beheer/escalatieroutes/PO/stappen/{stap_id}", {
        "versie": versie, "spoor": "inhoud", "llz_rol": "llz_contact",
        "school_rol": "school_vervanger", "wijze": "telefoon", "termijn_werkdagen": "2",
        "toelichting": ""})
    with app.app_context():
        po, vo = _school(world["po"]), _school(world["vo"])
        routes = routes_voor([po, vo], _jaar())
        assert routes[po.id].bron == "sector" and routes[vo.id].bron == "content"
        assert routes[po.id].spoor("inhoud")[0].termijn_werkdagen == 2
    assert client.get("/beheer/escalatieroutes/XX").status_code == 404


def test_rollover_carries_own_routes(app, world, client):
    """Opening the next schooljaar copies the school's own route once."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    with app.app_context():
        start_schooljaar("2027-2028", date(2027, 6, 1))
        start_schooljaar("2027-2028", date(2027, 6, 1))
        nieuw = db.session.scalars(select(Schooljaar).where(
            Schooljaar.naam == "2027-2028")).one()
        assert db.session.scalar(select(func.count(Routestap.id)).where(
            Routestap.schooljaar_id == nieuw.id)) == 5


# --- escalations ------------------------------------------------------------------------------


def _open(app, code, spoor="inhoud", datum=date(2026, 11, 2)):
    """Open an escalation directly; return its id."""
    with app.app_context():
        school = _school(code)
        route = routes_voor([school], _jaar())[school.id]
        escalatie = open_escalatie(school, _jaar(), route, spoor, "Reactie blijft uit", datum,
                                   "Lars", "llz")
        db.session.commit()
        return escalatie.id


def test_open_escalation_through_the_form(app, world, client):
    """The school opens one: step 1 with the first step's termijn, roles and a timeline."""
    client.login("zorg@vlinder.example.nl")
    response = client.post(f"/scholen/{world['po']}/escalaties/nieuw", {
        "spoor": "samenwerking", "onderwerp": "Belmomenten worden gemist",
        "datum": date.today().isoformat()})
    assert response.status_code == 302
    with app.app_context():
        escalatie = db.session.scalars(select(Escalatie)).one()
        assert (escalatie.niveau, escalatie.stap_termijn, escalatie.geopend_door_naam,
                escalatie.geopend_door_kant) == (1, 10, "Zora Zorg", "school")
        assert [g.soort for g in escalatie.gebeurtenissen] == ["geopend"]
    soup = client.soup(f"/scholen/{world['po']}/escalaties")
    kaart = soup.select_one(f"#escalatie-{escalatie.id}")
    assert "Belmomenten worden gemist" in kaart.get_text()
    assert kaart.select_one("form[action$='/opschalen']")


@pytest.mark.parametrize(
    ("data", "veld", "melding"),
    [
        ({"onderwerp": ""}, "onderwerp", "kort onderwerp"),
        ({"onderwerp": "Leerling met BSN 111.222.333"}, "onderwerp", "burgerservicenummer"),
        ({"onderwerp": "x" * 161}, "onderwerp", "korter dan 160"),
        ({"datum": "2099-01-01"}, "datum", "toekomst"),
        ({"datum": "31-02-2026"}, "datum", "geldige datum"),
        ({"spoor": "iets"}, "spoor", ""),
    ],
)
def test_open_escalation_bad_input(app, world, client, data, veld, melding):
    """Bad input: 422 with the message at the field; nothing stored."""
    client.login("lars@llz.example.nl")
    form = {"spoor": "inhoud", "onderwerp": "Reactie blijft uit",
            "datum": date.today().isoformat(), **data}
    response = client.post(f"/scholen/{world['po']}/escalaties/nieuw", form)
    assert response.status_code == 422
    fout = BeautifulSoup(response.text, "html.parser").select_one(f"#{veld}-fout")
    assert fout is not None and melding in fout.get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count(Escalatie.id))) == 0


def test_step_up_and_resolve_rules(app, world):
    """Steps follow the route; the last step cannot go further; dates are checked."""
    escalatie_id = _open(app, world["po"])
    with app.app_context():
        school = _school(world["po"])
        route = routes_voor([school], _jaar())[school.id]
        escalatie = db.session.get(Escalatie, escalatie_id)
        vandaag = date(2026, 11, 23)
        with pytest.raises(Regelfout, match="vóór het begin"):
            schaal_op(escalatie, route, date(2026, 11, 1), "Lars", "", vandaag)
        with pytest.raises(Regelfout, match="toekomst"):
            schaal_op(escalatie, route, date(2026, 11, 24), "Lars", "", vandaag)
        schaal_op(escalatie, route, date(2026, 11, 10), "Lars", "geen reactie", vandaag)
        assert (escalatie.niveau, escalatie.stap_llz_rol, escalatie.stap_termijn) == (
            2, "teamleider", 5)
        schaal_op(escalatie, route, date(2026, 11, 17), "Lars", "", vandaag)
        assert (escalatie.niveau, escalatie.stap_school_rol, escalatie.stap_termijn) == (
            3, "directeur", 2)
        with pytest.raises(Regelfout, match="laatste stap"):
            schaal_op(escalatie, route, date(2026, 11, 18), "Lars", "", vandaag)
        los_op(escalatie, date(2026, 11, 19), "Afspraak gemaakt", "Lars", vandaag)
        assert not escalatie.is_open
        with pytest.raises(Regelfout, match="al opgelost"):
            los_op(escalatie, date(2026, 11, 20), "nog eens", "Lars", vandaag)
        assert [g.soort for g in escalatie.gebeurtenissen] == [
            "geopend", "opgeschaald", "opgeschaald", "opgelost"]


@pytest.mark.parametrize(
    ("stap_sinds", "termijn", "sluitingsdagen", "vandaag", "uiterlijk", "over"),
    [
        # Monday + 5 werkdagen = next Monday; on that day the termijn is not yet over.
        (date(2026, 11, 2), 5, (), date(2026, 11, 9), date(2026, 11, 9), 0),
        (date(2026, 11, 2), 5, (), date(2026, 11, 10), date(2026, 11, 9), -1),
        # Over Christmas and New Year: 24 Dec + 5 = 4 Jan 2027.
        (date(2026, 12, 24), 5, (), date(2027, 1, 4), date(2027, 1, 4), 0),
        # Tweede paasdag 2027 (29 March) does not count; Goede vrijdag only when configured.
        (date(2027, 3, 25), 2, (), date(2027, 3, 26), date(2027, 3, 30), 1),
        (date(2027, 3, 25), 2, (date(2027, 3, 26),), date(2027, 3, 26), date(2027, 3, 31), 2),
        # 5 May 2027 (not a lustrum year) and Hemelvaartsdag (6 May 2027) do not count.
        (date(2027, 5, 4), 1, (), date(2027, 5, 4), date(2027, 5, 7), 1),
    ],
)
def test_overdue_in_werkdagen(app, world, stap_sinds, termijn, sluitingsdagen, vandaag,
                              uiterlijk, over):
    """The last day of a step and how many werkdagen are left (negative: late)."""
    escalatie = Escalatie(stap_sinds=stap_sinds, stap_termijn=termijn, opgelost_op=None)
    stand = bewaking(escalatie, Werkdagkalender(sluitingsdagen), vandaag)
    assert (stand.uiterlijk, stand.werkdagen_over, stand.te_laat) == (uiterlijk, over, over < 0)
    escalatie.opgelost_op = vandaag
    assert bewaking(escalatie, Werkdagkalender(), vandaag) is None


def test_sluitingsdag_moves_the_deadline_in_the_app(app, world):
    """A configured sluitingsdag is read by the app's kalender()."""
    with app.app_context():
        db.session.add(Sluitingsdag(datum=date(2027, 3, 26), omschrijving="Goede vrijdag"))
        db.session.commit()
        assert not kalender().is_werkdag(date(2027, 3, 26))
        assert kalender().plus_werkdagen(date(2027, 3, 25), 1) == date(2027, 3, 30)


def test_step_up_and_resolve_through_htmx_and_forms(app, world, client):
    """Opschalen swaps the card (htmx); oplossen works as a plain form with a redirect."""
    escalatie_id = _open(app, world["po"], datum=date.today())
    client.login("zorg@vlinder.example.nl")
    with app.app_context():
        versie = db.session.get(Escalatie, escalatie_id).versie
    url = f"/scholen/{world['po']}/escalaties/{escalatie_id}"
    response = client.post(f"{url}/opschalen", {"versie": versie,
                                                "datum": date.today().isoformat()},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    kaart = BeautifulSoup(response.text, "html.parser").select_one("article.escalatie")
    assert "stap 2" in kaart.select_one(".escalatie__stap").get_text()
    # The same (now stale) version again: a conflict, nothing changes.
    again = client.post(f"{url}/opschalen", {"versie": versie,
                                             "datum": date.today().isoformat()},
                        headers={"HX-Request": "true"})
    assert again.status_code == 409
    with app.app_context():
        escalatie = db.session.get(Escalatie, escalatie_id)
        assert escalatie.niveau == 2
        versie = escalatie.versie
    page = client.soup(f"{url}/oplossen")
    assert page.select_one("form textarea[name=uitkomst]")
    bad = client.post(f"{url}/oplossen", {"versie": versie, "datum": date.today().isoformat(),
                                          "uitkomst": ""})
    assert bad.status_code == 422
    response = client.post(f"{url}/oplossen", {"versie": versie,
                                               "datum": date.today().isoformat(),
                                               "uitkomst": "Nieuwe afspraak gemaakt."})
    assert response.status_code == 302
    with app.app_context():
        escalatie = db.session.get(Escalatie, escalatie_id)
        assert escalatie.opgelost_op == date.today() and escalatie.uitkomst.startswith("Nieuwe")


def test_last_step_has_no_step_up_button(app, world, client):
    """At the last step the card points to the rode knop instead of a button that fails."""
    escalatie_id = _open(app, world["po"], spoor="samenwerking", datum=date(2026, 9, 1))
    with app.app_context():
        escalatie = db.session.get(Escalatie, escalatie_id)
        school = _school(world["po"])
        schaal_op(escalatie, routes_voor([school], _jaar())[school.id], date(2026, 9, 2),
                  "Lars", "", date(2026, 9, 3))
        db.session.commit()
    client.login("lars@llz.example.nl")
    kaart = client.soup(f"/scholen/{world['po']}/escalaties").select_one(
        f"#escalatie-{escalatie_id}")
    assert not kaart.select("form[action$='/opschalen']")
    assert "rode knop" in kaart.select_one(".escalatie__laatste").get_text()


def test_overview_lists_open_escalations_overdue_first(app, world, client, make_client):
    """LLZ sees every open escalation, the late ones first; 'mijn' narrows to own schools."""
    _open(app, world["vo"], datum=date(2026, 9, 1))  # long overdue
    _open(app, world["po"], datum=date.today())
    client.login("lars@llz.example.nl")
    rows = client.soup("/escalaties").select("table.escalaties tbody tr")
    assert [r.select_one("td a").get_text() for r in rows] == ["Zeevliet College",
                                                               "Basisschool De Vlinder"]
    assert "te laat" in rows[0].get_text()
    anna = make_client()
    anna.login("anna@llz.example.nl")
    assert anna.soup("/escalaties?mijn=1").select("table.escalaties tbody tr") == []
    assert len(anna.soup("/escalaties").select("table.escalaties tbody tr")) == 2


def test_dossier_sections_and_counts(app, world, client):
    """The dossier shows the route and the counts; the export leaves the log out."""
    escalatie_id = _open(app, world["po"], datum=date(2026, 9, 1))
    _open(app, world["po"], spoor="samenwerking", datum=date.today())
    with app.app_context():
        school = _school(world["po"])
        telling = overzichten([school], _jaar())[school.id].telling
        assert (telling.geopend, telling.open, telling.te_laat) == (2, 2, 1)
        assert telling.per_spoor == {"inhoud": 1, "samenwerking": 1}
    client.login("zorg@vlinder.example.nl")
    soup = client.soup(f"/scholen/{world['po']}")
    sectie = soup.select_one("#sectie-escalaties")
    assert "1 over de termijn" in sectie.get_text()
    assert sectie.select_one(f"a[href$='#escalatie-{escalatie_id}']")
    assert soup.select_one("#sectie-escalatieroute .routeoverzicht")
    with app.test_request_context():
        from flask import render_template

        from leerplicht.scholen.dossier import bouw_dossiers, secties

        with app.app_context():
            school = _school(world["po"])
            (dossier,) = bouw_dossiers([school], _jaar())
            html = render_template("scholen/_dossier_pagina.html", dossier=dossier, school=school,
                                   secties=secties(), mag_bewerken=False, mag_deelnemen=False,
                                   export=True)
    export = BeautifulSoup(html, "html.parser")
    assert export.select_one("#sectie-escalatieroute") is not None
    assert export.select_one("#sectie-escalaties") is None


def test_dossier_query_count_with_escalations_is_bounded(app, world, client, query_counter):
    """More escalations do not mean more queries on the dossier page."""
    client.login("lars@llz.example.nl")
    _open(app, world["po"])
    client.get(f"/scholen/{world['po']}")
    with query_counter() as few:
        client.get(f"/scholen/{world['po']}")
    for _ in range(8):
        _open(app, world["po"])
    with query_counter() as many:
        client.get(f"/scholen/{world['po']}")
    assert few.count == many.count


# --- sluitingsdagen ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("datum", "melding"),
    [
        ("2026-12-25", "Eerste kerstdag"),
        ("2026-11-28", "zaterdag"),
        ("1999-01-01", "tussen 2000 en 2100"),
        ("0226-03-01", "tussen 2000 en 2100"),  # outside the holiday calendar: no 500
        ("", "geldige datum"),
    ],
)
def test_sluitingsdag_bad_input(app, world, client, datum, melding):
    """A day that already does not count, or no date: refused with the reason."""
    client.login("beheer@llz.example.nl")
    response = client.post("/beheer/sluitingsdagen", {"datum": datum, "omschrijving": "Vrij"})
    assert response.status_code == 422
    assert melding in BeautifulSoup(response.text, "html.parser").select_one(
        "#datum-fout").get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count(Sluitingsdag.id))) == 0


def test_sluitingsdag_add_twice_and_remove(app, world, client):
    """Goede vrijdag is added once; a second time is refused; removing works."""
    client.login("beheer@llz.example.nl")
    data = {"datum": "2027-03-26", "omschrijving": "Goede vrijdag"}
    assert client.post("/beheer/sluitingsdagen", data).status_code == 302
    again = client.post("/beheer/sluitingsdagen", data)
    assert again.status_code == 422 and "al in de lijst" in again.text
    with app.app_context():
        dag_id = db.session.scalars(select(Sluitingsdag.id)).one()
    assert client.post(f"/beheer/sluitingsdagen/{dag_id}/verwijderen").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Sluitingsdag.id))) == 0


def test_beheer_page_lists_incomplete_rode_knop(world, client):
    """The beheerder's overview names the school without a director."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/beheer")
    items = [li.get_text(" ", strip=True) for li in soup.select("#kop-rode-knop ~ ul li")]
    assert len(items) == 1 and items[0].startswith("Zeevliet College")


def test_llz_home_shows_status_of_own_schools(app, world, client):
    """The LLZ start page shows per own school the list's termijn and overdue escalations."""
    _open(app, world["vo"], datum=date(2026, 9, 1))
    client.login("lars@llz.example.nl")
    rows = client.soup("/").select("table.cockpit tbody tr")
    cells = {r.select_one("th a").get_text(): r for r in rows}
    assert set(cells) == {"Basisschool De Vlinder", "Zeevliet College"}
    escalaties = cells["Zeevliet College"].select_one("td[data-kolom=escalaties]").get_text()
    assert "1 open" in escalaties and "1 over de termijn" in escalaties
    assert "geen" in cells["Basisschool De Vlinder"].select_one(
        "td[data-kolom=escalaties]").get_text()
    assert cells["Zeevliet College"].select_one(
        "td[data-kolom=afsprakenlijst] .utrecht-status-badge")


def test_beheer_page_without_team_leader_says_no_rode_knop_is_complete(app, world, client):
    """Without a team leader no school's rode knop works: one clear message."""
    from leerplicht.scholen.models import Contactpersoon

    with app.app_context():
        for leider in db.session.scalars(select(Contactpersoon).where(
                Contactpersoon.teamleider.is_(True))):
            leider.teamleider = False
        db.session.commit()
    client.login("beheer@llz.example.nl")
    soup = client.soup("/beheer")
    assert "geen teamleider" in soup.select_one("#kop-rode-knop ~ .utrecht-alert").get_text()


def test_history_shows_route_and_escalation_changes(app, world, client):
    """Adapting the route and opening an escalation appear in the dossier's history."""
    client.login("lars@llz.example.nl")
    _aanpassen(client, world["po"])
    client.post(f"/scholen/{world['po']}/escalaties/nieuw", {
        "spoor": "inhoud", "onderwerp": "Reactie blijft uit", "datum": date.today().isoformat()})
    rows = client.soup(f"/scholen/{world['po']}/geschiedenis").select("tbody tr")
    tekst = " ".join(r.get_text(" ", strip=True) for r in rows)
    assert "Escalatieroute" in tekst and "Escalatie" in tekst and "Lars Leerplicht" in tekst
