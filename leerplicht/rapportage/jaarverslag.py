"""Build the jaarverslag of one schooljaar (and optionally one sector) from the areas' own
domain functions: nothing here counts a figure a second way.

Per schooljaar (the chosen one and the two before it), each figure comes from:
- termijnen: termijnen.cijfers.per_school, folded per sector by cijfers.per_sector/totaal;
- afsprakenlijst, presence and escalation counts per school: cyclus.harde.harde_gegevens
  (given the same termijnen figures and escalation counts, so nothing is read twice);
- escalations per track and their duration: escalatie.queries.escalatietellingen;
- evaluation scores: cyclus.evaluatie.gemiddelde_scores; improvement points:
  cyclus.evaluatie.verbeterpunttellingen; decisions and measures: cyclus.klankbordregels.

A schooljaar in which the app holds nothing (no afsprakenlijst, melding, visit, escalation or
score of the schools in the report) shows "geen gegevens" in every table, never zeros; the
termijnen tables also say so for a year without register rows, the score table for a year
without scores. The figures of a finished schooljaar are taken on its last day, of the current
one today (klankbordregels.peildatum_voor): an escalation or an improvement point finished
after that day counts as open. The termijnen count each step by how it ended (as
termijnen.cijfers does everywhere in the app).

Small numbers: per school, a count of pupils' cases (meldingen, escalations, not sent) from 1
up to the threshold of the norms (kleine_aantallen) reads "< 5", and so does a share or a
handling time worked out over fewer cases than that. Sector and total figures are shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..cyclus.evaluatie import gemiddelde_scores, verbeterpunttellingen, vorig_schooljaar_naam
from ..cyclus.harde import HardeGegevens, harde_gegevens
from ..cyclus.klankbordregels import maatregelen, overleggen, peildatum_voor
from ..cyclus.models import Klankbordsector, Thema
from ..escalatie.models import Spoor
from ..escalatie.queries import Escalatietelling, escalatietellingen
from ..extensions import db
from ..normenbron import normen_voor
from ..rendering import datum
from ..scholen.models import Kant, School, Sector
from ..schooljaren import Schooljaar, alle_schooljaren
from ..termijnen.cijfers import KORT, STAPPEN, Cijfers, Telling, per_school, per_sector, percentiel
from ..termijnen.cijfers import totaal as cijfers_totaal
from .tabel import (
    Cel,
    Grafieksoort,
    Groep,
    Hoofdstuk,
    Jaarverslag,
    Lijst,
    Lijstitem,
    Rij,
    Soort,
    Tabel,
    Zin,
)

SECTOREN = {"": "Alle sectoren", **{s.value: s.label for s in Sector}}
TOTAAL = "totaal"

# How the afsprakenlijst of a school stands, from harde_gegevens' status and op_tijd.
LIJST_OP_TIJD = "op tijd vastgesteld"
LIJST_TE_LAAT = "te laat vastgesteld"
LIJST_NIET = "niet vastgesteld"
LIJST_NOG_NIET = "termijn loopt nog"


def lijstuitkomst(gegevens: HardeGegevens) -> str:
    """One school's afsprakenlijst in a schooljaar, in words, from its termijn (a list once
    vastgesteld late stays 'te laat vastgesteld' while a later change is being drafted)."""
    return {"op_tijd": LIJST_OP_TIJD, "te_laat_vastgesteld": LIJST_TE_LAAT,
            "te_laat": LIJST_NIET}.get(gegevens.afsprakenlijst_code, LIJST_NOG_NIET)


# --- one schooljaar's data ------------------------------------------------------------------------

@dataclass
class Jaar:
    """Everything the report reads for one schooljaar, per school (empty when the schooljaar
    does not exist in the app)."""

    naam: str
    schooljaar: Schooljaar | None = None
    peildatum: date | None = None
    cijfers: dict[int, Cijfers] = field(default_factory=dict)
    harde: dict[int, HardeGegevens] = field(default_factory=dict)
    escalaties: dict[int, Escalatietelling] = field(default_factory=dict)
    scores: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)  # per sector
    verbeterpunten: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def termijnen(self) -> bool:
        """True when the registers hold rows of the report's schools in this year."""
        return bool(self.cijfers)

    @property
    def scores_bekend(self) -> bool:
        """True when any evaluation score was given in this year."""
        return any(self.scores.values())

    @property
    def lijsten(self) -> bool:
        """True when any school of the report has an afsprakenlijst in this year."""
        return any(h.afsprakenlijst_status != "ontbreekt" for h in self.harde.values())

    @property
    def bezoeken(self) -> bool:
        """True when any visit of the report's schools was held in this year."""
        return any(h.bezoeken_gehouden for h in self.harde.values())

    @property
    def in_gebruik(self) -> bool:
        """True when the app holds anything of the report's schools in this year: then zero
        escalations is a real zero."""
        return (self.termijnen or self.lijsten or self.bezoeken or bool(self.escalaties)
                or self.scores_bekend)


