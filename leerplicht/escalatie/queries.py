"""Reading routes and escalations in bulk: dossier sections, the school page, the overview."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..scholen.queries import laad_scholen, teamleider
from ..schooljaren import Schooljaar, huidig_schooljaar
from ..termijnen.kalender import kalender
from .models import Escalatie, Spoor
from .regels import (
    Bewaking,
    Route,
    Telling,
    bewaking,
    opgelost_in,
    persoon_voor,
    routes_voor,
    tel,
)


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


def gedeelde_routes(scholen, schooljaar: Schooljaar | None) -> dict:
    """routes_voor(scholen, schooljaar), made once per dossier build for both sections."""
    from ..scholen.dossier import gedeeld

    sleutel = ("routes_voor", tuple(s.id for s in scholen), schooljaar and schooljaar.id)
    return gedeeld(sleutel, lambda: routes_voor(scholen, schooljaar))


def route_secties(scholen, schooljaar: Schooljaar | None) -> dict[int, Routeweergave]:
    """Dossier-section loader: each school's resolved route (three queries in all)."""
    routes = gedeelde_routes(scholen, schooljaar)
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
    # The name of the escalation's schooljaar when it is not the one the page shows ('' else).
    schooljaar: str = ""

    @property
    def laatste_stap(self) -> bool:
        """True when there is no next step to go to."""
        return self.escalatie.niveau >= self.stappen


@dataclass
class Escalatieoverzicht:
    """A school's escalations on one schooljaar's page: every open one, those resolved in it."""

    open: list[Escalatiestand]
    opgelost: list[Escalatiestand]
    telling: Telling


def stand(escalatie: Escalatie, school, leider, agenda, vandaag: date,
          route: Route | None = None, schooljaar: str = "") -> Escalatiestand:
    """An escalation with its termijn, the people of its step and its route's length."""
    return Escalatiestand(
        escalatie, bewaking(escalatie, agenda, vandaag),
        persoon_voor(escalatie.stap_llz_rol, school, leider),
        persoon_voor(escalatie.stap_school_rol, school, leider),
        len(route.spoor(escalatie.spoor)) if route else 0,
        schooljaar,
    )


def laad_escalaties(school_ids, schooljaar: Schooljaar) -> dict[int, list[tuple[Escalatie, str]]]:
    """What one schooljaar's page counts and shows, per school, newest first (two queries).

    That is every escalation opened in the schooljaar, every one resolved in it, and every one
    still open from it or an earlier schooljaar: an open escalation stays on the page of each
    later schooljaar until it is resolved. Each comes with the name of its own schooljaar.
    """
    opgelost = Escalatie.opgelost_op >= schooljaar.begin
    if not schooljaar.huidig:  # see regels.opgelost_in: the current schooljaar has no end yet
        opgelost = and_(opgelost, Escalatie.opgelost_op <= schooljaar.eind)
    per_school = defaultdict(list)
    for escalatie, naam in db.session.execute(
        select(Escalatie, Schooljaar.naam)
        .join(Schooljaar, Schooljaar.id == Escalatie.schooljaar_id)
        .where(
            Escalatie.school_id.in_(list(school_ids)),
            or_(
                Escalatie.schooljaar_id == schooljaar.id,
                opgelost,
                and_(Escalatie.opgelost_op.is_(None), Schooljaar.begin <= schooljaar.begin),
            ),
        )
        .order_by(Escalatie.geopend_op.desc(), Escalatie.id.desc())
    ):
        per_school[escalatie.school_id].append((escalatie, naam))
    return per_school


def overzichten(scholen, schooljaar: Schooljaar | None, vandaag: date | None = None) -> dict:
    """Dossier-section loader: an Escalatieoverzicht per school id (bounded queries)."""
    if schooljaar is None:
        return {}
    vandaag = vandaag or date.today()
    agenda = kalender()
    leider = teamleider()
    alle = laad_escalaties([s.id for s in scholen], schooljaar)
    met_open = [s for s in scholen if any(e.is_open for e, _ in alle.get(s.id, []))]
    # An open escalation steps up along the route of the current schooljaar, also when an
    # earlier one is shown: its "stap 2 van 3" counts that route's steps.
    routes = {}
    if met_open and schooljaar.huidig:  # in the dossier: the route section's, no query
        alle_routes = gedeelde_routes(scholen, schooljaar)
        routes = {s.id: alle_routes[s.id] for s in met_open}
    elif met_open:
        routes = routes_voor(met_open, huidig_schooljaar())
    result = {}
    for school in scholen:
        rijen = alle.get(school.id, [])
        standen = [
            stand(e, school, leider, agenda, vandaag, routes.get(school.id),
                  "" if e.schooljaar_id == schooljaar.id else naam)
            for e, naam in rijen
        ]
        result[school.id] = Escalatieoverzicht(
            open=[s for s in standen if s.escalatie.is_open],
            opgelost=[s for s in standen if opgelost_in(s.escalatie, schooljaar)],
            telling=tel([e for e, _ in rijen], schooljaar, agenda, vandaag),
        )
    return result


