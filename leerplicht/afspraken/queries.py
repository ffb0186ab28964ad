"""Reading afsprakenlijsten in bulk: for the dossier section, the list page and overviews."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..normenbron import normen_voor
from ..schooljaren import Schooljaar
from .models import Afsprakenlijst
from .regels import Stand, Termijnstand, stand_uit, termijnstand


@dataclass
class AfsprakenOverzicht:
    """The afsprakenlijst of one school in one schooljaar, as the dossier shows it."""

    stand: Stand
    termijn: Termijnstand | None
    versies: list[Afsprakenlijst]


def laad_lijsten(school_ids, schooljaar_id: int) -> dict[int, list[Afsprakenlijst]]:
    """All versions (with their afspraken) per school, two queries in all."""
    per_school = defaultdict(list)
    rows = db.session.scalars(
        select(Afsprakenlijst)
        .options(selectinload(Afsprakenlijst.afspraken))
        .where(
            Afsprakenlijst.school_id.in_(list(school_ids)),
            Afsprakenlijst.schooljaar_id == schooljaar_id,
        )
        .order_by(Afsprakenlijst.school_id, Afsprakenlijst.volgnummer.desc())
    )
    for lijst in rows:
        per_school[lijst.school_id].append(lijst)
    return per_school


def overzichten(scholen, schooljaar: Schooljaar | None, vandaag: date | None = None) -> dict:
    """Dossier-section loader: an AfsprakenOverzicht per school id (bounded queries)."""
    if schooljaar is None:
        return {}
    normen = normen_voor(schooljaar)
    vandaag = vandaag or date.today()
    lijsten = laad_lijsten([s.id for s in scholen], schooljaar.id)
    return {
        school.id: AfsprakenOverzicht(
            stand=stand_uit(lijsten.get(school.id, [])),
            termijn=termijnstand(lijsten.get(school.id, []), schooljaar, normen, vandaag),
            versies=lijsten.get(school.id, []),
        )
        for school in scholen
    }