def lees_jaar(naam: str, scholen: list[School], vandaag: date) -> Jaar:
    """Read one schooljaar for these schools: a fixed number of queries, whatever their number."""
    schooljaar = next((j for j in alle_schooljaren() if j.naam == naam), None)
    if schooljaar is None or not scholen:
        return Jaar(naam, schooljaar)
    peil = peildatum_voor(schooljaar, vandaag)
    ids = [s.id for s in scholen]
    cijfers = per_school(schooljaar, peil, school_ids=ids, maanden=False)
    escalaties = escalatietellingen(ids, schooljaar, peil)
    harde = harde_gegevens(scholen, schooljaar, peil, cijfers=cijfers, escalaties=escalaties)
    scores = {}
    for sector in _sectoren(scholen):
        scores[sector] = gemiddelde_scores([s.id for s in scholen if s.sector == sector],
                                           schooljaar)
    return Jaar(naam, schooljaar, peil, cijfers, harde, escalaties, scores,
                verbeterpunttellingen(ids, schooljaar, peil))


def _sectoren(scholen: list[School]) -> list[str]:
    """The sectors of these schools, in the order of Sector."""
    aanwezig = {s.sector for s in scholen}
    return [s.value for s in Sector if s.value in aanwezig]


# --- cells ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Celmaker:
    """Makes cells, hiding small numbers where a row is one school's."""

    drempel: int
    per_school: bool

    def aantal(self, n: int, gevoelig: bool = False) -> Cel:
        """A count; a pupil-related count of one school under the threshold reads '< 5'."""
        if self.per_school and gevoelig and 0 < n < self.drempel:
            return Cel(None, Soort.AANTAL, verborgen=True, drempel=self.drempel)
        return Cel(n, Soort.AANTAL)

    def aandeel(self, teller: int, noemer: int, gevoelig: bool = False) -> Cel:
        """A share teller/noemer; '—' over nothing; hidden over too few of one school's cases."""
        if not noemer:
            return Cel(None, Soort.AANDEEL)
        if self.per_school and gevoelig and noemer < self.drempel:
            return Cel(None, Soort.AANDEEL, verborgen=True, drempel=self.drempel)
        return Cel(teller / noemer, Soort.AANDEEL)

    def duur(self, histogram, p: int, soort: Soort, gevoelig: bool = True) -> Cel:
        """The p-th percentile of a histogram of durations (nearest rank, as termijnen does)."""
        n = sum(histogram.values())
        if self.per_school and gevoelig and 0 < n < self.drempel:
            return Cel(None, soort, verborgen=True, drempel=self.drempel)
        return Cel(percentiel(histogram, p), soort)


def _geen(soort: Soort) -> Cel:
    return Cel(None, soort, geen_gegevens=True)


# --- the report -----------------------------------------------------------------------------------

