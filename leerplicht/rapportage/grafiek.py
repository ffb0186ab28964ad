"""The jaarverslag's charts as inline SVG geometry, computed here and drawn by _grafiek.html.

Like termijnen/grafiek.py: a viewBox the browser (or WeasyPrint) scales to its container,
colours from the theme through CSS classes, and a sentence that says what the chart shows.
The numbers themselves are in the table under each chart, which is the table alternative.

STAAF: per row a group of horizontal bars, one per schooljaar with data (oldest on top).
LIJN: one line per row over the schooljaren, with a point and a value label per figure.
Shares are drawn on 0-100%, scores on 0-5, counts and days from 0 to a round maximum.
"""

import math
from dataclasses import dataclass, field

from .tabel import Cel, Grafieksoort, Soort, Tabel

BREEDTE = 360  # the viewBox width; the chart scales to its container (down to 390 px screens)
REEKSEN = 6  # line colours/dash patterns in the CSS (jv-grafiek__reeks--0..5), then repeated

# Horizontal bars: the year label column, the bar area, room for the value at the bar's end.
JAAR_BREEDTE = 62
STAAF_X = 66
WAARDE_RUIMTE = 44
STAAF_HOOGTE = 10
STAAF_AFSTAND = 14  # from one bar's top to the next
RIJKOP = 16  # the row label above its bars
GROEP_MARGE = 10

# Lines: the y-axis labels on the left, the plot, the year labels below.
LIJN_LINKS = 40
LIJN_RECHTS = 24
LIJN_BOVEN = 16
LIJN_HOOGTE = 150
LIJN_ONDER = 34


@dataclass(frozen=True)
class Asstreep:
    """A grid line of the value axis with its label (x for bars, y for lines)."""

    positie: float
    tekst: str


@dataclass(frozen=True)
class Staaf:
    """One schooljaar's figure of a row: a bar, or (no figure) only its text."""

    jaar: str
    jaar_index: int  # position of the schooljaar in the table (colour class)
    x: float
    y: float
    breedte: float  # 0 when there is no bar
    hoogte: float
    tekst: str  # the figure as shown in the table ('75%', '< 5', '—', 'geen gegevens')
    tekst_x: float
    tekst_y: float
    getekend: bool


@dataclass(frozen=True)
class Staafgroep:
    """A row of the table as a group of bars with its label above them."""

    label: str
    label_y: float
    staven: list[Staaf]


@dataclass(frozen=True)
class Punt:
    """A figure on a line, with its value label."""

    x: float
    y: float
    tekst: str
    tekst_y: float


@dataclass(frozen=True)
class Reeks:
    """One row of the table as a line: its runs of consecutive figures and their points."""

    label: str
    index: int  # the colour/dash class (jv-grafiek__reeks--index)
    stukken: list[str]  # SVG polyline `points` per run of consecutive years with a figure
    punten: list[Punt]


@dataclass(frozen=True)
class Jaarlabel:
    """A schooljaar on the x-axis of a line chart (with 'geen gegevens' when it has none)."""

    x: float
    tekst: str
    zonder_gegevens: bool


@dataclass
class Jaarverslaggrafiek:
    """A chart of one table: its geometry and the sentence that says what it shows."""

    soort: Grafieksoort
    id: str
    titel: str
    breedte: int
    hoogte: int
    alternatief: str
    assen: list[Asstreep] = field(default_factory=list)
    groepen: list[Staafgroep] = field(default_factory=list)
    reeksen: list[Reeks] = field(default_factory=list)
    jaarlabels: list[Jaarlabel] = field(default_factory=list)
    jaren: list[str] = field(default_factory=list)  # the schooljaren drawn (bars, legend)
    leeg: bool = False  # no figure at all: the chart says so instead of drawing axes
    as_links: float = 0.0
    as_rechts: float = 0.0
    as_boven: float = 0.0
    as_onder: float = 0.0


def _soort(tabel: Tabel) -> Soort:
    """The kind of figure the table holds (its first cell's)."""
    for rij in tabel.rijen:
        for cel in rij.cellen:
            return cel.soort
    return Soort.AANTAL


