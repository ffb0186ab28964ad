"""The hard data of a school's schooljaar, computed in bulk from the other areas' functions.

One definition serves the evaluation (live until vastgelegd, then frozen as JSON), the
Klankbordgroep overview and the reminders: termijnen from termijnen.cijfers, presence from
cyclus.queries, escalations counted here, the afsprakenlijst's termijn from the cockpit's
lijststand. A figure that cannot be judged yet is None, never 0.
"""

from dataclasses import asdict, dataclass
from datetime import date

from ..escalatie.queries import Escalatietelling, escalatietellingen
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
    # The termijn's code: op_tijd, te_laat_vastgesteld, te_laat (not vastgesteld), or another
    # code while it runs ('' in snapshots frozen before this field existed).
    afsprakenlijst_code: str = ""

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


def harde_gegevens(scholen, schooljaar: Schooljaar, peildatum: date, cijfers=None,
                   escalaties=None) -> dict[int, HardeGegevens]:
    """Each school's hard data in the schooljaar as judged on `peildatum` (a fixed number of
    queries, whatever the number of schools).

    `cijfers` (termijnen.cijfers.per_school on the same peildatum) and `escalaties`
    (escalatie.queries.escalatietellingen) may be passed when the caller has them already
    (the jaarverslag), so the same figures are not read twice.
    """
    ids = [s.id for s in scholen]
    if cijfers is None:
        cijfers = per_school(schooljaar, peildatum, school_ids=ids, maanden=False)
    if escalaties is None:
        escalaties = escalatietellingen(ids, schooljaar, peildatum)
    aanwezig = voortgang_per_school(scholen, schooljaar, peildatum)
    lijsten = laad_afsprakenlijsten(scholen, Peil(schooljaar, peildatum))
    normversie = normen_voor(schooljaar).versie
    uitkomst = {}
    for school in scholen:
        c = cijfers.get(school.id) or Cijfers()
        v = aanwezig[school.id]
        lijst = lijsten[school.id]
        esc = escalaties.get(school.id) or Escalatietelling()
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
            escalaties_geopend=esc.totaal_geopend,
            escalaties_opgelost=esc.totaal_opgelost,
            afsprakenlijst_status=lijst.status,
            afsprakenlijst_termijn=termijn.kort,
            afsprakenlijst_op_tijd=op_tijd,
            afsprakenlijst_code=termijn.code,
        )
    return uitkomst
