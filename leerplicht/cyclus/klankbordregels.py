"""Rules of the Klankbordgroep PO and VO: the sector overview, the small-number rule, meetings,
decisions, measures and their results per period.

The overview puts every school of the sector side by side: hard data (frozen when the school's
evaluation is vastgelegd, else live on the peildatum) and soft data (average scores per side).
A school user sees only its own rows and the sector totals that are over at least
MINIMUM_SCHOLEN schools.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..regelfout import Regelfout
from ..scholen.models import Kant, School
from ..schooljaren import Schooljaar
from .harde import HardeGegevens, harde_gegevens
from .models import (
    Besluit,
    Evaluatie,
    Evaluatiescore,
    Evaluatiestatus,
    Klankbordoverleg,
    Klankbordsector,
    Maatregel,
    Maatregelresultaat,
    Thema,
)
from .regels import peildatum

# A figure over fewer schools than this is hidden from school users: with four or fewer
# schools behind an average, one school could work out another's scores or numbers.
MINIMUM_SCHOLEN = 5

DUBBELE_PERIODE = "Voor deze periode staat al een resultaat bij deze maatregel."


# --- sector and peildatum -------------------------------------------------------------------------


def peildatum_voor(schooljaar: Schooljaar, vandaag: date) -> date:
    """The date the live figures are taken on: today within the schooljaar, else its edge."""
    return max(schooljaar.begin, peildatum(schooljaar, vandaag))


# --- the overview ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cijfer:
    """A sector figure and the number of schools it is over; `verborgen` for too few."""

    waarde: float | int | None
    scholen: int
    verborgen: bool = False


@dataclass(frozen=True)
class Schoolrij:
    """One school in the overview: hard data, its two average scores and evaluation status."""

    school: School
    harde: HardeGegevens
    bevroren: bool
    score_school: float | None
    score_llz: float | None
    evaluatiestatus: Evaluatiestatus | None


@dataclass
class Sectortotalen:
    """The figures over all schools of the sector."""

    scholen: int
    met_evaluatie: Cijfer
    achter: Cijfer  # share of the schools with a presence norm that are behind it
    op_tijd: Cijfer  # share of the judged afsprakenlijsten made on time
    themas: dict[tuple[str, str], Cijfer] = field(default_factory=dict)  # (thema, kant)

    def verberg_kleine(self) -> "Sectortotalen":
        """The same totals with every figure over fewer than MINIMUM_SCHOLEN schools hidden."""

        def klein(cijfer: Cijfer) -> Cijfer:
            if cijfer.scholen >= MINIMUM_SCHOLEN:
                return cijfer
            return replace(cijfer, waarde=None, verborgen=True)

        return Sectortotalen(
            scholen=self.scholen, met_evaluatie=klein(self.met_evaluatie),
            achter=klein(self.achter), op_tijd=klein(self.op_tijd),
            themas={sleutel: klein(c) for sleutel, c in self.themas.items()})


@dataclass
class Klankbordoverzicht:
    """The overview of one sector in one schooljaar, as far as the user may see it."""

    sector: Klankbordsector
    schooljaar: Schooljaar
    peildatum: date
    rijen: list[Schoolrij]
    totalen: Sectortotalen


def _scholen(sector: Klankbordsector, schooljaar: Schooljaar) -> tuple[list[School], dict]:
    """The schools of the sector (active, or with an evaluation in the schooljaar) and those
    evaluations as (status, frozen JSON) per school id (two queries)."""
    alle = list(db.session.scalars(
        select(School).where(School.sector.in_(sector.sectoren))
        .order_by(School.naam, School.code)))
    evaluaties = {
        school_id: (status, bevroren)
        for school_id, status, bevroren in db.session.execute(
            select(Evaluatie.school_id, Evaluatie.status, Evaluatie.harde_gegevens)
            .join(School, School.id == Evaluatie.school_id)
            .where(Evaluatie.schooljaar_id == schooljaar.id,
                   School.sector.in_(sector.sectoren)))
    }
    return [s for s in alle if s.actief or s.id in evaluaties], evaluaties


def _gemiddelde(waarde) -> float | None:
    """A database average as float (PostgreSQL gives Decimal)."""
    return None if waarde is None else float(waarde)


def _scores_per_school(sector: Klankbordsector, schooljaar: Schooljaar) -> dict:
    """{(school_id, kant): average score} over the sector's evaluations (one GROUP BY)."""
    rows = db.session.execute(
        select(Evaluatie.school_id, Evaluatiescore.kant, func.avg(Evaluatiescore.score))
        .join(Evaluatie, Evaluatie.id == Evaluatiescore.evaluatie_id)
        .join(School, School.id == Evaluatie.school_id)
        .where(Evaluatie.schooljaar_id == schooljaar.id, School.sector.in_(sector.sectoren),
               Evaluatiescore.score.is_not(None))
        .group_by(Evaluatie.school_id, Evaluatiescore.kant))
    return {(school_id, kant): _gemiddelde(gem) for school_id, kant, gem in rows}


