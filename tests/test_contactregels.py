"""Changing contact persons: at most once a schooljaar, a month's notice, history kept."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from leerplicht.accounts.models import Rol
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.contactregels import (
    Wijziging,
    redenen_nodig,
    voer_uit,
    wisselingen_in_jaar,
)
from leerplicht.scholen.models import Contactrol, Kant, School, Toewijzing
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar

import factories as f


@pytest.fixture
def world(app):
    """A school with an LLZ contact and a school contact since 1 August 2026."""
    with app.app_context():
        f.schooljaar("2026-2027")
        school = f.school(naam="De Vlinder", code="21XA00")
        lars = f.persoon("Lars Leerplicht")
        f.toewijzing(school, lars, Contactrol.LLZ_CONTACT)
        f.toewijzing(school, f.persoon("Zora Zorg", kant=Kant.SCHOOL), Contactrol.SCHOOL_CONTACT)
        nieuw = f.persoon("Nina Nieuw")
        f.gebruiker(Rol.LLZ, "lars@llz.example.nl", contactpersoon=lars)
        f.gebruiker(Rol.SCHOOL, "zorg@vlinder.example.nl", scholen=[school])
        db.session.commit()
        return {"school_id": school.id, "nieuw_id": nieuw.id, "lars_id": lars.id}


def _rules(world, rol, ingang, aangekondigd, persoon=None):
    """The reasons needed for a change, computed directly."""
    jaar = db.session.scalars(select(Schooljaar)).one()
    w = Wijziging(world["school_id"], rol, persoon or world["nieuw_id"], ingang, aangekondigd)
    return w, redenen_nodig(w, jaar, normen_voor(jaar))


@pytest.mark.parametrize(
    ("ingang", "aangekondigd", "aantal"),
    [
        (date(2027, 1, 1), date(2026, 11, 30), 0),  # a month and a day ahead
        (date(2027, 1, 1), date(2026, 12, 1), 0),  # exactly a month ahead
        (date(2027, 1, 1), date(2026, 12, 2), 1),  # a day short of a month
        (date(2026, 12, 1), date(2026, 12, 1), 1),  # same day
    ],
)
def test_month_notice(app, world, ingang, aangekondigd, aantal):
    """Less than a month's notice needs a reason."""
    with app.app_context():
        _w, reasons = _rules(world, Contactrol.LLZ_CONTACT, ingang, aangekondigd)
        assert len(reasons) == aantal


def test_second_change_in_schooljaar_needs_force_majeure(app, world):
    """The first change is allowed; a second in the same schooljaar needs a reason."""
    with app.app_context():
        w, reasons = _rules(world, Contactrol.LLZ_CONTACT, date(2027, 1, 1), date(2026, 11, 1))
        assert reasons == []
        voer_uit(w)
        db.session.commit()
        jaar = db.session.scalars(select(Schooljaar)).one()
        assert wisselingen_in_jaar(world["school_id"], Contactrol.LLZ_CONTACT, jaar) == 1
        _w2, reasons = _rules(world, Contactrol.LLZ_CONTACT, date(2027, 4, 1),
                              date(2027, 1, 2), persoon=world["lars_id"])
        assert len(reasons) == 1 and "overmacht" in reasons[0]
        # The director is not a fixed contact person: no rules for that change.
        _w3, reasons = _rules(world, Contactrol.DIRECTEUR, date(2026, 12, 1),
                              date(2026, 12, 1))
        assert reasons == []


@pytest.mark.parametrize("rol", [Contactrol.LLZ_VERVANGER, Contactrol.SCHOOL_VERVANGER])
def test_substitute_changes_follow_the_same_rules(app, world, rol):
    """A substitute's change needs a month's notice, and a second one in a year overmacht."""
    with app.app_context():
        school = db.session.get(School, world["school_id"])
        f.toewijzing(school, f.persoon("Vera Vervanger", kant=rol.kant), rol)
        _w, reasons = _rules(world, rol, date(2026, 12, 1), date(2026, 12, 1))
        assert len(reasons) == 1 and "1 maand" in reasons[0]
        w, reasons = _rules(world, rol, date(2027, 1, 1), date(2026, 11, 1))
        assert reasons == []
        voer_uit(w)
        db.session.commit()
        _w2, reasons = _rules(world, rol, date(2027, 4, 1), date(2027, 1, 2),
                              persoon=world["lars_id"])
        assert len(reasons) == 1 and "overmacht" in reasons[0]


def test_change_keeps_history_and_future_change_is_planned(app, world):
    """The old assignment ends at the change date; a future change is not yet current."""
    with app.app_context():
        w, _ = _rules(world, Contactrol.LLZ_CONTACT, date(2099, 1, 1), date(2098, 11, 1))
        voer_uit(w)
        db.session.commit()
        (school,) = laad_scholen([world["school_id"]])
        assert school.contact(Contactrol.LLZ_CONTACT).naam == "Lars Leerplicht"
        rows = db.session.scalars(select(Toewijzing).filter_by(
            school_id=world["school_id"], rol=Contactrol.LLZ_CONTACT).order_by(
            Toewijzing.vanaf)).all()
        assert [(r.contactpersoon.naam, r.tot) for r in rows] == [
            ("Lars Leerplicht", date(2099, 1, 1)), ("Nina Nieuw", None)]


