"""Access policy of the afsprakenlijst endpoints (collected by test_access.py)."""

from datetime import date

from sqlalchemy import select

from leerplicht.afspraken.models import Afspraak, Afsprakenlijst
from leerplicht.afspraken.regels import nieuwe_sleutel, zet_tekst
from leerplicht.extensions import db
from leerplicht.scholen.models import School
from leerplicht.schooljaren import Schooljaar, naam_voor_datum

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
    "afspraken.termijnen": ("login", "403", "403", "ok", "ok", "ok"),
    "schooljaren.beheer": ("login", "403", "403", "403", "403", "ok"),
}


def url_args(world) -> dict:
    """A filled-in concept afsprakenlijst for school A with one free afspraak, and version 1."""
    jaar = f.huidig_schooljaar()
    school = db.session.get(School, world["a_id"])
    lijst = f.afsprakenlijst(school, jaar)
    vrij = Afspraak(school_id=school.id, sleutel=nieuwe_sleutel(), sectie="vrij",
                    titel="Vrije afspraak", wie="beiden", positie=len(lijst.afspraken))
    zet_tekst(vrij, "Samen naar de ouderavond.")
    lijst.afspraken.append(vrij)
    db.session.commit()
    return {"afspraak_id": vrij.id, "volgnummer": 1}


def _lijstversie(world) -> str:
    """The version of school A's concept (the akkoord form carries it)."""
    lijst = db.session.scalars(select(Afsprakenlijst).where(
        Afsprakenlijst.school_id == world["a_id"])).first()
    return str(lijst.versie)


def _afspraakversie(args) -> str:
    """The version of the afspraak in the URL."""
    return str(db.session.get(Afspraak, args["afspraak_id"]).versie)


AFSPRAAK = {"titel": "Overleg na de herfstvakantie", "tekst": "We spreken **samen** af.",
            "wie": "beiden", "deadline": "2027-01-15"}

def _schooljaar_openen(world, args) -> dict:
    """Open this real schooljaar from the one before it (the only opening valid any day)."""
    vandaag = date.today()
    nu = naam_voor_datum(vandaag)
    vorig = f"{int(nu[:4]) - 1}-{nu[:4]}"
    for jaar in db.session.scalars(select(Schooljaar)):
        jaar.huidig = False
    db.session.flush()
    bestaand = db.session.scalars(select(Schooljaar).where(Schooljaar.naam == vorig)).first()
    if bestaand is None:
        f.schooljaar(vorig)
    else:
        bestaand.huidig = True
    db.session.commit()
    return {"naam": nu, "bevestigd": "ja"}


FORMULIEREN = {
    "schooljaren.beheer": _schooljaar_openen,
    "afspraken.aanmaken": lambda world, args: {},
    "afspraken.nieuwe_versie_maken": lambda world, args: {},
    "afspraken.akkoord": lambda world, args: {"versie": _lijstversie(world)},
    "afspraken.afspraak_nieuw": lambda world, args: dict(AFSPRAAK),
    "afspraken.afspraak_bewerken": lambda world, args: {
        **AFSPRAAK, "versie": _afspraakversie(args)},
    "afspraken.afspraak_verwijderen": lambda world, args: {"versie": _afspraakversie(args)},
    "afspraken.afspraak_verplaatsen": lambda world, args: {
        "richting": "omhoog", "versie": _afspraakversie(args)},
}
