"""Loading register rows for a page: one query per list, counts from the stored termijnen.

A page of a register costs the same number of queries for 5 rows as for 500: the rows of
one page, one aggregate for the counts, the calendar and the schooljaren (both cached per
request). Every step is timed in Python from the row's dates (regels.py).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..normen import Normversie
from ..normenbron import normen_voor
from ..scholen.models import Kant, School
from ..schooljaren import Schooljaar, alle_schooljaren
from ..werkdagen import Werkdagkalender
from .kalender import kalender
from .models import Ontwikkeling, Verzuimmelding, Vraag
from .opslag import MELDINGSTAPPEN
from .regels import (
    Stand,
    Stap,
    aanwezige_elementen,
    melding_stappen,
    niet_verzonden,
    ontbrekende_elementen,
    ontwikkeling_stap,
    vraag_stap,
)

PER_PAGINA = 50


@dataclass(frozen=True)
class Stapweergave:
    """A step as the page shows it on one day."""

    stap: Stap
    stand: Stand
    te_laat: int  # werkdagen past the deadline (done late, or open and overdue)
    resterend: int  # werkdagen left while running

    @property
    def open(self) -> bool:
        """Not done yet."""
        return self.stap.klaar_op is None


def _weergave(stap: Stap, vandaag: date, kal: Werkdagkalender) -> Stapweergave:
    return Stapweergave(stap, stap.stand(vandaag), stap.over_termijn(vandaag, kal),
                        stap.resterend(vandaag, kal))


@dataclass
class Meldingrij:
    """One melding with its steps, as of today."""

    melding: Verzuimmelding
    stappen: list[Stapweergave]
    niet_verzonden: bool
    ontbrekend: list[str]
    elementen: tuple[str, ...]  # the checklist of the row's norms version
    aanwezig: list[int] = field(default_factory=list)

    @property
    def id(self) -> int:
        """The melding's id."""
        return self.melding.id


@dataclass
class Vraagrij:
    """One question with the answer owed."""

    vraag: Vraag
    stap: Stapweergave

    @property
    def id(self) -> int:
        """The question's id."""
        return self.vraag.id


@dataclass
class Ontwikkelingrij:
    """One development with LLZ's report to the school."""

    ontwikkeling: Ontwikkeling
    stap: Stapweergave

    @property
    def id(self) -> int:
        """The development's id."""
        return self.ontwikkeling.id


def _normen(schooljaar_id: int) -> Normversie:
    """The norms of a schooljaar by id (the schooljaren list is cached per request)."""
    jaar = next(j for j in alle_schooljaren() if j.id == schooljaar_id)
    return normen_voor(jaar)


def meldingrij(melding: Verzuimmelding, vandaag: date | None = None) -> Meldingrij:
    """The page's view of one melding."""
    vandaag = vandaag or date.today()
    kal = kalender()
    normen = _normen(melding.schooljaar_id)
    return Meldingrij(
        melding=melding,
        stappen=[_weergave(s, vandaag, kal) for s in melding_stappen(melding, normen, kal)],
        niet_verzonden=niet_verzonden(melding, vandaag),
        ontbrekend=ontbrekende_elementen(melding, normen),
        elementen=normen.meldingselementen,
        aanwezig=aanwezige_elementen(melding, normen),
    )


def vraagrij(vraag: Vraag, vandaag: date | None = None) -> Vraagrij:
    """The page's view of one question."""
    kal = kalender()
    stap = vraag_stap(vraag, _normen(vraag.schooljaar_id), kal)
    return Vraagrij(vraag, _weergave(stap, vandaag or date.today(), kal))


def ontwikkelingrij(ontwikkeling: Ontwikkeling, vandaag: date | None = None) -> Ontwikkelingrij:
    """The page's view of one development."""
    kal = kalender()
    stap = ontwikkeling_stap(ontwikkeling, _normen(ontwikkeling.schooljaar_id), kal)
    return Ontwikkelingrij(ontwikkeling, _weergave(stap, vandaag or date.today(), kal))


def _open(uiterlijk, werkdagen):
    """SQL: a stored step that runs and is not done."""
    return and_(uiterlijk.is_not(None), werkdagen.is_(None))


def _som(voorwaarde):
    return func.coalesce(func.sum(case((voorwaarde, 1), else_=0)), 0)


M = Verzuimmelding
# (deadline, duration) of every step of a melding.
MELDING_STAPPEN = tuple((uiterlijk, duur) for _stap, uiterlijk, _klaar, duur in MELDINGSTAPPEN)
# The steps LLZ owes (the school owes aanvullen).
LLZ_MELDING_STAPPEN = (MELDING_STAPPEN[0], MELDING_STAPPEN[2])


def melding_telling(school_id: int, schooljaar: Schooljaar, vandaag: date) -> dict:
    """Counts of a school's meldingen in a schooljaar, from the stored termijnen (one query)."""
    open_ = or_(*(_open(u, w) for u, w in MELDING_STAPPEN))
    verlopen = or_(*(and_(_open(u, w), u < vandaag) for u, w in MELDING_STAPPEN))
    llz_open = or_(*(_open(u, w) for u, w in LLZ_MELDING_STAPPEN))
    nv = and_(M.aangevuld_op.is_(None), M.aanvullen_uiterlijk.is_not(None),
              M.aanvullen_uiterlijk < vandaag)
    rij = db.session.execute(
        select(func.count(M.id), _som(open_), _som(verlopen), _som(llz_open), _som(nv))
        .where(M.school_id == school_id, M.schooljaar_id == schooljaar.id)
    ).one()
    return dict(zip(("totaal", "open", "verlopen", "llz_open", "niet_verzonden"),
                    (int(x or 0) for x in rij), strict=True))