class Bouwer:
    """Builds the tables from the three years read once."""

    def __init__(self, jaren: list[Jaar], scholen: list[School], drempel: int):
        self.jaren = jaren
        self.namen = [j.naam for j in jaren]
        self.scholen = scholen
        self.sectoren = _sectoren(scholen)
        self.sector = Celmaker(drempel, per_school=False)
        self.school = Celmaker(drempel, per_school=True)
        # Per year, the termijnen and escalations folded per sector row (totals included), once.
        self.sectorcijfers = [self._fold_cijfers(j) for j in jaren]
        self.sectorescalaties = [self._fold_escalaties(j) for j in jaren]

    # -- folding and selecting

    def _fold_cijfers(self, jaar: Jaar) -> dict[str, Cijfers]:
        """Year's termijnen figures by sector row key ('po', ..., 'totaal')."""
        per = per_sector(self.scholen, jaar.cijfers)
        uitkomst = {sector.lower(): cijfers for sector, cijfers in per.items()}
        uitkomst[TOTAAL] = cijfers_totaal(per.values())
        return uitkomst

    def _fold_escalaties(self, jaar: Jaar) -> dict[str, Escalatietelling]:
        """Year's escalation counts by sector row key ('po', ..., 'totaal')."""
        uitkomst = {sector.lower(): Escalatietelling() for sector in self.sectoren}
        samen = uitkomst[TOTAAL] = Escalatietelling()
        for school in self.scholen:
            if school.id in jaar.escalaties:
                uitkomst[school.sector.lower()].voeg_toe(jaar.escalaties[school.id])
                samen.voeg_toe(jaar.escalaties[school.id])
        return uitkomst

    def sectorrijen(self) -> list[tuple[str, str, list[School]]]:
        """(key, label, schools) per sector of the report, plus the total when more than one."""
        rijen = [(s.lower(), SECTOREN[s], [x for x in self.scholen if x.sector == s])
                 for s in self.sectoren]
        if len(rijen) > 1:
            rijen.append((TOTAAL, "Alle sectoren", self.scholen))
        return rijen

    def cijfers_van(self, i: int, sleutel: str) -> Cijfers:
        """Year i's termijnen figures of a sector row ('po', ..., 'totaal')."""
        return self.sectorcijfers[i][sleutel]

    def escalaties_van(self, i: int, sleutel: str) -> Escalatietelling:
        """Year i's escalation counts of a sector row."""
        return self.sectorescalaties[i][sleutel]

    # -- rows and tables

    def rij(self, sleutel: str, label: str, soort: Soort, heeft: Callable[[Jaar], bool],
            maak: Callable[[int, Jaar], Cel]) -> Rij:
        """A row: per year the cell `maak` makes, or 'geen gegevens' when `heeft` says no."""
        return Rij(sleutel, label, [maak(i, jaar) if heeft(jaar) else _geen(soort)
                                    for i, jaar in enumerate(self.jaren)])

    def tabel(self, sleutel: str, titel: str, groepen: list[Groep], heeft, **extra) -> Tabel:
        """A table over the three years; years for which `heeft` says no are named. A table
        without data in any year gets no chart (there is nothing to draw)."""
        zonder = tuple(j.naam for j in self.jaren if not heeft(j))
        if len(zonder) == len(self.jaren):
            extra["grafiek"] = None
        return Tabel(sleutel=sleutel, titel=titel, jaren=self.namen, groepen=groepen,
                     jaren_zonder_gegevens=zonder, **extra)

    def sectortabel(self, sleutel: str, titel: str, soort: Soort, heeft,
                    maak: Callable[[int, Jaar, str, list[School]], Cel], **extra) -> Tabel:
        """One figure per sector (and in total), a row each."""
        rijen = [self.rij(s, label, soort, heeft,
                          lambda i, jaar, s=s, scholen=scholen: maak(i, jaar, s, scholen))
                 for s, label, scholen in self.sectorrijen()]
        return self.tabel(sleutel, titel, [Groep("", rijen)], heeft, kolomkop="Sector", **extra)

    def schooltabel(self, sleutel: str, titel: str, kort: str, soort: Soort, heeft,
                    maak: Callable[[int, Jaar, School], Cel], **extra) -> Tabel:
        """One figure per school, the schools grouped by sector; `kort` heads its column in the
        PDF's appendix."""
        groepen = []
        for sector in self.sectoren:
            rijen = [self.rij(school.code, f"{school.naam} ({school.code})", soort, heeft,
                              lambda i, jaar, school=school: maak(i, jaar, school))
                     for school in self.scholen if school.sector == sector]
            groepen.append(Groep(SECTOREN[sector], rijen))
        return self.tabel(sleutel, titel, groepen, heeft, kolomkop="School", per_school=True,
                          kort=kort, **extra)


def _gebruikt(jaar: Jaar) -> bool:
    return jaar.in_gebruik


def _lijsten(jaar: Jaar) -> bool:
    return jaar.lijsten


def _bezoeken(jaar: Jaar) -> bool:
    return jaar.bezoeken


def _termijnen(jaar: Jaar) -> bool:
    return jaar.termijnen


def _scores(jaar: Jaar) -> bool:
    return jaar.scores_bekend


def _telling_binnen(maker: Celmaker, telling: Telling, gevoelig: bool = False) -> Cel:
    return maker.aandeel(telling.op_tijd, telling.te_beoordelen, gevoelig)


# --- chapters -------------------------------------------------------------------------------------

