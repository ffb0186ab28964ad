"""Rules for changing a school's contact persons (werkafspraken: at most once a year, announced
a month ahead, warm handover) and the change itself, with history kept."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..normen import Normversie
from ..schooljaren import Schooljaar, plus_maanden
from .models import Contactpersoon, Contactrol, Kant, Toewijzing, contactpersoon_school

# The fixed contact persons of both sides and their substitutes: the werkafspraken's rules for a
# change (once a year, a month's notice, a warm handover) apply to all four.
VASTE_ROLLEN = (
    Contactrol.LLZ_CONTACT,
    Contactrol.LLZ_VERVANGER,
    Contactrol.SCHOOL_CONTACT,
    Contactrol.SCHOOL_VERVANGER,
)


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
    """End the current assignment at the change date and start the new one; history stays.

    A school-side person is linked to the school (the view has checked the user may pick them).
    """
    vorige = huidige(w.school_id, w.rol, w.ingang)
    if vorige is not None:
        if vorige.contactpersoon_id == w.contactpersoon_id:
            raise ValueError("Deze persoon heeft deze rol al.")
        if vorige.vanaf >= w.ingang:
            raise ValueError("De ingangsdatum ligt niet na het begin van de huidige toewijzing.")
    # A change planned earlier for a later date is replaced by this one. Deleted first: the
    # unique index on the open-ended assignment must never see two at once.
    for gepland in db.session.scalars(
        select(Toewijzing).where(
            Toewijzing.school_id == w.school_id, Toewijzing.rol == w.rol,
            Toewijzing.vanaf > w.ingang,
        )
    ):
        db.session.delete(gepland)
    db.session.flush()
    if vorige is not None:
        vorige.tot = w.ingang
        db.session.flush()
    koppel(w.contactpersoon_id, w.school_id)
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


def koppel(contactpersoon_id: int, school_id: int) -> None:
    """Record that a school-side person works for the school (LLZ people are shared)."""
    persoon = db.session.get(Contactpersoon, contactpersoon_id)
    if persoon is None or persoon.kant != Kant.SCHOOL:
        return
    bestaat = db.session.scalar(
        select(contactpersoon_school.c.school_id).where(
            contactpersoon_school.c.contactpersoon_id == contactpersoon_id,
            contactpersoon_school.c.school_id == school_id,
        )
    )
    if bestaat is None:
        db.session.execute(
            insert(contactpersoon_school).values(
                contactpersoon_id=contactpersoon_id, school_id=school_id
            )
        )


@dataclass
class Contactwissels:
    """What is pending in a school's contacts: planned changes and missing warm handovers."""

    gepland: list[Toewijzing]
    zonder_overdracht: list[Toewijzing]


def contactwissels(school_ids, vandaag: date) -> dict[int, Contactwissels]:
    """Per school: changes that start later, and changes of a fixed role whose warm handover
    (the personal introduction) is not recorded yet. One query for any number of schools."""
    vorige = aliased(Toewijzing)
    is_wissel = (
        select(vorige.id)
        .where(vorige.school_id == Toewijzing.school_id, vorige.rol == Toewijzing.rol,
               vorige.tot == Toewijzing.vanaf,
               vorige.contactpersoon_id != Toewijzing.contactpersoon_id)
        .exists()
    )
    overdracht_open = and_(
        Toewijzing.rol.in_(VASTE_ROLLEN), Toewijzing.warme_overdracht_op.is_(None), is_wissel
    )
    rijen = db.session.execute(
        select(Toewijzing, overdracht_open.label("overdracht_open"))
        .where(
            Toewijzing.school_id.in_(list(school_ids)),
            or_(Toewijzing.tot.is_(None), Toewijzing.tot > vandaag),
            or_(Toewijzing.vanaf > vandaag, overdracht_open),
        )
        .order_by(Toewijzing.vanaf, Toewijzing.id)
    )
    per_school: dict[int, Contactwissels] = defaultdict(lambda: Contactwissels([], []))
    for toewijzing, open_ in rijen:
        wissels = per_school[toewijzing.school_id]
        if toewijzing.vanaf > vandaag:
            wissels.gepland.append(toewijzing)
        if open_:
            wissels.zonder_overdracht.append(toewijzing)
    return per_school
