"""Access policy of the escalation and sluitingsdagen endpoints (collected by test_access.py)."""

from datetime import date

from sqlalchemy import select

from leerplicht.escalatie.models import Escalatie, Routestap
from leerplicht.escalatie.regels import neem_over, open_escalatie, routes_voor
from leerplicht.extensions import db
from leerplicht.scholen.queries import laad_scholen
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
    standaard = db.session.scalars(select(Routestap).where(Routestap.sector == "PO")).all() or (
        neem_over(route, sector="PO"))
    escalatie = open_escalatie(school, jaar, route, "inhoud", "Reactie blijft uit",
                               date(2026, 9, 1), "Test", "llz")
    dag = db.session.scalars(select(Sluitingsdag)).first()
    if dag is None:
        dag = Sluitingsdag(datum=date(2027, 3, 26), omschrijving="Goede vrijdag")
        db.session.add(dag)
    db.session.commit()
    return {"stap_id": stappen[0].id, "sector": "PO", "standaardstap_id": standaard[0].id,
            "escalatie_id": escalatie.id, "dag_id": dag.id}


def _huidig():
    """The current schooljaar (policy_afspraken may have made it already)."""
    return f.huidig_schooljaar()


STAP = {"spoor": "inhoud", "llz_rol": "llz_contact", "school_rol": "school_contact",
        "wijze": "telefoon", "termijn_werkdagen": "5", "toelichting": "Eerst bellen."}


def _stapversie(stap_id) -> str:
    """The version of a route step (the forms carry it)."""
    return str(db.session.get(Routestap, stap_id).versie)


def _escalatieversie(args) -> str:
    """The version of the escalation in the URL."""
    return str(db.session.get(Escalatie, args["escalatie_id"]).versie)


FORMULIEREN = {
    "escalatie.openen": lambda world, args: {
        "spoor": "samenwerking", "onderwerp": "Reactie op melding blijft uit",
        "datum": "2026-11-02"},
    "escalatie.opschalen": lambda world, args: {
        "versie": _escalatieversie(args), "datum": "2026-11-03", "toelichting": "Geen reactie."},
    "escalatie.oplossen": lambda world, args: {
        "versie": _escalatieversie(args), "datum": "2026-11-04",
        "uitkomst": "In overleg opgelost."},
    "termijnen.sluitingsdagen": lambda world, args: {
        "datum": "2027-04-23", "omschrijving": "Teamdag"},
    "termijnen.verwijderen": lambda world, args: {},
}


def _routeformulieren(prefix: str, stap: str) -> dict:
    """The valid forms of a route's views; `stap` names the URL variable of a step."""
    return {
        f"escalatie.{prefix}_aanpassen": lambda world, args: {},
        f"escalatie.{prefix}_herstellen": lambda world, args: {"bevestigd": "ja"},
        f"escalatie.{prefix}_stap_nieuw": lambda world, args: dict(STAP),
        f"escalatie.{prefix}_stap_bewerken": lambda world, args: {
            **STAP, "versie": _stapversie(args[stap])},
        f"escalatie.{prefix}_stap_verplaatsen": lambda world, args: {
            "richting": "omlaag", "versie": _stapversie(args[stap])},
        f"escalatie.{prefix}_stap_verwijderen": lambda world, args: {
            "versie": _stapversie(args[stap])},
    }


FORMULIEREN.update(_routeformulieren("route", "stap_id"))
FORMULIEREN.update(_routeformulieren("sector", "standaardstap_id"))
