"""Access policy of the escalation and sluitingsdagen endpoints (collected by test_access.py)."""

from datetime import date

from sqlalchemy import select

from leerplicht.escalatie.regels import neem_over, open_escalatie, routes_voor
from leerplicht.extensions import db
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar
from leerplicht.termijnen.models import Sluitingsdag

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
BEWERKEN = ("login", "403", "404", "ok", "403", "ok")
DEELNEMEN = ("login", "ok", "404", "ok", "403", "ok")
LLZ = ("login", "403", "403", "ok", "ok", "ok")
BEHEERDER = ("login", "403", "403", "403", "403", "ok")

POLICY = {
    "escalatie.route_tonen": INZIEN,
    **{f"escalatie.route_{naam}": BEWERKEN for naam in (
        "aanpassen", "herstellen", "stap_nieuw", "stap_bewerken", "stap_weergave",
        "stap_verwijderen", "stap_verplaatsen")},
    **{f"escalatie.sector_{naam}": BEHEERDER for naam in (
        "tonen", "aanpassen", "herstellen", "stap_nieuw", "stap_bewerken", "stap_weergave",
        "stap_verwijderen", "stap_verplaatsen")},
    "escalatie.log": INZIEN,
    "escalatie.openen": DEELNEMEN,
    "escalatie.opschalen": DEELNEMEN,
    "escalatie.oplossen": DEELNEMEN,
    "escalatie.overzicht": LLZ,
    "termijnen.sluitingsdagen": BEHEERDER,
    "termijnen.verwijderen": BEHEERDER,
}


def url_args(world) -> dict:
    """School A's own route, an open escalation of school A, a sluitingsdag."""
    jaar = _huidig()
    (school,) = laad_scholen([world["a_id"]])
    route = routes_voor([school], jaar)[school.id]
    stappen = neem_over(route, school_id=school.id, schooljaar_id=jaar.id)
    standaard = neem_over(route, sector="PO")
    escalatie = open_escalatie(school, jaar, route, "inhoud", "Reactie blijft uit",
                               date(2026, 9, 1), "Test", "llz")
    dag = Sluitingsdag(datum=date(2027, 3, 26), omschrijving="Goede vrijdag")
    db.session.add(dag)
    db.session.commit()
    return {"stap_id": stappen[0].id, "sector": "PO", "standaardstap_id": standaard[0].id,
            "escalatie_id": escalatie.id, "dag_id": dag.id}


def _huidig():
    """The current schooljaar (policy_afspraken may have made it already)."""
    jaar = db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).first()
    return jaar or f.schooljaar()
