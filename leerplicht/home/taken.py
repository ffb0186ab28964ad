"""What needs the user today: the LLZ contact person's and the school's start pages."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select

from ..accounts.models import gebruiker_school
from ..cyclus.evaluatie import in_te_vullen
from ..cyclus.queries import voortgang_per_school
from ..cyclus.regels import peildatum
from ..extensions import db
from ..policy import is_llz_editor_clause
from ..scholen.models import Contactrol, Kant, School
from ..scholen.queries import laad_scholen, met_contacten
from ..termijnen.kalender import kalender
from ..termijnen.openstaand import open_stappen
from . import cockpit
from .cockpit import (
    Peil,
    bouw_tabel,
    laad_afsprakenlijsten,
    laad_escalaties,
    laad_wissels,
)

# Each group on the LLZ page shows at most this many items, then links to the full list: the
# page stays small for a contact person with many schools.
MAX_PER_GROEP = 15

# The "Mijn scholen" table of the LLZ page shows at most this many schools (those that need the
# most attention first) and links to the school list filtered on the person for all of them.
MAX_SCHOLEN = 10

# The school-side roles a school fills in itself; a missing one is asked of the school.
SCHOOLROLLEN = (Contactrol.SCHOOL_CONTACT, Contactrol.SCHOOL_VERVANGER, Contactrol.DIRECTEUR)


@dataclass(frozen=True)
class Taak:
    """One thing to do, with the link to where it is done."""

    tekst: str
    school: School
    href: str
    uiterlijk: date | None = None
    badge: str = ""  # status badge modifier (invalid: te laat, warning: bijna)
    badge_tekst: str = ""


@dataclass
class Groep:
    """A titled group of tasks, cut off at MAX_PER_GROEP with a link to the rest."""

    naam: str
    titel: str
    taken: list[Taak] = field(default_factory=list)
    meer: tuple[str, str] | None = None  # (href, text) of the full list
    niet_gemaakt: int = 0  # tasks counted but never built (beyond what the page shows)
    telling: Counter | None = None  # tasks per school id, built or not (when some are not)

    def per_school(self) -> Counter:
        """How many tasks each school has in this group."""
        return self.telling or Counter(taak.school.id for taak in self.taken)

    @property
    def aantal(self) -> int:
        """How many tasks the group has in all."""
        return len(self.taken) + self.niet_gemaakt

    @property
    def getoond(self) -> list[Taak]:
        """The tasks shown on the page."""
        return self.taken[:MAX_PER_GROEP]

    @property
    def verborgen(self) -> int:
        """How many tasks are not shown."""
        return max(0, self.aantal - MAX_PER_GROEP)


def einde_week(dag: date) -> date:
    """The Sunday that ends the week of `dag`."""
    return dag + timedelta(days=6 - dag.weekday())


def _escalatie_href(school: School, escalatie) -> str:
    """The escalation's card in the school's log."""
    return url_for("escalatie.log", code=school.code, _anchor=f"escalatie-{escalatie.id}")


def _lijst_href(school: School, akkoord: bool = False) -> str:
    """The school's afsprakenlijst (at the akkoord block when an akkoord is asked)."""
    return url_for("afspraken.lijst", code=school.code, _anchor="akkoord-blok" if akkoord else None)


def _termijntaak(stap, school: School, vandaag: date, agenda) -> Taak:
    """A register step as a task: late ones with the werkdagen over, aanvullen with its end."""
    tekst = stap.tekst
    if stap.verlopen(vandaag):
        over = stap.werkdagen_over(vandaag, agenda)
        return Taak(tekst, school, stap.href(school.code), stap.uiterlijk, "invalid",
                    f"{over} {'werkdag' if over == 1 else 'werkdagen'} te laat")
    if stap.stap.value == "aanvullen":
        tekst += f"; na {stap.uiterlijk:%d-%m-%Y} geldt ze als niet verzonden"
    return Taak(tekst, school, stap.href(school.code), stap.uiterlijk)


