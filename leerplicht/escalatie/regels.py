"""Rules of escalatieroutes and escalations: which route applies, who to call, stepping up,
resolving, and when a step is past its termijn in werkdagen."""

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

from ..extensions import db
from ..regelfout import Regelfout
from ..scholen.models import Contactrol, Kant
from ..schooljaren import Schooljaar
from ..werkdagen import Werkdagkalender
from .models import Escalatie, Escalatiegebeurtenis, Routerol, Routestap, Spoor, Stapweergave

CONTENT = Path(__file__).resolve().parent.parent.parent / "content" / "escalatieroutes.toml"


@dataclass(frozen=True)
class Stapsjabloon(Stapweergave):
    """A step of the default route from content/escalatieroutes.toml (not in the database)."""

    spoor: str
    positie: int
    llz_rol: str
    school_rol: str
    wijze: str
    termijn_werkdagen: int
    toelichting: str
    id: None = None


@cache
def content_routes(pad: Path = CONTENT) -> dict[str, dict[str, tuple[Stapsjabloon, ...]]]:
    """The default routes of the content file per sector ('standaard' for the rest)."""
    data = tomllib.loads(pad.read_text(encoding="utf-8"))
    routes = {}
    for sector, sporen in data.items():
        routes[sector] = {}
        for spoor in Spoor:
            stappen = []
            for positie, ruw in enumerate(sporen.get(spoor.value, [])):
                stap = Stapsjabloon(
                    spoor=spoor.value, positie=positie, llz_rol=ruw["llz_rol"],
                    school_rol=ruw["school_rol"], wijze=ruw["wijze"],
                    termijn_werkdagen=int(ruw["termijn_werkdagen"]),
                    toelichting=ruw.get("toelichting", ""),
                )
                # Fail loudly on a typo in the file rather than at the first dossier view.
                if (stap.llz_rol_enum.kant != Kant.LLZ or stap.school_rol_enum.kant != Kant.SCHOOL
                        or stap.termijn_werkdagen < 1):
                    raise ValueError(f"{pad}: stap {positie + 1} van {sector}.{spoor} klopt niet")
                stap.wijze_enum  # noqa: B018 - raises ValueError for an unknown wijze
                stappen.append(stap)
            routes[sector][spoor.value] = tuple(stappen)
    # A sector names only the tracks that differ; the others follow the general default.
    for sporen in routes.values():
        for spoor in Spoor:
            if not sporen[spoor.value]:
                sporen[spoor.value] = routes["standaard"][spoor.value]
    return routes


@dataclass
class Route:
    """The steps that apply to a school (or a sector), per track, and where they come from."""

    stappen: dict[str, list] = field(default_factory=dict)
    bron: str = "content"  # school | sector | content

    def spoor(self, spoor: str) -> list:
        """The ordered steps of one track."""
        return self.stappen.get(spoor, [])

    @property
    def eigen(self) -> bool:
        """True when the school adapted the route for this schooljaar."""
        return self.bron == "school"


def _groepeer(rows) -> dict[str, list]:
    """Steps per track, ordered by position."""
    per_spoor = defaultdict(list)
    for stap in sorted(rows, key=lambda s: (s.positie, s.id or 0)):
        per_spoor[stap.spoor].append(stap)
    return {spoor.value: per_spoor.get(spoor.value, []) for spoor in Spoor}


def sectorroutes(sectoren) -> dict[str, Route]:
    """The default route of each sector: the beheerder's version, else the content file's."""
    sectoren = set(sectoren)
    rows = db.session.scalars(
        select(Routestap).where(Routestap.sector.in_(sectoren), Routestap.school_id.is_(None))
    ).all()
    per_sector = defaultdict(list)
    for stap in rows:
        per_sector[stap.sector].append(stap)
    content = content_routes()
    result = {}
    for sector in sectoren:
        if per_sector.get(sector):
            result[sector] = Route(_groepeer(per_sector[sector]), "sector")
        else:
            sjabloon = content.get(sector) or content["standaard"]
            result[sector] = Route({s: list(v) for s, v in sjabloon.items()}, "content")
    return result