def test_change_today_takes_effect_and_same_person_refused(app, world):
    """A change from today shows at once; giving the role to its holder is refused."""
    with app.app_context():
        w, _ = _rules(world, Contactrol.LLZ_CONTACT, date.today(), date.today())
        voer_uit(w)
        db.session.commit()
        (school,) = laad_scholen([world["school_id"]])
        assert school.contact(Contactrol.LLZ_CONTACT).naam == "Nina Nieuw"
        with pytest.raises(ValueError):
            voer_uit(w)


def _post(client, **data):
    """Submit the change form."""
    form = {"rol": "llz_contact", "contactpersoon_id": "0", "ingang": "2027-01-01",
            "aangekondigd": "2026-11-01", "reden": "", "naam": "", "functie": "", "email": "",
            "telefoon": "", "warme_overdracht": ""}
    form.update(data)
    return client.post("/scholen/21XA00/contactpersonen/wijzigen", form)


def test_change_through_the_form(app, world, client):
    """The assigned LLZ contact hands over; the history page shows both people."""
    client.login("lars@llz.example.nl")
    response = _post(client, contactpersoon_id=str(world["nieuw_id"]),
                     warme_overdracht="2026-12-15")
    assert response.status_code == 302
    rows = client.soup("/scholen/21XA00/contactpersonen").select("table.contacthistorie tbody tr")
    cells = [[td.get_text(strip=True) for td in row.select("td")] for row in rows]
    assert ["Contactpersoon Leerlingzaken", "Nina Nieuw", "01-01-2027", "–", "Gepland",
            "01-11-2026", "15-12-2026", "–"] in cells


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"aangekondigd": "2026-12-20"}, "reden", "minder dan 1 maand"),
        ({"ingang": ""}, "ingang", "ingangsdatum"),
        ({"ingang": "2027-01-01", "aangekondigd": "2027-02-01"}, "aangekondigd", "niet na"),
        ({"contactpersoon_id": "0", "naam": ""}, "contactpersoon_id", "nieuwe persoon"),
        ({"naam": "Nieuw", "email": "geen-mail"}, "email", "geldig e-mailadres"),
        ({"naam": "Nieuw", "telefoon": "bel me"}, "telefoon", "cijfers"),
        ({"naam": "Nieuw", "reden": "leerling 111222333"}, "reden", "burgerservicenummer"),
        ({"rol": "koning"}, "rol", ""),
    ],
    ids=["te-kort-aangekondigd", "geen-ingang", "aankondiging-na-ingang", "geen-persoon",
         "email", "telefoon", "bsn", "rol"],
)
def test_change_bad_input(app, world, client, data, field, message):
    """Bad input: 422 with the message beside the field; nothing changes."""
    client.login("lars@llz.example.nl")
    form = {"contactpersoon_id": str(world["nieuw_id"]), **data}
    response = _post(client, **form)
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one(f"#{field}-fout")
    assert error is not None and message in error.get_text()
    with app.app_context():
        assert db.session.scalar(select(Toewijzing.id).where(Toewijzing.tot.is_not(None))) is None


def test_late_change_with_reason_is_recorded(app, world, client):
    """With a reason, a change at short notice is allowed and the reason is kept."""
    client.login("lars@llz.example.nl")
    response = _post(client, contactpersoon_id=str(world["nieuw_id"]),
                     aangekondigd="2026-12-20", reden="Ziekte van de vaste contactpersoon.")
    assert response.status_code == 302
    with app.app_context():
        nieuw = db.session.scalars(select(Toewijzing).filter_by(
            contactpersoon_id=world["nieuw_id"])).one()
        assert nieuw.reden == "Ziekte van de vaste contactpersoon."


def test_school_user_changes_only_school_side(app, world, client):
    """A school user may replace its own contact person, not the LLZ one."""
    client.login("zorg@vlinder.example.nl")
    options = [o["value"] for o in client.soup("/scholen/21XA00/contactpersonen/wijzigen")
               .select("#rol option")]
    assert options == ["", "school_contact", "school_vervanger", "directeur"]
    assert _post(client, rol="llz_contact", naam="X").status_code == 422
    response = _post(client, rol="school_contact", naam="Wim Nieuw", functie="Zorgcoördinator",
                     email="wim@vlinder.example.nl")
    assert response.status_code == 302
    with app.app_context():
        school = db.session.get(School, world["school_id"])
        assert school is not None
        assert db.session.scalars(select(Toewijzing).filter_by(
            rol="school_contact", tot=None)).one().contactpersoon.naam == "Wim Nieuw"
