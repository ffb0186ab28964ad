"""Demo registers: a realistic current schooljaar of meldingen, questions and developments.

Every school gets rows from 1 August up to today: most steps on time, some late, a few open
and overdue, some incomplete meldingen (a few never completed: niet verzonden) and some
withdrawn ones. Dates come from the werkdagen calendar and the stored termijnen from the rules
themselves (termijnen.regels) on plain attribute holders; the rows then go in with Core bulk
inserts, so `leerplicht demo --schools 250` stays fast (no audit trail for demo rows, as for
the demo afsprakenlijsten). References are made-up DUO numbers, never a pupil.
"""

import random
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import insert

from ..extensions import db
from ..normen import Normversie
from ..scholen.models import Kant
from ..schooljaren import Schooljaar
from ..werkdagen import Werkdagkalender
from .kalender import kalender
from .models import Meldingstatus, Ontwikkeling, Oordeel, Verzuimmelding, Vraag
from .regels import alle_elementen, herbereken_melding, herbereken_ontwikkeling, herbereken_vraag

# How many meldingen a school files in a whole schooljaar, per sector (low, high).
MELDINGEN_PER_JAAR = {"PO": (6, 18), "SO": (6, 15), "VO": (40, 90), "VSO": (15, 35),
                      "MBO": (30, 70)}

VRAGEN_VAN_SCHOOL = (
    "Stand van zaken van een verzuimmelding",
    "Welke termijn geldt voor een verlofaanvraag?",
    "Wie neemt het gesprek over bij langdurig verzuim?",
    "Kan Leerlingzaken aansluiten bij het JES?",
    "Vraag over vrijstelling van de leerplicht",
    "Hoe melden we een thuiszitter?",
)
VRAGEN_VAN_LLZ = (
    "Verzuimoverzicht van de afgelopen periode opvragen",
    "Welke acties heeft de school al ondernomen?",
    "Graag het rooster bij de melding",
    "Is er contact geweest met de ouders?",
    "Kunt u de ontbrekende gegevens aanleveren?",
)
ONTWIKKELINGEN = (
    "Proces-verbaal opgemaakt",
    "Doorverwezen naar het jeugdteam",
    "Vrijstelling aangevraagd",
    "Gesprek met ouders gevoerd, afspraken gemaakt",
    "Zaak overgedragen aan de Raad voor de Kinderbescherming",
    "Verhuizing naar een andere gemeente bekend",
    "Halt-afdoening afgerond",
)
ANTWOORDEN = (
    "Beantwoord per e-mail.",
    "Telefonisch besproken met de contactpersoon.",
    "Besproken in het JES.",
)


class _Planner:
    """Dates on werkdagen between the start of the schooljaar and today."""

    def __init__(self, rng: random.Random, agenda: Werkdagkalender, begin: date,
                 vandaag: date, afgesloten: date | None = None) -> None:
        self.rng, self.agenda, self.vandaag = rng, agenda, vandaag
        # A schooljaar that is over (`afgesloten`: the real today): every step was done, the
        # last ones after 31 July; an LLZ start page never shows last year's leftovers.
        self.afgesloten = afgesloten
        self.werkdagen = [begin + timedelta(days=i) for i in range((vandaag - begin).days + 1)
                          if agenda.is_werkdag(begin + timedelta(days=i))]

    def dag(self) -> date:
        """A random werkdag of the period (more of them recently, as the year gets going)."""
        index = int(len(self.werkdagen) * self.rng.random() ** 0.8)
        return self.werkdagen[min(index, len(self.werkdagen) - 1)]

    def na(self, begin: date, norm: int, laat: float = 0.12, open_kans: float = 0.04
           ) -> date | None:
        """When a step from `begin` was done: usually within the norm, sometimes late, now and
        then not yet (None; also when the chosen day is still to come)."""
        nog_open = self.rng.random() < open_kans  # drawn always: the same sequence of values
        if nog_open and self.afgesloten is None:
            return None
        if self.rng.random() < laat:
            n = norm + self.rng.randint(1, 6)
        else:
            n = self.rng.randint(0, norm)
        dag = self.agenda.plus_werkdagen(begin, n)
        return dag if dag <= (self.afgesloten or self.vandaag) else None


