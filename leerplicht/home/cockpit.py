"""The beheerder's cockpit: one row per school, built from a registry of bulk-loaded columns.

A column (Kolom) has a header, a loader that fetches its data for ALL schools of the table in a
fixed number of queries, and a cell partial. A later capability (termijnen, visits, evaluation)
appends a column with registreer_kolom() from its own init_app; the table, the summary cards
and the filters pick it up without changes here.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from ..afspraken.models import Afsprakenlijst
from ..afspraken.regels import Termijnstand, stand_uit, termijnstand
from ..escalatie.models import Escalatie
from ..escalatie.regels import Bewaking, bewaking
from ..extensions import db
from ..normenbron import normen_voor
from ..policy import is_llz_contact_clause
from ..scholen.contactregels import Contactwissels, contactwissels
from ..scholen.dossier import RodeKnop
from ..scholen.models import Contactrol, School, Sector
from ..scholen.queries import llz_contactpersonen, met_contacten, teamleider
from ..schooljaren import Schooljaar, huidig_schooljaar
from ..termijnen.kalender import kalender
from ..verzoek import positive_int


@dataclass(frozen=True)
class Peil:
    """The moment the cockpit judges: today, in the current schooljaar (None: none set yet)."""

    schooljaar: Schooljaar | None
    vandaag: date


def peil_nu() -> Peil:
    """Today in the current schooljaar."""
    return Peil(huidig_schooljaar(), date.today())


Loader = Callable[[list[School], Peil], dict[int, object]]


@dataclass(frozen=True)
class Kolom:
    """One column of the cockpit table: a bulk loader and the partial that renders one cell.

    `aandacht` says from a cell's data whether the school needs attention on this point; such a
    column gets a summary card (`kaart`) above the table that filters the table to those schools
    (?toon=<naam>). `lijst` optionally names the app-wide list behind the card (endpoint, text).
    """

    naam: str
    kop: str
    cel: str
    laad: Loader
    volgorde: int = 100
    aandacht: Callable[[object], bool] | None = None
    kaart: str = ""
    lijst: tuple[str, str] | None = None


KOLOMMEN: dict[str, Kolom] = {}


def registreer_kolom(kolom: Kolom) -> None:
    """Add (or replace, on app re-creation) a cockpit column."""
    KOLOMMEN[kolom.naam] = kolom


def kolommen() -> list[Kolom]:
    """The registered columns in table order."""
    return sorted(KOLOMMEN.values(), key=lambda k: (k.volgorde, k.naam))


# --- the standard columns' data ---------------------------------------------------------------

LIJST_STATUS = {
    "ontbreekt": "Ontbreekt",
    "concept": "Concept",
    "wacht_school": "Wacht op akkoord school",
    "wacht_llz": "Wacht op akkoord Leerlingzaken",
    "vastgesteld": "Vastgesteld",
}


@dataclass(frozen=True)
class Lijststand:
    """A school's afsprakenlijst in the current schooljaar: where it stands and its termijn."""

    status: str  # ontbreekt | concept | wacht_school | wacht_llz | vastgesteld
    termijn: Termijnstand
    schooljaar: str
    geldend: bool = False  # a vastgestelde version is in force (the status is of a new concept)

    @property
    def label(self) -> str:
        """Dutch status, naming a new version being worked on beside the one in force."""
        if self.geldend and self.status != "vastgesteld":
            return f"Vastgesteld; nieuwe versie: {LIJST_STATUS[self.status].lower()}"
        return LIJST_STATUS[self.status]

    @property
    def badge(self) -> str:
        """Status badge modifier of the termijn."""
        return self.termijn.badge

    @property
    def termijn_label(self) -> str:
        """Short Dutch description of the termijn."""
        return self.termijn.kort


def lijststand(versies, schooljaar: Schooljaar, normen, vandaag: date) -> Lijststand:
    """Judge one school's versions (rows or records) of the afsprakenlijst."""
    stand = stand_uit(versies)
    termijn = termijnstand(versies, schooljaar, normen, vandaag)
    concept = stand.concept
    if concept is not None:
        if concept.akkoord_llz_op and not concept.akkoord_school_op:
            status = "wacht_school"
        elif concept.akkoord_school_op and not concept.akkoord_llz_op:
            status = "wacht_llz"
        else:
            status = "concept"
    else:
        status = "vastgesteld" if stand.geldend else "ontbreekt"
    return Lijststand(status, termijn, schooljaar.naam, geldend=stand.geldend is not None)


