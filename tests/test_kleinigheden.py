"""Small things of issue 9: empty first option of required selects, the new-user password text,
no Omhoog on the first item, demo escalations opened by a demo person, concept first."""

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import select

from leerplicht.accounts.models import Gebruiker
from leerplicht.afspraken.models import Afspraak
from leerplicht.afspraken.regels import geef_akkoord, nieuwe_versie
from leerplicht.escalatie.models import Escalatie, Escalatiegebeurtenis, Routestap
from leerplicht.extensions import db
from leerplicht.scholen.models import School, Toewijzing

import factories as f
from test_access import _build_world, _tellingen, formulier, url_args


@pytest.fixture
def wereld(app):
    """The authorization matrix's world (two schools, every role) with its records for A."""
    with app.app_context():
        world = _build_world()
    return world, url_args(app, world)


def _url(app, endpoint, args) -> str:
    """The URL of an endpoint with the world's values for its variables."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{k: args[k] for k in rule.arguments})


def _als(make_client, world, role):
    """A client logged in as a role of the world."""
    client = make_client()
    client.login(world["emails"][role])
    return client


# --- required selects start with an empty placeholder -------------------------------------

PAGINAS_MET_KEUZELIJST = [
    ("accounts.gebruiker_nieuw", "beheerder"),
    ("accounts.gebruiker_bewerken", "beheerder"),
    ("afspraken.lijst", "llz_toegewezen"),
    ("escalatie.route_tonen", "llz_toegewezen"),
    ("escalatie.log", "llz_toegewezen"),
    ("scholen.nieuw", "beheerder"),
    ("contacten.wijzigen", "llz_toegewezen"),
]


@pytest.mark.parametrize(("endpoint", "role"), PAGINAS_MET_KEUZELIJST)
def test_verplichte_keuzelijst_begint_met_lege_keuze(app, wereld, make_client, endpoint, role):
    """Every required single select offers an empty, selectable '— kies —' first."""
    world, args = wereld
    soup = _als(make_client, world, role).soup(_url(app, endpoint, args))
    keuzelijsten = soup.select("select[required]:not([multiple])")
    assert keuzelijsten, endpoint
    for keuzelijst in keuzelijsten:
        eerste = keuzelijst.select_one("option")
        assert (eerste["value"], eerste.get_text(strip=True)) == ("", "— kies —"), keuzelijst


LEEG_GEKOZEN = [
    ("accounts.gebruiker_nieuw", "rol", "", "Kies een rol."),
    ("accounts.gebruiker_bewerken", "rol", "", "Kies een rol."),
    ("accounts.gebruiker_nieuw", "contactpersoon_id", "abc", "Ongeldige keuze"),
    ("afspraken.afspraak_nieuw", "wie", "", "Kies wie de afspraak uitvoert."),
    ("escalatie.route_stap_nieuw", "spoor", "", "Kies het spoor."),
    ("escalatie.route_stap_nieuw", "llz_rol", "", "Kies wie van Leerlingzaken deze stap zet."),
    ("escalatie.route_stap_nieuw", "school_rol", "",
     "Kies met wie van de school contact wordt gezocht."),
    ("escalatie.route_stap_nieuw", "wijze", "", "Kies hoe er contact wordt gezocht."),
    ("escalatie.sector_stap_nieuw", "wijze", "", "Kies hoe er contact wordt gezocht."),
    ("escalatie.openen", "spoor", "", "Kies het spoor."),
    ("scholen.nieuw", "sector", "", "Kies de sector."),
    ("scholen.nieuw", "llz_contact", "x1", "Ongeldige keuze"),
    ("contacten.wijzigen", "rol", "", "Kies de rol."),
]


@pytest.mark.parametrize(("endpoint", "veld", "waarde", "melding"), LEEG_GEKOZEN)
def test_lege_of_ongeldige_keuze_geeft_nette_fout(app, wereld, make_client, endpoint, veld,
                                                   waarde, melding):
    """The placeholder (or junk) submitted: 422, a Dutch message at the field, nothing saved."""
    world, args = wereld
    client = _als(make_client, world, "beheerder")
    data = {**formulier(app, world, endpoint, args), veld: waarde}
    voor = _tellingen(app)
    response = client.post(_url(app, endpoint, args), data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    fout = soup.select_one(f"#{veld}-fout")
    assert fout is not None and melding in fout.get_text(" ", strip=True)
    assert soup.select_one(f"#{veld}")["aria-invalid"] == "true"
    assert _tellingen(app) == voor


# --- the password field of the user form ------------------------------------------------------

def test_nieuwe_gebruiker_kiest_een_eerste_wachtwoord(app, wereld, make_client):
    """A new user has no password to keep: the field asks for a first one and is required."""
    world, args = wereld
    client = _als(make_client, world, "beheerder")
    nieuw = client.soup(_url(app, "accounts.gebruiker_nieuw", args))
    label = nieuw.select_one("label[for=wachtwoord]").get_text(" ", strip=True)
    hint = nieuw.select_one("#wachtwoord-hint").get_text(" ", strip=True)
    assert label.startswith("Eerste wachtwoord") and "(verplicht)" in label
    assert "12 tekens" in hint and "huidig" not in hint.lower()
    assert nieuw.select_one("#wachtwoord").has_attr("required")

    bewerken = client.soup(_url(app, "accounts.gebruiker_bewerken", args))
    assert "Laat leeg om het huidige wachtwoord te houden" in bewerken.select_one(
        "#wachtwoord-hint").get_text(" ", strip=True)
    assert not bewerken.select_one("#wachtwoord").has_attr("required")


def test_nieuwe_gebruiker_zonder_wachtwoord_wordt_geweigerd(app, wereld, make_client):
    """No password for a new user: 422 with the message at the field, no user made."""
    world, args = wereld
    client = _als(make_client, world, "beheerder")
    data = {**formulier(app, world, "accounts.gebruiker_nieuw", args), "wachtwoord": ""}
    response = client.post(_url(app, "accounts.gebruiker_nieuw", args), data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "Kies een wachtwoord voor de nieuwe gebruiker." in soup.select_one(
        "#wachtwoord-fout").get_text()
    with app.app_context():
        assert db.session.scalars(select(Gebruiker).filter_by(email=data["email"])).first() is None


# --- Omhoog / Omlaag at the ends -------------------------------------------------------------

def _knoppen(item) -> dict[str, bool]:
    """{'Omhoog': usable, 'Omlaag': usable} of one item's move buttons."""
    return {
        knop.find(string=True, recursive=False).strip(): not knop.has_attr("disabled")
        for knop in item.select("button")
        if knop.find(string=True, recursive=False).strip() in ("Omhoog", "Omlaag")
    }


