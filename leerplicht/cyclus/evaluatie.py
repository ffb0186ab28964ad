"""The yearly evaluation as plain functions: planning, status, freezing, scores, improvement points.

Each function checks its rule and changes the records; it raises Regelfout with a Dutch message
when the rule refuses. Committing is the caller's job. Once vastgelegd, nothing of an evaluation
changes any more, except that its improvement points can still be marked done (they live on in
the next schooljaar's afsprakenlijst).
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import lazyload, selectinload

from ..extensions import db
from ..regelfout import Regelfout
from ..scholen.models import Kant
from ..schooljaren import Schooljaar
from .harde import HardeGegevens, harde_gegevens
from .models import (
    SCORES,
    Evaluatie,
    Evaluatiescore,
    Evaluatiestatus,
    Thema,
    Verbeterpunt,
)
from .regels import kant_nog_in_te_vullen, peildatum

VASTGELEGD = ("Deze evaluatie is vastgelegd; daarna verandert er niets meer aan "
              "(verbeterpunten kunt u nog wel afronden).")
NIET_IN_SCHOOLJAAR = ("Kies een datum in schooljaar {naam} ({begin:%d-%m-%Y} tot en met "
                      "{eind:%d-%m-%Y}).")


def _niet_vastgelegd(evaluatie: Evaluatie) -> None:
    """Refuse any change to a frozen evaluation."""
    if evaluatie.is_vastgelegd:
        raise Regelfout(VASTGELEGD, "status")


def _in_schooljaar(dag: date, schooljaar: Schooljaar, veld: str) -> None:
    """Refuse a date outside the schooljaar."""
    if not schooljaar.begin <= dag <= schooljaar.eind:
        raise Regelfout(NIET_IN_SCHOOLJAAR.format(naam=schooljaar.naam, begin=schooljaar.begin,
                                                  eind=schooljaar.eind), veld)


def plan(school_id: int, schooljaar: Schooljaar, gepland_op: date, teamleider_aanwezig: bool,
         directeur_aanwezig: bool, aanwezigen: str, vandaag: date,
         evaluatie: Evaluatie | None = None) -> Evaluatie:
    """Plan the school's evaluation in the schooljaar, or change the planning of `evaluatie`."""
    if evaluatie is None:
        if schooljaar.eind < vandaag:
            raise Regelfout("Dit schooljaar is voorbij; daarin plant u geen evaluatie meer.",
                            "gepland_op")
        evaluatie = Evaluatie(school_id=school_id, schooljaar_id=schooljaar.id,
                              status=Evaluatiestatus.GEPLAND)
        db.session.add(evaluatie)
    else:
        _niet_vastgelegd(evaluatie)
    _in_schooljaar(gepland_op, schooljaar, "gepland_op")
    evaluatie.gepland_op = gepland_op
    evaluatie.teamleider_aanwezig = bool(teamleider_aanwezig)
    evaluatie.directeur_aanwezig = bool(directeur_aanwezig)
    evaluatie.aanwezigen = aanwezigen or ""
    return evaluatie


def markeer_gehouden(evaluatie: Evaluatie, schooljaar: Schooljaar, gehouden_op: date,
                     vandaag: date) -> None:
    """Record that the evaluation took place (gepland -> gehouden; the date may be corrected)."""
    _niet_vastgelegd(evaluatie)
    if gehouden_op > vandaag:
        raise Regelfout("De evaluatie kan niet in de toekomst gehouden zijn.", "gehouden_op")
    _in_schooljaar(gehouden_op, schooljaar, "gehouden_op")
    evaluatie.status = Evaluatiestatus.GEHOUDEN
    evaluatie.gehouden_op = gehouden_op


def controleer_vastleggen(evaluatie: Evaluatie) -> None:
    """Refuse to freeze an evaluation that is not held yet, or frozen already."""
    _niet_vastgelegd(evaluatie)
    if evaluatie.status != Evaluatiestatus.GEHOUDEN:
        raise Regelfout("Leg eerst vast dat de evaluatie gehouden is; daarna kunt u haar "
                        "vastleggen.", "status")


def leg_vast(evaluatie: Evaluatie, gegevens: HardeGegevens, door_naam: str,
             moment: datetime) -> None:
    """Freeze the evaluation with its hard data (only once it has been held)."""
    controleer_vastleggen(evaluatie)
    evaluatie.harde_gegevens = json.dumps(gegevens.als_dict(), sort_keys=True)
    evaluatie.status = Evaluatiestatus.VASTGELEGD
    evaluatie.vastgelegd_op = moment
    evaluatie.vastgelegd_door_naam = door_naam