def laad_afsprakenlijsten(scholen: list[School], peil: Peil) -> dict[int, Lijststand]:
    """Each school's afsprakenlijst stand this schooljaar (one query, plain rows)."""
    if peil.schooljaar is None:
        return {}
    normen = normen_voor(peil.schooljaar)
    per_school = defaultdict(list)
    for rij in db.session.execute(
        select(Afsprakenlijst.school_id, Afsprakenlijst.volgnummer, Afsprakenlijst.status,
               Afsprakenlijst.herkomst, Afsprakenlijst.vastgesteld_op,
               Afsprakenlijst.akkoord_llz_op, Afsprakenlijst.akkoord_school_op)
        .where(Afsprakenlijst.school_id.in_([s.id for s in scholen]),
               Afsprakenlijst.schooljaar_id == peil.schooljaar.id)
    ):
        per_school[rij.school_id].append(rij)
    return {
        school.id: lijststand(per_school[school.id], peil.schooljaar, normen, peil.vandaag)
        for school in scholen
    }


@dataclass(frozen=True)
class Lopend:
    """An open escalation with its step's termijn today."""

    escalatie: Escalatie
    bewaking: Bewaking


@dataclass
class Escalatiestatus:
    """A school's open escalations (of any schooljaar: open ones stay until resolved)."""

    open: list[Lopend] = field(default_factory=list)
    eerder: int = 0  # of them opened in an earlier schooljaar

    @property
    def aantal(self) -> int:
        """How many are open."""
        return len(self.open)

    @property
    def te_laat(self) -> int:
        """How many are past their step's termijn."""
        return sum(1 for lopend in self.open if lopend.bewaking.te_laat)


def laad_escalaties(scholen: list[School], peil: Peil) -> dict[int, Escalatiestatus]:
    """Each school's open escalations with their termijn (one query plus the calendar)."""
    agenda = kalender()
    per_school = {school.id: Escalatiestatus() for school in scholen}
    for escalatie in db.session.scalars(
        select(Escalatie)
        .options(lazyload(Escalatie.gebeurtenissen))  # the timeline is not shown here
        .where(Escalatie.school_id.in_(list(per_school)), Escalatie.opgelost_op.is_(None))
        .order_by(Escalatie.stap_sinds, Escalatie.id)
    ):
        status = per_school[escalatie.school_id]
        status.open.append(Lopend(escalatie, bewaking(escalatie, agenda, peil.vandaag)))
        status.eerder += bool(peil.schooljaar and escalatie.schooljaar_id != peil.schooljaar.id)
    return per_school


def laad_rode_knop(scholen: list[School], peil: Peil) -> dict[int, RodeKnop]:
    """Each school's rode knop: the team leader and the school's director (contacts loaded)."""
    leider = teamleider()
    return {s.id: RodeKnop(teamleider=leider, directeur=s.contact(Contactrol.DIRECTEUR))
            for s in scholen}


@dataclass(frozen=True)
class Llzcontact:
    """The LLZ contact person of a school and the substitute."""

    contact: object | None
    vervanger: object | None


def laad_llz(scholen: list[School], peil: Peil) -> dict[int, Llzcontact]:
    """Each school's LLZ contact and substitute (contacts are loaded with the schools)."""
    return {s.id: Llzcontact(s.contact(Contactrol.LLZ_CONTACT),
                             s.contact(Contactrol.LLZ_VERVANGER)) for s in scholen}


def laad_wissels(scholen: list[School], peil: Peil) -> dict[int, Contactwissels]:
    """Each school's planned contact changes and missing warm handovers (one query)."""
    wissels = contactwissels([s.id for s in scholen], peil.vandaag)
    return {s.id: wissels.get(s.id, Contactwissels([], [])) for s in scholen}


def registreer_standaardkolommen() -> None:
    """The columns of issue 9; later capabilities append theirs the same way."""
    registreer_kolom(Kolom(
        naam="llz", kop="Contactpersoon Leerlingzaken", cel="home/cellen/_llz.html",
        laad=laad_llz, volgorde=10, aandacht=lambda d: d.contact is None,
        kaart="Zonder contactpersoon Leerlingzaken"))
    registreer_kolom(Kolom(
        naam="afsprakenlijst", kop="Afsprakenlijst", cel="home/cellen/_afsprakenlijst.html",
        laad=laad_afsprakenlijsten, volgorde=20,
        aandacht=lambda d: d.termijn.code in ("te_laat", "bijna"),
        kaart="Afsprakenlijst te laat of bijna te laat",
        lijst=("afspraken.termijnen", "Alle termijnen van afsprakenlijsten")))
    registreer_kolom(Kolom(
        naam="rode_knop", kop="Rode knop", cel="home/cellen/_rode_knop.html",
        laad=laad_rode_knop, volgorde=30, aandacht=lambda d: bool(d.ontbreekt),
        kaart="Rode knop onvolledig", lijst=("home.beheer", "Beheer: rode knop onvolledig")))
    registreer_kolom(Kolom(
        naam="escalaties", kop="Escalaties", cel="home/cellen/_escalaties.html",
        laad=laad_escalaties, volgorde=40, aandacht=lambda d: d.te_laat > 0,
        kaart="Escalaties over de termijn",
        lijst=("escalatie.overzicht", "Alle open escalaties")))
    registreer_kolom(Kolom(
        naam="contactwissels", kop="Contactwissels", cel="home/cellen/_contactwissels.html",
        laad=laad_wissels, volgorde=50, aandacht=lambda d: bool(d.zonder_overdracht),
        kaart="Warme overdracht ontbreekt"))


