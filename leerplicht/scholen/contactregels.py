"""Rules for changing a school's contact persons (werkafspraken: at most once a year, announced
a month ahead, warm handover) and the change itself, with history kept."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..normen import Normversie
from ..schooljaren import Schooljaar, plus_maanden
from .models import Contactrol, Toewijzing

VASTE_ROLLEN = (Contactrol.LLZ_CONTACT, Contactrol.SCHOOL_CONTACT)


@dataclass(frozen=True)
class Wijziging:
    """A requested change of who holds a contact role at a school."""

    school_id: int
    rol: Contactrol
    contactpersoon_id: int
    ingang: date
    aangekondigd: date
    reden: str = ""
    warme_overdracht: date | None = None


def wisselingen_in_jaar(school_id: int, rol: Contactrol, schooljaar: Schooljaar) -> int:
    """How often the role changed hands in the schooljaar (each change ends an assignment)."""
    return db.session.scalar(
        select(func.count(Toewijzing.id)).where(
            Toewijzing.school_id == school_id,
            Toewijzing.rol == rol,
            Toewijzing.tot.is_not(None),
            Toewijzing.tot > schooljaar.begin,
            Toewijzing.tot <= schooljaar.eind,
        )
    )


def redenen_nodig(w: Wijziging, schooljaar: Schooljaar, normen: Normversie) -> list[str]:
    """Why this change needs a written reason (empty: allowed without one)."""
    nodig = []
    if w.rol in VASTE_ROLLEN:
        maximum = normen["contactpersoon_wisselingen_maximum"].waarde
        if wisselingen_in_jaar(w.school_id, w.rol, schooljaar) >= maximum:
            nodig.append(
                f"De vaste contactpersoon wisselt vaker dan {maximum} keer in schooljaar "
                f"{schooljaar.naam}. Dat kan alleen bij overmacht: geef de reden."
            )
        maanden = normen["contactpersoon_aankondiging"].waarde
        if plus_maanden(w.aangekondigd, maanden) > w.ingang:
            nodig.append(
                f"De wisseling is minder dan {normen['contactpersoon_aankondiging']} van "
                "tevoren aangekondigd: geef de reden."
            )
    return nodig


def huidige(school_id: int, rol: Contactrol, op: date) -> Toewijzing | None:
    """The assignment of the role in force on date `op`."""
    return db.session.scalars(
        select(Toewijzing).where(
            Toewijzing.school_id == school_id,
            Toewijzing.rol == rol,
            Toewijzing.vanaf <= op,
            (Toewijzing.tot.is_(None)) | (Toewijzing.tot > op),
        )
    ).first()


def voer_uit(w: Wijziging) -> Toewijzing:
    """End the current assignment at the change date and start the new one; history stays."""
    vorige = huidige(w.school_id, w.rol, w.ingang)
    if vorige is not None:
        if vorige.contactpersoon_id == w.contactpersoon_id:
            raise ValueError("Deze persoon heeft deze rol al.")
        if vorige.vanaf >= w.ingang:
            raise ValueError("De ingangsdatum ligt niet na het begin van de huidige toewijzing.")
        vorige.tot = w.ingang
    # A change planned earlier for a later date is replaced by this one.
    for gepland in db.session.scalars(
        select(Toewijzing).where(
            Toewijzing.school_id == w.school_id, Toewijzing.rol == w.rol,
            Toewijzing.vanaf > w.ingang,
        )
    ):
        db.session.delete(gepland)
    nieuw = Toewijzing(
        school_id=w.school_id,
        contactpersoon_id=w.contactpersoon_id,
        rol=w.rol,
        vanaf=w.ingang,
        aangekondigd_op=w.aangekondigd,
        reden=w.reden,
        warme_overdracht_op=w.warme_overdracht,
    )
    db.session.add(nieuw)
    return nieuw


def geschiedenis(school_id: int) -> list[Toewijzing]:
    """All assignments of the school, newest first (ended, current and planned)."""
    return list(
        db.session.scalars(
            select(Toewijzing)
            .where(Toewijzing.school_id == school_id)
            .order_by(Toewijzing.vanaf.desc(), Toewijzing.id.desc())
        )
    )