def _scores_per_thema(sector: Klankbordsector, schooljaar: Schooljaar,
                      school_ids: list[int]) -> dict:
    """{(thema, kant): Cijfer(average, schools)} over the sector's evaluations (one GROUP BY)."""
    rows = db.session.execute(
        select(Evaluatiescore.thema, Evaluatiescore.kant, func.avg(Evaluatiescore.score),
               func.count(distinct(Evaluatie.school_id)))
        .join(Evaluatie, Evaluatie.id == Evaluatiescore.evaluatie_id)
        .where(Evaluatie.schooljaar_id == schooljaar.id, Evaluatie.school_id.in_(school_ids),
               Evaluatiescore.score.is_not(None))
        .group_by(Evaluatiescore.thema, Evaluatiescore.kant))
    uit = {(t.value, k.value): Cijfer(None, 0) for t in Thema for k in (Kant.SCHOOL, Kant.LLZ)}
    for thema, kant, gem, aantal in rows:
        uit[(thema, kant)] = Cijfer(_gemiddelde(gem), int(aantal))
    return uit


def _aandeel(teller: int, noemer: int) -> float | None:
    """teller / noemer, or None when there is nothing to divide by."""
    return teller / noemer if noemer else None


def totalen(rijen: list[Schoolrij], themas: dict) -> Sectortotalen:
    """The sector figures from all its school rows and the theme averages."""
    met_norm = [r for r in rijen if r.harde.bezoeken_norm is not None]
    beoordeeld = [r for r in rijen if r.harde.afsprakenlijst_op_tijd is not None]
    return Sectortotalen(
        scholen=len(rijen),
        met_evaluatie=Cijfer(sum(1 for r in rijen if r.evaluatiestatus is not None), len(rijen)),
        achter=Cijfer(_aandeel(sum(1 for r in met_norm if r.harde.aanwezigheid_achter),
                               len(met_norm)), len(met_norm)),
        op_tijd=Cijfer(_aandeel(sum(1 for r in beoordeeld if r.harde.afsprakenlijst_op_tijd),
                                len(beoordeeld)), len(beoordeeld)),
        themas=themas,
    )


def overzicht(sector: Klankbordsector, schooljaar: Schooljaar, vandaag: date,
              eigen_scholen: set[int] | None = None) -> Klankbordoverzicht:
    """The overview of a sector in a schooljaar (a fixed number of queries).

    `eigen_scholen` None: every row and every total (LLZ). Otherwise only the rows of those
    schools, and the totals with the small-number rule applied (a school user).
    """
    peildatum = peildatum_voor(schooljaar, vandaag)
    scholen, evaluaties = _scholen(sector, schooljaar)
    live = harde_gegevens(scholen, schooljaar, peildatum) if scholen else {}
    scores = _scores_per_school(sector, schooljaar)
    rijen = []
    for school in scholen:
        status, bevroren = evaluaties.get(school.id, (None, None))
        vast = status == Evaluatiestatus.VASTGELEGD and bevroren is not None
        rijen.append(Schoolrij(
            school=school,
            harde=HardeGegevens.uit_dict(json.loads(bevroren)) if vast else live[school.id],
            bevroren=vast,
            score_school=scores.get((school.id, Kant.SCHOOL.value)),
            score_llz=scores.get((school.id, Kant.LLZ.value)),
            evaluatiestatus=Evaluatiestatus(status) if status else None,
        ))
    alles = totalen(rijen, _scores_per_thema(sector, schooljaar, [s.id for s in scholen]))
    if eigen_scholen is not None:
        rijen = [r for r in rijen if r.school.id in eigen_scholen]
        alles = alles.verberg_kleine()
    return Klankbordoverzicht(sector, schooljaar, peildatum, rijen, alles)


def gemiddelde_tekst(waarde: float | None) -> str:
    """An average score in Dutch notation ('3,5'), or '—' without scores."""
    return "—" if waarde is None else f"{waarde:.1f}".replace(".", ",")


# --- meetings and decisions -----------------------------------------------------------------------

def overleggen(sector: Klankbordsector, schooljaar: Schooljaar) -> list[Klankbordoverleg]:
    """The meetings of a sector in a schooljaar, oldest first, with their decisions."""
    return list(db.session.scalars(
        select(Klankbordoverleg).options(selectinload(Klankbordoverleg.besluiten))
        .where(Klankbordoverleg.sector == sector.value,
               Klankbordoverleg.schooljaar_id == schooljaar.id)
        .order_by(Klankbordoverleg.datum, Klankbordoverleg.id)))