def vul_registers(scholen: list[dict], schooljaar: Schooljaar, normen: Normversie,
                  vandaag: date, rng: random.Random) -> tuple[int, int, int]:
    """Insert demo meldingen, questions and developments for the schools (dicts with id and
    sector); returns how many of each."""
    if vandaag < schooljaar.begin:
        return 0, 0, 0
    eind = min(vandaag, schooljaar.eind)
    agenda = kalender()
    planner = _Planner(rng, agenda, schooljaar.begin, eind,
                       afgesloten=vandaag if vandaag > schooljaar.eind else None)
    if not planner.werkdagen:
        return 0, 0, 0
    # The share of the schooljaar that has passed sets how many rows there are by now.
    deel = max(0.05, (eind - schooljaar.begin).days / 365)
    meldingen, vragen, ontwikkelingen = [], [], []
    volgnummer = 4700
    for school in scholen:
        laag, hoog = MELDINGEN_PER_JAAR.get(school["sector"], (6, 18))
        for _ in range(max(1, round(rng.randint(laag, hoog) * deel))):
            volgnummer += rng.randint(1, 40)
            meldingen.append(_melding(school["id"], schooljaar, normen, agenda, planner,
                                      f"DUO-{schooljaar.begin.year}-{volgnummer:06d}"))
        for _ in range(max(1, round(rng.randint(3, 12) * deel))):
            vragen.append(_vraag(school["id"], schooljaar, normen, agenda, planner))
        for _ in range(round(rng.randint(1, 8) * deel)):
            ontwikkelingen.append(_ontwikkeling(school["id"], schooljaar, normen, agenda,
                                                planner))
    for model, rijen in ((Verzuimmelding, meldingen), (Vraag, vragen),
                         (Ontwikkeling, ontwikkelingen)):
        if rijen:
            # Core executemany on the table: column defaults (versie, timestamps) still apply.
            db.session.connection().execute(insert(model.__table__), rijen)
    return len(meldingen), len(vragen), len(ontwikkelingen)


# The stored timing columns of a melding, None until the rules set them.
GETIMED = ("terugmelden_uiterlijk", "terugmelden_werkdagen", "aanvullen_uiterlijk",
           "aanvullen_werkdagen", "reactie_uiterlijk", "reactie_werkdagen")
MELDINGKOLOMMEN = ("school_id", "schooljaar_id", "referentie", "ontvangen_op", "status",
                   "elementen", "oordeel", "toelichting", "teruggemeld_op", "aangevuld_op",
                   "gereageerd_op", "normversie", "terugmelden_uiterlijk",
                   "terugmelden_werkdagen", "aanvullen_uiterlijk", "aanvullen_werkdagen",
                   "reactie_uiterlijk", "reactie_werkdagen")


