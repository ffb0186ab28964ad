"""The figures of the registers: per school and per sector, in one schooljaar.

Plain SQL aggregates over the STORED columns (`*_uiterlijk`, `*_werkdagen` and the done dates):
nothing is counted in werkdagen per row at request time. A fixed number of queries, whatever
the number of schools or rows: per register one aggregate (counts, states) grouped by school,
the months, and histograms of handling times grouped by school. Medians and the 90th percentile
come from the histograms, so sector figures merge them exactly.

A step's state on `vandaag`: done on or before its deadline (op tijd), done after it (te laat),
not done and the deadline not passed (loopt), not done and the deadline passed (verlopen).
A step whose deadline is NULL does not run and is not counted.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, extract, func, literal, select, union_all

from ..extensions import db
from ..scholen.models import Kant, School
from ..schooljaren import Schooljaar
from .models import Ontwikkeling, Oordeel, Verzuimmelding, Vraag
from .opslag import MELDINGSTAPPEN
from .regels import Stapnaam

M = Verzuimmelding

# The months of a schooljaar in order (August to July), with their Dutch short names.
MAANDEN = (8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7)
MAANDNAMEN = {1: "jan", 2: "feb", 3: "mrt", 4: "apr", 5: "mei", 6: "jun", 7: "jul", 8: "aug",
              9: "sep", 10: "okt", 11: "nov", 12: "dec"}

# Every step, in the order the pages show them.
STAPPEN = (Stapnaam.TERUGMELDEN, Stapnaam.AANVULLEN, Stapnaam.REACTIE, Stapnaam.ANTWOORD_LLZ,
           Stapnaam.ANTWOORD_SCHOOL, Stapnaam.INFORMEREN)
# Short names of the steps, for narrow table cells.
KORT = {
    Stapnaam.TERUGMELDEN: "Terugmelden",
    Stapnaam.AANVULLEN: "Aanvullen (school)",
    Stapnaam.REACTIE: "Reageren",
    Stapnaam.ANTWOORD_LLZ: "Vragen aan Leerlingzaken",
    Stapnaam.ANTWOORD_SCHOOL: "Vragen aan de school",
    Stapnaam.INFORMEREN: "Ontwikkelingen melden",
}
LLZ_MELDINGSTAPPEN = (Stapnaam.TERUGMELDEN, Stapnaam.REACTIE)
# The answering step of a question, by the side that asked it.
ANTWOORD_OP = {Kant.SCHOOL.value: Stapnaam.ANTWOORD_LLZ, Kant.LLZ.value: Stapnaam.ANTWOORD_SCHOOL}


def percentiel(histogram: Counter, p: int) -> int | None:
    """The p-th percentile of the durations in `histogram` ({werkdagen: count}), nearest rank.

    Nearest-rank method: sort the n values; the percentile is the value at rank
    ceil(p/100 * n) (1-based, at least 1). Always an observed value, never interpolated: the
    median of 2, 4, 6, 8 is 4 (rank 2), of 2, 4, 6 it is 4 (rank 2); p90 of ten values is the
    9th. None when there are no values.
    """
    n = sum(histogram.values())
    if n == 0:
        return None
    rang = max(1, math.ceil(p * n / 100))
    gezien = 0
    for waarde in sorted(histogram):
        gezien += histogram[waarde]
        if gezien >= rang:
            return waarde
    return None  # pragma: no cover - unreachable: rang <= n


@dataclass
class Telling:
    """One step's figures: states and the histogram of handling times in werkdagen."""

    op_tijd: int = 0
    te_laat: int = 0
    loopt: int = 0
    verlopen: int = 0
    histogram: Counter = field(default_factory=Counter)

    def voeg_toe(self, ander: "Telling") -> None:
        """Add another school's figures of the same step (sector fold)."""
        self.op_tijd += ander.op_tijd
        self.te_laat += ander.te_laat
        self.loopt += ander.loopt
        self.verlopen += ander.verlopen
        self.histogram.update(ander.histogram)

    @property
    def open(self) -> int:
        """Not done yet (running or overdue)."""
        return self.loopt + self.verlopen

    @property
    def totaal(self) -> int:
        """Every running or ran step."""
        return self.op_tijd + self.te_laat + self.open

    @property
    def te_beoordelen(self) -> int:
        """The steps whose termijn can be judged: done, or past the deadline."""
        return self.op_tijd + self.te_laat + self.verlopen

    @property
    def binnen(self) -> float | None:
        """Share within: on time / (on time + late + overdue); None: nothing to judge."""
        return self.op_tijd / self.te_beoordelen if self.te_beoordelen else None

    @property
    def mediaan(self) -> int | None:
        """Median handling time in werkdagen (nearest rank), None without done steps."""
        return percentiel(self.histogram, 50)

    @property
    def p90(self) -> int | None:
        """90th percentile of the handling time in werkdagen (nearest rank)."""
        return percentiel(self.histogram, 90)


def _stappen() -> dict:
    """An empty Telling per step."""
    return {stap: Telling() for stap in STAPPEN}