def _rond_maximum(hoogste: float) -> tuple[float, float]:
    """A round top of the axis and its step: 1, 2 or 5 times a power of ten, four steps or so."""
    if hoogste <= 0:
        return 4.0, 1.0
    ruw = hoogste / 4
    macht = 10 ** math.floor(math.log10(ruw))
    stap = next(f * macht for f in (1, 2, 5, 10) if f * macht >= ruw)
    if stap < 1:
        stap = 1.0  # counts and days are whole numbers
    return stap * math.ceil(hoogste / stap), stap


def schaal(tabel: Tabel) -> tuple[float, list[tuple[float, str]]]:
    """The axis maximum and its ticks (value, label) for the table's kind of figure."""
    soort = _soort(tabel)
    if soort is Soort.AANDEEL:
        return 1.0, [(i / 4, f"{25 * i}%") for i in range(5)]
    if soort is Soort.SCORE:
        return 5.0, [(float(i), str(i)) for i in range(6)]
    hoogste = max((float(c.waarde) for r in tabel.rijen for c in r.cellen if _getal(c)),
                  default=0.0)
    top, stap = _rond_maximum(hoogste)
    return top, [(stap * i, f"{stap * i:g}") for i in range(round(top / stap) + 1)]


def _getal(cel: Cel) -> bool:
    """True when the cell holds a figure that can be drawn."""
    return cel.getoond and cel.soort is not Soort.TEKST and isinstance(cel.waarde, int | float)


def _getekende_jaren(tabel: Tabel) -> list[int]:
    """Indexes of the schooljaren the app has data for (the others get no bar at all)."""
    return [i for i, jaar in enumerate(tabel.jaren) if jaar not in tabel.jaren_zonder_gegevens]


def _voorleestekst(cel: Cel) -> str:
    """A cell's text for the sentence: '< 5' read as 'minder dan 5', '—' as 'geen cijfer'."""
    if cel.verborgen:
        return f"minder dan {cel.drempel}"
    if not cel.geen_gegevens and cel.waarde is None:
        return "geen cijfer"
    return cel.tekst


def alternatief(tabel: Tabel, soortnaam: str) -> str:
    """The text alternative: what is drawn, every figure per row and year, missing years."""
    jaren = _getekende_jaren(tabel)
    delen = []
    for rij in tabel.rijen:
        waarden = ", ".join(f"{tabel.jaren[i]} {_voorleestekst(rij.cellen[i])}" for i in jaren)
        delen.append(f"{rij.label}: {waarden}." if waarden else f"{rij.label}.")
    zin = f"{soortnaam} van {tabel.titel.lower()[:1]}{tabel.titel[1:]}, per schooljaar."
    if not any(_getal(c) for r in tabel.rijen for c in r.cellen):
        zin += " Er zijn geen cijfers om te tekenen."
    if delen and jaren:
        zin += " " + " ".join(delen)
    if tabel.jaren_zonder_gegevens:
        zonder = " en ".join(tabel.jaren_zonder_gegevens)
        zin += f" Over {zonder} zijn geen gegevens; dat jaar staat niet in de grafiek." \
            if tabel.grafiek is Grafieksoort.STAAF else \
            f" Over {zonder} zijn geen gegevens; de lijn begint daarna."
    return zin


