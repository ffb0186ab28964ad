"""The jaarplanning: the cycle's milestones per school and schooljaar, computed in bulk, plus the
programme calendars of content/programmas/*.toml; shown as pages and as the calendar feed."""

import calendar
import enum
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..afspraken.queries import laad_lijsten
from ..afspraken.regels import deadline as afsprakenlijst_deadline
from ..afspraken.regels import termijnstand
from ..config import PROJECT_ROOT
from ..extensions import db
from ..normenbron import normen_voor
from ..scholen.models import Sector
from ..schooljaren import Schooljaar, jaar_args
from .models import (
    Bezoek,
    Bezoeksoort,
    Bezoekstatus,
    Evaluatie,
    Evaluatiestatus,
    Klankbordoverleg,
    Klankbordsector,
)
from .queries import bezoektellingen
from .regels import Bezoektelling, bezoeknorm

MAANDNAMEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december")

# The kinds of items, in the order they are listed on one day.
SOORTEN = ("afsprakenlijst", "startbezoek", "bezoek", "evaluatie", "klankbord", "programma")


class Stand(enum.StrEnum):
    """Where one school stands on one milestone."""

    KLAAR = "klaar"
    TE_LAAT = "te_laat"
    KOMT = "komt"

    @property
    def label(self) -> str:
        """Dutch label for a badge."""
        return {"klaar": "Gedaan", "te_laat": "Te laat", "komt": "Nog te doen"}[self.value]

    @property
    def badge(self) -> str:
        """Status badge modifier."""
        return {"klaar": "valid", "te_laat": "invalid", "komt": "neutral"}[self.value]


@dataclass(frozen=True)
class Schoolref:
    """The little of a school an item shows: code, name and sector."""

    code: str
    naam: str
    sector: str


@dataclass
class Mijlpaal:
    """One dated item of the jaarplanning: for one school, several schools, or everyone.

    `standen` holds one Stand (or None: not judged) per school in `scholen`; `link` is an
    (endpoint, url values) pair of the page where the item is done, or None.
    """

    soort: str
    datum: date
    titel: str
    uid: str
    tot: date | None = None  # the last day of a period (inclusive)
    omschrijving: str = ""
    scholen: tuple[Schoolref, ...] = ()
    standen: tuple[Stand | None, ...] = ()
    link: tuple[str, dict] | None = None
    namen_tonen: bool = True  # False in the overall view: a count, not 250 names
    extra: dict = field(default_factory=dict)

    @property
    def einde(self) -> date:
        """The last day of the item."""
        return self.tot or self.datum

    @property
    def beoordeeld(self) -> list[Stand]:
        """The judged standen."""
        return [s for s in self.standen if s is not None]

    @property
    def badge(self) -> str | None:
        """Status badge modifier over all schools (None: nothing to judge)."""
        standen = self.beoordeeld
        if not standen:
            return None
        if Stand.TE_LAAT in standen:
            return Stand.TE_LAAT.badge
        if all(s == Stand.KLAAR for s in standen):
            return Stand.KLAAR.badge
        return Stand.KOMT.badge

    @property
    def badge_tekst(self) -> str:
        """Dutch text of the badge: the label for one school, counts for several."""
        standen = self.beoordeeld
        if len(standen) == 1:
            return standen[0].label
        te_laat = standen.count(Stand.TE_LAAT)
        klaar = standen.count(Stand.KLAAR)
        if te_laat:
            return f"{te_laat} te laat"
        if klaar == len(standen):
            return "Alle gedaan"
        return f"{klaar} van {len(standen)} gedaan"

    @property
    def volledige_titel(self) -> str:
        """The title with the count of schools when they are not named (overall view)."""
        if not self.namen_tonen and len(self.scholen) > 1:
            return f"{self.titel} ({len(self.scholen)} scholen)"
        if not self.namen_tonen and len(self.scholen) == 1:
            return f"{self.titel} (1 school)"
        return self.titel


# --- rules ------------------------------------------------------------------------------------

def evaluatie_uiterlijk(schooljaar: Schooljaar) -> date:
    """The last day of the yearly evaluation when none is planned: 30 June of the schooljaar,
    so that it is held before the summer holidays and its improvement points can go into the
    next schooljaar's afsprakenlijst."""
    return date(schooljaar.eind.year, 6, 30)