def evaluatie_taken(scholen: list[School], peil: Peil, kant: Kant,
                    tot: date | None = None) -> list[Taak]:
    """'Vul uw kant van de evaluatie in' for each evaluation held or due by `tot` (default:
    today) where the side still has themes to score (cyclus.evaluatie.in_te_vullen)."""
    if peil.schooljaar is None or not scholen:
        return []
    per_id = {s.id: s for s in scholen}
    llz = kant == Kant.LLZ
    return [
        Taak("Vul uw kant van de evaluatie in", per_id[e.school_id],
             url_for("cyclus.evaluatie_pagina", code=per_id[e.school_id].code,
                     _anchor="evaluatie-zacht"),
             e.gepland_op, "warning" if llz else "", "Evaluatie" if llz else "")
        for e in in_te_vullen(list(per_id), peil.schooljaar, tot or peil.vandaag, kant.value)
    ]


def termijnen_groep(scholen: list[School], peil: Peil, tot: date | None = None,
                    maximum: int | None = None) -> Groep:
    """The register steps LLZ owes the schools and has let pass their deadline (3 queries);
    with `tot`, also those due by that day (the e-mail digest). With `maximum`, only that many
    tasks are built (the start page shows no more); the rest are only counted."""
    groep = Groep("termijnen", "Termijnen over de datum",
                  meer=(url_for("termijnen.cijfers"), "Alle termijnen van de registers"))
    per_school = open_stappen([s.id for s in scholen], peil.vandaag, kant=Kant.LLZ,
                              alleen_verlopen=tot is None)
    stappen = [(stap, school) for school in scholen for stap in per_school[school.id]
               if tot is None or stap.uiterlijk <= tot]
    stappen.sort(key=lambda paar: (paar[0].uiterlijk, paar[1].naam))  # stable: as built before
    if maximum is not None and len(stappen) > maximum:
        groep.telling = Counter(school.id for _stap, school in stappen)
        groep.niet_gemaakt = len(stappen) - maximum
        stappen = stappen[:maximum]
    agenda = kalender()
    groep.taken = [_termijntaak(stap, school, peil.vandaag, agenda) for stap, school in stappen]
    return groep


def aanwezigheid_groep(scholen: list[School], peil: Peil) -> Groep:
    """The schools where LLZ's presence is behind the sector norm, pro rata (one query)."""
    groep = Groep("aanwezigheid", "Aanwezigheid achter op de norm")
    if peil.schooljaar is None:
        return groep
    standen = voortgang_per_school(scholen, peil.schooljaar,
                                   peildatum(peil.schooljaar, peil.vandaag))
    groep.taken = [
        Taak(standen[s.id].tekst, s, url_for("cyclus.bezoek_overzicht", code=s.code),
             badge="invalid", badge_tekst="Achter op de norm")
        for s in scholen if standen[s.id].achter
    ]
    return groep