# --- the table: filters, rows, cards ----------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """The cockpit's filters from the query string: sector, LLZ contact person, attention point."""

    sector: str = ""
    llz: int | None = None
    toon: str = ""

    def args(self, **override) -> dict:
        """Query-string arguments for a link to this view of the table (with overrides)."""
        values = {"sector": self.sector, "llz": self.llz or "", "toon": self.toon}
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", None)}


FOUT_SECTOR = "Deze sector bestaat niet. Kies een sector uit de lijst."
FOUT_LLZ = "Deze contactpersoon van Leerlingzaken is niet bekend. Kies iemand uit de lijst."
FOUT_TOON = "Dit filter bestaat niet. Kies een van de tellingen boven de tabel."


def lees_filter(args, llz_ids: set[int]) -> tuple[Filter, list[str]]:
    """Read the filters; a value that makes no sense is left out and named in the messages."""
    fouten = []
    sector = args.get("sector", "")
    if sector and sector not in {s.value for s in Sector}:
        fouten.append(FOUT_SECTOR)
        sector = ""
    ruw = args.get("llz", "")
    llz = positive_int(ruw)
    if ruw and llz not in llz_ids:
        fouten.append(FOUT_LLZ)
        llz = None
    toon = args.get("toon", "")
    if toon and not (toon in KOLOMMEN and KOLOMMEN[toon].aandacht):
        fouten.append(FOUT_TOON)
        toon = ""
    return Filter(sector, llz, toon), fouten


def cockpitscholen(sector: str = "", llz: int | None = None) -> list[School]:
    """The active schools (with contacts) of a sector and/or LLZ person, by name (two queries)."""
    query = met_contacten(select(School)).where(School.actief.is_(True))
    if sector:
        query = query.where(School.sector == sector)
    if llz:
        query = query.where(is_llz_contact_clause(llz, School.id))
    return list(db.session.scalars(query.order_by(School.naam, School.code)))


@dataclass
class Rij:
    """One school of the table with the data of every column."""

    school: School
    cellen: dict[str, object]

    def aandacht(self, kolom: Kolom) -> bool:
        """True when the column says this school needs attention."""
        data = self.cellen.get(kolom.naam)
        return data is not None and kolom.aandacht is not None and kolom.aandacht(data)


@dataclass
class Kaart:
    """A summary card: how many schools of the table need attention on one point."""

    kolom: Kolom
    aantal: int


@dataclass
class Tabel:
    """The cockpit table: columns, rows (after the attention filter) and the summary cards."""

    kolommen: list[Kolom]
    rijen: list[Rij]
    kaarten: list[Kaart]
    totaal: int  # schools before the attention filter


def bouw_tabel(scholen: list[School], peil: Peil, toon: str = "",
               geladen: dict | None = None) -> Tabel:
    """Load every column for all schools at once; count the cards; keep `toon`'s schools.

    `geladen`: {loader function: its result for these schools (or more)}, loaded already for
    the same `peil`; those columns are not loaded again.
    """
    lijst = kolommen()
    geladen = geladen or {}
    data = {kolom.naam: geladen[kolom.laad] if kolom.laad in geladen
            else kolom.laad(scholen, peil) for kolom in lijst}
    rijen = [Rij(s, {k.naam: data[k.naam].get(s.id) for k in lijst}) for s in scholen]
    kaarten = [Kaart(k, sum(r.aandacht(k) for r in rijen)) for k in lijst if k.aandacht]
    if toon:
        rijen = [r for r in rijen if r.aandacht(KOLOMMEN[toon])]
    return Tabel(lijst, rijen, kaarten, len(scholen))


def cockpit_context(args) -> tuple[dict, list[str]]:
    """Context of the cockpit page and of its table partial, plus messages on bad filters."""
    personen = llz_contactpersonen()
    filter_, fouten = lees_filter(args, {p.id for p in personen})
    peil = peil_nu()
    scholen = cockpitscholen(filter_.sector, filter_.llz)
    return {
        "filter": filter_,
        "fouten": fouten,
        "tabel": bouw_tabel(scholen, peil, filter_.toon),
        "peil": peil,
        "sectoren": list(Sector),
        "llz_contacten": personen,
        "toon_kolom": KOLOMMEN.get(filter_.toon),
    }, fouten
