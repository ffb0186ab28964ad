"""People belong to their school: choices, refused foreign ids, linking; the warm handover."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.scholen.contactregels import Wijziging, contactwissels, voer_uit
from leerplicht.scholen.models import (
    Contactpersoon,
    Contactrol,
    Kant,
    School,
    Toewijzing,
    contactpersoon_school,
)

import factories as f

URL = "/scholen/{}/contactpersonen/wijzigen"


@pytest.fixture
def world(app):
    """Schools A and A2 of one bestuur, school B of another; each with its own people."""
    with app.app_context():
        f.schooljaar("2026-2027")
        a = f.school(naam="Alfa", code="11AA00", bestuur="Stichting Een")
        a2 = f.school(naam="Alfa Twee", code="11AA01", bestuur="Stichting Een")
        b = f.school(naam="Bravo", code="22BB00", bestuur="Stichting Twee")
        lia = f.persoon("Lia Leerplicht")
        f.toewijzing(a, lia, Contactrol.LLZ_CONTACT)
        f.toewijzing(a, f.persoon("Anna Alfa", kant=Kant.SCHOOL, functie="Zorgcoördinator"),
                     Contactrol.SCHOOL_CONTACT)
        tweede = f.persoon("Tom Tweede", kant=Kant.SCHOOL, functie="Verzuimcoördinator")
        f.toewijzing(a2, tweede, Contactrol.SCHOOL_CONTACT)
        bea = f.persoon("Bea Bravo", kant=Kant.SCHOOL, functie="Locatiedirecteur",
                        email="bea@bravo.example.nl", telefoon="06-99887766")
        f.toewijzing(b, bea, Contactrol.DIRECTEUR)
        f.gebruiker(Rol.SCHOOL, "a@alfa.example.nl", scholen=[a])
        f.gebruiker(Rol.SCHOOL, "b@bravo.example.nl", scholen=[b])
        f.gebruiker(Rol.LLZ, "lia@llz.example.nl", contactpersoon=lia)
        db.session.commit()
        return {"a": a.id, "a2": a2.id, "b": b.id, "bea": bea.id, "tom": tweede.id,
                "lia": lia.id}


def _formulier(**data) -> dict:
    """A complete, valid change form; `data` overrides fields."""
    form = {"rol": "directeur", "contactpersoon_id": "0", "naam": "", "functie": "",
            "email": "", "telefoon": "", "ingang": "2027-01-01", "aangekondigd": "2026-11-01",
            "warme_overdracht": "", "reden": ""}
    form.update(data)
    return form


def _keuzes(client, code="11AA00") -> dict[str, str]:
    """The person choices of the change form: value -> label."""
    soup = client.soup(URL.format(code))
    return {o["value"]: o.get_text(strip=True) for o in soup.select("#contactpersoon_id option")}


def _toewijzingen(app) -> int:
    """How many assignments exist."""
    with app.app_context():
        return db.session.scalar(select(func.count(Toewijzing.id)))


def test_school_user_sees_only_its_own_people(world, client):
    """No name of another school's people is offered, nor of the same bestuur's other school."""
    client.login("a@alfa.example.nl")
    labels = " ".join(_keuzes(client).values())
    assert "Anna Alfa" in labels
    assert "Bea Bravo" not in labels and "Tom Tweede" not in labels
    assert "Lia Leerplicht" not in labels  # the school changes only the school side


def test_foreign_person_id_is_refused_and_nothing_is_written(app, world, client):
    """Posting another school's director for school A: the field's message, 422, no change."""
    client.login("a@alfa.example.nl")
    before = _toewijzingen(app)
    response = client.post(URL.format("11AA00"),
                           _formulier(contactpersoon_id=str(world["bea"])))
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one("#contactpersoon_id-fout")
    assert error is not None and "uit de lijst" in error.get_text()
    assert _toewijzingen(app) == before
    dossier = client.get("/scholen/11AA00").text
    assert "bea@bravo.example.nl" not in dossier and "06-99887766" not in dossier


def test_llz_may_link_a_person_of_the_same_bestuur(app, world, client):
    """LLZ sees the people of the bestuur's other school, picks one, and the person is linked."""
    client.login("lia@llz.example.nl")
    keuzes = _keuzes(client)
    assert str(world["tom"]) in keuzes and str(world["bea"]) not in keuzes
    response = client.post(URL.format("11AA00"), _formulier(
        rol="school_vervanger", contactpersoon_id=str(world["tom"])))
    assert response.status_code == 302, response.text
    with app.app_context():
        scholen = set(db.session.scalars(select(contactpersoon_school.c.school_id).where(
            contactpersoon_school.c.contactpersoon_id == world["tom"])))
        assert scholen == {world["a"], world["a2"]}
    # Another bestuur's person stays out of reach for LLZ too.
    response = client.post(URL.format("11AA00"), _formulier(
        contactpersoon_id=str(world["bea"])))
    assert response.status_code == 422