def _melding(school_id: int, jaar: Schooljaar, normen: Normversie, agenda: Werkdagkalender,
             planner: _Planner, referentie: str) -> dict:
    """One melding on a plausible path, with its stored termijnen."""
    rng = planner.rng
    ontvangen = planner.dag()
    m = SimpleNamespace(school_id=school_id, schooljaar_id=jaar.id, referentie=referentie,
                       ontvangen_op=ontvangen, status=Meldingstatus.GEREGISTREERD,
                       elementen=0, oordeel=Oordeel.OPEN, toelichting="", normversie="",
                       teruggemeld_op=None, aangevuld_op=None, gereageerd_op=None,
                       **dict.fromkeys(GETIMED))
    recent = agenda.werkdagen_tussen(ontvangen, planner.vandaag) <= 2
    nog_niet = recent and rng.random() < 0.6 or rng.random() < 0.02
    if nog_niet and planner.afgesloten is None:  # a finished year judged every melding
        return _rij(m, normen, agenda)  # not judged yet (a few of them overdue)
    volledig = alle_elementen(normen)
    if rng.random() < 0.7:
        m.oordeel, m.elementen = Oordeel.COMPLEET, volledig
        m.status = Meldingstatus.IN_BEHANDELING
        m.gereageerd_op = planner.na(ontvangen, 5)
        if m.gereageerd_op is not None and rng.random() < 0.2:
            m.status = Meldingstatus.TER_KENNISGEVING
            m.toelichting = "Ter kennisgeving aangenomen: de school heeft het verzuim opgepakt."
    else:
        ontbreekt = rng.sample(range(len(normen.meldingselementen)), rng.choice((1, 1, 2)))
        m.oordeel = Oordeel.ONVOLLEDIG
        m.elementen = volledig & ~sum(1 << i for i in ontbreekt)
        m.status = Meldingstatus.IN_BEHANDELING
        m.toelichting = "Teruggemeld: " + "; ".join(
            normen.meldingselementen[i] for i in sorted(ontbreekt))
        m.teruggemeld_op = planner.na(ontvangen, 5)
        if m.teruggemeld_op is not None:
            # About one in five schools does not complete in time: niet verzonden.
            if rng.random() < 0.8:
                aangevuld = planner.na(m.teruggemeld_op, 5, laat=0, open_kans=0)
                m.aangevuld_op = aangevuld
            if m.aangevuld_op is not None:
                m.gereageerd_op = planner.na(m.aangevuld_op, 5)
    if m.gereageerd_op is not None and rng.random() < 0.6:
        m.status = (Meldingstatus.AFGESLOTEN if m.status == Meldingstatus.IN_BEHANDELING
                    else m.status)
    if rng.random() < 0.05:
        m.status = Meldingstatus.INGETROKKEN
        m.toelichting = "Ingetrokken door de school: de leerling bleek met verlof."
    return _rij(m, normen, agenda)


def _rij(m: SimpleNamespace, normen: Normversie, agenda: Werkdagkalender) -> dict:
    """The insert row of a melding after the rules set its stored columns."""
    herbereken_melding(m, normen, agenda)
    return {kolom: getattr(m, kolom) for kolom in MELDINGKOLOMMEN}


def _vraag(school_id: int, jaar: Schooljaar, normen: Normversie, agenda: Werkdagkalender,
           planner: _Planner) -> dict:
    """A question one side asked; usually answered within the norm."""
    rng = planner.rng
    door = Kant.SCHOOL if rng.random() < 0.55 else Kant.LLZ
    gesteld = planner.dag()
    beantwoord = planner.na(gesteld, 5, laat=0.15, open_kans=0.06)
    v = SimpleNamespace(school_id=school_id, schooljaar_id=jaar.id, gesteld_door=door,
              onderwerp=rng.choice(VRAGEN_VAN_SCHOOL if door == Kant.SCHOOL else VRAGEN_VAN_LLZ),
              gesteld_op=gesteld, beantwoord_op=beantwoord,
              antwoord=rng.choice(ANTWOORDEN) if beantwoord else "", normversie="",
              uiterlijk=None, werkdagen=None)
    herbereken_vraag(v, normen, agenda)
    return {kolom: getattr(v, kolom) for kolom in (
        "school_id", "schooljaar_id", "gesteld_door", "onderwerp", "gesteld_op",
        "beantwoord_op", "antwoord", "normversie", "uiterlijk", "werkdagen")}


def _ontwikkeling(school_id: int, jaar: Schooljaar, normen: Normversie,
                  agenda: Werkdagkalender, planner: _Planner) -> dict:
    """A development LLZ learnt of and (usually in time) reported to the school."""
    bekend = planner.dag()
    o = SimpleNamespace(school_id=school_id, schooljaar_id=jaar.id,
                     onderwerp=planner.rng.choice(ONTWIKKELINGEN), bekend_op=bekend,
                     gemeld_op=planner.na(bekend, 3, laat=0.1, open_kans=0.05), normversie="",
                     uiterlijk=None, werkdagen=None)
    herbereken_ontwikkeling(o, normen, agenda)
    return {kolom: getattr(o, kolom) for kolom in (
        "school_id", "schooljaar_id", "onderwerp", "bekend_op", "gemeld_op", "normversie",
        "uiterlijk", "werkdagen")}