def hoofdstuk_afsprakenlijsten(b: Bouwer) -> Hoofdstuk:
    """Afsprakenlijsten: on time, late or missing, per sector and per school."""

    def uitkomsten(jaar: Jaar, scholen) -> list[str]:
        return [lijstuitkomst(jaar.harde[s.id]) for s in scholen]

    def op_tijd(_i, jaar, _s, scholen):
        telling = uitkomsten(jaar, scholen)
        beoordeeld = [u for u in telling if u != LIJST_NOG_NIET]
        return b.sector.aandeel(beoordeeld.count(LIJST_OP_TIJD), len(beoordeeld))

    groepen = []
    for s, label, scholen in b.sectorrijen():
        rijen = [
            b.rij(f"{s}-{sleutel}", woord.capitalize(), Soort.AANTAL, _lijsten,
                  lambda _i, jaar, scholen=scholen, woord=woord: b.sector.aantal(
                      uitkomsten(jaar, scholen).count(woord)))
            for sleutel, woord in (("op-tijd", LIJST_OP_TIJD), ("te-laat", LIJST_TE_LAAT),
                                   ("niet", LIJST_NIET), ("loopt", LIJST_NOG_NIET))
        ]
        groepen.append(Groep(label, rijen))
    return Hoofdstuk(
        "afsprakenlijsten", "Afsprakenlijsten",
        "Elke school stelt aan het begin van het schooljaar met Leerlingzaken een afsprakenlijst "
        "vast, binnen de termijn uit de werkafspraken. Hier staat hoeveel lijsten op tijd, te laat "
        "of niet zijn vastgesteld.",
        tabellen=[
            b.sectortabel(
                "lijst-op-tijd", "Afsprakenlijsten op tijd vastgesteld", Soort.AANDEEL, _lijsten,
                op_tijd, grafiek=Grafieksoort.STAAF,
                toelichting="Aandeel van de scholen waarvan de lijst op tijd is vastgesteld, van "
                            "de scholen waarvan de termijn voorbij is of die hun lijst hebben."),
            b.tabel("lijst-telling", "Afsprakenlijsten naar uitkomst", groepen, _lijsten,
                    kolomkop="Uitkomst",
                    toelichting="Aantal scholen per uitkomst; 'termijn loopt nog' telt scholen "
                                "zonder vastgestelde lijst van wie de termijn nog loopt."),
            b.schooltabel(
                "school-lijst", "Afsprakenlijst per school", "Afsprakenlijst", Soort.TEKST,
                _lijsten,
                lambda _i, jaar, school: Cel(lijstuitkomst(jaar.harde[school.id]), Soort.TEKST)),
        ],
    )


def hoofdstuk_aanwezigheid(b: Bouwer) -> Hoofdstuk:
    """Presence of LLZ at school against the sector norm."""

    def op_norm(_i, jaar, _s, scholen):
        met_norm = [jaar.harde[x.id] for x in scholen if jaar.harde[x.id].bezoeken_norm is not None]
        return b.sector.aandeel(sum(not h.aanwezigheid_achter for h in met_norm), len(met_norm))

    def gehouden(_i, jaar, _s, scholen):
        return b.sector.aantal(sum(jaar.harde[x.id].bezoeken_gehouden for x in scholen))

    def jes(_i, jaar, _s, scholen):
        return b.sector.aantal(sum(jaar.harde[x.id].jes_gehouden for x in scholen))

    return Hoofdstuk(
        "aanwezigheid", "Aanwezigheid van Leerlingzaken op school",
        "De werkafspraken noemen per sector hoe vaak Leerlingzaken op school is: in het primair "
        "onderwijs minstens één bezoek vóór de afsprakenlijst, in het voortgezet onderwijs "
        "deelname aan het JES-overleg en een aantal bezoeken per schooljaar. Het mbo heeft geen "
        "norm.",
        tabellen=[
            b.sectortabel(
                "aanwezigheid-op-norm", "Scholen waar Leerlingzaken de norm haalde",
                Soort.AANDEEL, _bezoeken, op_norm, grafiek=Grafieksoort.STAAF,
                toelichting="Aandeel van de scholen met een norm dat niet achterloopt op de "
                            "peildatum (naar rato van het schooljaar voor het voortgezet "
                            "onderwijs). '—': geen norm voor deze sector."),
            b.sectortabel("bezoeken-gehouden", "Gehouden bezoeken", Soort.AANTAL, _bezoeken,
                          gehouden, toelichting="Alle gehouden bezoeken, van elke soort."),
            b.sectortabel("jes-gehouden", "Gehouden JES-overleggen", Soort.AANTAL, _bezoeken, jes),
            b.schooltabel(
                "school-bezoeken", "Gehouden bezoeken per school", "Bezoeken", Soort.AANTAL,
                _bezoeken,
                lambda _i, jaar, school: b.school.aantal(jaar.harde[school.id].bezoeken_gehouden),
                toelichting="Het aantal gehouden bezoeken; de norm staat bij de tabel hierboven."),
        ],
    )


