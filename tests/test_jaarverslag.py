"""The jaarverslag's figures (rapportage.jaarverslag) against a small world worked out by hand.

Schooljaren 2024-2025 (exists, holds nothing), 2025-2026 ("vorig") and 2026-2027 (the report's
year). VANDAAG is 15-08-2027, after the report's year: both years are judged on their last day
(31-07), so every step, deadline and norm is decided. Norms: content/normen.toml version 1
(every termijn 5 werkdagen, afsprakenlijst by 31-10, PO 1 visit, VO 6 visits and the JES,
small numbers under 5 hidden per school). No public holiday falls on the melding dates below.

Schools: PO Appelboom (10PA00), Berkenhof (11PB00); VO Citadel (20VC00), Duinrand (21VD00),
Eikenlaan (22VE00). Meldingen (all received on a Monday; werkdagen counted after receipt):

2026-2027 Appelboom: A1 07-09 compleet, reactie 09-09 (2, op tijd)
                     A2 14-09 compleet, reactie 18-09 (4, op tijd)
                     A3 21-09 onvolledig, terugmelden 22-09 (1, op tijd), aanvullen due 29-09:
                        never done -> verlopen, niet verzonden
2026-2027 Citadel:   C1 07-09 compleet, reactie 08-09 (1, op tijd)
                     C2 07-09 compleet, reactie 14-09 (5, op tijd: due 14-09)
                     C3 14-09 compleet, reactie 22-09 (6, te laat: due 21-09)
                     C4 21-09 compleet, reactie 23-09 (2, op tijd)
                     C5 28-09 onvolledig, terugmelden 08-10 (8, te laat: due 05-10), aanvullen
                        09-10 (1, op tijd), reactie 12-10 (1, op tijd)
2025-2026 Appelboom: 01-09 reactie 03-09 (2 op tijd); 08-09 reactie 16-09 (6 te laat);
                     15-09 reactie 19-09 (4 op tijd); 22-09 reactie 01-10 (7 te laat)
2025-2026 Citadel:   01-09 reactie 02-09 (1 op tijd); 08-09 reactie 10-09 (2 op tijd);
                     15-09 reactie 22-09 (5 op tijd); 22-09 onvolledig, terugmelden 01-10
                     (7 te laat: due 29-09), aanvullen 02-10 (1 op tijd), reactie 03-10 (1 op tijd)
Berkenhof, Duinrand and Eikenlaan have no meldingen.

Escalations (opened, resolved):
2026-2027 Appelboom inhoud 01-10 .. 11-10 (10 days), samenwerking 05-10 open;
          Citadel inhoud 01-10 .. 05-10 (4 days);
          Duinrand samenwerking 02-11 .. 22-11 (20 days), inhoud 03-11 open.
2025-2026 Citadel inhoud 01-12-2025 .. 08-12-2025 (7 days).

Visits held (planned ones do not count):
2026-2027 Appelboom 1; Berkenhof 1 (+1 planned); Citadel 6 (2 JES); Duinrand 3 (1 JES, +2
          planned: behind); Eikenlaan 6 (1 JES).
2025-2026 Appelboom 1; Berkenhof 0 (behind); Citadel 6 (1 JES); Duinrand 6 (1 JES);
          Eikenlaan 0 (behind).

Afsprakenlijsten (vastgesteld on):
2026-2027 Appelboom 20-10 (op tijd), Berkenhof 15-11 (te laat), Citadel 01-10 (op tijd),
          Duinrand none (niet), Eikenlaan a concept only (niet).
2025-2026 Appelboom 01-10, Berkenhof 10-10, Citadel 20-10 (op tijd), Duinrand 05-12 (te laat),
          Eikenlaan none (niet).

Scores (school side / LLZ side) and improvement points: see `_evaluaties`.
"""

import json
import re
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select

from leerplicht.afspraken.models import Afsprakenlijst, Herkomst, Status
from leerplicht.cyclus.models import (
    Besluit,
    Bezoek,
    Evaluatie,
    Evaluatiescore,
    Klankbordoverleg,
    Maatregel,
    Maatregelresultaat,
    Verbeterpunt,
)
from leerplicht.escalatie.models import Escalatie
from leerplicht.extensions import db
from leerplicht.normen import laad_normen, standaard_normen_pad
from leerplicht.normenbron import NormversieRecord, inhoud_van
from leerplicht.rapportage.jaarverslag import bouw_jaarverslag
from leerplicht.rapportage.tabel import GEEN_GEGEVENS, NIETS, Jaarverslag
from leerplicht.scholen.models import School
from leerplicht.schooljaren import Schooljaar
from leerplicht.termijnen.models import Verzuimmelding
from leerplicht.termijnen.opslag import herbereken

import factories as f

VANDAAG = date(2027, 8, 15)
OUD, VORIG, JAAR = "2024-2025", "2025-2026", "2026-2027"
G = GEEN_GEGEVENS
PO_NAMEN = ("Appelboom", "Berkenhof", "10PA00", "11PB00")


def d(dag: int, maand: int, jaar: int) -> date:
    """A date, day first as the docstring writes it."""
    return date(jaar, maand, dag)


# --- the world --------------------------------------------------------------------------------

def _melding(school, jaar, ref, ontvangen, oordeel="compleet", terug=None, aangevuld=None,
             reactie=None):
    """A melding whose stored termijnen come from termijnen.opslag.herbereken."""
    m = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id, referentie=ref,
                       ontvangen_op=ontvangen, oordeel=oordeel,
                       elementen=511 if oordeel == "compleet" else 0, teruggemeld_op=terug,
                       aangevuld_op=aangevuld, gereageerd_op=reactie)
    herbereken(m, jaar)
    db.session.add(m)
    return m


