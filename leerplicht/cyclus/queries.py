"""Bulk loading for the cycle: visits counted per school in one query, whatever the count."""

from datetime import date

from sqlalchemy import case, func, select

from ..extensions import db
from ..normenbron import normen_voor
from ..schooljaren import Schooljaar
from .models import Bezoek, Bezoeksoort, Bezoekstatus
from .regels import Bezoektelling, Voortgang, voortgang


def bezoektellingen(school_ids, schooljaar: Schooljaar) -> dict[int, Bezoektelling]:
    """The visits of these schools in the schooljaar, counted (one GROUP BY query)."""
    gehouden = Bezoek.status == Bezoekstatus.GEHOUDEN
    rows = db.session.execute(
        select(
            Bezoek.school_id,
            func.sum(case((gehouden, 1), else_=0)),
            func.sum(case((gehouden, 0), else_=1)),
            func.sum(case(((gehouden) & (Bezoek.soort == Bezoeksoort.JES), 1), else_=0)),
            func.min(case((gehouden, Bezoek.datum))),
        )
        .where(Bezoek.schooljaar_id == schooljaar.id, Bezoek.school_id.in_(list(school_ids)))
        .group_by(Bezoek.school_id)
    )
    return {
        school_id: Bezoektelling(int(h or 0), int(p or 0), int(j or 0), eerste)
        for school_id, h, p, j, eerste in rows
    }


def voortgang_per_school(scholen, schooljaar: Schooljaar, peildatum: date) -> dict[int, Voortgang]:
    """Each school's presence against its sector norm on `peildatum` (one query)."""
    normen = normen_voor(schooljaar)
    tellingen = bezoektellingen([s.id for s in scholen], schooljaar)
    return {
        s.id: voortgang(s.sector, schooljaar, normen, tellingen.get(s.id, Bezoektelling()),
                        peildatum)
        for s in scholen
    }