def hoofdstuk_termijnen(b: Bouwer) -> Hoofdstuk:
    """The termijnen: shares within each norm, handling times, incomplete and not sent."""

    def sector(maak):
        return lambda i, _jaar, s, _scholen: maak(b.cijfers_van(i, s))

    def school(maak):
        return lambda _i, jaar, x: maak(jaar.cijfers.get(x.id) or Cijfers())

    stapgroepen = []
    for s, label, _scholen in b.sectorrijen():
        stapgroepen.append(Groep(label, [
            b.rij(f"{s}-{stap.value}", KORT[stap], Soort.AANDEEL, _termijnen,
                  lambda i, _jaar, s=s, stap=stap: _telling_binnen(
                      b.sector, b.cijfers_van(i, s).stappen[stap]))
            for stap in STAPPEN
        ]))
    llz = "de stappen van Leerlingzaken bij een melding (terugmelden en reageren)"
    return Hoofdstuk(
        "termijnen", "Termijnen",
        "Leerlingzaken en de scholen hebben afgesproken binnen hoeveel werkdagen zij op elkaar "
        "reageren. Een stap telt als binnen de termijn als hij op of vóór de uiterste dag klaar "
        "was; stappen die nog lopen en niet verlopen zijn, tellen niet mee.",
        tabellen=[
            b.sectortabel("termijn-llz", "Meldingen binnen de termijn afgehandeld door "
                          "Leerlingzaken", Soort.AANDEEL, _termijnen,
                          sector(lambda c: _telling_binnen(b.sector, c.llz_meldingen)),
                          grafiek=Grafieksoort.STAAF, toelichting=f"Aandeel van {llz}."),
            b.tabel("termijn-stappen", "Binnen de termijn, per stap", stapgroepen, _termijnen,
                    kolomkop="Stap", toelichting="Aandeel binnen de termijn van elke stap uit de "
                    "werkafspraken, per sector."),
            b.sectortabel("termijn-mediaan", "Mediane afhandeltijd van Leerlingzaken",
                          Soort.WERKDAGEN, _termijnen,
                          sector(lambda c: b.sector.duur(c.llz_meldingen.histogram, 50,
                                                         Soort.WERKDAGEN)),
                          grafiek=Grafieksoort.LIJN,
                          toelichting=f"In werkdagen, over {llz} die klaar zijn."),
            b.sectortabel("termijn-p90", "Afhandeltijd van Leerlingzaken, 90e percentiel",
                          Soort.WERKDAGEN, _termijnen,
                          sector(lambda c: b.sector.duur(c.llz_meldingen.histogram, 90,
                                                         Soort.WERKDAGEN)),
                          toelichting="Negen op de tien stappen waren binnen dit aantal "
                                      "werkdagen klaar."),
            b.sectortabel("meldingen", "Verzuimmeldingen", Soort.AANTAL, _termijnen,
                          sector(lambda c: b.sector.aantal(c.meldingen))),
            b.sectortabel("onvolledig", "Onvolledige meldingen", Soort.AANDEEL, _termijnen,
                          sector(lambda c: b.sector.aandeel(c.onvolledig, c.beoordeeld)),
                          toelichting="Aandeel van de beoordeelde meldingen dat niet compleet "
                                      "was."),
            b.sectortabel("niet-verzonden", "Meldingen niet verzonden", Soort.AANTAL, _termijnen,
                          sector(lambda c: b.sector.aantal(c.niet_verzonden)),
                          toelichting="Onvolledige meldingen die de school niet op tijd aanvulde."),
            b.schooltabel("school-meldingen", "Verzuimmeldingen per school", "Meldingen",
                          Soort.AANTAL,
                          _termijnen, school(lambda c: b.school.aantal(c.meldingen, True))),
            b.schooltabel("school-termijn-llz", "Binnen de termijn door Leerlingzaken, per school",
                          "Binnen termijn", Soort.AANDEEL, _termijnen,
                          school(lambda c: _telling_binnen(b.school, c.llz_meldingen, True))),
            b.schooltabel("school-mediaan", "Mediane afhandeltijd per school", "Mediaan",
                          Soort.WERKDAGEN,
                          _termijnen, school(lambda c: b.school.duur(
                              c.llz_meldingen.histogram, 50, Soort.WERKDAGEN))),
            b.schooltabel("school-p90", "Afhandeltijd per school, 90e percentiel",
                          "90e perc.", Soort.WERKDAGEN, _termijnen, school(lambda c: b.school.duur(
                              c.llz_meldingen.histogram, 90, Soort.WERKDAGEN))),
            b.schooltabel("school-onvolledig", "Onvolledige meldingen per school", "Onvolledig",
                          Soort.AANDEEL,
                          _termijnen,
                          school(lambda c: b.school.aandeel(c.onvolledig, c.beoordeeld, True))),
            b.schooltabel("school-niet-verzonden", "Niet verzonden per school", "Niet verzonden",
                          Soort.AANTAL,
                          _termijnen,
                          school(lambda c: b.school.aantal(c.niet_verzonden, True))),
        ],
    )


