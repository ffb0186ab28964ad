"""Reading afsprakenlijsten in bulk: for the dossier section, the list page and overviews."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import raiseload, selectinload

from ..extensions import db
from ..normenbron import normen_voor
from ..scholen.models import School
from ..schooljaren import Schooljaar
from .models import Afsprakenlijst, Status
from .regels import Stand, Termijnstand, stand_uit, termijnstand


@dataclass
class AfsprakenOverzicht:
    """The afsprakenlijst of one school in one schooljaar, as the dossier shows it."""

    stand: Stand
    termijn: Termijnstand | None
    versies: list[Afsprakenlijst]


def laad_lijsten(
    school_ids, schooljaar_id: int, met_afspraken: bool = True
) -> dict[int, list[Afsprakenlijst]]:
    """All versions (with their afspraken unless not needed) per school, two queries in all."""
    per_school = defaultdict(list)
    laden = selectinload if met_afspraken else raiseload
    rows = db.session.scalars(
        select(Afsprakenlijst)
        .options(laden(Afsprakenlijst.afspraken))
        .where(
            Afsprakenlijst.school_id.in_(list(school_ids)),
            Afsprakenlijst.schooljaar_id == schooljaar_id,
        )
        .order_by(Afsprakenlijst.school_id, Afsprakenlijst.volgnummer.desc())
    )
    for lijst in rows:
        per_school[lijst.school_id].append(lijst)
    return per_school


def overzichten(
    scholen, schooljaar: Schooljaar | None, vandaag: date | None = None,
    met_afspraken: bool = True,
) -> dict:
    """Dossier-section loader: an AfsprakenOverzicht per school id (bounded queries).

    Overviews that only show the status pass met_afspraken=False: the afspraken of thousands
    of lists are then not loaded at all.
    """
    if schooljaar is None:
        return {}
    normen = normen_voor(schooljaar)
    vandaag = vandaag or date.today()
    lijsten = laad_lijsten([s.id for s in scholen], schooljaar.id, met_afspraken)
    return {
        school.id: AfsprakenOverzicht(
            stand=stand_uit(lijsten.get(school.id, [])),
            termijn=termijnstand(lijsten.get(school.id, []), schooljaar, normen, vandaag),
            versies=lijsten.get(school.id, []),
        )
        for school in scholen
    }


@dataclass(frozen=True)
class Termijnrij:
    """An active school whose afsprakenlijst of the schooljaar is not yet afgerond."""

    school_id: int
    naam: str
    stand: Termijnstand
    concept: bool  # a concept is being worked on


def open_termijnen(
    schooljaar: Schooljaar, vandaag: date | None = None
) -> tuple[list[Termijnrij], int]:
    """The open deadlines, soonest (or latest overdue) first, and the number of active schools.

    Two queries of plain rows, not ORM objects: this judges every school of the municipality.
    """
    normen, vandaag = normen_voor(schooljaar), vandaag or date.today()
    scholen = db.session.execute(
        select(School.id, School.naam).where(School.actief.is_(True))
    ).all()
    per_school = defaultdict(list)
    for versie in db.session.execute(
        select(Afsprakenlijst.school_id, Afsprakenlijst.status, Afsprakenlijst.herkomst,
               Afsprakenlijst.vastgesteld_op)
        .where(Afsprakenlijst.schooljaar_id == schooljaar.id)
    ):
        per_school[versie.school_id].append(versie)
    rijen = []
    for school in scholen:
        stand = termijnstand(per_school[school.id], schooljaar, normen, vandaag)
        if not stand.afgerond:
            concept = any(v.status == Status.CONCEPT for v in per_school[school.id])
            rijen.append(Termijnrij(school.id, school.naam, stand, concept))
    rijen.sort(key=lambda rij: (rij.stand.dagen, rij.naam))
    return rijen, len(scholen)