def scores_van(evaluatie: Evaluatie, kant: str) -> dict[str, Evaluatiescore]:
    """One side's score rows by thema."""
    return {s.thema: s for s in evaluatie.scores if s.kant == kant}


def kant_versie(evaluatie: Evaluatie | None, kant: str) -> str:
    """A fingerprint of one side's scores (the version of each theme's row, 0 when none): a
    form carries it, so a colleague's save in between is noticed; the other side's is not."""
    rijen = scores_van(evaluatie, kant) if evaluatie else {}
    return ".".join(str(rijen[t.value].versie if t.value in rijen else 0) for t in Thema)


def bewaar_scores(evaluatie: Evaluatie, kant: str, waarden: dict[str, tuple[int | None, str]],
                  door_naam: str) -> None:
    """Store one side's score and comment per theme; the other side's rows are never touched."""
    _niet_vastgelegd(evaluatie)
    if kant not in (Kant.LLZ, Kant.SCHOOL):
        raise Regelfout("Alleen Leerlingzaken en de school vullen een kant in.")
    bestaand = scores_van(evaluatie, kant)
    for thema in Thema:
        score, toelichting = waarden.get(thema.value, (None, ""))
        if score is not None and score not in SCORES:
            raise Regelfout("Kies een score van 1 tot en met 5.", thema.value)
        rij = bestaand.get(thema.value)
        if rij is None:
            if score is None and not toelichting:
                continue
            rij = Evaluatiescore(kant=kant, thema=thema.value)
            evaluatie.scores.append(rij)
        elif rij.score == score and rij.toelichting == (toelichting or ""):
            continue
        rij.score = score
        rij.toelichting = toelichting or ""
        rij.ingevuld_door_naam = door_naam


def voeg_verbeterpunt_toe(evaluatie: Evaluatie, wat: str, wie: str,
                          uiterlijk: date) -> Verbeterpunt:
    """Add an improvement point to a (not yet frozen) evaluation."""
    _niet_vastgelegd(evaluatie)
    if wie not in (Kant.LLZ, Kant.SCHOOL):
        raise Regelfout("Kies wie het verbeterpunt oppakt.", "wie")
    if uiterlijk < evaluatie.gepland_op:
        raise Regelfout("Kies een datum na de evaluatie.", "uiterlijk")
    punt = Verbeterpunt(school_id=evaluatie.school_id, wat=wat, wie=wie, uiterlijk=uiterlijk)
    evaluatie.verbeterpunten.append(punt)
    return punt


def rond_af(punt: Verbeterpunt, afgerond_op: date, vandaag: date) -> None:
    """Mark an improvement point done (also after the evaluation was vastgelegd)."""
    if punt.afgerond_op is not None:
        raise Regelfout(f"Dit verbeterpunt is al afgerond op {punt.afgerond_op:%d-%m-%Y}.",
                        "afgerond_op")
    if afgerond_op > vandaag:
        raise Regelfout("De datum van afronden ligt in de toekomst.", "afgerond_op")
    if punt.evaluatie is not None and afgerond_op < punt.evaluatie.schooljaar.begin:
        raise Regelfout("Deze datum ligt voor het schooljaar van de evaluatie.", "afgerond_op")
    punt.afgerond_op = afgerond_op


# --- reading ------------------------------------------------------------------------------------

def evaluaties_voor(school_ids, schooljaar: Schooljaar) -> dict[int, Evaluatie]:
    """The schools' evaluations in the schooljaar, with scores and points loaded (one query for
    the evaluations, plus SQLAlchemy's selectin loads)."""
    ids = list(school_ids)
    if not ids:
        return {}
    rijen = db.session.scalars(
        select(Evaluatie)
        .options(selectinload(Evaluatie.scores), selectinload(Evaluatie.verbeterpunten))
        .where(Evaluatie.school_id.in_(ids), Evaluatie.schooljaar_id == schooljaar.id)
    )
    return {e.school_id: e for e in rijen}


def in_te_vullen(school_ids, schooljaar: Schooljaar, tot: date, kant: str) -> list[Evaluatie]:
    """The schooljaar's evaluations not vastgelegd, held or planned on or before `tot`, where
    `kant` still has themes to score: what the start pages (tot = today) and the e-mail digest
    (tot = Sunday) ask that side to fill in (one query plus the scores)."""
    ids = list(school_ids)
    if not ids:
        return []
    rijen = db.session.scalars(
        select(Evaluatie)
        .options(selectinload(Evaluatie.scores), lazyload(Evaluatie.school))
        .where(Evaluatie.school_id.in_(ids), Evaluatie.schooljaar_id == schooljaar.id,
               Evaluatie.status != Evaluatiestatus.VASTGELEGD,
               (Evaluatie.status == Evaluatiestatus.GEHOUDEN) | (Evaluatie.gepland_op <= tot))
        .order_by(Evaluatie.gepland_op, Evaluatie.id)
    )
    return [e for e in rijen if kant_nog_in_te_vullen(e, kant)]