def _meldingen(s, nu, vorig):
    """The meldingen of the module docstring."""
    a, c = s["appelboom"], s["citadel"]
    _melding(a, nu, "A1", d(7, 9, 2026), reactie=d(9, 9, 2026))
    _melding(a, nu, "A2", d(14, 9, 2026), reactie=d(18, 9, 2026))
    _melding(a, nu, "A3", d(21, 9, 2026), "onvolledig", terug=d(22, 9, 2026))
    _melding(c, nu, "C1", d(7, 9, 2026), reactie=d(8, 9, 2026))
    _melding(c, nu, "C2", d(7, 9, 2026), reactie=d(14, 9, 2026))
    _melding(c, nu, "C3", d(14, 9, 2026), reactie=d(22, 9, 2026))
    _melding(c, nu, "C4", d(21, 9, 2026), reactie=d(23, 9, 2026))
    _melding(c, nu, "C5", d(28, 9, 2026), "onvolledig", terug=d(8, 10, 2026),
             aangevuld=d(9, 10, 2026), reactie=d(12, 10, 2026))
    for i, (ontvangen, reactie) in enumerate(((1, 3), (8, 16), (15, 19), (22, 1))):
        _melding(a, vorig, f"VA{i}", d(ontvangen, 9, 2025),
                 reactie=d(reactie, 10 if reactie == 1 else 9, 2025))
    for i, (ontvangen, reactie) in enumerate(((1, 2), (8, 10), (15, 22))):
        _melding(c, vorig, f"VC{i}", d(ontvangen, 9, 2025), reactie=d(reactie, 9, 2025))
    _melding(c, vorig, "VC3", d(22, 9, 2025), "onvolledig", terug=d(1, 10, 2025),
             aangevuld=d(2, 10, 2025), reactie=d(3, 10, 2025))


def _escalatie(school, jaar, spoor, geopend, opgelost=None):
    """An escalation on a track, opened (and resolved) on the given dates."""
    db.session.add(Escalatie(
        school_id=school.id, schooljaar_id=jaar.id, spoor=spoor, onderwerp=f"Zaak {spoor}",
        geopend_op=geopend, niveau=1, stap_sinds=geopend, stap_termijn=5,
        stap_llz_rol="llz_contact", stap_school_rol="school_contact", opgelost_op=opgelost))


def _bezoeken(school, jaar, begin: date, gehouden: int, jes: int = 0, gepland: int = 0):
    """`gehouden` held visits (the first `jes` of them JES) a week apart, then planned ones."""
    for i in range(gehouden + gepland):
        db.session.add(Bezoek(
            school_id=school.id, schooljaar_id=jaar.id,
            datum=date.fromordinal(begin.toordinal() + 7 * i),
            soort="jes" if i < jes else "overleg",
            status="gehouden" if i < gehouden else "gepland"))


def _lijst(school, jaar, vastgesteld: date | None):
    """An afsprakenlijst: vastgesteld on a date, or left a concept (None)."""
    lijst = f.afsprakenlijst(school, jaar)
    if vastgesteld is not None:
        lijst.status = Status.VASTGESTELD
        lijst.vastgesteld_op = datetime(vastgesteld.year, vastgesteld.month, vastgesteld.day,
                                        10, tzinfo=UTC)
    return lijst


def _evaluatie(school, jaar, scores: dict, punten=()):
    """An evaluation with scores {(kant, thema): score} and points [(wat, afgerond_op)]."""
    evaluatie = Evaluatie(school_id=school.id, schooljaar_id=jaar.id,
                          gepland_op=date(jaar.begin.year + 1, 3, 1), status="gehouden")
    db.session.add(evaluatie)
    db.session.flush()
    for (kant, thema), score in scores.items():
        db.session.add(Evaluatiescore(evaluatie_id=evaluatie.id, kant=kant, thema=thema,
                                      score=score))
    for wat, afgerond in punten:
        db.session.add(Verbeterpunt(evaluatie_id=evaluatie.id, school_id=school.id, wat=wat,
                                    wie="llz", uiterlijk=date(jaar.begin.year + 1, 6, 1),
                                    afgerond_op=afgerond))
    return evaluatie


SB, LB = ("school", "bereikbaarheid"), ("llz", "bereikbaarheid")
SS, LS = ("school", "samenwerking"), ("llz", "samenwerking")


def _evaluaties(s, nu, vorig):
    """Scores on two themes by both sides, and improvement points (some done)."""
    _evaluatie(s["appelboom"], nu, {SB: 4, LB: 3, SS: 5, LS: 4},
               [("Rooster delen", d(1, 3, 2027)), ("Vaste belmomenten", None)])
    _evaluatie(s["berkenhof"], nu, {SB: 3, LB: 4, SS: 4, LS: None})
    _evaluatie(s["citadel"], nu, {SB: 2, LB: 3, SS: 4, LS: 5},
               [("JES-agenda", d(1, 2, 2027)), ("Terugkoppeling", d(1, 4, 2027)),
                ("Mentoren", None)])
    _evaluatie(s["duinrand"], nu, {SB: 3, LB: 3}, [("Spreekuur", None)])
    _evaluatie(s["eikenlaan"], nu, {SB: 2, LB: 4})
    _evaluatie(s["appelboom"], vorig, {SB: 3, LB: 3, SS: 4}, [("Startbezoek", d(1, 5, 2026))])
    _evaluatie(s["citadel"], vorig, {SB: 2, LB: 2}, [("Verzuimbeleid", None), ("Uitval", None)])
    _evaluatie(s["duinrand"], vorig, {SB: 3, LB: 2})


def _klankbord(nu, vorig):
    """Meetings with decisions and measures of both groups (one VO meeting of last year)."""
    po = Klankbordoverleg(sector="PO", schooljaar_id=nu.id, datum=d(12, 10, 2026))
    vo = Klankbordoverleg(sector="VO", schooljaar_id=nu.id, datum=d(9, 11, 2026))
    oud_vo = Klankbordoverleg(sector="VO", schooljaar_id=vorig.id, datum=d(10, 11, 2025))
    db.session.add_all([po, vo, oud_vo])
    db.session.add_all([
        Besluit(overleg=po, tekst="Het startbezoek vóór de herfstvakantie plannen."),
        Besluit(overleg=vo, tekst="De school deelt de JES-data met Leerlingzaken."),
        Besluit(overleg=oud_vo, tekst="Besluit van vorig jaar."),
    ])
    po_m = Maatregel(sector="PO", nummer=1, titel="Spreekuur op school", plan="Elke maand.",
                     sinds_schooljaar_id=vorig.id, afgerond=True)
    vo_m = Maatregel(sector="VO", nummer=1, titel="JES-agenda vooraf", plan="Een week vooraf.",
                     sinds_schooljaar_id=nu.id, afgerond=False)
    db.session.add_all([po_m, vo_m])
    db.session.add(Maatregelresultaat(maatregel=vo_m, periode="augustus – januari",
                                      resultaat="Vier van de vijf agenda's op tijd."))