def test_new_person_of_a_school_belongs_to_it_only(app, world, make_client):
    """A person school A creates is linked to A and never offered to school B."""
    alfa = make_client()
    alfa.login("a@alfa.example.nl")
    response = alfa.post(URL.format("11AA00"), _formulier(
        naam="Nieuwe Directeur", functie="Directeur", email="nd@alfa.example.nl"))
    assert response.status_code == 302
    with app.app_context():
        persoon = db.session.scalars(select(Contactpersoon).filter_by(
            naam="Nieuwe Directeur")).one()
        assert [s.id for s in persoon.scholen] == [world["a"]]
    bravo = make_client()
    bravo.login("b@bravo.example.nl")
    assert "Nieuwe Directeur" not in " ".join(_keuzes(bravo, "22BB00").values())


def test_planned_change_and_missing_warm_handover_show_until_done(app, world, client):
    """A future change shows in the dossier; a change without warm handover is followed up."""
    client.login("lia@llz.example.nl")
    volgende_maand = date.today() + timedelta(days=40)
    response = client.post(URL.format("11AA00"), _formulier(
        rol="school_contact", naam="Piet Plan", functie="Zorgcoördinator",
        ingang=volgende_maand.isoformat(), aangekondigd=date.today().isoformat()))
    assert response.status_code == 302, response.text
    soup = client.soup("/scholen/11AA00")
    gepland = soup.select_one(".geplande-wisselingen").get_text(" ", strip=True)
    assert "Piet Plan" in gepland and volgende_maand.strftime("%d-%m-%Y") in gepland
    warning = soup.select_one(".warme-overdracht")
    assert warning is not None and "Piet Plan" in warning.get_text()
    link = warning.select_one("a")["href"]

    # A date in the future is refused; nothing is stored.
    response = client.post(link, {"datum": volgende_maand.isoformat()})
    assert response.status_code == 422
    response = client.post(link, {"datum": date.today().isoformat()})
    assert response.status_code == 302
    assert client.soup("/scholen/11AA00").select_one(".warme-overdracht") is None
    with app.app_context():
        assert db.session.scalars(select(Toewijzing.warme_overdracht_op).where(
            Toewijzing.warme_overdracht_op.is_not(None))).all() == [date.today()]


def test_warm_handover_of_another_school_is_404(app, world, client):
    """An assignment id of school B through school A's URL is not found."""
    with app.app_context():
        nieuw = f.persoon("Bert Nieuw", kant=Kant.SCHOOL)
        t = voer_uit(Wijziging(world["b"], Contactrol.DIRECTEUR, nieuw.id, date(2026, 10, 1),
                               date(2026, 8, 1)))
        db.session.commit()
        toewijzing_id = t.id
    client.login("a@alfa.example.nl")
    url = f"/scholen/11AA00/contactpersonen/{toewijzing_id}/warme-overdracht"
    assert client.get(url).status_code == 404
    assert client.post(url, {"datum": "2026-10-01"}).status_code == 404


def test_contactwissels_only_for_changes_of_fixed_roles(app, world):
    """A first assignment needs no warm handover; a change of the director neither."""
    with app.app_context():
        vandaag = date(2026, 11, 30)
        assert contactwissels([world["a"], world["b"]], vandaag) == {}
        nieuw = f.persoon("Dora Nieuw", kant=Kant.SCHOOL)
        voer_uit(Wijziging(world["b"], Contactrol.DIRECTEUR, nieuw.id, date(2026, 10, 1),
                           date(2026, 8, 1)))
        opvolger = f.persoon("Otto Opvolger", kant=Kant.SCHOOL)
        t = voer_uit(Wijziging(world["a"], Contactrol.SCHOOL_CONTACT, opvolger.id,
                               date(2026, 10, 1), date(2026, 8, 1)))
        db.session.commit()
        wissels = contactwissels([world["a"], world["b"]], vandaag)
        assert [x.id for x in wissels[world["a"]].zonder_overdracht] == [t.id]
        assert world["b"] not in wissels


def test_a_school_in_no_bestuur_offers_only_its_own_people(app, world, client):
    """Without a bestuur, LLZ's choice is limited to the school's own people."""
    with app.app_context():
        db.session.get(School, world["a"]).bestuur = ""
        db.session.commit()
    client.login("lia@llz.example.nl")
    assert str(world["tom"]) not in _keuzes(client)
