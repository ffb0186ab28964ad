"""Rules of the yearly cycle as plain functions: LLZ presence against the sector norm.

The norm comes from the schooljaar's norms version. VO (and VSO): LLZ takes part in the JES
and is at school at least `vo_bezoeken_minimum` times a year; progress is judged pro rata over
the school months (1 September to 30 June). PO (and SO): at least `po_bezoeken_minimum` visit at
the start of the schooljaar, i.e. before the afsprakenlijst is due; after that presence is
tailored, so no further count is expected. MBO has no presence norm in the werkafspraken.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..afspraken.regels import deadline as afsprakenlijst_deadline
from ..normen import Normversie
from ..schooljaren import Schooljaar
from .models import Bezoeksoort, Bezoekstatus

PO_SECTOREN = ("PO", "SO")
VO_SECTOREN = ("VO", "VSO")


@dataclass(frozen=True)
class Bezoeknorm:
    """What the norm asks of LLZ's presence at one school in one schooljaar."""

    minimum: int
    jes: bool  # JES participation required (VO)
    pro_rata: bool  # VO: spread over the year; PO: all by `start_uiterlijk`
    start_uiterlijk: date  # the afsprakenlijst deadline: the start visit is before it

    @property
    def tekst(self) -> str:
        """The norm in one Dutch sentence."""
        if self.jes:
            return f"Deelname aan het JES en minstens {self.minimum} keer per schooljaar op school"
        return (f"Minstens {self.minimum} keer op school aan het begin van het schooljaar "
                f"(uiterlijk {self.start_uiterlijk:%d-%m-%Y}); verder maatwerk")


def bezoeknorm(sector: str, schooljaar: Schooljaar, normen: Normversie) -> Bezoeknorm | None:
    """The presence norm for a school of this sector (None: the werkafspraken set none)."""
    start = afsprakenlijst_deadline(schooljaar, normen)
    if sector in VO_SECTOREN:
        return Bezoeknorm(normen["vo_bezoeken_minimum"].waarde, True, True, start)
    if sector in PO_SECTOREN:
        return Bezoeknorm(normen["po_bezoeken_minimum"].waarde, False, False, start)
    return None


@dataclass(frozen=True)
class Bezoektelling:
    """The visits of one school in one schooljaar, counted."""

    gehouden: int = 0
    gepland: int = 0  # planned and not yet held (any date)
    jes_gehouden: int = 0
    eerste_gehouden: date | None = None


def tel(bezoeken: Iterable) -> Bezoektelling:
    """Count visits (objects with datum, status and soort)."""
    gehouden = [b for b in bezoeken if b.status == Bezoekstatus.GEHOUDEN]
    return Bezoektelling(
        gehouden=len(gehouden),
        gepland=sum(1 for b in bezoeken if b.status == Bezoekstatus.GEPLAND),
        jes_gehouden=sum(1 for b in gehouden if b.soort == Bezoeksoort.JES),
        eerste_gehouden=min((b.datum for b in gehouden), default=None),
    )


def peildatum(schooljaar: Schooljaar, vandaag: date) -> date:
    """The date a schooljaar is judged on: today, or its last day once it is over."""
    return min(vandaag, schooljaar.eind)


def schoolmaanden(schooljaar: Schooljaar) -> tuple[date, date]:
    """The period over which VO presence is spread: 1 September to 30 June."""
    return date(schooljaar.begin.year, 9, 1), date(schooljaar.eind.year, 6, 30)


def verwacht_op(norm: Bezoeknorm, schooljaar: Schooljaar, peildatum: date) -> int:
    """How many held visits the norm expects by `peildatum` (pro rata, rounded down)."""
    if not norm.pro_rata:
        return norm.minimum if peildatum > norm.start_uiterlijk else 0
    begin, eind = schoolmaanden(schooljaar)
    if peildatum <= begin:
        return 0
    if peildatum >= eind:
        return norm.minimum
    return norm.minimum * (peildatum - begin).days // (eind - begin).days


@dataclass(frozen=True)
class Voortgang:
    """Where a school stands against the presence norm on a date."""

    norm: Bezoeknorm | None
    telling: Bezoektelling
    verwacht: int
    peildatum: date

    @property
    def jes_ontbreekt(self) -> bool:
        """VO: no JES attended although the start period has passed."""
        return bool(self.norm and self.norm.jes and self.telling.jes_gehouden == 0
                    and self.peildatum > self.norm.start_uiterlijk)

    @property
    def achter(self) -> bool:
        """True when LLZ's presence is behind the norm, pro rata, on the date."""
        if self.norm is None:
            return False
        return self.telling.gehouden < self.verwacht or self.jes_ontbreekt

    @property
    def gehaald(self) -> bool:
        """True when the whole year's norm is met already."""
        if self.norm is None:
            return False
        jes = not self.norm.jes or self.telling.jes_gehouden > 0
        return jes and self.telling.gehouden >= self.norm.minimum

    @property
    def badge(self) -> str:
        """Status badge modifier."""
        if self.norm is None:
            return "neutral"
        if self.gehaald:
            return "valid"
        return "invalid" if self.achter else "neutral"

    @property
    def kort(self) -> str:
        """Short Dutch status for a table cell."""
        if self.norm is None:
            return "Geen norm"
        if self.gehaald:
            return "Norm gehaald"
        if self.achter:
            return "Achter op de norm"
        return "Op schema"

    @property
    def tekst(self) -> str:
        """One Dutch sentence with the numbers behind the status."""
        t = self.telling
        bezoek = "bezoek" if t.gehouden == 1 else "bezoeken"
        if self.norm is None:
            return f"{t.gehouden} {bezoek} gehouden; voor deze sector geldt geen aanwezigheidsnorm."
        zin = f"{t.gehouden} van {self.norm.minimum} {bezoek} gehouden"
        if self.norm.pro_rata:
            zin += f"; naar rato {self.verwacht} verwacht op {self.peildatum:%d-%m-%Y}"
        elif self.verwacht:
            zin += f"; het startbezoek hoorde uiterlijk {self.norm.start_uiterlijk:%d-%m-%Y}"
        if self.jes_ontbreekt:
            zin += "; nog geen JES bijgewoond"
        return zin + "."


def voortgang(sector: str, schooljaar: Schooljaar, normen: Normversie, telling: Bezoektelling,
              peildatum: date) -> Voortgang:
    """Judge a school's counted visits against its sector norm on `peildatum`."""
    norm = bezoeknorm(sector, schooljaar, normen)
    verwacht = verwacht_op(norm, schooljaar, peildatum) if norm else 0
    return Voortgang(norm, telling, verwacht, peildatum)


def kant_nog_in_te_vullen(evaluatie, kant: str) -> bool:
    """True when one side still has themes without a score in an evaluation that is not
    vastgelegd and whose date has come (held, or planned for today or earlier)."""
    from .models import Evaluatiestatus, Thema

    if evaluatie.status == Evaluatiestatus.VASTGELEGD:
        return False
    gescoord = {s.thema for s in evaluatie.scores if s.kant == kant and s.score is not None}
    return len(gescoord) < len(Thema)