def _bouw() -> dict:
    """The world of the module docstring; returns the ids."""
    f.schooljaar(OUD, huidig=False)
    vorig = f.schooljaar(VORIG, huidig=False)
    nu = f.schooljaar(JAAR, huidig=True)
    s = {
        "appelboom": f.school(naam="Appelboom", code="10PA00", sector="PO"),
        "berkenhof": f.school(naam="Berkenhof", code="11PB00", sector="PO"),
        "citadel": f.school(naam="Citadel College", code="20VC00", sector="VO"),
        "duinrand": f.school(naam="Duinrand Lyceum", code="21VD00", sector="VO"),
        "eikenlaan": f.school(naam="Eikenlaan College", code="22VE00", sector="VO"),
    }
    _meldingen(s, nu, vorig)
    _escalatie(s["appelboom"], nu, "inhoud", d(1, 10, 2026), d(11, 10, 2026))
    _escalatie(s["appelboom"], nu, "samenwerking", d(5, 10, 2026))
    _escalatie(s["citadel"], nu, "inhoud", d(1, 10, 2026), d(5, 10, 2026))
    _escalatie(s["duinrand"], nu, "samenwerking", d(2, 11, 2026), d(22, 11, 2026))
    _escalatie(s["duinrand"], nu, "inhoud", d(3, 11, 2026))
    _escalatie(s["citadel"], vorig, "inhoud", d(1, 12, 2025), d(8, 12, 2025))
    _bezoeken(s["appelboom"], nu, d(15, 9, 2026), 1)
    _bezoeken(s["berkenhof"], nu, d(10, 9, 2026), 1, gepland=1)
    _bezoeken(s["citadel"], nu, d(7, 9, 2026), 6, jes=2)
    _bezoeken(s["duinrand"], nu, d(7, 9, 2026), 3, jes=1, gepland=2)
    _bezoeken(s["eikenlaan"], nu, d(7, 9, 2026), 6, jes=1)
    _bezoeken(s["appelboom"], vorig, d(10, 9, 2025), 1)
    _bezoeken(s["citadel"], vorig, d(8, 9, 2025), 6, jes=1)
    _bezoeken(s["duinrand"], vorig, d(8, 9, 2025), 6, jes=1)
    for naam, dag in (("appelboom", d(20, 10, 2026)), ("berkenhof", d(15, 11, 2026)),
                      ("citadel", d(1, 10, 2026)), ("eikenlaan", None)):
        _lijst(s[naam], nu, dag)
    for naam, dag in (("appelboom", d(1, 10, 2025)), ("berkenhof", d(10, 10, 2025)),
                      ("citadel", d(20, 10, 2025)), ("duinrand", d(5, 12, 2025))):
        _lijst(s[naam], vorig, dag)
    _evaluaties(s, nu, vorig)
    _klankbord(nu, vorig)
    db.session.commit()
    return {naam: school.id for naam, school in s.items()} | {"nu": nu.id, "vorig": vorig.id}


@pytest.fixture
def wereld(app):
    """The hand-computed world."""
    with app.app_context():
        return _bouw()


def _jaar(naam: str = JAAR) -> Schooljaar:
    """A schooljaar by name."""
    return db.session.scalars(select(Schooljaar).where(Schooljaar.naam == naam)).one()


def _verslag(sector: str = "") -> Jaarverslag:
    """The report of 2026-2027, judged on VANDAAG."""
    return bouw_jaarverslag(_jaar(), sector, vandaag=VANDAAG)


def rij(verslag: Jaarverslag, tabel: str, sleutel: str) -> tuple[str, ...]:
    """A row as shown: the three cells (oldest first) and the change."""
    r = verslag.tabel(tabel).rij(sleutel)
    return (*[c.tekst for c in r.cellen], r.verschil.tekst)


@pytest.fixture
def verslag(app, wereld):
    """The whole report (all sectors) of the world."""
    with app.app_context():
        return _verslag()


# --- every table: the oldest year has no data ----------------------------------------------

def test_three_years_and_the_empty_one(verslag):
    """Every table runs over the three years; 2024-2025 is named as without data and every one
    of its cells says 'geen gegevens', never 0; the two later years have data everywhere."""
    assert verslag.schooljaar == JAAR and verslag.scholen == 5 and verslag.drempel == 5
    assert verslag.peildatum == "2027-07-31"
    assert verslag.lopend is False
    assert [t.sleutel for t in verslag.tabellen] == [
        "lijst-op-tijd", "lijst-telling", "school-lijst", "aanwezigheid-op-norm",
        "bezoeken-gehouden", "jes-gehouden", "school-bezoeken", "termijn-llz", "termijn-stappen",
        "termijn-mediaan", "termijn-p90", "meldingen", "onvolledig", "niet-verzonden",
        "school-meldingen", "school-termijn-llz", "school-mediaan", "school-p90",
        "school-onvolledig", "school-niet-verzonden", "escalaties-geopend",
        "escalaties-opgelost", "escalaties-duur", "escalaties-spoor", "school-escalaties",
        "scores", "verbeterpunten", "verbeterpunten-afgerond"]
    for tabel in verslag.tabellen:
        assert tabel.jaren == [OUD, VORIG, JAAR], tabel.sleutel
        assert tabel.jaren_zonder_gegevens == (OUD,), tabel.sleutel
        for r in tabel.rijen:
            assert r.cellen[0].tekst == G, (tabel.sleutel, r.sleutel)
            assert r.cellen[0].spreadsheetwaarde == G
            assert all(c.tekst != G for c in r.cellen[1:]), (tabel.sleutel, r.sleutel)


# --- afsprakenlijsten --------------------------------------------------------------------------