def stand_op(datum: date, klaar: bool, vandaag: date) -> Stand:
    """Done, overdue (date passed and not done) or still to come."""
    if klaar:
        return Stand.KLAAR
    return Stand.TE_LAAT if datum < vandaag else Stand.KOMT


# --- milestones of schools, in bulk ----------------------------------------------------------

def mijlpalen(scholen, schooljaar: Schooljaar, vandaag: date) -> list[Mijlpaal]:
    """The cycle's milestones of these schools (objects with id, code, naam, sector) in the
    schooljaar: afsprakenlijst due, start visit due, the evaluation and the planned visits.

    A fixed number of queries whatever the number of schools.
    """
    scholen = list(scholen)
    if not scholen:
        return []
    ids = [s.id for s in scholen]
    normen = normen_voor(schooljaar)
    lijsten = laad_lijsten(ids, schooljaar.id, met_afspraken=False)
    tellingen = bezoektellingen(ids, schooljaar)
    evaluaties = {rij.school_id: rij for rij in db.session.execute(
        select(Evaluatie.school_id, Evaluatie.gepland_op, Evaluatie.status)
        .where(Evaluatie.schooljaar_id == schooljaar.id, Evaluatie.school_id.in_(ids)))}
    geplande = defaultdict(list)
    for rij in db.session.execute(
        select(Bezoek.id, Bezoek.school_id, Bezoek.datum, Bezoek.soort)
        .where(Bezoek.schooljaar_id == schooljaar.id, Bezoek.school_id.in_(ids),
               Bezoek.status == Bezoekstatus.GEPLAND)
        .order_by(Bezoek.datum, Bezoek.id)
    ):
        geplande[rij.school_id].append(rij)

    uiterlijk = afsprakenlijst_deadline(schooljaar, normen)
    jaar = schooljaar.begin.year
    args = jaar_args(schooljaar)
    items = []
    for school in scholen:
        ref = Schoolref(school.code, school.naam, school.sector)
        bezoeken = ("cyclus.bezoek_overzicht", {"code": school.code, **args})
        stand = termijnstand(lijsten.get(school.id, []), schooljaar, normen, vandaag)
        items.append(Mijlpaal(
            "afsprakenlijst", uiterlijk, "Afsprakenlijst uiterlijk vastgesteld",
            f"afsprakenlijst-{school.code}-{jaar}@leerplicht",
            omschrijving=("De afsprakenlijst van dit schooljaar is uiterlijk op deze dag "
                          "vastgesteld, met het akkoord van de school en van Leerlingzaken."),
            scholen=(ref,), standen=(stand_op(uiterlijk, stand.afgerond, vandaag),),
            link=("afspraken.lijst", {"code": school.code, **args})))
        norm = bezoeknorm(school.sector, schooljaar, normen)
        if norm is not None:
            telling = tellingen.get(school.id, Bezoektelling())
            items.append(Mijlpaal(
                "startbezoek", norm.start_uiterlijk, "Startbezoek van Leerlingzaken uiterlijk",
                f"startbezoek-{school.code}-{jaar}@leerplicht",
                omschrijving=f"De norm: {norm.tekst}.", scholen=(ref,),
                standen=(stand_op(norm.start_uiterlijk, telling.eerste_gehouden is not None,
                                  vandaag),),
                link=bezoeken))
        items.append(_evaluatie(school, ref, evaluaties.get(school.id), schooljaar, vandaag))
        for bezoek in geplande[school.id]:
            items.append(Mijlpaal(
                "bezoek", bezoek.datum,
                f"Bezoek van Leerlingzaken: {Bezoeksoort(bezoek.soort).label}",
                f"bezoek-{bezoek.id}@leerplicht",
                omschrijving="Een gepland bezoek van Leerlingzaken aan de school.",
                scholen=(ref,), standen=(stand_op(bezoek.datum, False, vandaag),),
                link=bezoeken))
    return items


