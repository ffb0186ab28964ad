"""Demo data of the yearly evaluation: last schooljaar's evaluations vastgelegd, this year's
about half planned."""

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..scholen.models import School
from ..schooljaren import Schooljaar
from .harde import harde_gegevens
from .models import Evaluatie, Evaluatiescore, Evaluatiestatus, Thema, Verbeterpunt

TOELICHTINGEN = {
    2: "Hier liep het stroef; we maken er afspraken over.",
    3: "Voldoende, maar het kan vlotter.",
    4: "Goed; korte lijnen.",
    5: "Uitstekend, snel en prettig contact.",
}
PUNTEN = [
    ("Vaste belmomenten tussen de contactpersonen afspreken", "llz"),
    ("Verzuimmeldingen direct compleet aanleveren met de checklist", "school"),
    ("Leerlingzaken sluit vaker aan bij het zorgoverleg", "llz"),
    ("Nieuwe mentoren kennis laten maken met Leerlingzaken", "school"),
]


def vul_evaluaties(school_ids: list[int], vorig: str, huidig: str, rng) -> None:
    """Every school: a vastgelegd evaluation last schooljaar with scores and 1–2 points;
    about half of the schools have this year's planned in May or June."""
    jaren = {j.naam: j for j in db.session.scalars(
        select(Schooljaar).where(Schooljaar.naam.in_([vorig, huidig])))}
    oud, nu = jaren[vorig], jaren[huidig]
    scholen = list(db.session.scalars(select(School).where(School.id.in_(school_ids))))
    # Taken on 1 May: before every demo evaluation (May-June) was held and vastgelegd.
    gegevens = harde_gegevens(scholen, oud, date(oud.eind.year, 5, 1))
    afgerond = min(date(nu.begin.year, 10, 1), date.today())
    for index, school in enumerate(scholen):
        dag = date(oud.eind.year, rng.choice((5, 6)), rng.randint(1, 28))
        evaluatie = Evaluatie(
            school_id=school.id, schooljaar_id=oud.id, gepland_op=dag, gehouden_op=dag,
            status=Evaluatiestatus.VASTGELEGD, teamleider_aanwezig=index % 3 == 0,
            directeur_aanwezig=index % 2 == 0, aanwezigen="zorgcoördinator, casemanager",
            harde_gegevens=json.dumps(gegevens[school.id].als_dict(), sort_keys=True),
            vastgelegd_op=datetime(dag.year, dag.month, dag.day, 14, tzinfo=UTC),
            vastgelegd_door_naam="Leerlingzaken (demo)",
        )
        for kant in ("school", "llz"):
            for thema in Thema:
                score = rng.randint(2, 5)
                evaluatie.scores.append(Evaluatiescore(
                    kant=kant, thema=thema.value, score=score,
                    toelichting=TOELICHTINGEN[score], ingevuld_door_naam="demo"))
        for nummer in range(1 + index % 2):
            wat, wie = PUNTEN[(index + nummer) % len(PUNTEN)]
            evaluatie.verbeterpunten.append(Verbeterpunt(
                school_id=school.id, wat=wat, wie=wie,
                uiterlijk=date(nu.begin.year, 12, 1),
                afgerond_op=afgerond if (index + nummer) % 3 == 0 else None))
        db.session.add(evaluatie)
        if index == 0:
            # The first demo school user's school has just held this year's evaluation: its
            # side of the scores is waiting for them (start page, e-mail digest).
            gehouden = max(nu.begin, min(date.today(), nu.eind) - timedelta(days=7))
            db.session.add(Evaluatie(
                school_id=school.id, schooljaar_id=nu.id, gepland_op=gehouden,
                gehouden_op=gehouden, status=Evaluatiestatus.GEHOUDEN, teamleider_aanwezig=True))
        elif index % 2 == 0:
            db.session.add(Evaluatie(
                school_id=school.id, schooljaar_id=nu.id,
                gepland_op=date(nu.eind.year, rng.choice((5, 6)), rng.randint(1, 28)),
                status=Evaluatiestatus.GEPLAND, directeur_aanwezig=index % 4 == 0))
    db.session.flush()
