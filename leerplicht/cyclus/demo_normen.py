"""Demo data of the norm versions: a draft for next schooljaar, as after a Klankbordgroep."""

from ..extensions import db
from ..schooljaren import Schooljaar
from . import normregels


def vul_normconcept(huidig: Schooljaar) -> None:
    """A draft for the schooljaar after `huidig` in which one norm is tightened (flushed)."""
    record = normregels.maak_concept(normregels.schuif(huidig.naam, 1))
    versie = normregels.als_versie(record)
    normen = {norm.sleutel: (norm.waarde, norm.omschrijving) for norm in versie}
    normen["vragen_beantwoorden"] = (4, normen["vragen_beantwoorden"][1])
    normregels.bewaar_concept(
        record, record.geldig_vanaf,
        "Voorstel van de Klankbordgroep VO: vragen sneller beantwoorden.",
        normen, list(versie.meldingselementen))
    db.session.flush()