def open_escalaties(school_ids=None, vandaag: date | None = None) -> list[tuple]:
    """All open escalations (of the given schools), most urgent first: (school, stand).

    Each stand names its schooljaar when that is not the current one.
    """
    vandaag = vandaag or date.today()
    query = (
        select(Escalatie, Schooljaar.naam, Schooljaar.huidig)
        .join(Schooljaar, Schooljaar.id == Escalatie.schooljaar_id)
        .where(Escalatie.opgelost_op.is_(None))
    )
    if school_ids is not None:
        query = query.where(Escalatie.school_id.in_(list(school_ids)))
    escalaties = db.session.execute(query).all()
    scholen = {s.id: s for s in laad_scholen({e.school_id for e, _, _ in escalaties})}
    agenda = kalender()
    leider = teamleider()
    rijen = []
    for escalatie, naam, huidig in escalaties:
        school = scholen[escalatie.school_id]
        rijen.append((school, stand(escalatie, school, leider, agenda, vandaag,
                                    schooljaar="" if huidig else naam)))
    rijen.sort(key=lambda r: (r[1].bewaking.werkdagen_over, r[0].naam, r[1].escalatie.id))
    return rijen


def aantal_open_escalaties() -> int:
    """How many escalations are open, of every school and schooljaar."""
    return db.session.scalar(
        select(func.count(Escalatie.id)).where(Escalatie.opgelost_op.is_(None))
    )


@dataclass
class Escalatietelling:
    """A school's escalations opened in a schooljaar: opened and resolved per track, and the
    durations of the resolved ones in calendar days ({days: count}, both tracks)."""

    geopend: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    opgelost: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    duur: Counter = field(default_factory=Counter)

    def voeg_toe(self, ander: "Escalatietelling") -> None:
        """Add another school's counts (sector fold; the histogram merges exactly)."""
        for spoor in Spoor:
            self.geopend[spoor] += ander.geopend[spoor]
            self.opgelost[spoor] += ander.opgelost[spoor]
        self.duur.update(ander.duur)

    @property
    def totaal_geopend(self) -> int:
        """Opened, both tracks."""
        return sum(self.geopend.values())

    @property
    def totaal_opgelost(self) -> int:
        """Resolved, both tracks."""
        return sum(self.opgelost.values())


def escalatietellingen(school_ids, schooljaar: Schooljaar,
                       peildatum: date | None = None) -> dict[int, Escalatietelling]:
    """Per school: the escalations opened in the schooljaar, counted per track (one grouped
    query; the durations are worked out from the grouped dates, the same on every database).

    An escalation resolved after `peildatum` still counts as open (a finished schooljaar's
    figures stay what they were on its last day)."""
    uitkomst: dict[int, Escalatietelling] = defaultdict(Escalatietelling)
    for school_id, spoor, geopend_op, opgelost_op, aantal in db.session.execute(
        select(Escalatie.school_id, Escalatie.spoor, Escalatie.geopend_op, Escalatie.opgelost_op,
               func.count())
        .where(Escalatie.schooljaar_id == schooljaar.id,
               Escalatie.school_id.in_(list(school_ids)))
        .group_by(Escalatie.school_id, Escalatie.spoor, Escalatie.geopend_op,
                  Escalatie.opgelost_op)
    ):
        telling = uitkomst[school_id]
        telling.geopend[spoor] += aantal
        if opgelost_op is not None and (peildatum is None or opgelost_op <= peildatum):
            telling.opgelost[spoor] += aantal
            telling.duur[(opgelost_op - geopend_op).days] += aantal
    return dict(uitkomst)