@dataclass
class Cijfers:
    """The figures of one school, or of a sector (folded), in one schooljaar."""

    meldingen: int = 0
    beoordeeld: int = 0
    onvolledig: int = 0
    niet_verzonden: int = 0
    vragen: int = 0
    ontwikkelingen: int = 0
    per_maand: list[int] = field(default_factory=lambda: [0] * 12)  # August .. July
    stappen: dict[Stapnaam, Telling] = field(default_factory=_stappen)
    scholen: int = 1

    def voeg_toe(self, ander: "Cijfers") -> None:
        """Add another school's figures."""
        for veld in ("meldingen", "beoordeeld", "onvolledig", "niet_verzonden", "vragen",
                     "ontwikkelingen", "scholen"):
            setattr(self, veld, getattr(self, veld) + getattr(ander, veld))
        self.per_maand = [a + b for a, b in zip(self.per_maand, ander.per_maand, strict=True)]
        for stap, telling in ander.stappen.items():
            self.stappen[stap].voeg_toe(telling)

    @property
    def aandeel_onvolledig(self) -> float | None:
        """Share of the judged meldingen found incomplete (None when none judged)."""
        return self.onvolledig / self.beoordeeld if self.beoordeeld else None

    def verlopen(self, kant: Kant | None = None) -> int:
        """Steps overdue today, of one side or of both."""
        return sum(t.verlopen for stap, t in self.stappen.items()
                   if kant is None or stap.kant == kant)

    @property
    def llz_meldingen(self) -> Telling:
        """LLZ's melding steps (terugmelden and reactie) together."""
        samen = Telling()
        for stap in LLZ_MELDINGSTAPPEN:
            samen.voeg_toe(self.stappen[stap])
        return samen

    @property
    def maanden(self) -> list[tuple[str, int]]:
        """(month name, meldingen received) from August to July."""
        return [(MAANDNAMEN[m], n) for m, n in zip(MAANDEN, self.per_maand, strict=True)]


def _som(voorwaarde):
    """SUM(CASE WHEN voorwaarde THEN 1 ELSE 0 END)."""
    return func.sum(case((voorwaarde, 1), else_=0))


def _standen(uiterlijk, klaar, vandaag: date) -> list:
    """The four state counts of one step (NULL comparisons fall to ELSE: not counted)."""
    return [
        _som(klaar <= uiterlijk),
        _som(klaar > uiterlijk),
        _som(and_(klaar.is_(None), uiterlijk >= vandaag)),
        _som(and_(klaar.is_(None), uiterlijk < vandaag)),
    ]


def _zet_standen(telling: Telling, waarden) -> None:
    """Put four summed states on a Telling."""
    telling.op_tijd, telling.te_laat, telling.loopt, telling.verlopen = (
        int(w or 0) for w in waarden)


def _binnen(kolom, schooljaar: Schooljaar, school_ids, sector: str):
    """The WHERE of a register query: the schooljaar, and the schools or the sector."""
    model = kolom.class_
    voorwaarden = [model.schooljaar_id == schooljaar.id]
    if school_ids is not None:
        voorwaarden.append(model.school_id.in_(list(school_ids)))
    if sector:
        voorwaarden.append(model.school_id.in_(select(School.id).where(School.sector == sector)))
    return voorwaarden


def tellingen_query(schooljaar: Schooljaar, vandaag: date, school_ids=None, sector: str = ""):
    """The per-school counts of meldingen in ONE aggregate: count, judged, incomplete and the
    four states of each step. The benchmark's floor is this very query."""
    kolommen = [M.school_id, func.count(), _som(M.oordeel != Oordeel.OPEN.value),
                _som(M.oordeel == Oordeel.ONVOLLEDIG.value)]
    for _stap, uiterlijk, klaar, _duur in MELDINGSTAPPEN:
        kolommen += _standen(uiterlijk, klaar, vandaag)
    return (select(*kolommen).where(*_binnen(M.school_id, schooljaar, school_ids, sector))
            .group_by(M.school_id))