def _evaluatie(school, ref: Schoolref, rij, schooljaar: Schooljaar, vandaag: date) -> Mijlpaal:
    """The evaluation milestone: its planned date, else the date it is due."""
    uid = f"evaluatie-{school.code}-{schooljaar.begin.year}@leerplicht"
    evaluatiepagina = ("cyclus.evaluatie_pagina", {"code": school.code, **jaar_args(schooljaar)})
    if rij is None:
        datum = evaluatie_uiterlijk(schooljaar)
        return Mijlpaal("evaluatie", datum, "Jaarlijkse evaluatie uiterlijk", uid,
                        omschrijving=("Leerlingzaken en de school evalueren hun samenwerking "
                                      "uiterlijk op deze dag; er is nog geen datum gepland."),
                        scholen=(ref,), standen=(stand_op(datum, False, vandaag),),
                        link=evaluatiepagina)
    klaar = rij.status != Evaluatiestatus.GEPLAND
    return Mijlpaal("evaluatie", rij.gepland_op, "Jaarlijkse evaluatie", uid,
                    omschrijving="De geplande evaluatie van de samenwerking.",
                    scholen=(ref,), standen=(stand_op(rij.gepland_op, klaar, vandaag),),
                    link=evaluatiepagina)


def overleggen(schooljaar: Schooljaar, sectoren=None) -> list[Mijlpaal]:
    """The Klankbordgroep meetings of the schooljaar, of these Klankbordsectoren (None: all)."""
    query = select(Klankbordoverleg.id, Klankbordoverleg.sector, Klankbordoverleg.datum).where(
        Klankbordoverleg.schooljaar_id == schooljaar.id)
    if sectoren is not None:
        query = query.where(Klankbordoverleg.sector.in_([str(s) for s in sectoren]))
    return [
        Mijlpaal("klankbord", rij.datum, f"Overleg {Klankbordsector(rij.sector).label}",
                 f"klankbordoverleg-{rij.id}@leerplicht",
                 omschrijving=("Overleg van de Klankbordgroep met Leerlingzaken over de "
                               "werkafspraken."),
                 link=("cyclus.klankbord_overzicht",
                       {"sector": rij.sector, **jaar_args(schooljaar)}))
        for rij in db.session.execute(query.order_by(Klankbordoverleg.datum))
    ]


def samenvatten(items: list[Mijlpaal], namen_tonen: bool) -> list[Mijlpaal]:
    """Merge the items of several schools with the same kind, date and title into one."""
    groepen: dict[tuple, list[Mijlpaal]] = {}
    for item in items:
        if not item.scholen:
            groepen[("los", item.uid)] = [item]
            continue
        groepen.setdefault((item.soort, item.datum, item.tot, item.titel), []).append(item)
    samen = []
    for sleutel, groep in groepen.items():
        eerste = groep[0]
        if len(groep) == 1 and (namen_tonen or sleutel[0] == "los"):
            samen.append(replace(eerste, namen_tonen=namen_tonen))
            continue
        scholen = tuple(ref for item in groep for ref in item.scholen)
        standen = tuple(stand for item in groep for stand in item.standen)
        link = eerste.link if len(groep) == 1 else OVERZICHTEN.get(eerste.soort)
        samen.append(replace(
            eerste, scholen=scholen, standen=standen, link=link, namen_tonen=namen_tonen,
            uid=f"{eerste.soort}-{_slug(eerste.titel)}-alle-{eerste.datum:%Y%m%d}@leerplicht"))
    return samen


# Where the overall view links an aggregated item (per school it links the school's page).
OVERZICHTEN = {"afsprakenlijst": ("afspraken.termijnen", {})}


def gesorteerd(items: list[Mijlpaal]) -> list[Mijlpaal]:
    """By date, then by kind, then by title."""
    return sorted(items, key=lambda i: (i.datum, SOORTEN.index(i.soort), i.titel, i.uid))


def per_maand(items: list[Mijlpaal]) -> list[tuple[str, list[Mijlpaal]]]:
    """The items grouped by month ('september 2026'), in date order."""
    groepen: dict[tuple[int, int], list[Mijlpaal]] = {}
    for item in gesorteerd(items):
        groepen.setdefault((item.datum.year, item.datum.month), []).append(item)
    return [(f"{MAANDNAMEN[maand - 1]} {jaar}", lijst) for (jaar, maand), lijst in groepen.items()]