def test_eerste_afspraak_niet_omhoog_laatste_niet_omlaag(app, wereld, make_client):
    """On the afsprakenlijst page, and in the htmx partial of one afspraak."""
    world, args = wereld
    client = _als(make_client, world, "llz_toegewezen")
    items = client.soup(_url(app, "afspraken.lijst", args)).select("#concept li.afspraak")
    assert len(items) > 2
    assert _knoppen(items[0]) == {"Omhoog": False, "Omlaag": True}
    assert _knoppen(items[1]) == {"Omhoog": True, "Omlaag": True}
    assert _knoppen(items[-1]) == {"Omhoog": True, "Omlaag": False}

    eerste_id = int(items[0]["id"].removeprefix("afspraak-"))
    fragment = client.get(_url(app, "afspraken.afspraak_weergave",
                               {**args, "afspraak_id": eerste_id}),
                          headers={"HX-Request": "true"})
    assert _knoppen(BeautifulSoup(fragment.text, "html.parser")) == {
        "Omhoog": False, "Omlaag": True}

    # The server ignores such a move anyway: nothing changes.
    with app.app_context():
        voor = [(a.id, a.positie, a.versie) for a in db.session.scalars(
            select(Afspraak).order_by(Afspraak.id))]
    response = client.post(_url(app, "afspraken.afspraak_verplaatsen",
                                {**args, "afspraak_id": eerste_id}), {"richting": "omhoog"})
    assert response.status_code == 302
    with app.app_context():
        assert [(a.id, a.positie, a.versie) for a in db.session.scalars(
            select(Afspraak).order_by(Afspraak.id))] == voor