def routes_voor(scholen, schooljaar: Schooljaar | None) -> dict[int, Route]:
    """The route that applies to each school this schooljaar (two queries in all)."""
    eigen = defaultdict(list)
    if schooljaar is not None and scholen:
        for stap in db.session.scalars(
            select(Routestap).where(
                Routestap.school_id.in_([s.id for s in scholen]),
                Routestap.schooljaar_id == schooljaar.id,
            )
        ):
            eigen[stap.school_id].append(stap)
    sectoren = sectorroutes({s.sector for s in scholen if not eigen.get(s.id)})
    return {
        school.id: Route(_groepeer(eigen[school.id]), "school") if eigen.get(school.id)
        else sectoren[school.sector]
        for school in scholen
    }


def persoon_voor(rol: str, school, teamleider):
    """The contact person who holds a route role at the school today (None when missing)."""
    if rol == Routerol.TEAMLEIDER:
        return teamleider
    return school.contact(Contactrol(rol))


def neem_over(route: Route, **eigenaar) -> list[Routestap]:
    """Copy a route into new steps owned by a school+schooljaar or a sector (not committed)."""
    nieuw = []
    for spoor in Spoor:
        for positie, stap in enumerate(route.spoor(spoor.value)):
            nieuw.append(Routestap(
                spoor=spoor.value, positie=positie, llz_rol=stap.llz_rol,
                school_rol=stap.school_rol, wijze=stap.wijze,
                termijn_werkdagen=stap.termijn_werkdagen, toelichting=stap.toelichting,
                **eigenaar,
            ))
    db.session.add_all(nieuw)
    return nieuw


def verleng_routes(van: Schooljaar, naar: Schooljaar) -> int:
    """Carry every school's own route of `van` into `naar`; schools that have one skip."""
    al = set(db.session.scalars(
        select(Routestap.school_id).where(Routestap.schooljaar_id == naar.id)
    ))
    rows = db.session.scalars(
        select(Routestap).where(Routestap.schooljaar_id == van.id)
    ).all()
    per_school = defaultdict(list)
    for stap in rows:
        if stap.school_id not in al:
            per_school[stap.school_id].append(stap)
    for school_id, stappen in per_school.items():
        neem_over(Route(_groepeer(stappen), "school"), school_id=school_id,
                  schooljaar_id=naar.id)
    return len(per_school)


def te_verlengen_routes(van: Schooljaar, naar_id: int | None) -> int:
    """How many schools' own routes verleng_routes would carry from `van` into `naar_id`."""
    query = select(func.count(func.distinct(Routestap.school_id))).where(
        Routestap.schooljaar_id == van.id
    )
    if naar_id is not None:
        query = query.where(Routestap.school_id.not_in(
            select(Routestap.school_id).where(Routestap.schooljaar_id == naar_id)
        ))
    return db.session.scalar(query)


# --- the escalation log ------------------------------------------------------------------------


def open_escalatie(
    school, schooljaar: Schooljaar, route: Route, spoor: str, onderwerp: str, datum: date,
    door_naam: str, door_kant: str,
) -> Escalatie:
    """Open an escalation at the first step of the school's route for the track."""
    stappen = route.spoor(spoor)
    if not stappen:
        raise Regelfout("De escalatieroute heeft voor dit spoor nog geen stappen.")
    eerste = stappen[0]
    escalatie = Escalatie(
        school_id=school.id, schooljaar_id=schooljaar.id, spoor=spoor, onderwerp=onderwerp,
        geopend_op=datum, geopend_door_naam=door_naam, geopend_door_kant=door_kant,
        niveau=1, stap_sinds=datum, stap_termijn=eerste.termijn_werkdagen,
        stap_llz_rol=eerste.llz_rol, stap_school_rol=eerste.school_rol,
    )
    escalatie.gebeurtenissen.append(
        Escalatiegebeurtenis(soort="geopend", datum=datum, niveau=1, door_naam=door_naam)
    )
    db.session.add(escalatie)
    return escalatie


def _controleer_datum(escalatie: Escalatie, datum: date, vandaag: date) -> None:
    """An action is dated between the start of the current step and today."""
    if not escalatie.is_open:
        raise Regelfout("Deze escalatie is al opgelost.")
    if datum > vandaag:
        raise Regelfout("De datum ligt in de toekomst.")
    if datum < escalatie.stap_sinds:
        raise Regelfout(
            f"De datum ligt vóór het begin van de huidige stap ({escalatie.stap_sinds:%d-%m-%Y})."
        )


