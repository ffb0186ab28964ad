"""Demo visits: LLZ's presence at every school from 1 August up to today, plus a few ahead.

VO and VSO schools mostly get their JES visits and other visits on schedule (pro rata), every
third falls behind; PO and SO schools get one start visit before the afsprakenlijst deadline,
every fifth none; MBO schools get an occasional meeting. Notes are about the cooperation, never a
pupil. The rows go in with one Core bulk insert, so `leerplicht demo --schools 250` stays fast.
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert

from ..extensions import db
from ..schooljaren import Schooljaar
from .models import Bezoek, Bezoeksoort, Bezoekstatus
from .regels import PO_SECTOREN, VO_SECTOREN, schoolmaanden

NOTITIES = {
    Bezoeksoort.JES: ("JES bijgewoond", "JES: afspraken over de verzuimaanpak doorgenomen",
                      "JES met de nieuwe mentorcoördinator"),
    Bezoeksoort.KENNISMAKING: ("Kennismaking nieuwe zorgcoördinator",
                               "Kennismaking met de nieuwe locatiedirecteur"),
    Bezoeksoort.OVERLEG: ("Afsprakenlijst besproken", "Werkwijze bij verzuimmeldingen afgestemd",
                          "Overleg over de bereikbaarheid van beide kanten"),
    Bezoeksoort.SPREEKUUR: ("Spreekuur op school", "Inloopspreekuur voor mentoren"),
    Bezoeksoort.MDO: ("Aangeschoven bij het MDO", "MDO op verzoek van de intern begeleider"),
    Bezoeksoort.MEELOPEN: ("Zorgcoördinator liep een dag mee met de casemanager",
                           "Casemanager liep mee met de verzuimcoördinator"),
    Bezoeksoort.EVALUATIE: ("Tussentijdse evaluatie van de samenwerking",),
}


def _rij(school_id: int, jaar: Schooljaar, dag: date, soort: Bezoeksoort, gehouden: bool,
         rng: random.Random) -> dict:
    """One visit row for the bulk insert."""
    return {"school_id": school_id, "schooljaar_id": jaar.id, "datum": dag, "soort": soort.value,
            "status": (Bezoekstatus.GEHOUDEN if gehouden else Bezoekstatus.GEPLAND).value,
            "notitie": rng.choice(NOTITIES[soort]), "versie": 1}


def _vo(school_id: int, jaar: Schooljaar, vandaag: date, rng: random.Random,
        achter: bool) -> list[dict]:
    """A VO year: visits every five to six weeks from September; one behind every ten weeks."""
    begin, eind = schoolmaanden(jaar)
    stap = 70 if achter else rng.randint(35, 45)
    rijen, dag, nummer = [], begin + timedelta(days=rng.randint(5, 20)), 0
    while dag <= eind:
        soort = Bezoeksoort.JES if nummer % 2 == 0 and not (achter and nummer == 0) else (
            rng.choice((Bezoeksoort.SPREEKUUR, Bezoeksoort.OVERLEG, Bezoeksoort.MEELOPEN)))
        if dag <= vandaag:
            rijen.append(_rij(school_id, jaar, dag, soort, True, rng))
        elif dag <= vandaag + timedelta(days=45):
            rijen.append(_rij(school_id, jaar, dag, soort, False, rng))  # planned ahead
        dag += timedelta(days=stap + rng.randint(-4, 4))
        nummer += 1
    return rijen


def _po(school_id: int, jaar: Schooljaar, vandaag: date, rng: random.Random,
        zonder: bool) -> list[dict]:
    """A PO year: one start visit in September or October (none for a school `zonder`)."""
    if zonder:
        return []
    rijen = []
    start = date(jaar.begin.year, 9, 1) + timedelta(days=rng.randint(0, 50))
    rijen.append(_rij(school_id, jaar, start, Bezoeksoort.KENNISMAKING, start <= vandaag, rng))
    if rng.random() < 0.3:  # tailored: on call at the MDO later in the year
        mdo = start + timedelta(days=rng.randint(40, 120))
        if mdo <= min(jaar.eind, vandaag + timedelta(days=45)):
            rijen.append(_rij(school_id, jaar, mdo, Bezoeksoort.MDO, mdo <= vandaag, rng))
    return rijen


def _mbo(school_id: int, jaar: Schooljaar, vandaag: date, rng: random.Random) -> list[dict]:
    """An MBO year: no norm, an occasional meeting."""
    rijen = []
    for _ in range(rng.randint(0, 2)):
        dag = jaar.begin + timedelta(days=rng.randint(30, 300))
        if dag <= vandaag + timedelta(days=30):
            rijen.append(_rij(school_id, jaar, dag, Bezoeksoort.OVERLEG, dag <= vandaag, rng))
    return rijen


def vul_bezoeken(scholen_rows: list[dict], schooljaar: Schooljaar, vandaag: date,
                 rng: random.Random) -> int:
    """Add a realistic year of visits so far for every school (rows with id and sector)."""
    rijen = []
    vo = po = 0  # every third VO school falls behind, every fifth PO school has no start visit
    for row in scholen_rows:
        if row["sector"] in VO_SECTOREN:
            vo += 1
            rijen += _vo(row["id"], schooljaar, vandaag, rng, achter=vo % 3 == 2)
        elif row["sector"] in PO_SECTOREN:
            po += 1
            rijen += _po(row["id"], schooljaar, vandaag, rng, zonder=po % 5 == 3)
        else:
            rijen += _mbo(row["id"], schooljaar, vandaag, rng)
    rijen = [r for r in rijen if schooljaar.begin <= r["datum"] <= schooljaar.eind]
    if rijen:
        db.session.execute(insert(Bezoek), rijen)
    return len(rijen)