def test_eerste_stap_niet_omhoog_laatste_niet_omlaag(app, wereld, make_client):
    """Per track of the route page, and in the htmx partial of the last step."""
    world, args = wereld
    client = _als(make_client, world, "llz_toegewezen")
    soup = client.soup(_url(app, "escalatie.route_tonen", args))
    sporen = soup.select("section.routespoor")
    assert len(sporen) == 2
    for spoor in sporen:
        stappen = spoor.select("li.routestap")
        assert len(stappen) >= 2
        assert _knoppen(stappen[0]) == {"Omhoog": False, "Omlaag": True}
        assert _knoppen(stappen[-1]) == {"Omhoog": True, "Omlaag": False}
        for stap in stappen[1:-1]:
            assert _knoppen(stap) == {"Omhoog": True, "Omlaag": True}

    laatste_id = int(sporen[0].select("li.routestap")[-1]["id"].removeprefix("stap-"))
    fragment = client.get(_url(app, "escalatie.route_stap_weergave",
                               {**args, "stap_id": laatste_id}),
                          headers={"HX-Request": "true"})
    assert _knoppen(BeautifulSoup(fragment.text, "html.parser")) == {
        "Omhoog": True, "Omlaag": False}

    with app.app_context():
        voor = [(s.id, s.positie, s.versie) for s in db.session.scalars(
            select(Routestap).order_by(Routestap.id))]
    response = client.post(_url(app, "escalatie.route_stap_verplaatsen",
                                {**args, "stap_id": laatste_id}),
                           {"richting": "omlaag", "versie": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert [(s.id, s.positie, s.versie) for s in db.session.scalars(
            select(Routestap).order_by(Routestap.id))] == voor


# --- demo escalations --------------------------------------------------------------------------

def test_demo_escalaties_geopend_door_een_demopersoon(app, runner):
    """Every demo escalation and each of its events names a contact person of that school."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        escalaties = db.session.scalars(select(Escalatie)).all()
        assert escalaties
        for escalatie in escalaties:
            mensen = {t.contactpersoon.naam: t.contactpersoon.kant for t in db.session.scalars(
                select(Toewijzing).where(Toewijzing.school_id == escalatie.school_id))}
            assert mensen.get(escalatie.geopend_door_naam) == escalatie.geopend_door_kant
            gebeurtenissen = db.session.scalars(select(Escalatiegebeurtenis).where(
                Escalatiegebeurtenis.escalatie_id == escalatie.id)).all()
            assert {g.door_naam for g in gebeurtenissen} <= set(mensen)
        assert {e.geopend_door_kant for e in escalaties} == {"llz", "school"}


# --- afsprakenlijst page: the concept first -------------------------------------------------

def _vastgesteld_met_concept(app, world, concept: bool) -> None:
    """School A: version 1 vastgesteld and, when asked, a concept version 2."""
    with app.app_context():
        school = db.session.get(School, world["a_id"])
        lijst = f.afsprakenlijst(school, f.huidig_schooljaar())
        geef_akkoord(lijst, "llz", world["ids"]["llz_toegewezen"], None)
        geef_akkoord(lijst, "school", world["ids"]["school_eigen"], None)
        if concept:
            nieuwe_versie(lijst, 2)
        db.session.commit()


@pytest.mark.parametrize("role", ["llz_toegewezen", "school_eigen"])
def test_concept_staat_boven_de_geldende_versie(app, make_client, role):
    """While version 2 is a concept it comes first; version 1 follows, folded in <details>."""
    with app.app_context():
        world = _build_world()
    _vastgesteld_met_concept(app, world, concept=True)
    soup = _als(make_client, world, role).soup(f"/scholen/{world['a']}/afsprakenlijst")
    concept, geldend = soup.select_one("#concept"), soup.select_one("section.geldend")
    assert concept is not None and geldend is not None
    volgorde = [el for el in soup.select("#concept, section.geldend")]
    assert volgorde == [concept, geldend]
    inklapbaar = geldend.find_parent("details")
    assert inklapbaar is not None and not inklapbaar.has_attr("open")
    assert "versie 1" in inklapbaar.select_one("summary").get_text()
    assert geldend.select(".afspraak__titel")
    assert soup.select("#concept .afspraak__titel")


def test_zonder_concept_staat_de_geldende_versie_open(app, make_client):
    """Without a concept, the vastgestelde version is shown as before: open, with its heading."""
    with app.app_context():
        world = _build_world()
    _vastgesteld_met_concept(app, world, concept=False)
    soup = _als(make_client, world, "llz_toegewezen").soup(
        f"/scholen/{world['a']}/afsprakenlijst")
    geldend = soup.select_one("section.geldend")
    assert geldend.find_parent("details") is None
    assert soup.select_one("#concept") is None
    assert "Geldende afspraken (versie 1)" in geldend.select_one("h2").get_text()