def test_afsprakenlijsten(verslag):
    """On time / late / missing per sector, in total and per school."""
    # 2025-2026 PO: 2 of 2 on time; 2026-2027 PO: Appelboom on time, Berkenhof late: 1/2.
    assert rij(verslag, "lijst-op-tijd", "po") == (G, "100%", "50%", "−50 procentpunt")
    # VO: 2025-2026 Citadel on time of 3 = 33%; 2026-2027 Citadel of 3 = 33%: 33 − 33 = 0.
    assert rij(verslag, "lijst-op-tijd", "vo") == (G, "33%", "33%", "0 procentpunt")
    # Total: 3/5 = 60% then 2/5 = 40%.
    assert rij(verslag, "lijst-op-tijd", "totaal") == (G, "60%", "40%", "−20 procentpunt")
    assert [r.sleutel for r in verslag.tabel("lijst-op-tijd").rijen] == ["po", "vo", "totaal"]

    assert rij(verslag, "lijst-telling", "po-op-tijd") == (G, "2", "1", "−1")
    assert rij(verslag, "lijst-telling", "po-te-laat") == (G, "0", "1", "+1")
    assert rij(verslag, "lijst-telling", "po-niet") == (G, "0", "0", "0")
    assert rij(verslag, "lijst-telling", "vo-op-tijd") == (G, "1", "1", "0")
    assert rij(verslag, "lijst-telling", "vo-te-laat") == (G, "1", "0", "−1")
    # Duinrand (none) and Eikenlaan (a concept only) this year; Eikenlaan last year.
    assert rij(verslag, "lijst-telling", "vo-niet") == (G, "1", "2", "+1")
    assert rij(verslag, "lijst-telling", "totaal-niet") == (G, "1", "2", "+1")
    assert rij(verslag, "lijst-telling", "totaal-loopt") == (G, "0", "0", "0")

    assert rij(verslag, "school-lijst", "10PA00") == (
        G, "op tijd vastgesteld", "op tijd vastgesteld", NIETS)
    assert rij(verslag, "school-lijst", "11PB00") == (
        G, "op tijd vastgesteld", "te laat vastgesteld", NIETS)
    assert rij(verslag, "school-lijst", "21VD00") == (
        G, "te laat vastgesteld", "niet vastgesteld", NIETS)
    assert rij(verslag, "school-lijst", "22VE00") == (
        G, "niet vastgesteld", "niet vastgesteld", NIETS)
    groepen = verslag.tabel("school-lijst").groepen
    assert [g.label for g in groepen] == ["Primair onderwijs", "Voortgezet onderwijs"]
    assert [r.label for r in groepen[1].rijen] == [
        "Citadel College (20VC00)", "Duinrand Lyceum (21VD00)", "Eikenlaan College (22VE00)"]


# --- presence ----------------------------------------------------------------------------------

def test_aanwezigheid(verslag):
    """Schools on the norm, visits and JES held, per sector and per school."""
    # 2025-2026: PO Appelboom yes, Berkenhof no (0 of 1) = 50%; 2026-2027 both = 100%.
    assert rij(verslag, "aanwezigheid-op-norm", "po") == (G, "50%", "100%", "+50 procentpunt")
    # VO 2025-2026: Citadel, Duinrand yes, Eikenlaan 0 = 2/3 = 67%; 2026-2027: Duinrand 3 < 6.
    assert rij(verslag, "aanwezigheid-op-norm", "vo") == (G, "67%", "67%", "0 procentpunt")
    # Total 3/5 = 60%, then 4/5 = 80%.
    assert rij(verslag, "aanwezigheid-op-norm", "totaal") == (G, "60%", "80%", "+20 procentpunt")
    # Held: PO 1 then 1 + 1 = 2; VO 6 + 6 = 12 then 6 + 3 + 6 = 15; planned ones not counted.
    assert rij(verslag, "bezoeken-gehouden", "po") == (G, "1", "2", "+1")
    assert rij(verslag, "bezoeken-gehouden", "vo") == (G, "12", "15", "+3")
    assert rij(verslag, "bezoeken-gehouden", "totaal") == (G, "13", "17", "+4")
    # JES: 1 + 1 = 2, then 2 + 1 + 1 = 4.
    assert rij(verslag, "jes-gehouden", "vo") == (G, "2", "4", "+2")
    assert rij(verslag, "jes-gehouden", "po") == (G, "0", "0", "0")
    # Per school, visits are not a pupil's count: small numbers are shown.
    assert rij(verslag, "school-bezoeken", "11PB00") == (G, "0", "1", "+1")
    assert rij(verslag, "school-bezoeken", "21VD00") == (G, "6", "3", "−3")
    assert rij(verslag, "school-bezoeken", "22VE00") == (G, "0", "6", "+6")


# --- termijnen ---------------------------------------------------------------------------------