def hoofdstuk_escalaties(b: Bouwer) -> Hoofdstuk:
    """Escalations opened in the schooljaar: opened, resolved, duration, per track."""

    def sector(maak):
        return lambda i, _jaar, s, _scholen: maak(b.escalaties_van(i, s))

    spoorgroepen = []
    for s, label, _scholen in b.sectorrijen():
        rijen = []
        for spoor in Spoor:
            rijen.append(b.rij(f"{s}-{spoor.value}-geopend", f"{spoor.label}: geopend",
                               Soort.AANTAL, _gebruikt,
                               lambda i, _j, s=s, spoor=spoor: b.sector.aantal(
                                   b.escalaties_van(i, s).geopend[spoor])))
            rijen.append(b.rij(f"{s}-{spoor.value}-opgelost", f"{spoor.label}: opgelost",
                               Soort.AANTAL, _gebruikt,
                               lambda i, _j, s=s, spoor=spoor: b.sector.aantal(
                                   b.escalaties_van(i, s).opgelost[spoor])))
        spoorgroepen.append(Groep(label, rijen))
    return Hoofdstuk(
        "escalaties", "Escalaties",
        "Komen Leerlingzaken en een school er samen niet uit, dan volgen zij de escalatieroute: "
        "over de inhoud van een zaak of over de samenwerking zelf. Geteld zijn de escalaties die "
        "in het schooljaar zijn geopend.",
        tabellen=[
            b.sectortabel("escalaties-geopend", "Geopende escalaties", Soort.AANTAL, _gebruikt,
                          sector(lambda e: b.sector.aantal(e.totaal_geopend)),
                          grafiek=Grafieksoort.STAAF),
            b.sectortabel("escalaties-opgelost", "Opgeloste escalaties", Soort.AANTAL, _gebruikt,
                          sector(lambda e: b.sector.aantal(e.totaal_opgelost)),
                          toelichting="Van de in het schooljaar geopende escalaties."),
            b.sectortabel("escalaties-duur", "Mediane duur tot opgelost", Soort.DAGEN, _gebruikt,
                          sector(lambda e: b.sector.duur(e.duur, 50, Soort.DAGEN)),
                          toelichting="In kalenderdagen, van openen tot opgelost."),
            b.tabel("escalaties-spoor", "Escalaties per spoor", spoorgroepen, _gebruikt,
                    kolomkop="Spoor"),
            b.schooltabel("school-escalaties", "Geopende escalaties per school", "Escalaties",
                          Soort.AANTAL,
                          _gebruikt, lambda _i, jaar, school: b.school.aantal(
                              jaar.harde[school.id].escalaties_geopend, True)),
        ],
    )


def hoofdstuk_evaluatie(b: Bouwer, klankbord: list[Lijst]) -> Hoofdstuk:
    """Evaluation scores per theme and side, improvement points, the Klankbordgroep."""
    scoregroepen = []
    for sector in b.sectoren:
        rijen = []
        for thema in Thema:
            for kant, wie in ((Kant.SCHOOL.value, "school"), (Kant.LLZ.value, "Leerlingzaken")):
                rijen.append(b.rij(
                    f"{sector.lower()}-{thema.value}-{kant}", f"{thema.label} (oordeel {wie})",
                    Soort.SCORE, _scores,
                    lambda _i, jaar, sector=sector, kant=kant, thema=thema: Cel(
                        jaar.scores.get(sector, {}).get((kant, thema.value)), Soort.SCORE)))
        scoregroepen.append(Groep(SECTOREN[sector], rijen))

    def punten(index: int):
        def maak(_i, jaar, _s, scholen):
            return b.sector.aantal(sum(jaar.verbeterpunten.get(x.id, (0, 0))[index]
                                       for x in scholen))
        return maak

    return Hoofdstuk(
        "evaluatie", "Evaluatie en Klankbordgroep",
        "Elk jaar evalueren Leerlingzaken en iedere school hun samenwerking: beide kanten geven "
        "per thema een oordeel van 1 (slecht) tot 5 (uitstekend) en spreken verbeterpunten af. "
        "De Klankbordgroepen PO en VO bespreken de uitkomsten van alle scholen en besluiten over "
        "maatregelen en nieuwe werkafspraken.",
        tabellen=[
            b.tabel("scores", "Gemiddelde oordelen per thema", scoregroepen, _scores,
                    kolomkop="Thema", toelichting="Gemiddelde van de gegeven oordelen (1 tot 5) "
                    "per sector; ook van evaluaties die nog niet zijn vastgelegd."),
            b.sectortabel("verbeterpunten", "Afgesproken verbeterpunten", Soort.AANTAL,
                          _scores, punten(0)),
            b.sectortabel("verbeterpunten-afgerond", "Afgeronde verbeterpunten", Soort.AANTAL,
                          _scores, punten(1),
                          toelichting="Van de verbeterpunten die in het schooljaar zijn "
                                      "afgesproken, tot de peildatum."),
        ],
        lijsten=klankbord,
    )