def _staafgrafiek(tabel: Tabel, gid: str) -> Jaarverslaggrafiek:
    """Horizontal bars: per row a group, per schooljaar with data a bar with its figure."""
    top, ticks = schaal(tabel)
    jaren = _getekende_jaren(tabel)
    lengte = BREEDTE - STAAF_X - WAARDE_RUIMTE
    groephoogte = RIJKOP + STAAF_AFSTAND * max(len(jaren), 1) + GROEP_MARGE
    boven = 6
    groepen = []
    for r, rij in enumerate(tabel.rijen):
        y0 = boven + r * groephoogte
        staven = []
        for j, i in enumerate(jaren):
            cel = rij.cellen[i]
            y = y0 + RIJKOP + j * STAAF_AFSTAND
            getekend = _getal(cel)
            breedte = round(lengte * min(float(cel.waarde), top) / top, 1) if getekend else 0.0
            staven.append(Staaf(
                jaar=tabel.jaren[i], jaar_index=i, x=STAAF_X, y=round(y, 1), breedte=breedte,
                hoogte=STAAF_HOOGTE, tekst=cel.tekst, tekst_x=round(STAAF_X + breedte + 4, 1),
                tekst_y=round(y + STAAF_HOOGTE - 1, 1), getekend=getekend))
        groepen.append(Staafgroep(rij.label, round(y0 + RIJKOP - 5, 1), staven))
    onder = boven + len(tabel.rijen) * groephoogte
    assen = [Asstreep(round(STAAF_X + lengte * waarde / top, 1), tekst) for waarde, tekst in ticks]
    return Jaarverslaggrafiek(
        soort=Grafieksoort.STAAF, id=gid, titel=tabel.titel, breedte=BREEDTE,
        hoogte=round(onder + 16), alternatief=alternatief(tabel, "Staafdiagram"), assen=assen,
        groepen=groepen, jaren=[tabel.jaren[i] for i in jaren],
        leeg=not any(s.getekend for g in groepen for s in g.staven),
        as_links=STAAF_X, as_rechts=STAAF_X + lengte, as_boven=boven, as_onder=onder)


def _lijngrafiek(tabel: Tabel, gid: str) -> Jaarverslaggrafiek:
    """A line per row over the schooljaren: points with value labels, gaps where no figure."""
    top, ticks = schaal(tabel)
    links, rechts = LIJN_LINKS, BREEDTE - LIJN_RECHTS
    vak = (rechts - links) / max(len(tabel.jaren), 1)

    def x_van(i: int) -> float:
        return round(links + vak * (i + 0.5), 1)

    def y_van(waarde: float) -> float:
        return round(LIJN_BOVEN + LIJN_HOOGTE * (1 - min(waarde, top) / top), 1)

    reeksen = []
    for r, rij in enumerate(tabel.rijen):
        stukken, stuk, punten = [], [], []
        for i, cel in enumerate(rij.cellen):
            if not _getal(cel):
                if len(stuk) > 1:
                    stukken.append(" ".join(stuk))
                stuk = []
                continue
            x, y = x_van(i), y_van(float(cel.waarde))
            stuk.append(f"{x},{y}")
            punten.append(Punt(x, y, cel.tekst, round(y - 6, 1)))
        if len(stuk) > 1:
            stukken.append(" ".join(stuk))
        reeksen.append(Reeks(rij.label, r % REEKSEN, stukken, punten))
    onder = LIJN_BOVEN + LIJN_HOOGTE
    assen = [Asstreep(y_van(waarde), tekst) for waarde, tekst in ticks]
    jaarlabels = [Jaarlabel(x_van(i), jaar, jaar in tabel.jaren_zonder_gegevens)
                  for i, jaar in enumerate(tabel.jaren)]
    return Jaarverslaggrafiek(
        soort=Grafieksoort.LIJN, id=gid, titel=tabel.titel, breedte=BREEDTE,
        hoogte=onder + LIJN_ONDER, alternatief=alternatief(tabel, "Lijngrafiek"), assen=assen,
        reeksen=reeksen, jaarlabels=jaarlabels, jaren=list(tabel.jaren),
        leeg=not any(r.punten for r in reeksen),
        as_links=links, as_rechts=rechts, as_boven=LIJN_BOVEN, as_onder=onder)


def teken(tabel: Tabel) -> Jaarverslaggrafiek | None:
    """The chart of a table (None when the table has none or holds words, not figures)."""
    if tabel.grafiek is None or _soort(tabel) is Soort.TEKST:
        return None
    gid = f"grafiek-{tabel.sleutel}"
    if tabel.grafiek is Grafieksoort.LIJN:
        return _lijngrafiek(tabel, gid)
    return _staafgrafiek(tabel, gid)
