"""Made-up records for the patterns page: shown once, never stored."""

from datetime import date

from ..escalatie.models import Escalatie
from ..escalatie.queries import Escalatiestand, Routeregel
from ..escalatie.regels import Bewaking, content_routes
from ..scholen.models import School


def voorbeeld_escalatie(leider) -> dict:
    """A made-up school, route step and escalation past its termijn (never stored)."""
    vandaag = date.today()
    school = School(id=0, code="00XX00", naam="Voorbeeldschool", sector="VO")
    stap = content_routes()["standaard"]["inhoud"][0]
    escalatie = Escalatie(id=0, versie=1, spoor="inhoud", onderwerp="Reactie blijft uit",
                          geopend_op=vandaag, geopend_door_naam="Voorbeeld",
                          geopend_door_kant="school", niveau=1, stap_sinds=vandaag,
                          stap_termijn=5, stap_llz_rol="llz_contact",
                          stap_school_rol="school_contact")
    stand = Escalatiestand(escalatie, Bewaking(vandaag, -2), leider, None, 3)
    return {"voorbeeld_school": school, "voorbeeld_regel": Routeregel(1, stap, leider, None),
            "voorbeeld_stand": stand, "vandaag": vandaag}
