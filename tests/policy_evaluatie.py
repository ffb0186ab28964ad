"""Access policy of the yearly evaluation page and its actions (test_access.py)."""

from datetime import date

from sqlalchemy import delete, select

from leerplicht.cyclus.models import Evaluatie, Evaluatiescore, Verbeterpunt
from leerplicht.extensions import db

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
BEWERKEN = ("login", "403", "404", "ok", "403", "ok")
DEELNEMEN = ("login", "ok", "404", "ok", "403", "ok")

POLICY = {
    "cyclus.evaluatie_pagina": INZIEN,
    "cyclus.evaluatie_plannen": BEWERKEN,
    "cyclus.evaluatie_gehouden": BEWERKEN,
    "cyclus.evaluatie_vastleggen": BEWERKEN,
    "cyclus.evaluatie_scores": DEELNEMEN,
    "cyclus.evaluatie_verbeterpunt_nieuw": DEELNEMEN,
    "cyclus.evaluatie_verbeterpunt_afronden": DEELNEMEN,
}


def _evaluatie(school_id: int) -> Evaluatie:
    """School's evaluation in the current schooljaar (made once)."""
    jaar = f.huidig_schooljaar()
    evaluatie = db.session.scalars(select(Evaluatie).where(
        Evaluatie.school_id == school_id, Evaluatie.schooljaar_id == jaar.id)).first()
    if evaluatie is None:
        evaluatie = Evaluatie(school_id=school_id, schooljaar_id=jaar.id,
                              gepland_op=date(2026, 11, 2), aanwezigen="zorgcoördinator")
        db.session.add(evaluatie)
        db.session.flush()
    return evaluatie


def url_args(world) -> dict:
    """An evaluation of school A (planned) with one open improvement point."""
    evaluatie = _evaluatie(world["a_id"])
    punt = db.session.scalars(select(Verbeterpunt).where(
        Verbeterpunt.evaluatie_id == evaluatie.id)).first()
    if punt is None:
        punt = Verbeterpunt(school_id=world["a_id"], wat="Sneller terugbellen", wie="llz",
                            uiterlijk=date(2027, 3, 1))
        evaluatie.verbeterpunten.append(punt)
    db.session.commit()
    return {"verbeterpunt_id": punt.id}


def _zet(world, **velden) -> str:
    """Put school A's evaluation in the state an action needs; return its version."""
    evaluatie = _evaluatie(world["a_id"])
    basis = {"status": "gepland", "gehouden_op": None, "harde_gegevens": None,
             "vastgelegd_op": None, "vastgelegd_door_naam": ""}
    for veld, waarde in {**basis, **velden}.items():
        setattr(evaluatie, veld, waarde)
    db.session.execute(delete(Evaluatiescore).where(
        Evaluatiescore.evaluatie_id == evaluatie.id))
    db.session.commit()
    return str(evaluatie.versie)


def _punt(args) -> str:
    """The improvement point open again; its version."""
    punt = db.session.get(Verbeterpunt, args["verbeterpunt_id"])
    punt.afgerond_op = None
    db.session.commit()
    return str(punt.versie)


FORMULIEREN = {
    "cyclus.evaluatie_plannen": lambda world, args: {
        "versie": _zet(world), "gepland_op": "2027-05-20", "teamleider_aanwezig": "y",
        "aanwezigen": "zorgcoördinator, casemanager"},
    "cyclus.evaluatie_gehouden": lambda world, args: {
        "versie": _zet(world), "gehouden_op": "2026-11-03"},
    "cyclus.evaluatie_vastleggen": lambda world, args: {
        "versie": _zet(world, status="gehouden", gehouden_op=date(2026, 11, 3))},
    "cyclus.evaluatie_scores": lambda world, args: {
        "versie": (_zet(world), "0.0.0.0.0.0")[1], "score_bereikbaarheid": "4",
        "toelichting_bereikbaarheid": "Goed bereikbaar."},
    "cyclus.evaluatie_verbeterpunt_nieuw": lambda world, args: {
        "versie": _zet(world), "wat": "Vaker overleg", "wie": "school",
        "uiterlijk": "2027-06-30"},
    "cyclus.evaluatie_verbeterpunt_afronden": lambda world, args: {
        "versie": _punt(args), "afgerond_op": "2026-11-04"},
}