def _telling(model, school_id: int, schooljaar: Schooljaar, vandaag: date,
             extra=None) -> dict:
    """Counts of questions or developments (one query)."""
    open_ = _open(model.uiterlijk, model.werkdagen)
    query = select(func.count(model.id), _som(open_),
                   _som(and_(open_, model.uiterlijk < vandaag)))
    query = query.where(model.school_id == school_id, model.schooljaar_id == schooljaar.id)
    if extra is not None:
        query = query.add_columns(_som(and_(open_, extra)))
    rij = db.session.execute(query).one()
    namen = ("totaal", "open", "verlopen", "voor_school")
    return dict(zip(namen, (int(x or 0) for x in rij), strict=False))


def vraag_telling(school_id: int, schooljaar: Schooljaar, vandaag: date) -> dict:
    """Counts of a school's questions; `voor_school`: open questions LLZ asked the school."""
    return _telling(Vraag, school_id, schooljaar, vandaag, Vraag.gesteld_door == Kant.LLZ)


def ontwikkeling_telling(school_id: int, schooljaar: Schooljaar, vandaag: date) -> dict:
    """Counts of a school's developments."""
    return _telling(Ontwikkeling, school_id, schooljaar, vandaag)


def paginas(totaal: int) -> int:
    """How many pages `totaal` rows take."""
    return max(1, -(-totaal // PER_PAGINA))


def _pagina(query, pagina: int):
    return query.limit(PER_PAGINA).offset((max(1, pagina) - 1) * PER_PAGINA)


def meldingen(school_id: int, schooljaar: Schooljaar, vandaag: date,
              pagina: int = 1) -> list[Meldingrij]:
    """A page of the school's meldingen in the schooljaar, newest first."""
    query = (select(M).where(M.school_id == school_id, M.schooljaar_id == schooljaar.id)
             .order_by(M.ontvangen_op.desc(), M.id.desc()))
    return [meldingrij(m, vandaag) for m in db.session.scalars(_pagina(query, pagina))]


def vragen(school_id: int, schooljaar: Schooljaar, vandaag: date,
           pagina: int = 1) -> list[Vraagrij]:
    """A page of the school's questions in the schooljaar, newest first."""
    query = (select(Vraag).where(Vraag.school_id == school_id,
                                 Vraag.schooljaar_id == schooljaar.id)
             .order_by(Vraag.gesteld_op.desc(), Vraag.id.desc()))
    return [vraagrij(v, vandaag) for v in db.session.scalars(_pagina(query, pagina))]


def ontwikkelingen(school_id: int, schooljaar: Schooljaar, vandaag: date,
                   pagina: int = 1) -> list[Ontwikkelingrij]:
    """A page of the school's developments in the schooljaar, newest first."""
    query = (select(Ontwikkeling).where(Ontwikkeling.school_id == school_id,
                                        Ontwikkeling.schooljaar_id == schooljaar.id)
             .order_by(Ontwikkeling.bekend_op.desc(), Ontwikkeling.id.desc()))
    return [ontwikkelingrij(o, vandaag) for o in db.session.scalars(_pagina(query, pagina))]


@dataclass
class Llzopen:
    """What LLZ still owes the school: one line per open step, soonest deadline first."""

    wat: str
    stap: Stapweergave


def llz_open(school_id: int, schooljaar: Schooljaar, vandaag: date,
             limiet: int = 50) -> list[Llzopen]:
    """The open LLZ steps of the school's meldingen, questions and developments (3 queries)."""
    regels: list[Llzopen] = []
    query = (select(M).where(M.school_id == school_id, M.schooljaar_id == schooljaar.id,
                             or_(*(_open(u, w) for u, w in LLZ_MELDING_STAPPEN)))
             .order_by(M.ontvangen_op).limit(limiet))
    for melding in db.session.scalars(query):
        for stap in meldingrij(melding, vandaag).stappen:
            if stap.open and stap.stap.naam.kant == Kant.LLZ:
                regels.append(Llzopen(f"Melding {melding.referentie}", stap))
    query = (select(Vraag).where(Vraag.school_id == school_id,
                                 Vraag.schooljaar_id == schooljaar.id,
                                 Vraag.gesteld_door == Kant.SCHOOL, Vraag.werkdagen.is_(None))
             .order_by(Vraag.gesteld_op).limit(limiet))
    regels += [Llzopen(f"Vraag: {v.onderwerp}", vraagrij(v, vandaag).stap)
               for v in db.session.scalars(query)]
    query = (select(Ontwikkeling).where(Ontwikkeling.school_id == school_id,
                                        Ontwikkeling.schooljaar_id == schooljaar.id,
                                        Ontwikkeling.werkdagen.is_(None))
             .order_by(Ontwikkeling.bekend_op).limit(limiet))
    regels += [Llzopen(f"Ontwikkeling: {o.onderwerp}", ontwikkelingrij(o, vandaag).stap)
               for o in db.session.scalars(query)]
    return sorted(regels, key=lambda r: r.stap.stap.uiterlijk)


def recente_invoer(school_ids: list[int] | None, limiet: int = 20) -> list[tuple[School,
                                                                           Meldingrij]]:
    """The meldingen entered last at the given schools (None: all), newest entry first."""
    query = select(M, School).join(School, School.id == M.school_id)
    if school_ids is not None:
        query = query.where(M.school_id.in_(school_ids or [-1]))
    query = query.order_by(M.id.desc()).limit(limiet)
    return [(school, meldingrij(melding)) for melding, school in db.session.execute(query)]