def jaarplanning(scholen, schooljaar: Schooljaar, vandaag: date, samen: bool = False,
                 namen_tonen: bool = True, sectoren=None) -> list[Mijlpaal]:
    """Everything of these schools in the schooljaar: milestones, the meetings of their
    Klankbordgroepen and the programme dates of their sectors, in date order.

    `sectoren` overrides the sectors (None: those of the schools); `samen` merges the
    schools' identical milestones (the overall view: `namen_tonen` False shows a count).
    """
    scholen = list(scholen)
    if sectoren is None:
        sectoren = {s.sector for s in scholen}
    items = mijlpalen(scholen, schooljaar, vandaag)
    if samen:
        items = samenvatten(items, namen_tonen)
    items += overleggen(schooljaar, {Klankbordsector.van(s) for s in sectoren})
    items += programma_items(schooljaar, sectoren)
    return gesorteerd(items)


# --- programme calendars (content/programmas/*.toml) -----------------------------------------

class ProgrammaFout(ValueError):
    """A programme file is malformed (the message names the file and the item)."""


MAANDDAG = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
MAX_TITEL, MAX_OMSCHRIJVING = 120, 600


@dataclass(frozen=True)
class Programmaitem:
    """One dated step of a programme: month-days relative to the schooljaar."""

    programma: str  # the programme's name
    bestand: str  # the file's stem, part of the calendar UID
    sleutel: str
    titel: str
    omschrijving: str
    sectoren: tuple[str, ...]
    van: tuple[int, int]  # (month, day)
    tot: tuple[int, int] | None


def standaard_programmamap() -> Path:
    """content/programmas of this project."""
    return PROJECT_ROOT / "content" / "programmas"


def dag_in_schooljaar(schooljaar: Schooljaar, maand: int, dag: int) -> date:
    """The date of a month-day in the schooljaar: August to December in its first calendar
    year, January to July in its second (29 February becomes the 28th in a common year)."""
    jaar = schooljaar.begin.year if maand >= 8 else schooljaar.eind.year
    return date(jaar, maand, min(dag, calendar.monthrange(jaar, maand)[1]))


def _volgorde(maand: int, dag: int) -> tuple[int, int]:
    """Position of a month-day in a schooljaar that starts on 1 August."""
    return ((maand - 8) % 12, dag)


def _slug(tekst: str) -> str:
    """Lower-case letters and digits joined by '-', for a stable calendar UID."""
    return re.sub(r"[^a-z0-9]+", "-", tekst.lower()).strip("-")[:60] or "item"


def _maanddag(waar: str, naam: str, waarde) -> tuple[int, int]:
    """Validate a month-day written as MM-DD (e.g. "03-01" for 1 March)."""
    if not isinstance(waarde, str) or not MAANDDAG.fullmatch(waarde):
        raise ProgrammaFout(f"{waar}: {naam} moet een maand-dag zijn als \"03-01\" (1 maart), "
                            f"niet {waarde!r}")
    maand, dag = int(waarde[:2]), int(waarde[3:])
    if dag > calendar.monthrange(2000, maand)[1]:  # a leap year: 02-29 is allowed
        raise ProgrammaFout(f"{waar}: {naam} {waarde} bestaat niet")
    return maand, dag


def _tekst(waar: str, ruw: dict, naam: str, maximum: int, verplicht: bool = True) -> str:
    """Validate a text field of an item."""
    waarde = ruw.get(naam, "")
    if not isinstance(waarde, str) or (verplicht and not waarde.strip()):
        raise ProgrammaFout(f"{waar}: {naam} ontbreekt of is geen tekst")
    if len(waarde) > maximum:
        raise ProgrammaFout(f"{waar}: {naam} is langer dan {maximum} tekens")
    return " ".join(waarde.split())