def test_termijnen_per_sector(verslag):
    """LLZ's steps within the termijn, handling times, counts, per sector and in total."""
    # PO 2025-2026: Appelboom reactie 2 of 4 = 50%; 2026-2027: reactie 2 + terugmelden 1 = 3/3.
    assert rij(verslag, "termijn-llz", "po") == (G, "50%", "100%", "+50 procentpunt")
    # VO 2025-2026: Citadel reactie 4 on time, terugmelden late: 4/5 = 80%;
    # 2026-2027: reactie C1 C2 C4 C5 on time, C3 late; terugmelden C5 late: 4/6 = 66.7 -> 67%.
    assert rij(verslag, "termijn-llz", "vo") == (G, "80%", "67%", "−13 procentpunt")
    # Total: 6/9 = 66.7 -> 67%, then 7/9 = 77.8 -> 78%.
    assert rij(verslag, "termijn-llz", "totaal") == (G, "67%", "78%", "+11 procentpunt")

    # Per step. PO terugmelden: none last year, A3 on time; aanvullen: A3 overdue = 0 of 1.
    assert rij(verslag, "termijn-stappen", "po-terugmelden") == (G, NIETS, "100%", NIETS)
    assert rij(verslag, "termijn-stappen", "po-aanvullen") == (G, NIETS, "0%", NIETS)
    assert rij(verslag, "termijn-stappen", "po-reactie") == (G, "50%", "100%", "+50 procentpunt")
    # VO reactie: 4/4 = 100%, then 4/5 = 80%; terugmelden late both years.
    assert rij(verslag, "termijn-stappen", "vo-reactie") == (G, "100%", "80%", "−20 procentpunt")
    assert rij(verslag, "termijn-stappen", "vo-terugmelden") == (G, "0%", "0%", "0 procentpunt")
    assert rij(verslag, "termijn-stappen", "vo-aanvullen") == (G, "100%", "100%", "0 procentpunt")
    assert rij(verslag, "termijn-stappen", "totaal-antwoord_llz") == (G, NIETS, NIETS, NIETS)

    # Medians (nearest rank). PO 2025-2026: 2 4 6 7 -> rank 2 = 4; 2026-2027: 1 2 4 -> 2.
    assert rij(verslag, "termijn-mediaan", "po") == (G, "4", "2", "−2")
    # VO: 1 1 2 5 7 -> rank 3 = 2; 1 1 2 5 6 8 -> rank 3 = 2.
    assert rij(verslag, "termijn-mediaan", "vo") == (G, "2", "2", "0")
    # Total 2025-2026: 1 1 2 2 4 5 6 7 7 -> rank 5 = 4; 2026-2027: 1 1 1 2 2 4 5 6 8 -> 2.
    assert rij(verslag, "termijn-mediaan", "totaal") == (G, "4", "2", "−2")
    # p90: PO 4 values rank 4 = 7, 3 values rank 3 = 4; VO 5 values rank 5 = 7, 6 -> rank 6 = 8.
    assert rij(verslag, "termijn-p90", "po") == (G, "7", "4", "−3")
    assert rij(verslag, "termijn-p90", "vo") == (G, "7", "8", "+1")
    assert rij(verslag, "termijn-p90", "totaal") == (G, "7", "8", "+1")  # rank 9 of 9

    assert rij(verslag, "meldingen", "po") == (G, "4", "3", "−1")
    assert rij(verslag, "meldingen", "vo") == (G, "4", "5", "+1")
    assert rij(verslag, "meldingen", "totaal") == (G, "8", "8", "0")
    # Incomplete: PO 0/4 then 1/3 = 33%; VO 1/4 = 25% then 1/5 = 20%;
    # total 1/8 = 12.5 -> 13% then 2/8 = 25%: 25 − 13 = +12 (not 12.5 rounded to 13).
    assert rij(verslag, "onvolledig", "po") == (G, "0%", "33%", "+33 procentpunt")
    assert rij(verslag, "onvolledig", "vo") == (G, "25%", "20%", "−5 procentpunt")
    assert rij(verslag, "onvolledig", "totaal") == (G, "13%", "25%", "+12 procentpunt")
    assert verslag.tabel("onvolledig").rij("totaal").verschil.spreadsheetwaarde == 12
    assert rij(verslag, "niet-verzonden", "po") == (G, "0", "1", "+1")
    assert rij(verslag, "niet-verzonden", "totaal") == (G, "0", "1", "+1")


def test_termijnen_per_school(verslag):
    """Appelboom's 3 (and last year's 4) meldingen read '< 5', with their share and medians;
    Citadel's 5 are shown; a school without meldingen shows 0 and '—' for shares."""
    assert rij(verslag, "school-meldingen", "10PA00") == (G, "< 5", "< 5", NIETS)
    assert rij(verslag, "school-meldingen", "20VC00") == (G, "< 5", "5", NIETS)
    assert rij(verslag, "school-meldingen", "11PB00") == (G, "0", "0", "0")
    assert rij(verslag, "school-meldingen", "21VD00") == (G, "0", "0", "0")
    cel = verslag.tabel("school-meldingen").rij("10PA00").cellen[-1]
    assert cel.verborgen and cel.waarde is None and cel.spreadsheetwaarde == "< 5"

    # Appelboom: 3 LLZ steps (< 5) hidden; Citadel 4/5 = 80% (5 steps) then 4/6 = 67%.
    assert rij(verslag, "school-termijn-llz", "10PA00") == (G, "< 5", "< 5", NIETS)
    assert rij(verslag, "school-termijn-llz", "20VC00") == (G, "80%", "67%", "−13 procentpunt")
    assert rij(verslag, "school-termijn-llz", "11PB00") == (G, NIETS, NIETS, NIETS)
    assert rij(verslag, "school-mediaan", "10PA00") == (G, "< 5", "< 5", NIETS)
    assert rij(verslag, "school-mediaan", "20VC00") == (G, "2", "2", "0")
    assert rij(verslag, "school-mediaan", "11PB00") == (G, NIETS, NIETS, NIETS)
    assert rij(verslag, "school-p90", "20VC00") == (G, "7", "8", "+1")
    assert rij(verslag, "school-onvolledig", "10PA00") == (G, "< 5", "< 5", NIETS)
    # Citadel 1/4 judged (< 5) hidden last year; 1/5 = 20% this year.
    assert rij(verslag, "school-onvolledig", "20VC00") == (G, "< 5", "20%", NIETS)
    assert rij(verslag, "school-onvolledig", "22VE00") == (G, NIETS, NIETS, NIETS)
    # Appelboom's one melding not sent is a pupil's case: hidden; zero is shown.
    assert rij(verslag, "school-niet-verzonden", "10PA00") == (G, "0", "< 5", NIETS)
    assert rij(verslag, "school-niet-verzonden", "20VC00") == (G, "0", "0", "0")


# --- escalations -------------------------------------------------------------------------------

