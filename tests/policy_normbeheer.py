"""Access policy of the norm versions (test_access.py): the beheerder's alone."""

from leerplicht.cyclus import normregels
from leerplicht.cyclus.normforms import omschrijvingveld, waardeveld
from leerplicht.extensions import db
from leerplicht.normenbron import NormversieRecord

import factories as f

BEHEERDER = ("login", "403", "403", "403", "403", "ok")

POLICY = {
    f"cyclus.normen_{naam}": BEHEERDER
    for naam in ("overzicht", "nieuw", "bewerken", "verschil", "vaststellen", "verwijderen")
}


def url_args(world) -> dict:
    """A draft of the norms for the schooljaar after the current one (not school-owned)."""
    jaar = f.huidig_schooljaar()
    record = normregels.maak_concept(normregels.schuif(jaar.naam, 1))
    db.session.commit()
    return {"normversie_id": record.id}


def _record(args) -> NormversieRecord:
    return db.session.get(NormversieRecord, args["normversie_id"])


def _concept_formulier(world, args) -> dict:
    """The draft's form as stored, with one norm changed."""
    record = _record(args)
    versie = normregels.als_versie(record)
    data = {"versie": record.versie, "geldig_vanaf": record.geldig_vanaf,
            "toelichting": "Besluit van de Klankbordgroep VO",
            "meldingselementen": "\n".join(versie.meldingselementen)}
    for norm in versie:
        data[waardeveld(norm.sleutel)] = str(norm.waarde)
        data[omschrijvingveld(norm.sleutel)] = norm.omschrijving
    data[waardeveld("melding_reactie")] = "4"
    return data


FORMULIEREN = {
    "cyclus.normen_nieuw": lambda world, args: {
        "geldig_vanaf": normregels.schuif(normregels.huidige_naam(), 2)},
    "cyclus.normen_bewerken": _concept_formulier,
    "cyclus.normen_vaststellen": lambda world, args: {"versie": _record(args).versie},
    "cyclus.normen_verwijderen": lambda world, args: {"versie": _record(args).versie},
}
