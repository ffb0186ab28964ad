"""Access policy of the register pages, their actions and the fast entry (test_access.py)."""

import itertools
from datetime import date

from sqlalchemy import select

from leerplicht.extensions import db
from leerplicht.scholen.models import Contactpersoon, Contactrol, Kant, School, Toewijzing
from leerplicht.termijnen.models import Ontwikkeling, Verzuimmelding, Vraag
from leerplicht.termijnen.opslag import herbereken

import factories as f

INZIEN = ("login", "ok", "404", "ok", "ok", "ok")
BEWERKEN = ("login", "403", "404", "ok", "403", "ok")
DEELNEMEN = ("login", "ok", "404", "ok", "403", "ok")
LLZ = ("login", "403", "403", "ok", "ok", "ok")

POLICY = {
    "termijnen.meldingen": INZIEN,
    "termijnen.vragen": INZIEN,
    "termijnen.ontwikkelingen": INZIEN,
    **{f"termijnen.melding_{actie}": BEWERKEN for actie in (
        "nieuw", "beoordelen", "terugmelden", "aanvullen", "gereageerd", "status")},
    "termijnen.vraag_nieuw": DEELNEMEN,
    "termijnen.vraag_beantwoorden": DEELNEMEN,
    "termijnen.ontwikkeling_nieuw": BEWERKEN,
    "termijnen.ontwikkeling_gemeld": BEWERKEN,
    "termijnen.invoer": LLZ,
}

_volgnummer = itertools.count(1)


def url_args(world) -> dict:
    """A melding, a question LLZ asked and a development of school A."""
    jaar = f.huidig_schooljaar()
    school_id = world["a_id"]
    melding = Verzuimmelding(school_id=school_id, schooljaar_id=jaar.id,
                             referentie=f"POL-{next(_volgnummer)}",
                             ontvangen_op=date(2026, 11, 2))
    vraag = Vraag(school_id=school_id, schooljaar_id=jaar.id, gesteld_door=Kant.LLZ,
                  onderwerp="Stand van zaken", gesteld_op=date(2026, 11, 2), antwoord="")
    ontwikkeling = Ontwikkeling(school_id=school_id, schooljaar_id=jaar.id,
                                onderwerp="Verhuizing", bekend_op=date(2026, 11, 2))
    for record in (melding, vraag, ontwikkeling):
        herbereken(record, jaar)
        db.session.add(record)
    db.session.commit()
    return {"melding_id": melding.id, "vraag_id": vraag.id, "ontwikkeling_id": ontwikkeling.id}


def _zet(model, record_id, **velden) -> str:
    """Put a record in the state an action needs; return its version for the form."""
    record = db.session.get(model, record_id)
    for veld, waarde in velden.items():
        setattr(record, veld, waarde)
    herbereken(record)
    db.session.commit()
    return str(record.versie)


def _melding(args, **velden) -> str:
    basis = {"oordeel": "open", "elementen": 0, "teruggemeld_op": None, "aangevuld_op": None,
             "gereageerd_op": None, "status": "geregistreerd"}
    return _zet(Verzuimmelding, args["melding_id"], **{**basis, **velden})


def _ook_llz_ander(world) -> None:
    """The LLZ user who is not school A's contact becomes its vervanger, so that one complete
    form of the fast entry (a melding for school A) is valid for every LLZ role; refusing a
    school the user may not edit is tested in test_registers."""
    school = db.session.get(School, world["a_id"])
    xander = db.session.scalars(
        select(Contactpersoon).where(Contactpersoon.naam == "Xander Elders")).first()
    if xander is not None and not db.session.scalars(select(Toewijzing).where(
            Toewijzing.school_id == school.id, Toewijzing.contactpersoon_id == xander.id)).first():
        f.toewijzing(school, xander, Contactrol.LLZ_VERVANGER)
        db.session.commit()


def _invoer(world, args) -> dict:
    _ook_llz_ander(world)
    return {"school": str(world["a_id"]), "referentie": f"SNEL-{next(_volgnummer)}",
            "ontvangen_op": "2026-11-03", "compleet": "y"}


ONVOLLEDIG = {"oordeel": "onvolledig", "elementen": 1}

FORMULIEREN = {
    "termijnen.melding_nieuw": lambda world, args: {
        "referentie": f"NIEUW-{next(_volgnummer)}", "ontvangen_op": "2026-11-03"},
    "termijnen.melding_beoordelen": lambda world, args: {
        "versie": _melding(args), "elementen": ["0", "1"], "toelichting": "Mist de periode."},
    "termijnen.melding_terugmelden": lambda world, args: {
        "versie": _melding(args, **ONVOLLEDIG), "datum": "2026-11-03"},
    "termijnen.melding_aanvullen": lambda world, args: {
        "versie": _melding(args, **ONVOLLEDIG, teruggemeld_op=date(2026, 11, 3)),
        "datum": "2026-11-05"},
    "termijnen.melding_gereageerd": lambda world, args: {
        "versie": _melding(args, oordeel="compleet", elementen=511), "datum": "2026-11-05"},
    "termijnen.melding_status": lambda world, args: {
        "versie": _melding(args), "status": "afgesloten"},
    "termijnen.vraag_nieuw": lambda world, args: {
        "onderwerp": "Wanneer volgt de reactie?", "gesteld_op": "2026-11-03"},
    "termijnen.vraag_beantwoorden": lambda world, args: {
        "versie": _zet(Vraag, args["vraag_id"], beantwoord_op=None),
        "beantwoord_op": "2026-11-04", "antwoord": "Volgt deze week."},
    "termijnen.ontwikkeling_nieuw": lambda world, args: {
        "onderwerp": "Leerling verhuist", "bekend_op": "2026-11-03"},
    "termijnen.ontwikkeling_gemeld": lambda world, args: {
        "versie": _zet(Ontwikkeling, args["ontwikkeling_id"], gemeld_op=None),
        "datum": "2026-11-04"},
    "termijnen.invoer": _invoer,
}
