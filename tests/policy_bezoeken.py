"""Access policy of the LLZ visits register (test_access.py)."""

from datetime import date, timedelta

from leerplicht.cyclus.models import Bezoek, Bezoeksoort, Bezoekstatus
from leerplicht.extensions import db

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
BEWERKEN = ("login", "403", "404", "ok", "403", "ok")

POLICY = {
    "cyclus.bezoek_overzicht": INZIEN,
    "cyclus.bezoek_nieuw": BEWERKEN,
    "cyclus.bezoek_gehouden": BEWERKEN,
    "cyclus.bezoek_bewerken": BEWERKEN,
    "cyclus.bezoek_verwijderen": BEWERKEN,
}


def _dag() -> date:
    """A day of the current schooljaar, not after today (so a visit on it may be held)."""
    jaar = f.huidig_schooljaar()
    return max(jaar.begin, min(date.today(), jaar.eind) - timedelta(days=1))


def url_args(world) -> dict:
    """A planned visit of school A in the current schooljaar."""
    jaar = f.huidig_schooljaar()
    bezoek = Bezoek(school_id=world["a_id"], schooljaar_id=jaar.id, datum=_dag(),
                    soort=Bezoeksoort.KENNISMAKING, status=Bezoekstatus.GEPLAND,
                    notitie="Kennismaking nieuwe zorgcoördinator")
    db.session.add(bezoek)
    db.session.commit()
    return {"bezoek_id": bezoek.id}


def _gepland(args) -> str:
    """Put the visit back to planned; return its version for the form."""
    bezoek = db.session.get(Bezoek, args["bezoek_id"])
    bezoek.status = Bezoekstatus.GEPLAND
    db.session.commit()
    return str(bezoek.versie)


FORMULIEREN = {
    "cyclus.bezoek_nieuw": lambda world, args: {
        "datum": _dag().isoformat(), "soort": "jes", "status": "gehouden",
        "notitie": "JES bijgewoond"},
    "cyclus.bezoek_gehouden": lambda world, args: {"versie": _gepland(args)},
    "cyclus.bezoek_bewerken": lambda world, args: {
        "versie": _gepland(args), "datum": _dag().isoformat(), "soort": "overleg",
        "status": "gehouden", "notitie": "Overleg met de zorgcoördinator"},
    "cyclus.bezoek_verwijderen": lambda world, args: {
        "versie": _gepland(args), "bevestigen": "ja"},
}