def _item(waar: str, ruw, programma: str, bestand: str, standaard_sectoren) -> Programmaitem:
    """Validate one [[item]] table of a programme file."""
    if not isinstance(ruw, dict):
        raise ProgrammaFout(f"{waar}: moet een tabel zijn")
    titel = _tekst(waar, ruw, "titel", MAX_TITEL)
    waar = f"{waar} ({titel})"
    omschrijving = _tekst(waar, ruw, "omschrijving", MAX_OMSCHRIJVING, verplicht=False)
    sectoren = ruw.get("sectoren", standaard_sectoren)
    geldig = {s.value for s in Sector}
    if (not isinstance(sectoren, list) or not sectoren
            or not all(isinstance(s, str) and s in geldig for s in sectoren)):
        raise ProgrammaFout(f"{waar}: sectoren moet een lijst zijn met een of meer van "
                            f"{', '.join(s.value for s in Sector)}")
    van = _maanddag(waar, "van", ruw.get("van"))
    tot = _maanddag(waar, "tot", ruw["tot"]) if "tot" in ruw else None
    if tot is not None and _volgorde(*tot) < _volgorde(*van):
        raise ProgrammaFout(f"{waar}: tot ligt in het schooljaar (1 augustus – 31 juli) vóór "
                            f"van")
    sleutel = ruw.get("sleutel", _slug(titel))
    if not isinstance(sleutel, str) or not re.fullmatch(r"[a-z0-9-]{1,60}", sleutel):
        raise ProgrammaFout(f"{waar}: sleutel mag alleen kleine letters, cijfers en - bevatten")
    onbekend = set(ruw) - {"titel", "omschrijving", "sectoren", "van", "tot", "sleutel"}
    if onbekend:
        raise ProgrammaFout(f"{waar}: onbekende velden: {', '.join(sorted(onbekend))}")
    return Programmaitem(programma, bestand, sleutel, titel, omschrijving, tuple(sectoren),
                         van, tot)


def laad_programma(pad: Path) -> list[Programmaitem]:
    """Read and validate one programme file; ProgrammaFout says what is wrong and where."""
    try:
        data = tomllib.loads(Path(pad).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ProgrammaFout(f"{pad}: bestand met het programma ontbreekt") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProgrammaFout(f"{pad}: geen geldige TOML: {error}") from error
    naam = data.get("naam")
    if not isinstance(naam, str) or not naam.strip():
        raise ProgrammaFout(f"{pad}: naam van het programma ontbreekt")
    tabellen = data.get("item")
    if not isinstance(tabellen, list) or not tabellen:
        raise ProgrammaFout(f"{pad}: geen [[item]] gevonden")
    items = [_item(f"{pad}, item {nummer}", ruw, naam.strip(), Path(pad).stem,
                   data.get("sectoren"))
             for nummer, ruw in enumerate(tabellen, 1)]
    sleutels = [i.sleutel for i in items]
    dubbel = sorted({s for s in sleutels if sleutels.count(s) > 1})
    if dubbel:
        raise ProgrammaFout(f"{pad}: twee items met dezelfde titel of sleutel: {', '.join(dubbel)}")
    return items


def laad_programmas(map_: Path) -> list[Programmaitem]:
    """Every programme file (*.toml) of the folder, in file-name order (no folder: none)."""
    return [item for pad in sorted(Path(map_).glob("*.toml")) for item in laad_programma(pad)]


def programmas() -> list[Programmaitem]:
    """The programme items of the running app (PROGRAMMAS_MAP may point elsewhere), loaded once."""
    cached = current_app.extensions.get("leerplicht_programmas")
    if cached is None:
        map_ = current_app.config.get("PROGRAMMAS_MAP") or standaard_programmamap()
        cached = current_app.extensions["leerplicht_programmas"] = laad_programmas(map_)
    return cached


def programma_items(schooljaar: Schooljaar, sectoren=None) -> list[Mijlpaal]:
    """The programme dates of the schooljaar for these school sectors (None: every item)."""
    items = []
    for item in programmas():
        if sectoren is not None and not set(item.sectoren) & set(sectoren):
            continue
        van = dag_in_schooljaar(schooljaar, *item.van)
        tot = dag_in_schooljaar(schooljaar, *item.tot) if item.tot else None
        items.append(Mijlpaal(
            "programma", van, item.titel,
            f"programma-{item.bestand}-{item.sleutel}-{schooljaar.begin.year}@leerplicht",
            tot=tot if tot != van else None,
            omschrijving=f"{item.programma}: {item.omschrijving}".rstrip(": "),
            extra={"programma": item.programma, "sectoren": item.sectoren}))
    return items
