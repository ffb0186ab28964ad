"""User management by the beheerder."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Gebruiker, Rol
from leerplicht.extensions import db

import factories as f


@pytest.fixture
def world(app):
    """A beheerder, a school and an existing school user."""
    with app.app_context():
        school = f.school(naam="De Testschool", code="12AB00")
        llz = f.persoon("Lars Leerplicht")
        beheerder = f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        bestaand = f.gebruiker(Rol.SCHOOL, "zorg@school.example.nl", scholen=[school],
                               naam="Zorg Coördinator")
        db.session.commit()
        return {"school_id": school.id, "llz_id": llz.id, "beheerder_id": beheerder.id,
                "bestaand_id": bestaand.id}


def _nieuw(world, **override):
    """Valid form data for a new school user."""
    data = {"naam": "Nieuwe Collega", "email": "Nieuw@School.example.nl", "rol": "school",
            "contactpersoon_id": "0", "scholen": str(world["school_id"]),
            "wachtwoord": "een-lang-genoeg-wachtwoord", "actief": "y"}
    data.update(override)
    return data


def test_list_users(world, client):
    """The beheerder sees every user with role and schools."""
    client.login("beheer@llz.example.nl")
    soup = client.soup("/beheer/gebruikers")
    rows = [[td.get_text(strip=True) for td in tr.select("td")]
            for tr in soup.select("tbody tr")]
    expected = ["Zorg Coördinator", "zorg@school.example.nl", "School", "De Testschool", "Actief"]
    assert expected in rows


def test_create_school_user(app, world, client, make_client):
    """A new school user is stored (e-mail lower-cased) and can log in to see the school."""
    client.login("beheer@llz.example.nl")
    assert client.post("/beheer/gebruikers/nieuw", _nieuw(world)).status_code == 302
    with app.app_context():
        query = select(Gebruiker).filter_by(email="nieuw@school.example.nl")
        user = db.session.scalars(query).one()
        assert [s.code for s in user.scholen] == ["12AB00"]
    newcomer = make_client()
    newcomer.login("nieuw@school.example.nl", "een-lang-genoeg-wachtwoord")
    assert newcomer.get("/scholen/12AB00").status_code == 200


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"naam": ""}, "naam", "Vul een naam in."),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"email": "ZORG@school.example.nl"}, "email", "al een gebruiker"),
        ({"rol": "superuser"}, "rol", ""),
        ({"scholen": ""}, "scholen", "minstens één school"),
        ({"scholen": "999"}, "scholen", ""),
        ({"wachtwoord": "kort"}, "wachtwoord", "12 tekens"),
        ({"wachtwoord": ""}, "wachtwoord", "Kies een wachtwoord"),
        ({"contactpersoon_id": "abc"}, "contactpersoon_id", ""),
    ],
    ids=["naam", "email-vorm", "email-bezet", "rol", "geen-school", "onbekende-school",
         "wachtwoord-kort", "wachtwoord-leeg", "contactpersoon-geen-getal"],
)
def test_create_user_bad_input(app, world, client, override, field, message):
    """Bad input: 422 with the message beside the field, and no user created."""
    client.login("beheer@llz.example.nl")
    response = client.post("/beheer/gebruikers/nieuw", _nieuw(world, **override))
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#{field}-fout")
    assert error is not None and message in error.get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count(Gebruiker.id))) == 2


def test_edit_user_and_reset_password_logs_them_out(app, world, client, make_client):
    """Changing a user's password ends that user's sessions."""
    victim = make_client()
    victim.login("zorg@school.example.nl")
    client.login("beheer@llz.example.nl")
    url = f"/beheer/gebruikers/{world['bestaand_id']}"
    soup = client.soup(url)
    assert soup.select_one("input[name=versie]")["value"] == "1"
    data = _nieuw(world, naam="Zorg Coördinator", email="zorg@school.example.nl",
                  wachtwoord="een-nieuw-wachtwoord-123", versie="1")
    assert client.post(url, data).status_code == 302
    assert victim.get("/").status_code == 302


def test_edit_user_stale_version_conflict(app, world, client):
    """A stale user form gets 409 and keeps what was typed."""
    client.login("beheer@llz.example.nl")
    url = f"/beheer/gebruikers/{world['bestaand_id']}"
    with app.app_context():
        user = db.session.get(Gebruiker, world["bestaand_id"])
        user.naam = "Intussen Gewijzigd"
        db.session.commit()
    data = _nieuw(world, naam="Mijn Invoer", email="zorg@school.example.nl", wachtwoord="",
                  versie="1")
    response = client.post(url, data)
    assert response.status_code == 409
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#naam")["value"] == "Mijn Invoer"
    assert "Intussen Gewijzigd" in soup.select_one(".conflict-versie").get_text()
    with app.app_context():
        assert db.session.get(Gebruiker, world["bestaand_id"]).naam == "Intussen Gewijzigd"


def test_beheerder_cannot_demote_self(app, world, client):
    """The last safety net: a beheerder cannot take away their own role."""
    client.login("beheer@llz.example.nl")
    url = f"/beheer/gebruikers/{world['beheerder_id']}"
    data = {"naam": "Beheerder", "email": "beheer@llz.example.nl", "rol": "llz",
            "contactpersoon_id": "0", "versie": "1", "actief": "y"}
    response = client.post(url, data)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Gebruiker, world["beheerder_id"]).rol == "beheerder"


def test_unknown_user_is_404(world, client):
    """A user id that does not exist is a clean 404."""
    client.login("beheer@llz.example.nl")
    assert client.get("/beheer/gebruikers/9999").status_code == 404