def schaal_op(
    escalatie: Escalatie, route: Route, datum: date, door_naam: str, toelichting: str,
    vandaag: date,
) -> Escalatie:
    """Move the escalation to the next step of the route."""
    _controleer_datum(escalatie, datum, vandaag)
    stappen = route.spoor(escalatie.spoor)
    if escalatie.niveau >= len(stappen):
        raise Regelfout(
            "Dit is de laatste stap van de route. Komen LLZ en school er bij spoed niet uit, "
            "gebruik dan de rode knop."
        )
    volgende = stappen[escalatie.niveau]
    escalatie.niveau += 1
    escalatie.stap_sinds = datum
    escalatie.stap_termijn = volgende.termijn_werkdagen
    escalatie.stap_llz_rol, escalatie.stap_school_rol = volgende.llz_rol, volgende.school_rol
    escalatie.gebeurtenissen.append(Escalatiegebeurtenis(
        soort="opgeschaald", datum=datum, niveau=escalatie.niveau, door_naam=door_naam,
        toelichting=toelichting,
    ))
    return escalatie


def los_op(
    escalatie: Escalatie, datum: date, uitkomst: str, door_naam: str, vandaag: date
) -> Escalatie:
    """Close the escalation with its outcome."""
    _controleer_datum(escalatie, datum, vandaag)
    escalatie.opgelost_op = datum
    escalatie.uitkomst = uitkomst
    escalatie.gebeurtenissen.append(Escalatiegebeurtenis(
        soort="opgelost", datum=datum, niveau=escalatie.niveau, door_naam=door_naam,
        toelichting=uitkomst,
    ))
    return escalatie


@dataclass(frozen=True)
class Bewaking:
    """Where the current step of an open escalation stands against its termijn."""

    uiterlijk: date  # the last werkdag of the step's termijn
    werkdagen_over: int  # negative: werkdagen past the termijn

    @property
    def te_laat(self) -> bool:
        """True once the termijn has passed without stepping up or resolving."""
        return self.werkdagen_over < 0


def bewaking(escalatie: Escalatie, kalender: Werkdagkalender, vandaag: date) -> Bewaking | None:
    """The termijn of the current step (None once resolved)."""
    if not escalatie.is_open:
        return None
    uiterlijk = kalender.plus_werkdagen(escalatie.stap_sinds, escalatie.stap_termijn)
    return Bewaking(uiterlijk, kalender.werkdagen_tussen(vandaag, uiterlijk))


@dataclass
class Telling:
    """A school's escalations as one schooljaar's page counts them.

    `geopend` and `per_spoor` count the escalations opened in the schooljaar, `opgelost` those
    resolved in it; `open` and `te_laat` count every escalation still open, whatever the
    schooljaar it was opened in (`eerder` of them come from an earlier schooljaar).
    """

    geopend: int = 0
    opgelost: int = 0
    open: int = 0
    te_laat: int = 0
    eerder: int = 0
    per_spoor: dict[str, int] = field(default_factory=dict)


def opgelost_in(escalatie: Escalatie, schooljaar: Schooljaar) -> bool:
    """True when the escalation was resolved in the schooljaar (by the date it was resolved).

    The current schooljaar has no end yet: what is resolved before the next one is opened (in
    early August, say) stays listed under it instead of under a schooljaar nobody opened.
    """
    if escalatie.opgelost_op is None or escalatie.opgelost_op < schooljaar.begin:
        return False
    return schooljaar.huidig or escalatie.opgelost_op <= schooljaar.eind


def tel(escalaties, schooljaar: Schooljaar, kalender: Werkdagkalender, vandaag: date) -> Telling:
    """Count a school's escalations for one schooljaar's page (see Telling)."""
    telling = Telling(per_spoor={s.value: 0 for s in Spoor})
    for escalatie in escalaties:
        if escalatie.schooljaar_id == schooljaar.id:
            telling.geopend += 1
            telling.per_spoor[escalatie.spoor] += 1
        if escalatie.is_open:
            telling.open += 1
            telling.eerder += escalatie.schooljaar_id != schooljaar.id
            stand = bewaking(escalatie, kalender, vandaag)
            telling.te_laat += bool(stand and stand.te_laat)
        elif opgelost_in(escalatie, schooljaar):
            telling.opgelost += 1
    return telling
