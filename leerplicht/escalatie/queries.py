"""Reading routes and escalations in bulk: dossier sections, the school page, the overview."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..scholen.queries import laad_scholen, teamleider
from ..schooljaren import Schooljaar
from ..termijnen.kalender import kalender
from .models import Escalatie, Spoor
from .regels import Bewaking, Route, Telling, bewaking, persoon_voor, routes_voor, tel


@dataclass
class Routeregel:
    """One step of a route with today's people filled in."""

    niveau: int
    stap: object
    llz: object | None
    school: object | None


@dataclass
class Routeweergave:
    """A school's route, resolved to its current contact persons."""

    route: Route
    sporen: dict[str, list[Routeregel]] = field(default_factory=dict)

    @property
    def ontbrekend(self) -> int:
        """How many step roles have no contact person at the school today."""
        return sum(
            (regel.llz is None) + (regel.school is None)
            for regels in self.sporen.values() for regel in regels
        )


def weergave(route: Route, school, leider) -> Routeweergave:
    """Resolve every step's roles to the people who hold them today."""
    return Routeweergave(route, {
        spoor.value: [
            Routeregel(niveau, stap, persoon_voor(stap.llz_rol, school, leider),
                       persoon_voor(stap.school_rol, school, leider))
            for niveau, stap in enumerate(route.spoor(spoor.value), 1)
        ]
        for spoor in Spoor
    })


def route_secties(scholen, schooljaar: Schooljaar | None) -> dict[int, Routeweergave]:
    """Dossier-section loader: each school's resolved route (three queries in all)."""
    routes = routes_voor(scholen, schooljaar)
    leider = teamleider()
    return {school.id: weergave(routes[school.id], school, leider) for school in scholen}


@dataclass
class Escalatiestand:
    """An escalation with its termijn today and the people of its current step."""

    escalatie: Escalatie
    bewaking: Bewaking | None
    llz: object | None = None
    school: object | None = None
    stappen: int = 0  # steps in the route's track: no stepping up beyond the last

    @property
    def laatste_stap(self) -> bool:
        """True when there is no next step to go to."""
        return self.escalatie.niveau >= self.stappen


@dataclass
class Escalatieoverzicht:
    """A school's escalations in a schooljaar: open ones first, and the counts."""

    open: list[Escalatiestand]
    opgelost: list[Escalatiestand]
    telling: Telling


def stand(escalatie: Escalatie, school, leider, agenda, vandaag: date,
          route: Route | None = None) -> Escalatiestand:
    """An escalation with its termijn, the people of its step and its route's length."""
    return Escalatiestand(
        escalatie, bewaking(escalatie, agenda, vandaag),
        persoon_voor(escalatie.stap_llz_rol, school, leider),
        persoon_voor(escalatie.stap_school_rol, school, leider),
        len(route.spoor(escalatie.spoor)) if route else 0,
    )


def laad_escalaties(school_ids, schooljaar_id: int) -> dict[int, list[Escalatie]]:
    """The escalations of a schooljaar per school, newest first (two queries)."""
    per_school = defaultdict(list)
    for escalatie in db.session.scalars(
        select(Escalatie)
        .where(Escalatie.school_id.in_(list(school_ids)), Escalatie.schooljaar_id == schooljaar_id)
        .order_by(Escalatie.geopend_op.desc(), Escalatie.id.desc())
    ):
        per_school[escalatie.school_id].append(escalatie)
    return per_school


def overzichten(scholen, schooljaar: Schooljaar | None, vandaag: date | None = None) -> dict:
    """Dossier-section loader: an Escalatieoverzicht per school id (bounded queries)."""
    if schooljaar is None:
        return {}
    vandaag = vandaag or date.today()
    agenda = kalender()
    leider = teamleider()
    alle = laad_escalaties([s.id for s in scholen], schooljaar.id)
    met_open = [s for s in scholen if any(e.is_open for e in alle.get(s.id, []))]
    routes = routes_voor(met_open, schooljaar)
    result = {}
    for school in scholen:
        standen = [
            stand(e, school, leider, agenda, vandaag, routes.get(school.id))
            for e in alle.get(school.id, [])
        ]
        result[school.id] = Escalatieoverzicht(
            open=[s for s in standen if s.escalatie.is_open],
            opgelost=[s for s in standen if not s.escalatie.is_open],
            telling=tel(alle.get(school.id, []), agenda, vandaag),
        )
    return result


def open_escalaties(school_ids=None, vandaag: date | None = None) -> list[tuple]:
    """All open escalations (of the given schools), most urgent first: (school, stand)."""
    vandaag = vandaag or date.today()
    query = select(Escalatie).where(Escalatie.opgelost_op.is_(None))
    if school_ids is not None:
        query = query.where(Escalatie.school_id.in_(list(school_ids)))
    escalaties = db.session.scalars(query).all()
    scholen = {s.id: s for s in laad_scholen({e.school_id for e in escalaties})}
    agenda = kalender()
    leider = teamleider()
    rijen = []
    for escalatie in escalaties:
        school = scholen[escalatie.school_id]
        rijen.append((school, stand(escalatie, school, leider, agenda, vandaag)))
    rijen.sort(key=lambda r: (r[1].bewaking.werkdagen_over, r[0].naam, r[1].escalatie.id))
    return rijen