def per_school(schooljaar: Schooljaar, vandaag: date, school_ids=None, sector: str = "",
               histogrammen: bool = True, maanden: bool = True) -> dict[int, Cijfers]:
    """Each school's figures (schools without rows are absent) in 3 queries, or 4 with the
    months and/or the histograms of handling times (for medians).

    `school_ids` (None: all) and `sector` narrow the schools. The months and the histograms of
    the meldingen come from one statement that reads only the covering index
    ix_verzuimmelding_cijfers; questions and developments are grouped by their duration too
    when histograms are asked, so their counts and histograms come from one query each.
    """
    uitkomst: dict[int, Cijfers] = {}

    def van(school_id: int) -> Cijfers:
        if school_id not in uitkomst:
            uitkomst[school_id] = Cijfers()
        return uitkomst[school_id]

    for rij in db.session.execute(tellingen_query(schooljaar, vandaag, school_ids, sector)):
        cijfers = van(rij[0])
        cijfers.meldingen = int(rij[1])
        cijfers.beoordeeld = int(rij[2] or 0)
        cijfers.onvolledig = int(rij[3] or 0)
        for i, (stap, *_rest) in enumerate(MELDINGSTAPPEN):
            _zet_standen(cijfers.stappen[stap], rij[4 + 4 * i: 8 + 4 * i])
        cijfers.niet_verzonden = cijfers.stappen[Stapnaam.AANVULLEN].verlopen

    if histogrammen or maanden:
        for school_id, soort, waarde, aantal in _meldingrijen(
                schooljaar, school_ids, sector, histogrammen, maanden):
            if soort == "maand":
                van(school_id).per_maand[MAANDEN.index(waarde)] += aantal
            else:
                van(school_id).stappen[Stapnaam(soort)].histogram[waarde] += aantal

    duur = [Vraag.werkdagen] if histogrammen else []
    for rij in db.session.execute(
        select(Vraag.school_id, Vraag.gesteld_door, *duur, func.count(),
               *_standen(Vraag.uiterlijk, Vraag.beantwoord_op, vandaag))
        .where(*_binnen(Vraag.school_id, schooljaar, school_ids, sector))
        .group_by(Vraag.school_id, Vraag.gesteld_door, *duur)
    ):
        cijfers, telling = van(rij[0]), Telling()
        aantal = int(rij[2 + len(duur)])
        cijfers.vragen += aantal
        _zet_standen(telling, rij[3 + len(duur):7 + len(duur)])
        if duur and rij[2] is not None:
            telling.histogram[int(rij[2])] = aantal
        cijfers.stappen[ANTWOORD_OP[rij[1]]].voeg_toe(telling)

    duur = [Ontwikkeling.werkdagen] if histogrammen else []
    for rij in db.session.execute(
        select(Ontwikkeling.school_id, *duur, func.count(),
               *_standen(Ontwikkeling.uiterlijk, Ontwikkeling.gemeld_op, vandaag))
        .where(*_binnen(Ontwikkeling.school_id, schooljaar, school_ids, sector))
        .group_by(Ontwikkeling.school_id, *duur)
    ):
        cijfers, telling = van(rij[0]), Telling()
        aantal = int(rij[1 + len(duur)])
        cijfers.ontwikkelingen += aantal
        _zet_standen(telling, rij[2 + len(duur):6 + len(duur)])
        if duur and rij[1] is not None:
            telling.histogram[int(rij[1])] = aantal
        cijfers.stappen[Stapnaam.INFORMEREN].voeg_toe(telling)
    return uitkomst


def _meldingrijen(schooljaar: Schooljaar, school_ids, sector: str, histogrammen: bool,
                  maanden: bool):
    """(school_id, soort, waarde, count) in ONE statement over the covering index: soort is a
    step name (waarde: a duration in werkdagen) or "maand" (waarde: the month number)."""
    waar = _binnen(M.school_id, schooljaar, school_ids, sector)
    delen = []
    if histogrammen:
        delen += [select(M.school_id, literal(stap.value), duur, func.count())
                  .where(*waar, duur.isnot(None)).group_by(M.school_id, duur)
                  for stap, _uiterlijk, _klaar, duur in MELDINGSTAPPEN]
    if maanden:
        maand = extract("month", M.ontvangen_op)
        delen.append(select(M.school_id, literal("maand"), maand, func.count())
                     .where(*waar).group_by(M.school_id, maand))
    for school_id, soort, waarde, aantal in db.session.execute(union_all(*delen)):
        yield school_id, soort, int(waarde), int(aantal)


def per_maand_rijen(schooljaar: Schooljaar, sector: str = ""):
    """Meldingen received per month over all (or one sector's) schools: (month, count)."""
    maand = extract("month", M.ontvangen_op)
    for rij in db.session.execute(
        select(maand, func.count()).where(*_binnen(M.school_id, schooljaar, None, sector))
        .group_by(maand)
    ):
        yield int(rij[0]), int(rij[1])


def per_sector(scholen: list[School], cijfers: dict[int, Cijfers]) -> dict[str, Cijfers]:
    """The schools' figures folded per sector (no query: histograms merge exactly).

    Only sectors of `scholen` appear; a sector with schools but no rows has zero figures.
    """
    uitkomst: dict[str, Cijfers] = {}
    for school in scholen:
        samen = uitkomst.setdefault(school.sector, Cijfers(scholen=0))
        samen.voeg_toe(cijfers.get(school.id) or Cijfers())
    return dict(sorted(uitkomst.items()))


def totaal(delen) -> Cijfers:
    """All figures added up (histograms merged exactly)."""
    samen = Cijfers(scholen=0)
    for deel in delen:
        samen.voeg_toe(deel)
    return samen


def aandeel(waarde: float | None) -> str:
    """A share as a Dutch percentage ('87%'), or '—' when there is nothing to judge."""
    if waarde is None:
        return "—"
    return f"{round(waarde * 100)}%"