def controleer_datum(datum: date, schooljaar: Schooljaar) -> None:
    """Refuse a meeting date outside the meeting's schooljaar."""
    if not schooljaar.begin <= datum <= schooljaar.eind:
        raise Regelfout(
            f"Kies een datum in schooljaar {schooljaar.naam}: van {schooljaar.begin:%d-%m-%Y} "
            f"tot en met {schooljaar.eind:%d-%m-%Y}.", "datum")


def nieuw_overleg(sector: str, schooljaar: Schooljaar, datum: date,
                  notities: str) -> Klankbordoverleg:
    """Add a meeting of a Klankbordgroep in the schooljaar (checked, not committed)."""
    controleer_datum(datum, schooljaar)
    overleg = Klankbordoverleg(sector=Klankbordsector(sector).value, schooljaar_id=schooljaar.id,
                               datum=datum, notities=notities or "")
    db.session.add(overleg)
    return overleg


def wijzig_overleg(overleg: Klankbordoverleg, schooljaar: Schooljaar, sector: str, datum: date,
                   notities: str) -> None:
    """Change a meeting; its date stays within its own schooljaar."""
    controleer_datum(datum, schooljaar)
    overleg.sector = Klankbordsector(sector).value
    overleg.datum = datum
    overleg.notities = notities or ""


def nieuw_besluit(overleg: Klankbordoverleg, tekst: str) -> Besluit:
    """Add a decision to a meeting."""
    if not (tekst or "").strip():
        raise Regelfout("Vul het besluit in.", "tekst")
    besluit = Besluit(overleg=overleg, tekst=tekst.strip())
    db.session.add(besluit)
    return besluit


# --- measures and results -------------------------------------------------------------------------

def maatregelen(sector: Klankbordsector, schooljaar: Schooljaar) -> list[Maatregel]:
    """The measures of a sector that started in or before the schooljaar, by number."""
    return list(db.session.scalars(
        select(Maatregel).options(selectinload(Maatregel.resultaten))
        .join(Schooljaar, Schooljaar.id == Maatregel.sinds_schooljaar_id)
        .where(Maatregel.sector == sector.value, Schooljaar.begin <= schooljaar.begin)
        .order_by(Maatregel.nummer)))


def volgend_nummer(sector: str) -> int:
    """The next free number of a measure in the sector (1 for the first)."""
    hoogste = db.session.scalar(select(func.max(Maatregel.nummer))
                                .where(Maatregel.sector == sector))
    return (hoogste or 0) + 1


def nieuwe_maatregel(sector: str, titel: str, plan: str, schooljaar: Schooljaar) -> Maatregel:
    """Add a measure to a Klankbordgroep with the next free number (not committed)."""
    sector = Klankbordsector(sector).value
    maatregel = Maatregel(sector=sector, nummer=volgend_nummer(sector), titel=titel,
                          plan=plan or "", sinds_schooljaar_id=schooljaar.id, afgerond=False)
    db.session.add(maatregel)
    return maatregel


def wijzig_maatregel(maatregel: Maatregel, sector: str, titel: str, plan: str) -> None:
    """Change a measure; moved to the other Klankbordgroep it gets that group's next number."""
    sector = Klankbordsector(sector).value
    if sector != maatregel.sector:
        maatregel.nummer = volgend_nummer(sector)
        maatregel.sector = sector
    maatregel.titel = titel
    maatregel.plan = plan or ""


def _zelfde_periode(a: str, b: str) -> bool:
    """Two period names are the same apart from case and spacing."""
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def zet_resultaat(maatregel: Maatregel, periode: str, resultaat: str,
                  bestaand: Maatregelresultaat | None = None) -> Maatregelresultaat:
    """Add (or change `bestaand`) the result of a measure in a period; one per period."""
    periode = " ".join((periode or "").split())
    if not periode:
        raise Regelfout("Vul de periode in.", "periode")
    if any(_zelfde_periode(r.periode, periode) for r in maatregel.resultaten if r is not bestaand):
        raise Regelfout(DUBBELE_PERIODE, "periode")
    if bestaand is None:
        bestaand = Maatregelresultaat(maatregel=maatregel, periode=periode, resultaat=resultaat)
        db.session.add(bestaand)
    else:
        bestaand.periode = periode
        bestaand.resultaat = resultaat
    return bestaand


def zet_afgerond(maatregel: Maatregel, afgerond: bool) -> None:
    """Mark a measure afgerond, or open it again."""
    if maatregel.afgerond == afgerond:
        raise Regelfout("Deze maatregel is al afgerond." if afgerond
                        else "Deze maatregel loopt al.", "afgerond")
    maatregel.afgerond = afgerond
