"""The hard data of a school's schooljaar (cyclus.harde): one definition for the evaluation's
snapshot and the Klankbordgroep overview. Every expected value is worked out by hand.

Schooljaar 2026-2027, judged on Monday 16-11-2026. Afsprakenlijst deadline: 31-10-2026.
- Pluto (PO): meldingen M-1 (reactie done in 3 werkdagen, on time), M-2 (reactie 7, late),
  M-3 onvolledig (terugmelden 2 on time; aanvullen open since 12-10: overdue, niet verzonden);
  one visit held 15-09 (kennismaking) and one planned; afsprakenlijst vastgesteld 20-10 (on
  time); escalations: one opened and resolved, one open.
- Vega (VO): no meldingen, two held visits (one JES), afsprakenlijst missing (late).
"""

from datetime import UTC, date, datetime

import pytest

from leerplicht.afspraken.models import Status
from leerplicht.cyclus.harde import HardeGegevens, harde_gegevens
from leerplicht.cyclus.models import Bezoek
from leerplicht.escalatie.models import Escalatie
from leerplicht.extensions import db
from leerplicht.scholen.models import School
from leerplicht.termijnen.models import Verzuimmelding

import factories as f

PEIL = date(2026, 11, 16)


def _melding(school, jaar, ref, ontvangen, oordeel, **stappen):
    """A melding with stored step columns (the figures read only those)."""
    m = Verzuimmelding(school_id=school.id, schooljaar_id=jaar.id, referentie=ref,
                       ontvangen_op=ontvangen, oordeel=oordeel,
                       elementen=511 if oordeel == "compleet" else 0, **stappen)
    db.session.add(m)


def _escalatie(school, jaar, onderwerp, opgelost=None):
    """An escalation opened on 1 October."""
    db.session.add(Escalatie(
        school_id=school.id, schooljaar_id=jaar.id, spoor="inhoud", onderwerp=onderwerp,
        geopend_op=date(2026, 10, 1), niveau=1, stap_sinds=date(2026, 10, 1), stap_termijn=5,
        stap_llz_rol="llz_contact", stap_school_rol="school_contact", opgelost_op=opgelost))


@pytest.fixture
def wereld(app):
    """The two schools of the module docstring."""
    with app.app_context():
        jaar = f.huidig_schooljaar()
        pluto = f.school(naam="Pluto", code="11PA00", sector="PO")
        vega = f.school(naam="Vega", code="33VC00", sector="VO")
        _melding(pluto, jaar, "M-1", date(2026, 9, 1), "compleet",
                 reactie_uiterlijk=date(2026, 9, 8), gereageerd_op=date(2026, 9, 4),
                 reactie_werkdagen=3)
        _melding(pluto, jaar, "M-2", date(2026, 9, 10), "compleet",
                 reactie_uiterlijk=date(2026, 9, 17), gereageerd_op=date(2026, 9, 21),
                 reactie_werkdagen=7)
        _melding(pluto, jaar, "M-3", date(2026, 10, 1), "onvolledig",
                 terugmelden_uiterlijk=date(2026, 10, 8), teruggemeld_op=date(2026, 10, 5),
                 terugmelden_werkdagen=2, aanvullen_uiterlijk=date(2026, 10, 12))
        db.session.add_all([
            Bezoek(school_id=pluto.id, schooljaar_id=jaar.id, datum=date(2026, 9, 15),
                   soort="kennismaking", status="gehouden"),
            Bezoek(school_id=pluto.id, schooljaar_id=jaar.id, datum=date(2026, 12, 1),
                   soort="mdo", status="gepland"),
            Bezoek(school_id=vega.id, schooljaar_id=jaar.id, datum=date(2026, 9, 10),
                   soort="jes", status="gehouden"),
            Bezoek(school_id=vega.id, schooljaar_id=jaar.id, datum=date(2026, 10, 10),
                   soort="overleg", status="gehouden"),
        ])
        lijst = f.afsprakenlijst(pluto, jaar)
        lijst.status = Status.VASTGESTELD
        lijst.vastgesteld_op = datetime(2026, 10, 20, 10, tzinfo=UTC)
        _escalatie(pluto, jaar, "Afstemming rooster", opgelost=date(2026, 10, 20))
        _escalatie(pluto, jaar, "Bereikbaarheid")
        db.session.commit()
        return {"pluto": pluto.id, "vega": vega.id}