def test_escalaties(verslag):
    """Opened, resolved and the median duration per sector, per track and per school."""
    # PO: 0 then Appelboom's 2; VO: Citadel's 1 then Citadel 1 + Duinrand 2 = 3.
    assert rij(verslag, "escalaties-geopend", "po") == (G, "0", "2", "+2")
    assert rij(verslag, "escalaties-geopend", "vo") == (G, "1", "3", "+2")
    assert rij(verslag, "escalaties-geopend", "totaal") == (G, "1", "5", "+4")
    assert rij(verslag, "escalaties-opgelost", "po") == (G, "0", "1", "+1")
    assert rij(verslag, "escalaties-opgelost", "vo") == (G, "1", "2", "+1")
    assert rij(verslag, "escalaties-opgelost", "totaal") == (G, "1", "3", "+2")
    # Days: PO 10; VO 7, then 4 and 20 -> rank 1 = 4; total 4 10 20 -> rank 2 = 10.
    assert rij(verslag, "escalaties-duur", "po") == (G, NIETS, "10", NIETS)
    assert rij(verslag, "escalaties-duur", "vo") == (G, "7", "4", "−3")
    assert rij(verslag, "escalaties-duur", "totaal") == (G, "7", "10", "+3")

    assert rij(verslag, "escalaties-spoor", "po-inhoud-geopend") == (G, "0", "1", "+1")
    assert rij(verslag, "escalaties-spoor", "po-samenwerking-geopend") == (G, "0", "1", "+1")
    assert rij(verslag, "escalaties-spoor", "po-samenwerking-opgelost") == (G, "0", "0", "0")
    assert rij(verslag, "escalaties-spoor", "vo-inhoud-geopend") == (G, "1", "2", "+1")
    assert rij(verslag, "escalaties-spoor", "vo-inhoud-opgelost") == (G, "1", "1", "0")
    assert rij(verslag, "escalaties-spoor", "vo-samenwerking-opgelost") == (G, "0", "1", "+1")
    assert rij(verslag, "escalaties-spoor", "totaal-inhoud-geopend") == (G, "1", "3", "+2")
    assert rij(verslag, "escalaties-spoor", "totaal-samenwerking-opgelost") == (G, "0", "1", "+1")

    # Per school a count of cases from 1 to 4 is hidden; 0 is shown.
    assert rij(verslag, "school-escalaties", "10PA00") == (G, "0", "< 5", NIETS)
    assert rij(verslag, "school-escalaties", "11PB00") == (G, "0", "0", "0")
    assert rij(verslag, "school-escalaties", "20VC00") == (G, "< 5", "< 5", NIETS)
    assert rij(verslag, "school-escalaties", "22VE00") == (G, "0", "0", "0")


# --- evaluation and Klankbordgroep -------------------------------------------------------------

def test_scores_en_verbeterpunten(verslag):
    """Average scores per sector, theme and side (one decimal); improvement points."""
    # PO school bereikbaarheid: 3 then (4 + 3) / 2 = 3.5.
    assert rij(verslag, "scores", "po-bereikbaarheid-school") == (G, "3,0", "3,5", "+0,5")
    assert rij(verslag, "scores", "po-bereikbaarheid-llz") == (G, "3,0", "3,5", "+0,5")
    # PO samenwerking: school 4 then (5 + 4) / 2 = 4.5; LLZ none then 4 (Berkenhof left it empty).
    assert rij(verslag, "scores", "po-samenwerking-school") == (G, "4,0", "4,5", "+0,5")
    assert rij(verslag, "scores", "po-samenwerking-llz") == (G, NIETS, "4,0", NIETS)
    # VO school bereikbaarheid: (2 + 3) / 2 = 2.5, then (2 + 3 + 2) / 3 = 2.33 -> 2.3: −0.2.
    assert rij(verslag, "scores", "vo-bereikbaarheid-school") == (G, "2,5", "2,3", "−0,2")
    # VO LLZ: (2 + 2) / 2 = 2.0, then (3 + 3 + 4) / 3 = 3.33 -> 3.3: +1.3.
    assert rij(verslag, "scores", "vo-bereikbaarheid-llz") == (G, "2,0", "3,3", "+1,3")
    assert rij(verslag, "scores", "vo-samenwerking-llz") == (G, NIETS, "5,0", NIETS)
    assert rij(verslag, "scores", "vo-bejegening-school") == (G, NIETS, NIETS, NIETS)
    assert [g.label for g in verslag.tabel("scores").groepen] == [
        "Primair onderwijs", "Voortgezet onderwijs"]

    # Points agreed: PO 1 then 2; VO 2 then 3 + 1 = 4.
    assert rij(verslag, "verbeterpunten", "po") == (G, "1", "2", "+1")
    assert rij(verslag, "verbeterpunten", "vo") == (G, "2", "4", "+2")
    assert rij(verslag, "verbeterpunten", "totaal") == (G, "3", "6", "+3")
    # Done: PO 1 then 1; VO 0 then 2.
    assert rij(verslag, "verbeterpunten-afgerond", "po") == (G, "1", "1", "0")
    assert rij(verslag, "verbeterpunten-afgerond", "vo") == (G, "0", "2", "+2")
    assert rij(verslag, "verbeterpunten-afgerond", "totaal") == (G, "1", "3", "+2")


def _lijsten(verslag: Jaarverslag) -> dict:
    """The lists of the report by key: (title, item heads, item texts)."""
    return {lijst.sleutel: (lijst.titel, [i.kop for i in lijst.items],
                            [i.tekst for i in lijst.items], [i.details for i in lijst.items])
            for h in verslag.hoofdstukken for lijst in h.lijsten}


def test_klankbordgroep(verslag):
    """This year's decisions of each group, and the measures that started up to this year."""
    lijsten = _lijsten(verslag)
    assert list(lijsten) == ["besluiten-po", "maatregelen-po", "besluiten-vo", "maatregelen-vo"]
    assert lijsten["besluiten-po"][2] == ["Het startbezoek vóór de herfstvakantie plannen."]
    assert lijsten["besluiten-vo"][2] == ["De school deelt de JES-data met Leerlingzaken."]
    assert lijsten["besluiten-vo"][1] == ["Overleg van 09-11-2026"]
    assert lijsten["besluiten-po"][1] == ["Overleg van 12-10-2026"]
    assert lijsten["maatregelen-po"][1] == ["Maatregel 1: Spreekuur op school (afgerond)"]
    assert lijsten["maatregelen-vo"][1] == ["Maatregel 1: JES-agenda vooraf"]
    assert lijsten["maatregelen-vo"][3] == [[("augustus – januari",
                                              "Vier van de vijf agenda's op tijd.")]]


# --- the summary -------------------------------------------------------------------------------

