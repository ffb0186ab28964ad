"""Access policy of the Klankbordgroep: everyone logged in reads, only the beheerder records."""

import itertools
from datetime import date

from leerplicht.cyclus.klankbordregels import volgend_nummer
from leerplicht.cyclus.models import (
    Besluit,
    Klankbordoverleg,
    Maatregel,
    Maatregelresultaat,
)
from leerplicht.extensions import db

import factories as f

INGELOGD = ("login", "ok", "ok", "ok", "ok", "ok")
BEHEERDER = ("login", "403", "403", "403", "403", "ok")

POLICY = {
    "cyclus.klankbord_overzicht": INGELOGD,
    **{f"cyclus.klankbord_{actie}": BEHEERDER for actie in (
        "overleg_nieuw", "overleg_bewerken", "besluit_nieuw", "besluit_verwijderen",
        "maatregel_nieuw", "maatregel_bewerken", "maatregel_afronden", "resultaat_nieuw",
        "resultaat_bewerken")},
}

_volgnummer = itertools.count(1)


def url_args(world) -> dict:
    """A PO meeting with a decision, and a PO measure with one result (the current year)."""
    jaar = f.huidig_schooljaar()
    overleg = Klankbordoverleg(sector="PO", schooljaar_id=jaar.id, datum=date(2026, 10, 5),
                               notities="Terugkoppeling termijnen meldingen.")
    besluit = Besluit(overleg=overleg, tekst="De termijn voor vragen blijft 5 werkdagen.")
    maatregel = Maatregel(sector="PO", nummer=volgend_nummer("PO"), titel="Spreekuur op school",
                          plan="Elke maand een spreekuur.", sinds_schooljaar_id=jaar.id)
    resultaat = Maatregelresultaat(maatregel=maatregel, periode="2025-2026",
                                   resultaat="Op vier scholen gestart.")
    db.session.add_all([overleg, besluit, maatregel, resultaat])
    db.session.commit()
    return {"overleg_id": overleg.id, "besluit_id": besluit.id, "maatregel_id": maatregel.id,
            "resultaat_id": resultaat.id}


def _versie(model, record_id, **velden) -> str:
    """Put a record in the state an action needs; return its version for the form."""
    record = db.session.get(model, record_id)
    for veld, waarde in velden.items():
        setattr(record, veld, waarde)
    db.session.commit()
    return str(record.versie)


FORMULIEREN = {
    "cyclus.klankbord_overleg_nieuw": lambda world, args: {
        "sector": "PO", "datum": "2026-11-02", "notities": "Aanwezigheid in het PO."},
    "cyclus.klankbord_overleg_bewerken": lambda world, args: {
        "versie": _versie(Klankbordoverleg, args["overleg_id"]), "sector": "PO",
        "datum": "2026-10-06", "notities": "Verslag aangevuld."},
    "cyclus.klankbord_besluit_nieuw": lambda world, args: {
        "tekst": "Evaluatie van de termijnen in het voorjaar."},
    "cyclus.klankbord_besluit_verwijderen": lambda world, args: {
        "versie": _versie(Besluit, args["besluit_id"])},
    "cyclus.klankbord_maatregel_nieuw": lambda world, args: {
        "sector": "PO", "titel": "Warme overdracht", "plan": "Een persoonlijke kennismaking."},
    "cyclus.klankbord_maatregel_bewerken": lambda world, args: {
        "versie": _versie(Maatregel, args["maatregel_id"]), "sector": "PO",
        "titel": "Spreekuur op elke school", "plan": "Elke maand."},
    "cyclus.klankbord_maatregel_afronden": lambda world, args: {
        "versie": _versie(Maatregel, args["maatregel_id"], afgerond=False), "afgerond": "ja"},
    "cyclus.klankbord_resultaat_nieuw": lambda world, args: {
        "periode": f"periode {next(_volgnummer)}", "resultaat": "Goed bezocht."},
    "cyclus.klankbord_resultaat_bewerken": lambda world, args: {
        "versie": _versie(Maatregelresultaat, args["resultaat_id"]),
        "periode": f"2025-2026 deel {next(_volgnummer)}", "resultaat": "Op vijf scholen."},
}