def _gegevens(wereld) -> dict[int, HardeGegevens]:
    """The hard data of both schools on PEIL."""
    jaar = f.huidig_schooljaar()
    scholen = [db.session.get(School, wereld["pluto"]), db.session.get(School, wereld["vega"])]
    return harde_gegevens(scholen, jaar, PEIL)


def test_hard_data_of_a_po_school(app, wereld):
    """Termijnen, presence, escalations and the afsprakenlijst of Pluto, by hand."""
    with app.app_context():
        pluto = _gegevens(wereld)[wereld["pluto"]]
    assert pluto.meldingen == 3
    assert pluto.aandeel_onvolledig == pytest.approx(1 / 3)
    assert pluto.niet_verzonden == 1
    # LLZ steps: reactie M-1 on time, M-2 late, terugmelden M-3 on time: 2 of 3 within.
    assert pluto.llz_binnen == pytest.approx(2 / 3)
    assert pluto.llz_mediaan == 3  # handling times 2, 3, 7
    assert pluto.aanvullen_binnen == 0.0  # the one completion is overdue
    assert pluto.vragen == 0 and pluto.vragen_binnen is None
    assert pluto.bezoeken_gehouden == 1
    assert pluto.bezoeken_norm == 1
    assert pluto.bezoeken_verwacht == 1  # the start visit was due by 31-10
    assert pluto.aanwezigheid_achter is False
    assert (pluto.escalaties_geopend, pluto.escalaties_opgelost) == (2, 1)
    assert pluto.afsprakenlijst_status == "vastgesteld"
    assert pluto.afsprakenlijst_op_tijd is True


def test_hard_data_of_a_vo_school_behind(app, wereld):
    """Vega: 2 visits where 6 x 76/302 days = 1 is expected; the missing list is late."""
    with app.app_context():
        vega = _gegevens(wereld)[wereld["vega"]]
    assert vega.meldingen == 0
    assert vega.llz_binnen is None and vega.aandeel_onvolledig is None
    assert (vega.bezoeken_gehouden, vega.bezoeken_norm, vega.jes_gehouden) == (2, 6, 1)
    # 1 Sept .. 16 Nov = 76 days of 302 (to 30 June): 6 * 76 // 302 = 1.
    assert vega.bezoeken_verwacht == 1
    assert vega.aanwezigheid_achter is False
    assert vega.afsprakenlijst_status == "ontbreekt"
    assert vega.afsprakenlijst_op_tijd is False


def test_hard_data_round_trips_through_json(app, wereld):
    """The frozen form (als_dict) rebuilds the same values."""
    with app.app_context():
        pluto = _gegevens(wereld)[wereld["pluto"]]
    assert HardeGegevens.uit_dict(pluto.als_dict()) == pluto


def test_query_count_does_not_grow_with_schools(app, wereld, query_counter):
    """Two schools or twelve: the same number of queries."""
    with app.app_context():
        jaar = f.huidig_schooljaar()
        for n in range(10):
            f.school(naam=f"Extra {n}", code=f"{40 + n}XX00", sector="VO")
        db.session.commit()
        alle = list(db.session.scalars(db.select(School)))
        twee = alle[:2]
        harde_gegevens(twee, jaar, PEIL)  # the norms and the calendar are read once per context
        with query_counter() as klein:
            harde_gegevens(twee, jaar, PEIL)
        with query_counter() as groot:
            harde_gegevens(alle, jaar, PEIL)
    assert groot.count == klein.count