def test_samenvatting_points_at_rows_and_quotes_them(verslag):
    """Every sentence points at an existing row and quotes its figure of the report's year; PO
    (+50 procentpunt) improved most on termijnen and is named."""
    assert [(z.tabel, z.rij) for z in verslag.samenvatting] == [
        ("termijn-llz", "po"), ("aanwezigheid-op-norm", "vo"), ("lijst-op-tijd", "totaal"),
        ("meldingen", "totaal"), ("escalaties-geopend", "totaal")]
    for zin in verslag.samenvatting:
        r = verslag.tabel(zin.tabel).rij(zin.rij)
        assert r.cellen[-1].tekst in zin.tekst, zin.tekst
        assert zin.anker == verslag.tabel(zin.tabel).anker(r)
    eerste = verslag.samenvatting[0].tekst
    assert "het primair onderwijs het meest" in eerste
    assert "100%" in eerste and "+50 procentpunt" in eerste and VORIG in eerste
    assert "voortgezet onderwijs" in verslag.samenvatting[1].tekst
    assert "67%" in verslag.samenvatting[1].tekst
    assert "40%" in verslag.samenvatting[2].tekst and "−20 procentpunt" in \
        verslag.samenvatting[2].tekst
    assert "5 escalaties" in verslag.samenvatting[4].tekst


# --- one sector --------------------------------------------------------------------------------

def _alle_teksten(verslag: Jaarverslag) -> list[str]:
    """Every text of the report: titles, notes, group and row labels, cells, lists, summary."""
    teksten = [verslag.titel, *(z.tekst for z in verslag.samenvatting)]
    for h in verslag.hoofdstukken:
        teksten += [h.titel, h.inleiding]
        for t in h.tabellen:
            teksten += [t.titel, t.toelichting, t.kolomkop]
            for g in t.groepen:
                teksten.append(g.label)
                for r in g.rijen:
                    teksten += [r.sleutel, r.label, r.verschil.tekst, *(c.tekst for c in r.cellen)]
        for lijst in h.lijsten:
            teksten += [lijst.titel, lijst.leeg]
            for item in lijst.items:
                teksten += [item.kop, item.tekst, *(x for paar in item.details for x in paar)]
    return teksten


def test_sector_vo_holds_only_vo(app, wereld):
    """The VO report: VO schools only, no PO school anywhere, no total row, VO lists only."""
    with app.app_context():
        verslag = _verslag("VO")
    assert verslag.scholen == 3 and verslag.sector == "VO"
    assert verslag.titel.endswith(", Voortgezet onderwijs")
    teksten = " | ".join(_alle_teksten(verslag))
    for naam in PO_NAMEN:
        assert naam not in teksten
    assert "Citadel College (20VC00)" in teksten
    for tabel in verslag.tabellen:
        assert all(not r.sleutel.startswith(("po", "totaal")) for r in tabel.rijen), tabel.sleutel
    assert [r.sleutel for r in verslag.tabel("termijn-llz").rijen] == ["vo"]
    assert list(_lijsten(verslag)) == ["besluiten-vo", "maatregelen-vo"]
    # The VO figures are the same as in the whole report.
    assert rij(verslag, "termijn-llz", "vo") == (G, "80%", "67%", "−13 procentpunt")
    assert rij(verslag, "aanwezigheid-op-norm", "vo") == (G, "67%", "67%", "0 procentpunt")
    # The summary speaks of VO only, without comparing it with sectors that are not there.
    assert [(z.tabel, z.rij) for z in verslag.samenvatting][0] == ("termijn-llz", "vo")
    zinnen = [z.tekst for z in verslag.samenvatting]
    assert zinnen[0] == ("Leerlingzaken handelde in het voortgezet onderwijs 67% van de meldingen "
                         "binnen de termijn af (−13 procentpunt ten opzichte van 2025-2026).")
    assert zinnen[1] == ("In het voortgezet onderwijs haalde Leerlingzaken de norm voor "
                         "aanwezigheid op school op 67% van de scholen.")
    assert not any("het meest" in z or "geen sector" in z for z in zinnen)


def test_unknown_sector_is_refused(app, wereld):
    """An unknown sector is a KeyError (the page turns it into a 404)."""
    with app.app_context(), pytest.raises(KeyError):
        _verslag("XX")


# --- bounded queries ---------------------------------------------------------------------------

def _school_met_gegevens(naam, code, sector, nu, vorig):
    """A school with a melding, a visit, an escalation, a list and scores in both years."""
    school = f.school(naam=naam, code=code, sector=sector)
    for jaar, dag in ((nu, d(7, 9, 2026)), (vorig, d(8, 9, 2025))):
        _melding(school, jaar, f"{code}-{jaar.naam}", dag, reactie=dag)
        _bezoeken(school, jaar, dag, 1, jes=1)
        _escalatie(school, jaar, "inhoud", dag, dag)
        _lijst(school, jaar, dag)
        _evaluatie(school, jaar, {SB: 3, LB: 4}, [("Punt", dag)])
    return school


# An expanded IN list ("IN (?, ?)" or "IN (%(id_1_1)s::INTEGER, ...)"): one statement however long.
IN_LIJST = re.compile(r"IN \((?:[^()]|\([^()]*\))*\)")


@contextmanager
def _statements():
    """Record the SQL statements the app's engine sends while the block runs."""
    gezien: list[str] = []

    def hit(_conn, _cursor, statement, *_rest):
        gezien.append(statement)

    event.listen(db.engine, "before_cursor_execute", hit)
    try:
        yield gezien
    finally:
        event.remove(db.engine, "before_cursor_execute", hit)


