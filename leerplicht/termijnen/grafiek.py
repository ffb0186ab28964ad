"""Inline SVG charts drawn on the server: no JavaScript, colours from the theme via CSS classes.

Each chart is geometry only (a viewBox the browser scales to the width of its container); the
partials `termijnen/_grafiek_*.html` draw it with role="img", a <title>, a text alternative
sentence and a table with the same numbers beside it.
"""

from dataclasses import dataclass

from .cijfers import Cijfers, aandeel

BREEDTE = 360  # the viewBox width; the chart scales to its container (down to 390 px screens)


@dataclass(frozen=True)
class Staaf:
    """One bar: where it stands, how big, its label and the number it shows."""

    x: float
    y: float
    breedte: float
    hoogte: float
    label: str
    waarde: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Grafiek:
    """A chart: its size, bars, and the sentence that says what it shows."""

    breedte: int
    hoogte: int
    staven: list[Staaf]
    alternatief: str
    as_y: float = 0.0  # the base line (month chart)


def maandgrafiek(cijfers: Cijfers) -> Grafiek:
    """Vertical bars: meldingen received per month, August to July."""
    maanden = cijfers.maanden
    hoogste = max((n for _m, n in maanden), default=0) or 1
    hoogte, boven, onder = 160, 16, 20
    ruimte = hoogte - boven - onder
    vak = BREEDTE / len(maanden)
    staven = []
    for i, (naam, aantal) in enumerate(maanden):
        h = ruimte * aantal / hoogste
        x = i * vak + vak * 0.15
        staven.append(Staaf(
            x=round(x, 1), y=round(boven + ruimte - h, 1), breedte=round(vak * 0.7, 1),
            hoogte=round(h, 1), label=naam, waarde=str(aantal),
            label_x=round(i * vak + vak / 2, 1), label_y=round(boven + ruimte - h - 4, 1)))
    drukst = max(maanden, key=lambda m: m[1]) if cijfers.meldingen else None
    zin = (f"Staafdiagram van de ontvangen verzuimmeldingen per maand, van augustus tot en met "
           f"juli: {cijfers.meldingen} in totaal")
    zin += f", de meeste in {drukst[0]} ({drukst[1]})." if drukst else "."
    return Grafiek(BREEDTE, hoogte, staven, zin, as_y=boven + ruimte)


def binnengrafiek(cijfers: Cijfers, stappen) -> Grafiek:
    """Horizontal bars: the share within the termijn per step (an empty bar for '—')."""
    rij, links, lengte = 34, 0, BREEDTE - 48
    staven = []
    for i, stap in enumerate(stappen):
        deel = cijfers.stappen[stap].binnen
        staven.append(Staaf(
            x=links, y=i * rij + 16, breedte=round(lengte * (deel or 0), 1), hoogte=12,
            label=stap.label, waarde=aandeel(deel), label_x=links, label_y=i * rij + 12))
    delen = "; ".join(f"{s.label}: {s.waarde}" for s in staven)
    zin = f"Staafdiagram van het aandeel binnen de termijn per stap. {delen}."
    return Grafiek(BREEDTE, rij * len(staven) + 4, staven, zin)
