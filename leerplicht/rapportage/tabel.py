"""The shape of the jaarverslag, shared by every output (page, CSV, XLSX, PDF, export).

A report is chapters; a chapter holds tables and lists. Every table has one column per
schooljaar (the chosen one and the two before it, oldest first) and a change column: the
chosen year against the year before. A cell knows its kind of number, so each output formats
it once: the page and the PDF as Dutch text, the spreadsheets as numbers.

A cell is one of:
- a figure (`waarde`),
- nothing to judge (`waarde` None: "—"),
- no data in the app for that year (`geen_gegevens`: "geen gegevens", never a zero),
- a small number hidden (`verborgen`: "< 5", the threshold from the norms).
"""

import enum
import math
from dataclasses import dataclass, field


class Soort(enum.StrEnum):
    """What a figure is, which decides how it is written and how its change is computed."""

    AANTAL = "aantal"  # a count
    AANDEEL = "aandeel"  # a share 0..1, written as a percentage; change in procentpunten
    WERKDAGEN = "werkdagen"  # a duration in werkdagen
    DAGEN = "dagen"  # a duration in calendar days
    SCORE = "score"  # an average score 1..5, one decimal
    TEKST = "tekst"  # a word (a status); no change


GEEN_GEGEVENS = "geen gegevens"
NIETS = "—"


def procent(aandeel: float) -> int:
    """A share as a whole percentage, halves rounded up (0.125 -> 13), as every output shows it."""
    return math.floor(aandeel * 100 + 0.5)


def een_decimaal(waarde: float) -> float:
    """A score as shown: one decimal, halves rounded up."""
    return math.floor(waarde * 10 + 0.5) / 10


def getal(waarde: float, decimalen: int = 0) -> str:
    """A number in Dutch notation: decimal comma, a minus sign for negatives."""
    tekst = f"{waarde:.{decimalen}f}".replace(".", ",")
    return tekst.replace("-", "−")


@dataclass(frozen=True)
class Cel:
    """One figure of one schooljaar."""

    waarde: int | float | str | None = None
    soort: Soort = Soort.AANTAL
    geen_gegevens: bool = False
    verborgen: bool = False  # a small number, not shown
    drempel: int = 0  # the threshold it was hidden under (for the text "< 5")

    @property
    def getoond(self) -> bool:
        """True when the cell shows a real figure (not hidden, not missing, not '—')."""
        return not (self.geen_gegevens or self.verborgen) and self.waarde is not None

    @property
    def tekst(self) -> str:
        """The cell as Dutch text: '12', '87%', '4 werkdagen', '3,8', '< 5', 'geen gegevens'."""
        if self.geen_gegevens:
            return GEEN_GEGEVENS
        if self.verborgen:
            return f"< {self.drempel}"
        if self.waarde is None:
            return NIETS
        if self.soort is Soort.TEKST:
            return str(self.waarde)
        if self.soort is Soort.AANDEEL:
            return f"{procent(self.waarde)}%"
        if self.soort is Soort.SCORE:
            return getal(een_decimaal(self.waarde), 1)
        return getal(self.waarde)

    @property
    def spreadsheetwaarde(self) -> int | float | str | None:
        """The value for CSV and XLSX: a number where there is one, else the cell's text.

        Shares stay fractions (0.87): the XLSX shows them with a percentage format, the CSV
        header says 'aandeel (0-1)'.
        """
        if self.getoond and self.soort is not Soort.TEKST:
            return self.waarde
        return self.tekst


@dataclass(frozen=True)
class Verschil:
    """The change of a row: the chosen year minus the year before (None: not computable).

    Computed from the figures as shown, so a reader can check it: shares in whole procentpunten
    (88% after 75% is +13), scores on one decimal.
    """

    waarde: int | float | None
    soort: Soort

    @property
    def tekst(self) -> str:
        """'+3', '−2', '0', '+4 procentpunt', '−0,3'; '—' when it cannot be computed."""
        if self.waarde is None:
            return NIETS
        teken = "+" if self.waarde > 0 else ""
        if self.soort is Soort.AANDEEL:
            return f"{teken}{getal(self.waarde)} procentpunt"
        decimalen = 1 if self.soort is Soort.SCORE else 0
        return f"{teken}{getal(self.waarde, decimalen)}"

    @property
    def spreadsheetwaarde(self) -> int | float | str:
        """A number (shares: procentpunten), or '—'."""
        return NIETS if self.waarde is None else self.waarde


def verschil(cellen: list[Cel]) -> Verschil:
    """The last cell minus the one before it, when both show a figure that can change."""
    soort = cellen[-1].soort
    if soort is Soort.TEKST or len(cellen) < 2 or not (cellen[-1].getoond and cellen[-2].getoond):
        return Verschil(None, soort)
    nieuw, oud = cellen[-1].waarde, cellen[-2].waarde
    if soort is Soort.AANDEEL:
        return Verschil(procent(nieuw) - procent(oud), soort)
    if soort is Soort.SCORE:
        return Verschil(round(een_decimaal(nieuw) - een_decimaal(oud), 1), soort)
    return Verschil(nieuw - oud, soort)