def test_query_count_does_not_grow_with_schools(app):
    """Two schools or six: the same number of SQL statements."""
    with app.app_context():
        f.schooljaar(OUD, huidig=False)
        vorig = f.schooljaar(VORIG, huidig=False)
        nu = f.schooljaar(JAAR, huidig=True)
        _school_met_gegevens("Een", "30PA00", "PO", nu, vorig)
        _school_met_gegevens("Twee", "31VA00", "VO", nu, vorig)
        _klankbord(nu, vorig)
        db.session.commit()
        _verslag()  # the norms file is read once per app
        db.session.commit()  # both measurements begin a transaction of their own
        with _statements() as twee:
            klein = _verslag()
        for i in range(4):
            _school_met_gegevens(f"Extra {i}", f"4{i}XA00", ("PO", "VO")[i % 2], nu, vorig)
        db.session.commit()
        with _statements() as zes:
            groot = _verslag()
    assert (klein.scholen, groot.scholen) == (2, 6)
    assert rij(groot, "meldingen", "totaal") == (G, "6", "6", "0")
    assert len(twee) > 0
    klein_sql, groot_sql = (Counter(re.sub(IN_LIJST, "IN (...)", q) for q in lijst)
                            for lijst in (twee, zes))
    assert groot_sql == klein_sql, "\n\n".join((groot_sql - klein_sql) + (klein_sql - groot_sql))
    assert len(zes) == len(twee)


# --- the threshold from the norms --------------------------------------------------------------

def _bestandsversie():
    """Version 1 of content/normen.toml."""
    return laad_normen(standaard_normen_pad()).voor_schooljaar(JAAR)


def _normversie(nummer: str, normen: dict) -> None:
    """Store an adopted norms version for 2026-2027 with exactly these norms."""
    inhoud = json.loads(inhoud_van(_bestandsversie()))
    db.session.add(NormversieRecord(
        nummer=nummer, geldig_vanaf=JAAR, status="vastgesteld", vastgesteld_op=d(1, 7, 2026),
        vastgesteld_door_naam="Beheerder", toelichting="Door de Klankbordgroep",
        inhoud=json.dumps({"normen": normen, "meldingselementen": inhoud["meldingselementen"]})))
    db.session.commit()


def test_stored_norms_without_kleine_aantallen_still_build(app, wereld):
    """A version adopted before the norm existed: the threshold comes from content/normen.toml."""
    with app.app_context():
        normen = json.loads(inhoud_van(_bestandsversie()))["normen"]
        del normen["kleine_aantallen"]
        assert "kleine_aantallen" not in normen and "melding_reactie" in normen
        _normversie("2", normen)
    with app.app_context():
        verslag = _verslag()
    assert verslag.normversie == "2"
    assert verslag.drempel == 5
    assert rij(verslag, "school-meldingen", "10PA00") == (G, "< 5", "< 5", NIETS)


def test_threshold_three_shows_three(app, wereld):
    """With kleine_aantallen = 3, Appelboom's 3 meldingen show and Duinrand's 2 read '< 3'."""
    with app.app_context():
        normen = json.loads(inhoud_van(_bestandsversie()))["normen"]
        normen["kleine_aantallen"]["waarde"] = 3
        _normversie("3", normen)
    with app.app_context():
        nu = _jaar()
        duinrand = db.session.get(School, wereld["duinrand"])
        _melding(duinrand, nu, "D1", d(5, 10, 2026), reactie=d(6, 10, 2026))
        _melding(duinrand, nu, "D2", d(12, 10, 2026), reactie=d(13, 10, 2026))
        db.session.commit()
    with app.app_context():
        verslag = _verslag()
    assert verslag.drempel == 3 and verslag.normversie == "3"
    assert rij(verslag, "school-meldingen", "10PA00")[2] == "3"
    assert rij(verslag, "school-meldingen", "21VD00")[2] == "< 3"
    # Appelboom's 3 LLZ steps are now enough for a share (3/3) and a median (1 2 4 -> 2).
    assert rij(verslag, "school-termijn-llz", "10PA00")[2] == "100%"
    assert rij(verslag, "school-mediaan", "10PA00")[2] == "2"
    # Last year's 4 are shown too under the threshold of the report's year.
    assert rij(verslag, "school-meldingen", "10PA00") == (G, "4", "3", "−1")


# --- figures found wrong (see the report to the lead) -----------------------------------------

def test_lijst_te_laat_vastgesteld_with_a_new_concept(app, wereld):
    """Berkenhof's list was vastgesteld late (15-11-2026); a later change opens version 2 as a
    concept. The list WAS vastgesteld, late: it must stay 'te laat vastgesteld', not become
    'niet vastgesteld'."""
    with app.app_context():
        db.session.add(Afsprakenlijst(
            school_id=wereld["berkenhof"], schooljaar_id=wereld["nu"], volgnummer=2,
            status=Status.CONCEPT, herkomst=Herkomst.WIJZIGING))
        db.session.commit()
        verslag = _verslag()
    assert rij(verslag, "school-lijst", "11PB00")[2] == "te laat vastgesteld"
    assert rij(verslag, "lijst-telling", "po-te-laat")[2] == "1"
    assert rij(verslag, "lijst-telling", "po-niet")[2] == "0"


def test_verbeterpunt_done_after_the_peildatum_is_not_counted(app, wereld):
    """2025-2026 is judged on 31-07-2026. A point of its evaluation done on 01-10-2026 was not
    done by then ('tot de peildatum'): VO done stays 0 in 2025-2026."""
    with app.app_context():
        punt = db.session.scalars(select(Verbeterpunt).where(
            Verbeterpunt.wat == "Verzuimbeleid")).one()
        punt.afgerond_op = d(1, 10, 2026)
        db.session.commit()
        verslag = _verslag()
    assert rij(verslag, "verbeterpunten-afgerond", "vo")[1] == "0"


def test_escalatie_resolved_after_the_peildatum_is_open_on_it(app, wereld):
    """2025-2026 is judged on 31-07-2026. Citadel's escalation opened 01-06-2026 and resolved
    15-09-2026 was still open then: 2025-2026 shows 2 opened, still 1 resolved (Citadel's
    December one) and a median of 7 days, not 2 resolved and days 7, 106."""
    with app.app_context():
        _escalatie(db.session.get(School, wereld["citadel"]), _jaar(VORIG), "samenwerking",
                   d(1, 6, 2026), d(15, 9, 2026))
        db.session.commit()
        verslag = _verslag()
    assert rij(verslag, "escalaties-geopend", "vo")[1] == "2"
    assert rij(verslag, "escalaties-opgelost", "vo")[1] == "1"
    assert rij(verslag, "escalaties-duur", "vo")[1] == "7"
