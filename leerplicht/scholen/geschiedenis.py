"""The history of a schooldossier: who changed what and when, from the audit trail."""

from sqlalchemy import select

from ..audit import Auditregel
from ..extensions import db
from ..policy import Regel, school_van_verzoek, toegang
from ..rendering import render
from ..woordverschil import was_werd
from .views import bp

# Dutch names of the audited fields and tables, as the history page shows them.
VELDNAMEN = {
    "titel": "titel", "tekst": "tekst", "wie": "wie", "deadline": "uiterlijk",
    "positie": "volgorde", "status": "status", "naam": "naam", "code": "BRIN",
    "sector": "sector", "straat": "straat", "postcode": "postcode", "plaats": "plaats",
    "bestuur": "bestuur", "actief": "actief", "contactpersoon_id": "contactpersoon",
    "akkoord_llz_naam": "akkoord Leerlingzaken", "akkoord_school_naam": "akkoord school",
    "tot": "einddatum", "vanaf": "ingangsdatum", "reden": "reden",
    "warme_overdracht_op": "warme overdracht",
    "onderwerp": "onderwerp", "niveau": "stap", "stap_sinds": "stap sinds",
    "opgelost_op": "opgelost op", "uitkomst": "uitkomst", "llz_rol": "wie van Leerlingzaken",
    "school_rol": "wie van de school", "wijze": "hoe", "termijn_werkdagen": "termijn (werkdagen)",
    "toelichting": "toelichting",
}
TABELNAMEN = {"school": "School", "afspraak": "Afspraak", "afsprakenlijst": "Afsprakenlijst",
              "toewijzing": "Contactpersoon", "escalatie": "Escalatie",
              "routestap": "Escalatieroute"}
MAXIMUM = 500  # the newest changes; older ones stay in the database


def wijzigingen(school_id: int) -> list[Auditregel]:
    """The newest changes of everything in the school's dossier, newest first."""
    return list(db.session.scalars(
        select(Auditregel)
        .where(Auditregel.school_id == school_id)
        .order_by(Auditregel.tijdstip.desc(), Auditregel.id.desc())
        .limit(MAXIMUM)
    ))


@bp.route("/<code>/geschiedenis")
@toegang(Regel.SCHOOL_INZIEN)
def geschiedenis(code: str):
    """The audit trail of everything changed in this school's dossier, newest first.

    Long texts show the changed words with some context, not the same cut-off start twice.
    """
    school = school_van_verzoek()
    return render("scholen/geschiedenis.html", school=school,
                  regels=[(r, *was_werd(r.oud, r.nieuw)) for r in wijzigingen(school.id)],
                  veldnamen=VELDNAMEN, tabelnamen=TABELNAMEN)