def llz_taken(scholen: list[School], peil: Peil, maximum: int | None = None,
              geladen: dict | None = None) -> list[Groep]:
    """The LLZ contact person's groups: overdue, awaiting their akkoord, this week, handovers.

    `maximum`: build at most that many register-step tasks (the start page; see
    termijnen_groep); the e-mail digest passes none and gets them all. `geladen`, when given,
    receives what was loaded, by loader function (for cockpit.bouw_tabel's `geladen`).
    """
    lijsten = laad_afsprakenlijsten(scholen, peil)
    escalaties = laad_escalaties(scholen, peil)
    wissels = laad_wissels(scholen, peil)
    if geladen is not None:
        geladen.update({laad_afsprakenlijsten: lijsten, laad_escalaties: escalaties,
                        laad_wissels: wissels})
    week = einde_week(peil.vandaag)
    te_laat = Groep("te_laat", "Over de termijn",
                    meer=(url_for("escalatie.overzicht", mijn=1), "Al mijn open escalaties"))
    akkoord = Groep("akkoord", "Wacht op uw akkoord")
    deze_week = Groep("deze_week", "Deze week")
    overdracht = Groep("overdracht", "Warme overdracht nog vastleggen")
    for school in scholen:
        for lopend in escalaties[school.id].open:
            e, termijn = lopend.escalatie, lopend.bewaking
            tekst = f"Escalatie ‘{e.onderwerp}’ (stap {e.niveau})"
            if termijn.te_laat:
                te_laat.taken.append(Taak(tekst, school, _escalatie_href(school, e),
                                          termijn.uiterlijk, "invalid", "Te laat"))
            elif termijn.uiterlijk <= week:
                deze_week.taken.append(Taak(tekst, school, _escalatie_href(school, e),
                                            termijn.uiterlijk, "warning", "Deze week"))
        lijst = lijsten.get(school.id)
        if lijst is not None:
            naam = f"Afsprakenlijst {lijst.schooljaar}"
            if lijst.termijn.code == "te_laat":
                te_laat.taken.append(Taak(f"{naam} is nog niet vastgesteld", school,
                                          _lijst_href(school), lijst.termijn.deadline,
                                          "invalid", "Te laat"))
            elif not lijst.termijn.afgerond and lijst.termijn.deadline <= week:
                deze_week.taken.append(Taak(f"{naam} vaststellen", school, _lijst_href(school),
                                            lijst.termijn.deadline, "warning", "Deze week"))
            if lijst.status == "wacht_llz":
                akkoord.taken.append(Taak(f"{naam}: de school heeft akkoord gegeven", school,
                                          _lijst_href(school, akkoord=True)))
        for toewijzing in wissels[school.id].zonder_overdracht:
            overdracht.taken.append(Taak(
                f"{toewijzing.rol_enum.label}: {toewijzing.contactpersoon.naam} "
                f"(per {toewijzing.vanaf:%d-%m-%Y})", school,
                url_for("contacten.overdracht", code=school.code, toewijzing_id=toewijzing.id)))
    deze_week.taken += evaluatie_taken(scholen, peil, Kant.LLZ)
    for groep in (te_laat, deze_week):
        groep.taken.sort(key=lambda t: (t.uiterlijk or peil.vandaag, t.school.naam))
    return [te_laat, termijnen_groep(scholen, peil, maximum=maximum), akkoord, deze_week,
            overdracht,
            aanwezigheid_groep(scholen, peil)]


def llz_scholen(user, met_contacten_geladen: bool = True) -> list[School]:
    """The active schools the user is LLZ contact or vervanger of (none without a person),
    by name; with their current contacts loaded unless `met_contacten_geladen` is False."""
    if not user.contactpersoon_id:
        return []
    query = select(School)
    if met_contacten_geladen:
        query = met_contacten(query)
    return list(db.session.scalars(
        query.where(School.actief.is_(True), is_llz_editor_clause(user, School.id))
        .order_by(School.naam, School.code)
    ))


def llz_context(user) -> dict:
    """Context of the LLZ start page: today's tasks, then some of the user's schools as in the
    cockpit (those with the most tasks) and a link to all of them in the school list.

    The tasks are judged for all the user's schools (plain school rows, no contacts); the table
    and its columns are loaded for at most MAX_SCHOLEN schools, so its size and cost stay the
    same however many schools the person has.
    """
    peil = cockpit.peil_nu()  # read through the module, so a test can fix today
    scholen = llz_scholen(user, met_contacten_geladen=False)
    geladen = {}  # the tasks' loaded columns, for all schools: the table reuses them
    groepen = llz_taken(scholen, peil, MAX_PER_GROEP, geladen) if scholen else []
    gekozen = tabelscholen(scholen, groepen, MAX_SCHOLEN)
    tabel = bouw_tabel(laad_scholen(gekozen), peil, geladen=geladen)
    tabel.totaal = len(scholen)
    return {
        "peil": peil,
        "groepen": groepen,
        "tabel": tabel,
        "gekoppeld": bool(user.contactpersoon_id),
        "alle_scholen": url_for("scholen.lijst", llz=user.contactpersoon_id)
        if user.contactpersoon_id else url_for("scholen.lijst"),
    }