def klankbordlijsten(schooljaar: Schooljaar, sectoren: list[str]) -> list[Lijst]:
    """The decisions and measures of the Klankbordgroepen that speak for these sectors."""
    lijsten = []
    for groep in Klankbordsector:
        if not set(groep.sectoren) & set(sectoren):
            continue
        besluiten = [Lijstitem(f"Overleg van {datum(overleg.datum)}", besluit.tekst)
                     for overleg in overleggen(groep, schooljaar) for besluit in overleg.besluiten]
        lijsten.append(Lijst(f"besluiten-{groep.value.lower()}", f"Besluiten van de {groep.label}",
                             besluiten, leeg=f"De {groep.label} nam in {schooljaar.naam} geen "
                                             "besluiten."))
        items = [
            Lijstitem(f"Maatregel {m.nummer}: {m.titel}" + (" (afgerond)" if m.afgerond else ""),
                      m.plan, [(r.periode, r.resultaat) for r in m.resultaten])
            for m in maatregelen(groep, schooljaar)
        ]
        lijsten.append(Lijst(f"maatregelen-{groep.value.lower()}",
                             f"Maatregelen van de {groep.label}", items,
                             leeg=f"De {groep.label} heeft geen lopende maatregelen."))
    return lijsten


# --- the summary ----------------------------------------------------------------------------------

def _sectornaam(rij: Rij) -> str:
    return "alle sectoren samen" if rij.sleutel == TOTAAL else f"het {rij.label.lower()}"