def gemiddelde_scores(school_ids, schooljaar: Schooljaar) -> dict[tuple[str, str], float]:
    """The average score per (kant, thema) over the schools' evaluations (one query)."""
    ids = list(school_ids)
    if not ids:
        return {}
    rijen = db.session.execute(
        select(Evaluatiescore.kant, Evaluatiescore.thema, func.avg(Evaluatiescore.score))
        .join(Evaluatie, Evaluatie.id == Evaluatiescore.evaluatie_id)
        .where(Evaluatie.school_id.in_(ids), Evaluatie.schooljaar_id == schooljaar.id,
               Evaluatiescore.score.is_not(None))
        .group_by(Evaluatiescore.kant, Evaluatiescore.thema)
    )
    return {(kant, thema): float(gem) for kant, thema, gem in rijen}


def harde_gegevens_van(evaluatie: Evaluatie | None, school, schooljaar: Schooljaar,
                       vandaag: date) -> HardeGegevens:
    """The hard data shown with an evaluation: frozen once vastgelegd, else live."""
    if evaluatie is not None and evaluatie.bevroren is not None:
        return HardeGegevens.uit_dict(evaluatie.bevroren)
    return harde_gegevens([school], schooljaar, peildatum(schooljaar, vandaag))[school.id]


@dataclass(frozen=True)
class Overgedragen:
    """Improvement points on an afsprakenlijst: from earlier evaluations, open or just done."""

    punten: list  # (Verbeterpunt, schooljaar naam of its evaluation)
    vorig_jaar: str  # the name of the schooljaar before the list's


def vorig_schooljaar_naam(schooljaar: Schooljaar) -> str:
    """The name of the schooljaar before this one."""
    return f"{schooljaar.begin.year - 1}-{schooljaar.begin.year}"


def overgedragen_punten(school_id: int, schooljaar: Schooljaar) -> Overgedragen:
    """The points of earlier schooljaren's evaluations still open, plus those of the previous
    schooljaar done during this one (one query)."""
    from ..schooljaren import Schooljaar as Jaar

    vorig_begin = date(schooljaar.begin.year - 1, 8, 1)
    rijen = db.session.execute(
        select(Verbeterpunt, Jaar.naam)
        .join(Evaluatie, Evaluatie.id == Verbeterpunt.evaluatie_id)
        .join(Jaar, Jaar.id == Evaluatie.schooljaar_id)
        .where(
            Verbeterpunt.school_id == school_id,
            Jaar.begin < schooljaar.begin,
            or_(Verbeterpunt.afgerond_op.is_(None),
                and_(Jaar.begin >= vorig_begin,
                     Verbeterpunt.afgerond_op.between(schooljaar.begin, schooljaar.eind))),
        )
        .order_by(Verbeterpunt.afgerond_op.is_not(None), Verbeterpunt.uiterlijk, Verbeterpunt.id)
    ).all()
    return Overgedragen([(punt, naam) for punt, naam in rijen],
                        vorig_schooljaar_naam(schooljaar))


def ingevulde_themas(evaluatie: Evaluatie) -> dict[str, int]:
    """How many themes each side has scored."""
    telling = defaultdict(int)
    for score in evaluatie.scores:
        if score.score is not None:
            telling[score.kant] += 1
    return {"llz": telling["llz"], "school": telling["school"]}


def verbeterpunttellingen(school_ids, schooljaar: Schooljaar,
                          peildatum: date) -> dict[int, tuple[int, int]]:
    """Per school: (agreed, done by `peildatum`) improvement points of its evaluation in the
    schooljaar (one query)."""
    klaar = func.sum(case((Verbeterpunt.afgerond_op <= peildatum, 1), else_=0))
    rijen = db.session.execute(
        select(Verbeterpunt.school_id, func.count(), klaar)
        .join(Evaluatie, Evaluatie.id == Verbeterpunt.evaluatie_id)
        .where(Evaluatie.schooljaar_id == schooljaar.id,
               Verbeterpunt.school_id.in_(list(school_ids)))
        .group_by(Verbeterpunt.school_id)
    )
    return {school_id: (int(n), int(gedaan or 0)) for school_id, n, gedaan in rijen}
