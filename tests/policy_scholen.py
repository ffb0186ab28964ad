"""Access policy of the contact-person endpoints (collected by test_access.py)."""

from datetime import date

from leerplicht.extensions import db
from leerplicht.scholen.contactregels import Wijziging, voer_uit
from leerplicht.scholen.models import Contactrol, Kant, School

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
DEELNEMEN = ("login", "ok", "404", "ok", "403", "ok")

POLICY = {
    "contacten.wijzigen": DEELNEMEN,
    "contacten.historie": INZIEN,
    "contacten.overdracht": DEELNEMEN,
}


def url_args(world) -> dict:
    """A change of school A's school contact, whose warm handover is still to be recorded."""
    school = db.session.get(School, world["a_id"])
    nieuw = f.persoon(kant=Kant.SCHOOL)
    toewijzing = voer_uit(Wijziging(school.id, Contactrol.SCHOOL_CONTACT, nieuw.id,
                                    date(2026, 10, 1), date(2026, 8, 15)))
    db.session.commit()
    return {"toewijzing_id": toewijzing.id}


FORMULIEREN = {
    "contacten.wijzigen": lambda world, args: {
        "rol": "school_vervanger", "contactpersoon_id": "0", "naam": "Vera Vervanger",
        "functie": "Verzuimcoördinator", "email": "vera@alfa.example.nl", "telefoon": "",
        "ingang": "2027-01-01", "aangekondigd": "2026-11-01", "warme_overdracht": "",
        "reden": ""},
    "contacten.overdracht": lambda world, args: {"datum": "2026-10-01"},
}

# Form fields that name a record of a school: tried with school B's record from school A's
# form (test_access.test_foreign_ids_in_form_fields_are_refused).
VREEMDE_VELDEN = {
    "contacten.wijzigen": {"contactpersoon_id": lambda world: world["personen"]["b_directeur"]},
}