def samenvatting(tabellen: dict[str, Tabel], lopend: bool = False) -> list[Zin]:
    """Plain Dutch sentences, each about one row of a table and quoting its figures as shown.

    In a schooljaar that is not over, counts are not set against whole years.
    """
    zinnen = []
    vorig_naam = tabellen["termijn-llz"].jaren[-2]

    # Termijnen: the sector that improved most, else the overall figure.
    tabel = tabellen["termijn-llz"]
    sectoren = [r for r in tabel.rijen if r.sleutel != TOTAAL]
    gestegen = [r for r in sectoren if (r.verschil.waarde or 0) > 0]
    if gestegen and len(sectoren) > 1:
        beste = max(gestegen, key=lambda r: r.verschil.waarde)
        zinnen.append(Zin(
            f"Op de termijnen verbeterde {_sectornaam(beste)} het meest: Leerlingzaken handelde "
            f"{beste.cellen[-1].tekst} van de meldingen binnen de termijn af, "
            f"{beste.verschil.tekst} ten opzichte van {vorig_naam}.", tabel.sleutel, beste.sleutel))
    elif tabel.rijen and tabel.rijen[-1].cellen[-1].getoond:
        rij = tabel.rijen[-1]
        tekst = (f"Leerlingzaken handelde in {_sectornaam(rij)} {rij.cellen[-1].tekst} van de "
                 "meldingen binnen de termijn af")
        if rij.verschil.waarde is not None:
            tekst += f" ({rij.verschil.tekst} ten opzichte van {vorig_naam})"
        if len(sectoren) > 1 and any(r.verschil.waarde is not None for r in sectoren):
            tekst += "; geen sector deed het beter dan het jaar ervoor"
        zinnen.append(Zin(tekst + ".", tabel.sleutel, rij.sleutel))

    # Presence: where it fell behind most.
    tabel = tabellen["aanwezigheid-op-norm"]
    getoond = [r for r in tabel.rijen if r.sleutel != TOTAAL and r.cellen[-1].getoond]
    achter = [r for r in getoond if r.cellen[-1].waarde < 1]
    if len(getoond) == 1:  # one sector: nothing to compare it with
        rij = getoond[0]
        zinnen.append(Zin(
            f"In {_sectornaam(rij)} haalde Leerlingzaken de norm voor aanwezigheid op school op "
            f"{rij.cellen[-1].tekst} van de scholen.", tabel.sleutel, rij.sleutel))
    elif achter:
        laagste = min(achter, key=lambda r: r.cellen[-1].waarde)
        zinnen.append(Zin(
            f"De aanwezigheid op school bleef het meest achter in {_sectornaam(laagste)}: op "
            f"{laagste.cellen[-1].tekst} van de scholen haalde Leerlingzaken de norm.",
            tabel.sleutel, laagste.sleutel))
    elif getoond:
        rij = getoond[0]
        zinnen.append(Zin(
            f"Leerlingzaken haalde de norm voor aanwezigheid op school op "
            f"{rij.cellen[-1].tekst} van de scholen in {_sectornaam(rij)}; nergens bleef de "
            "aanwezigheid achter.", tabel.sleutel, rij.sleutel))

    # Afsprakenlijsten, meldingen and escalations: the overall figures.
    for sleutel, zin, telling in (
        ("lijst-op-tijd", "Van de afsprakenlijsten was {x} op tijd vastgesteld", False),
        ("meldingen", "De scholen stuurden {x} verzuimmeldingen", True),
        ("escalaties-geopend", "Er werden {x} escalaties geopend", True),
    ):
        tabel = tabellen[sleutel]
        if not tabel.rijen or not tabel.rijen[-1].cellen[-1].getoond:
            continue
        rij = tabel.rijen[-1]
        tekst = zin.format(x=rij.cellen[-1].tekst)
        if telling and lopend:
            tekst += " tot nu toe"
        elif rij.verschil.waarde is not None:
            tekst += f" ({rij.verschil.tekst} ten opzichte van {vorig_naam})"
        zinnen.append(Zin(tekst + ".", tabel.sleutel, rij.sleutel))
    return zinnen


# --- entry point ----------------------------------------------------------------------------------

def rapportscholen(sector: str = "") -> list[School]:
    """The schools a report covers: the active ones (of the sector), by sector and name."""
    query = select(School).where(School.actief.is_(True))
    if sector:
        query = query.where(School.sector == sector)
    volgorde = {s.value: i for i, s in enumerate(Sector)}
    scholen = db.session.scalars(query.order_by(School.naam, School.code)).all()
    return sorted(scholen, key=lambda s: volgorde.get(s.sector, len(volgorde)))


def drie_jaren(schooljaar: Schooljaar) -> list[str]:
    """The names of the two schooljaren before this one, and this one."""
    vorig = vorig_schooljaar_naam(schooljaar)
    start = schooljaar.begin.year - 2
    return [f"{start}-{start + 1}", vorig, schooljaar.naam]


def bouw_jaarverslag(schooljaar: Schooljaar, sector: str = "",
                     vandaag: date | None = None) -> Jaarverslag:
    """The jaarverslag of a schooljaar, for every sector ('') or one (KeyError: unknown)."""
    sectornaam = SECTOREN[sector]
    vandaag = vandaag or date.today()
    scholen = rapportscholen(sector)
    normen = normen_voor(schooljaar)
    drempel = normen["kleine_aantallen"].waarde
    jaren = [lees_jaar(naam, scholen, vandaag) for naam in drie_jaren(schooljaar)]
    b = Bouwer(jaren, scholen, drempel)
    hoofdstukken = [
        hoofdstuk_afsprakenlijsten(b),
        hoofdstuk_aanwezigheid(b),
        hoofdstuk_termijnen(b),
        hoofdstuk_escalaties(b),
        hoofdstuk_evaluatie(b, klankbordlijsten(
            schooljaar, [sector] if sector else [s.value for s in Sector])),
    ]
    tabellen = {t.sleutel: t for h in hoofdstukken for t in h.tabellen}
    peil = peildatum_voor(schooljaar, vandaag)
    lopend = peil < schooljaar.eind
    return Jaarverslag(
        schooljaar=schooljaar.naam, sector=sector,
        sectornaam=sectornaam if sector else "alle sectoren",
        peildatum=peil.isoformat(), normversie=normen.versie, drempel=drempel,
        scholen=len(scholen), samenvatting=samenvatting(tabellen, lopend),
        hoofdstukken=hoofdstukken, lopend=lopend,
    )