def tabelscholen(scholen: list[School], groepen: list[Groep], maximum: int) -> list[int]:
    """Ids of at most `maximum` of `scholen` for the table: most tasks first, then name order."""
    if len(scholen) <= maximum:
        return [s.id for s in scholen]
    taken = Counter()
    for groep in groepen:
        taken.update(groep.per_school())
    volgorde = sorted(range(len(scholen)), key=lambda i: (-taken[scholen[i].id], i))
    return [scholen[i].id for i in sorted(volgorde[:maximum])]


@dataclass
class Schoolstart:
    """One school on its own user's start page: what is asked of it, and its cards."""

    school: School
    taken: list[Taak]
    lijst: object | None
    escalaties: object
    contacten: list
    llz_termijnen: list = field(default_factory=list)  # register steps LLZ owes the school


def school_taken(school: School, lijst, escalaties, wissels) -> list[Taak]:
    """What is awaited from the school: its akkoord, open escalations, missing contacts."""
    taken = []
    if lijst is not None and lijst.status == "wacht_school":
        taken.append(Taak(f"Uw akkoord wordt gevraagd op de afsprakenlijst {lijst.schooljaar}",
                          school, _lijst_href(school, akkoord=True)))
    for lopend in escalaties.open:
        e, termijn = lopend.escalatie, lopend.bewaking
        taken.append(Taak(
            f"Escalatie ‘{e.onderwerp}’ loopt (stap {e.niveau}): overleg met Leerlingzaken",
            school, _escalatie_href(school, e), termijn.uiterlijk,
            "invalid" if termijn.te_laat else "", "Te laat" if termijn.te_laat else ""))
    for rol in SCHOOLROLLEN:
        if school.contact(rol) is None:
            taken.append(Taak(f"Geef door wie de {rol.label.lower()} is", school,
                              url_for("contacten.wijzigen", code=school.code, rol=rol.value)))
    for toewijzing in wissels.zonder_overdracht:
        if toewijzing.rol_enum.kant.value == "school":
            taken.append(Taak(
                f"Leg de warme overdracht vast van {toewijzing.contactpersoon.naam} "
                f"({toewijzing.rol_enum.label.lower()})", school,
                url_for("contacten.overdracht", code=school.code, toewijzing_id=toewijzing.id)))
    return taken


def school_context(user, peil: Peil | None = None) -> dict:
    """Context of a school user's start page: only the user's own schools, ever."""
    # Read through the module, so a test can fix today; the e-mail digest passes its own day.
    peil = peil or cockpit.peil_nu()
    eigen = select(gebruiker_school.c.school_id).where(gebruiker_school.c.gebruiker_id == user.id)
    scholen = list(db.session.scalars(
        met_contacten(select(School)).where(School.id.in_(eigen))
        .order_by(School.naam, School.code)
    ))
    lijsten = laad_afsprakenlijsten(scholen, peil)
    escalaties = laad_escalaties(scholen, peil)
    wissels = laad_wissels(scholen, peil)
    termijnen = open_stappen([s.id for s in scholen], peil.vandaag)
    agenda = kalender()
    starts = [
        Schoolstart(
            school=s,
            taken=school_taken(s, lijsten.get(s.id), escalaties[s.id], wissels[s.id]),
            lijst=lijsten.get(s.id),
            escalaties=escalaties[s.id],
            contacten=[(rol, s.contact(rol)) for rol in Contactrol],
        )
        for s in scholen
    ]
    for start in starts:
        for stap in termijnen[start.school.id]:
            if stap.kant == Kant.LLZ:
                start.llz_termijnen.append(_termijntaak(stap, start.school, peil.vandaag, agenda))
            elif not (stap.stap.value == "aanvullen" and stap.verlopen(peil.vandaag)):
                # A melding not completed in time counts as not sent: nothing left to do.
                start.taken.append(_termijntaak(stap, start.school, peil.vandaag, agenda))
    evaluatie = evaluatie_taken(scholen, peil, Kant.SCHOOL)
    for start in starts:
        start.taken += [t for t in evaluatie if t.school.id == start.school.id]
    return {"peil": peil, "scholen": starts,
            "aantal_taken": sum(len(s.taken) for s in starts)}
