"""Demo escalations: a few open (one past its termijn), a resolved one, and one adapted route."""

from datetime import date, timedelta

from ..extensions import db
from ..scholen.models import Contactrol
from ..scholen.queries import laad_scholen
from ..schooljaren import Schooljaar
from ..termijnen.kalender import kalender
from .regels import los_op, neem_over, open_escalatie, routes_voor, schaal_op

# (school index, spoor, onderwerp, werkdagen ago, steps up, resolved after werkdagen, side
# whose contact person opens it)
SCENARIOS = (
    (0, "inhoud", "Terugkoppeling op een verzuimmelding blijft uit", 3, 0, None, "school"),
    (5, "inhoud", "Onduidelijk wie een langdurig verzuim oppakt", 14, 1, None, "llz"),
    (5, "samenwerking", "Vaste belmomenten worden vaak gemist", 30, 0, 8, "llz"),
    (7, "samenwerking", "Contactpersoon school wisselt zonder overdracht", 12, 0, None, "llz"),
    (9, "inhoud", "Melding teruggestuurd, aanvulling blijft uit", 20, 1, 12, "school"),
)


def vul_escalaties(school_ids: list[int], schooljaar: Schooljaar, vandaag: date) -> int:
    """Open, step up and resolve the demo escalations through the real rules."""
    agenda = kalender()
    scholen = {s.id: s for s in laad_scholen(school_ids[:12])}
    # Zeevliet College adapted its route: the JES is the first step.
    college = scholen.get(school_ids[5]) if len(school_ids) > 5 else None
    if college is not None:
        eigen = neem_over(routes_voor([college], schooljaar)[college.id],
                          school_id=college.id, schooljaar_id=schooljaar.id)
        eigen[0].toelichting = "Eerst bespreken in het JES van de eerstvolgende week."
        db.session.flush()
    aantal = 0
    for index, spoor, onderwerp, geleden, op, opgelost, kant in SCENARIOS:
        if index >= len(school_ids) or school_ids[index] not in scholen:
            continue
        school = scholen[school_ids[index]]
        door = _demopersoon(school, kant)
        if door is None:
            continue
        route = routes_voor([school], schooljaar)[school.id]
        begin = _werkdagen_terug(agenda, vandaag, geleden)
        if begin < schooljaar.begin:
            continue
        escalatie = open_escalatie(school, schooljaar, route, spoor, onderwerp, begin,
                                   door.naam, door.kant)
        dag = begin
        for _ in range(op):
            dag = agenda.plus_werkdagen(dag, escalatie.stap_termijn)
            if dag <= vandaag:
                schaal_op(escalatie, route, dag, door.naam, "Termijn verstreken.", vandaag)
        if opgelost is not None:
            klaar = min(agenda.plus_werkdagen(begin, opgelost), vandaag)
            los_op(escalatie, max(klaar, escalatie.stap_sinds),
                   "Nieuwe afspraken gemaakt en vastgelegd in de afsprakenlijst.",
                   door.naam, vandaag)
        aantal += 1
    return aantal


def _demopersoon(school, kant: str):
    """The school's contact person on that side (or the other side's), as a real user would act."""
    rollen = [Contactrol.SCHOOL_CONTACT, Contactrol.LLZ_CONTACT]
    for rol in rollen if kant == "school" else rollen[::-1]:
        persoon = school.contact(rol)
        if persoon is not None:
            return persoon
    return None


def _werkdagen_terug(agenda, vandaag: date, n: int) -> date:
    """The werkdag n werkdagen before today."""
    dag = vandaag
    while agenda.werkdagen_tussen(dag, vandaag) < n:
        dag -= timedelta(days=1)
    return dag