@dataclass
class Rij:
    """One line of a table: a label and one cell per schooljaar, oldest first."""

    sleutel: str  # unique in the table; with the table's key it makes the row's anchor
    label: str
    cellen: list[Cel]

    @property
    def verschil(self) -> Verschil:
        """The chosen year against the one before."""
        return verschil(self.cellen)


@dataclass
class Groep:
    """Rows under one heading (a sector), or without a heading (label '')."""

    label: str
    rijen: list[Rij]


class Grafieksoort(enum.StrEnum):
    """How a table is also drawn: bars per schooljaar, or a line per row over the years."""

    STAAF = "staaf"
    LIJN = "lijn"


@dataclass
class Tabel:
    """A table of figures with the schooljaren as columns and a change column."""

    sleutel: str  # unique in the report: anchor, CSV file name and XLSX sheet name
    titel: str
    jaren: list[str]  # schooljaar names, oldest first; the last is the report's year
    groepen: list[Groep]
    toelichting: str = ""  # one sentence under the title: what is counted and how
    kolomkop: str = ""  # the head of the label column ("Sector", "School")
    grafiek: Grafieksoort | None = None
    jaren_zonder_gegevens: tuple[str, ...] = ()  # years the app holds no data for at all
    per_school: bool = False  # one row per school (the PDF gathers these in an appendix)
    kort: str = ""  # a short column head for that appendix ("Meldingen")

    @property
    def rijen(self) -> list[Rij]:
        """Every row, in order."""
        return [rij for groep in self.groepen for rij in groep.rijen]

    def rij(self, sleutel: str) -> Rij:
        """The row with this key (KeyError when absent)."""
        for rij in self.rijen:
            if rij.sleutel == sleutel:
                return rij
        raise KeyError(sleutel)

    def anker(self, rij: Rij) -> str:
        """The id of a row on the page and in the PDF."""
        return f"{self.sleutel}-{rij.sleutel}"


@dataclass
class Lijstitem:
    """One entry of a list (a decision, a measure and its results per period)."""

    kop: str
    tekst: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, text) pairs


@dataclass
class Lijst:
    """A list of entries under a title; `leeg` is said when it has none."""

    sleutel: str
    titel: str
    items: list[Lijstitem]
    leeg: str = "Geen."


@dataclass
class Zin:
    """A sentence of the summary and the table row its figure comes from."""

    tekst: str
    tabel: str  # table key
    rij: str  # row key

    @property
    def anker(self) -> str:
        """The id of the row it points to."""
        return f"{self.tabel}-{self.rij}"


@dataclass
class Hoofdstuk:
    """A chapter: a title, a short introduction, its tables and lists."""

    sleutel: str
    titel: str
    inleiding: str
    tabellen: list[Tabel] = field(default_factory=list)
    lijsten: list[Lijst] = field(default_factory=list)


@dataclass
class Jaarverslag:
    """The whole report for one schooljaar and (optionally) one sector."""

    schooljaar: str
    sector: str  # '' for every sector
    sectornaam: str  # 'alle sectoren' or the sector's Dutch name
    peildatum: str  # ISO date the figures of the chosen year were taken on
    normversie: str
    drempel: int  # small numbers under this are hidden per school
    scholen: int
    samenvatting: list[Zin]
    hoofdstukken: list[Hoofdstuk]
    lopend: bool = False  # the schooljaar is not over: its figures run to the peildatum

    @property
    def lopend_tekst(self) -> str:
        """The warning a report of an unfinished schooljaar carries ('' when it is finished)."""
        if not self.lopend:
            return ""
        dag = "-".join(reversed(self.peildatum.split("-")))
        return (f"Schooljaar {self.schooljaar} loopt nog: de cijfers gaan tot en met {dag}. "
                "Aantallen zijn daarom niet te vergelijken met die van hele schooljaren.")

    @property
    def titel(self) -> str:
        """'Jaarverslag samenwerking 2025-2026' (plus the sector when there is one)."""
        titel = f"Jaarverslag samenwerking Leerlingzaken en scholen {self.schooljaar}"
        return f"{titel}, {self.sectornaam}" if self.sector else titel

    @property
    def tabellen(self) -> list[Tabel]:
        """Every table, in report order."""
        return [t for h in self.hoofdstukken for t in h.tabellen]

    def tabel(self, sleutel: str) -> Tabel:
        """The table with this key (KeyError when absent)."""
        for tabel in self.tabellen:
            if tabel.sleutel == sleutel:
                return tabel
        raise KeyError(sleutel)
