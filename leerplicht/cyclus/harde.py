"""The hard data of a school's schooljaar, computed in bulk from the other areas' functions.

One definition serves the evaluation (live until vastgelegd, then frozen as JSON), the
Klankbordgroep overview and the reminders: termijnen from termijnen.cijfers, presence from
cyclus.queries, escalations counted here, the afsprakenlijst's termijn from the cockpit's
lijststand. A figure that cannot be judged yet is None, never 0.
"""

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select

from ..escalatie.models import Escalatie
from ..extensions import db
from ..home.cockpit import Peil, laad_afsprakenlijsten
from ..normenbron import normen_voor
from ..schooljaren import Schooljaar
from ..termijnen.cijfers import Cijfers, Telling, per_school
from ..termijnen.regels import Stapnaam
from .queries import voortgang_per_school


@dataclass(frozen=True)
class HardeGegevens:
    """One school's measured data for a schooljaar on a date (plain values: JSON-safe)."""

    peildatum: str  # ISO date the figures were taken on
    normversie: str
    # termijnen
    meldingen: int
    aandeel_onvolledig: float | None
    niet_verzonden: int
    llz_binnen: float | None  # LLZ's melding steps (terugmelden, reactie) within the norm
    llz_mediaan: int | None  # werkdagen
    aanvullen_binnen: float | None  # the school's completions within the norm
    vragen: int
    vragen_binnen: float | None  # both sides' answers within the norm
    ontwikkelingen_binnen: float | None
    # presence
    bezoeken_gehouden: int
    bezoeken_norm: int | None  # None: no norm for the sector
    bezoeken_verwacht: int
    jes_gehouden: int
    aanwezigheid_achter: bool
    aanwezigheid_tekst: str
    # escalations opened in the schooljaar
    escalaties_geopend: int
    escalaties_opgelost: int
    # afsprakenlijst
    afsprakenlijst_status: str  # vastgesteld / concept / wacht_llz / wacht_school / ontbreekt
    afsprakenlijst_termijn: str  # the termijn's short Dutch text
    afsprakenlijst_op_tijd: bool | None  # None: not due yet and not vastgesteld

    def als_dict(self) -> dict:
        """The values as a dict (for JSON)."""
        return asdict(self)

    @classmethod
    def uit_dict(cls, waarden: dict) -> "HardeGegevens":
        """Rebuild from als_dict()'s output (unknown keys of older snapshots are ignored)."""
        velden = cls.__dataclass_fields__
        return cls(**{k: waarden.get(k) for k in velden})


def _vraagstappen(cijfers: Cijfers) -> Telling:
    """The two answer steps together."""
    samen = Telling()
    for stap in (Stapnaam.ANTWOORD_LLZ, Stapnaam.ANTWOORD_SCHOOL):
        samen.voeg_toe(cijfers.stappen[stap])
    return samen


def _escalaties(school_ids: list[int], schooljaar: Schooljaar) -> dict[int, tuple[int, int]]:
    """(opened, resolved) escalations per school that were opened in the schooljaar."""
    rows = db.session.execute(
        select(Escalatie.school_id, func.count(), func.count(Escalatie.opgelost_op))
        .where(Escalatie.schooljaar_id == schooljaar.id, Escalatie.school_id.in_(school_ids))
        .group_by(Escalatie.school_id)
    )
    return {school_id: (int(geopend), int(opgelost)) for school_id, geopend, opgelost in rows}


def harde_gegevens(scholen, schooljaar: Schooljaar, peildatum: date) -> dict[int, HardeGegevens]:
    """Each school's hard data in the schooljaar as judged on `peildatum` (a fixed number of
    queries, whatever the number of schools)."""
    ids = [s.id for s in scholen]
    cijfers = per_school(schooljaar, peildatum, school_ids=ids, maanden=False)
    aanwezig = voortgang_per_school(scholen, schooljaar, peildatum)
    escalaties = _escalaties(ids, schooljaar)
    lijsten = laad_afsprakenlijsten(scholen, Peil(schooljaar, peildatum))
    normversie = normen_voor(schooljaar).versie
    uitkomst = {}
    for school in scholen:
        c = cijfers.get(school.id) or Cijfers()
        v = aanwezig[school.id]
        lijst = lijsten[school.id]
        geopend, opgelost = escalaties.get(school.id, (0, 0))
        llz = c.llz_meldingen
        termijn = lijst.termijn
        # Judged once vastgesteld or once the deadline passed; before that: not yet known.
        op_tijd = {"op_tijd": True, "te_laat_vastgesteld": False, "te_laat": False}.get(
            termijn.code)
        uitkomst[school.id] = HardeGegevens(
            peildatum=peildatum.isoformat(),
            normversie=normversie,
            meldingen=c.meldingen,
            aandeel_onvolledig=c.aandeel_onvolledig,
            niet_verzonden=c.niet_verzonden,
            llz_binnen=llz.binnen,
            llz_mediaan=llz.mediaan,
            aanvullen_binnen=c.stappen[Stapnaam.AANVULLEN].binnen,
            vragen=c.vragen,
            vragen_binnen=_vraagstappen(c).binnen,
            ontwikkelingen_binnen=c.stappen[Stapnaam.INFORMEREN].binnen,
            bezoeken_gehouden=v.telling.gehouden,
            bezoeken_norm=v.norm.minimum if v.norm else None,
            bezoeken_verwacht=v.verwacht,
            jes_gehouden=v.telling.jes_gehouden,
            aanwezigheid_achter=v.achter,
            aanwezigheid_tekst=v.tekst,
            escalaties_geopend=geopend,
            escalaties_opgelost=opgelost,
            afsprakenlijst_status=lijst.status,
            afsprakenlijst_termijn=termijn.kort,
            afsprakenlijst_op_tijd=op_tijd,
        )
    return uitkomst
