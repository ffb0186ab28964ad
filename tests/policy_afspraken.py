"""Access policy of the afsprakenlijst endpoints (collected by test_access.py)."""

from leerplicht.afspraken.regels import maak_lijst
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.models import School

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
BEWERKEN = ("login", "403", "404", "ok", "403", "ok")
DEELNEMEN = ("login", "ok", "404", "ok", "403", "ok")

POLICY = {
    "afspraken.lijst": INZIEN,
    "afspraken.aanmaken": BEWERKEN,
    "afspraken.nieuwe_versie_maken": BEWERKEN,
    "afspraken.akkoord": DEELNEMEN,
    "afspraken.afspraak_nieuw": BEWERKEN,
    "afspraken.afspraak_bewerken": BEWERKEN,
    "afspraken.afspraak_weergave": INZIEN,
    "afspraken.afspraak_verwijderen": BEWERKEN,
    "afspraken.afspraak_verplaatsen": BEWERKEN,
    "afspraken.versie": INZIEN,
    "afspraken.verschil_tonen": INZIEN,
    "afspraken.geschiedenis_tonen": INZIEN,
    "afspraken.contact_wijzigen": DEELNEMEN,
    "afspraken.contacthistorie": INZIEN,
    "afspraken.termijnen": ("login", "403", "403", "ok", "ok", "ok"),
    "schooljaren.beheer": ("login", "403", "403", "403", "403", "ok"),
}


def url_args(world) -> dict:
    """A concept afsprakenlijst for school A; its first afspraak and version 1."""
    jaar = f.schooljaar()
    school = db.session.get(School, world["a_id"])
    lijst = maak_lijst(school, jaar, normen_voor(jaar))
    db.session.commit()
    return {"afspraak_id": lijst.afspraken[0].id, "volgnummer": 1}
