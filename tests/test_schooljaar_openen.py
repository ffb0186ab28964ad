"""Opening the next schooljaar: the rules (which schooljaar, from when), the summary of what
will happen, and the beheerder's two-step page (summary, then "Bevestigen")."""

import threading
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.afspraken.models import Afsprakenlijst, Herkomst, Status
from leerplicht.afspraken.regels import Regelfout, maak_lijst
from leerplicht.afspraken.schooljaar import (
    controleer_opening,
    samenvatting,
    start_schooljaar,
    volgend,
)
from leerplicht.escalatie.models import Escalatie, Routestap
from leerplicht.escalatie.regels import los_op, neem_over, open_escalatie, routes_voor
from leerplicht.extensions import db
from leerplicht.normenbron import normen_voor
from leerplicht.scholen.queries import laad_scholen
from leerplicht.schooljaren import Schooljaar, maak_schooljaar, naam_voor_datum, plus_maanden

import factories as f

# --- the rules, on plain values -----------------------------------------------------------------

JAAR = maak_schooljaar("2026-2027", huidig=True)


@pytest.mark.parametrize(
    ("huidig", "naam", "vandaag", "melding"),
    [
        # From three months before it starts: 2027-2028 from 1 May 2027, not in November 2026.
        (JAAR, "2027-2028", date(2026, 11, 30), "vanaf 1 mei 2027"),
        (JAAR, "2027-2028", date(2027, 4, 30), "vanaf 1 mei 2027"),
        # No skipping, however late, and never an earlier schooljaar.
        (JAAR, "2028-2029", date(2028, 9, 1), "overslaan"),
        (JAAR, "2025-2026", date(2026, 11, 30), "vóór het huidige schooljaar"),
        (JAAR, "2020-2021", date(2026, 11, 30), "vóór het huidige schooljaar"),
        # The first schooljaar of a new install follows the date rule too.
        (None, "2027-2028", date(2026, 11, 30), "vanaf 1 mei 2027"),
        # Malformed names.
        (JAAR, "2027", date(2027, 6, 1), "geen schooljaar"),
        (JAAR, "2027-2029", date(2027, 6, 1), "geen schooljaar"),
        (JAAR, "²⁰²⁷-2028", date(2027, 6, 1), "geen schooljaar"),
    ],
)
def test_opening_refused(huidig, naam, vandaag, melding):
    """A refused schooljaar raises a clear Dutch message."""
    with pytest.raises(ValueError, match=melding):
        controleer_opening(naam, huidig, vandaag)


@pytest.mark.parametrize(
    ("huidig", "naam", "vandaag", "openen"),
    [
        (JAAR, "2027-2028", date(2027, 5, 1), True),  # the first day it may be opened
        (JAAR, "2027-2028", date(2027, 7, 31), True),
        (JAAR, "2027-2028", date(2027, 10, 1), True),  # late is allowed
        (JAAR, "2026-2027", date(2026, 11, 30), False),  # the current one: nothing to do
        (None, "2026-2027", date(2026, 5, 1), True),
    ],
)
def test_opening_allowed(huidig, naam, vandaag, openen):
    """The next schooljaar from 1 May on; the current one again is a no-op (False)."""
    assert controleer_opening(naam, huidig, vandaag) is openen


def test_plus_maanden_back_over_a_year_boundary():
    """Three months before 1 February is 1 November of the year before (used for the rule)."""
    assert plus_maanden(date(2027, 2, 1), -3) == date(2026, 11, 1)
    assert plus_maanden(date(2027, 8, 1), -3) == date(2027, 5, 1)


# --- the summary and the opening, in the database ---------------------------------------------


def _vastgesteld(school, jaar):
    """A vastgestelde afsprakenlijst for the school in the schooljaar."""
    lijst = maak_lijst(school, jaar, normen_voor(jaar))
    lijst.status = Status.VASTGESTELD
    lijst.vastgesteld_op = datetime(jaar.begin.year, 10, 1, tzinfo=UTC)
    return lijst


@pytest.fixture
def jaarwereld(app):
    """Schools in every situation at the end of 2026-2027, and escalations open and resolved.

    A: vastgestelde list and an own route; B: only a concept; C: no list; D: inactive, no
    list; E: vastgesteld, then a concept of a new version. Open escalations: one of 2025-2026
    and one of 2026-2027; one resolved.
    """
    with app.app_context():
        vorig = f.schooljaar("2025-2026", huidig=False)
        jaar = f.schooljaar("2026-2027")
        a = f.school(naam="School A", code="11AA00")
        b = f.school(naam="School B", code="12AA00")
        f.school(naam="School C", code="13AA00")
        f.school(naam="School D", code="14AA00", actief=False)
        e = f.school(naam="School E", code="15AA00")
        _vastgesteld(a, jaar)
        maak_lijst(b, jaar, normen_voor(jaar))
        _vastgesteld(e, jaar)
        db.session.flush()
        concept = maak_lijst(e, jaar, normen_voor(jaar))
        concept.volgnummer = 2
        (school_a,) = laad_scholen([a.id])
        route = routes_voor([school_a], jaar)[school_a.id]
        neem_over(route, school_id=a.id, schooljaar_id=jaar.id)
        open_escalatie(school_a, vorig, route, "inhoud", "Oud en open", date(2026, 3, 2),
                       "Lars", "llz")
        open_escalatie(school_a, jaar, route, "samenwerking", "Nieuw en open",
                       date(2026, 10, 5), "Lars", "llz")
        klaar = open_escalatie(school_a, jaar, route, "inhoud", "Opgelost", date(2026, 9, 7),
                               "Lars", "llz")
        los_op(klaar, date(2026, 9, 9), "Afgesproken", "Lars", date(2026, 9, 9))
        db.session.commit()


def _huidig():
    """The current schooljaar."""
    return db.session.scalars(select(Schooljaar).where(Schooljaar.huidig.is_(True))).one()


def test_summary_counts_what_opening_will_do(app, jaarwereld):
    """Lists verlengd, schools without a list, open escalations and own routes, counted."""
    with app.app_context():
        overzicht = samenvatting("2027-2028", _huidig())
        assert (overzicht.verlengd, overzicht.alleen_concept, overzicht.zonder_lijst,
                overzicht.open_escalaties, overzicht.eigen_routes) == (2, 1, 1, 2, 1)
        zinnen = overzicht.zinnen
        assert zinnen[0].startswith("2027-2028 wordt het huidige schooljaar (van 1 augustus 2027")
        assert zinnen[1].startswith("2 vastgestelde afsprakenlijsten worden stilzwijgend")
        assert zinnen[2].startswith("2 actieve scholen beginnen 2027-2028 zonder")
        assert zinnen[3].startswith("2 open escalaties blijven open")
        assert zinnen[4].startswith("1 school houdt haar eigen escalatieroute")

        # The summary matches what opening then does.
        nieuw, verlengd = start_schooljaar("2027-2028", date(2027, 6, 1))
        assert verlengd == overzicht.verlengd
        assert db.session.scalar(select(func.count(func.distinct(Routestap.school_id))).where(
            Routestap.schooljaar_id == nieuw.id)) == overzicht.eigen_routes
        assert db.session.scalar(select(func.count(Escalatie.id)).where(
            Escalatie.opgelost_op.is_(None))) == overzicht.open_escalaties
        # Afterwards nothing is left to carry over.
        na = samenvatting("2027-2028", _huidig())
        assert (na.verlengd, na.eigen_routes) == (0, 0)


def test_summary_with_nothing_to_carry_over(app):
    """Zero counts read as plain sentences, not '0 ... worden verlengd'."""
    with app.app_context():
        jaar = f.schooljaar("2026-2027")
        db.session.commit()
        zinnen = samenvatting("2027-2028", jaar).zinnen
        assert zinnen[1:] == [
            "Er is geen vastgestelde afsprakenlijst om stilzwijgend te verlengen.",
            "Elke actieve school heeft een vastgestelde afsprakenlijst die doorloopt.",
            "Er zijn geen open escalaties.",
            "Geen school heeft een eigen escalatieroute: alle volgen de standaardroute.",
        ]


def test_start_applies_the_rules_and_is_idempotent(app, jaarwereld):
    """start_schooljaar refuses what the rules refuse and changes nothing; twice is a no-op."""
    with app.app_context():
        with pytest.raises(Regelfout, match="vanaf 1 mei 2027"):
            start_schooljaar("2027-2028", date(2027, 4, 30))
        db.session.rollback()
        with pytest.raises(Regelfout, match="overslaan"):
            start_schooljaar("2028-2029", date(2028, 6, 1))
        db.session.rollback()
        assert _huidig().naam == "2026-2027"
        assert db.session.scalar(select(func.count(Schooljaar.id))) == 2
        nieuw, verlengd = start_schooljaar("2027-2028", date(2027, 5, 1))
        assert (nieuw.naam, verlengd) == ("2027-2028", 2)
        again, verlengd = start_schooljaar("2027-2028", date(2027, 5, 2))
        assert (again.naam, verlengd) == ("2027-2028", 0)
        lijsten = db.session.scalars(select(Afsprakenlijst).where(
            Afsprakenlijst.herkomst == Herkomst.VERLENGD)).all()
        assert len(lijsten) == 2 and {lijst.schooljaar.naam for lijst in lijsten} == {
            "2027-2028"}
        with pytest.raises(Regelfout, match="vóór het huidige"):
            start_schooljaar("2026-2027", date(2027, 9, 1))


# --- the beheerder's page: summary first, then confirm ------------------------------------------


def _wereld_met_huidig(app, naam: str) -> None:
    """A beheerder, a school with a vastgestelde list in the current schooljaar `naam`."""
    with app.app_context():
        jaar = f.schooljaar(naam)
        school = f.school(naam="School A", code="11AA00")
        _vastgesteld(school, jaar)
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        db.session.commit()


@pytest.fixture
def te_openen(app):
    """The current schooljaar is the one before today's: today's may be opened (late)."""
    vorig = naam_voor_datum(plus_maanden(date.today(), -12))
    _wereld_met_huidig(app, vorig)
    return volgend(vorig)


def _status(app):
    """(current schooljaar, number of schooljaren, number of lists)."""
    with app.app_context():
        return (_huidig().naam, db.session.scalar(select(func.count(Schooljaar.id))),
                db.session.scalar(select(func.count(Afsprakenlijst.id))))


def test_page_shows_summary_then_opens_on_confirmation(app, te_openen, client):
    """'Verder' shows the summary and a Bevestigen form; only that form opens the schooljaar."""
    client.login("beheer@llz.example.nl")
    voor = _status(app)
    soup = client.soup("/beheer/schooljaren")
    assert soup.select_one("#naam")["value"] == te_openen

    response = client.post("/beheer/schooljaren", {"naam": te_openen})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    zinnen = [li.get_text(" ", strip=True) for li in soup.select("ul.samenvatting li")]
    assert zinnen[1].startswith("1 vastgestelde afsprakenlijst wordt stilzwijgend verlengd")
    assert zinnen[2].startswith("Elke actieve school")
    bevestig = soup.select_one("main form[method=post]")
    velden = {i["name"]: i.get("value") for i in bevestig.select("input")}
    assert velden["naam"] == te_openen and velden["bevestigd"] == "ja"
    assert "csrf_token" in velden
    assert bevestig.select_one("button[type=submit]").get_text(strip=True) == "Bevestigen"
    assert _status(app) == voor  # nothing happened yet

    response = client.post("/beheer/schooljaren", {k: v for k, v in velden.items()
                                                   if k != "csrf_token"})
    assert response.status_code == 302
    assert _status(app) == (te_openen, voor[1] + 1, voor[2] + 1)
    soup = client.soup("/beheer/schooljaren")
    assert "1 afsprakenlijst is stilzwijgend verlengd" in soup.select_one(
        ".utrecht-alert").get_text()


@pytest.mark.parametrize("bevestigd", ["", "ja"])
def test_page_refuses_skipping_earlier_and_current(app, te_openen, client, bevestigd):
    """Skipping, an earlier or the current schooljaar: 422 with the reason, nothing changes,
    also when the confirmation field is forged."""
    client.login("beheer@llz.example.nl")
    voor = _status(app)
    start = int(te_openen[:4])
    for naam, melding in [
        (f"{start + 1}-{start + 2}", "overslaan"),
        (f"{start - 2}-{start - 1}", "vóór het huidige schooljaar"),
        (voor[0], "al het huidige schooljaar"),
        ("volgend jaar", "schrijf het als"),
    ]:
        response = client.post("/beheer/schooljaren", {"naam": naam, "bevestigd": bevestigd})
        assert response.status_code == 422, naam
        soup = BeautifulSoup(response.text, "html.parser")
        assert melding in soup.select_one("#naam-fout").get_text(), naam
        assert soup.select_one("#foutoverzicht")
        assert not soup.select("ul.samenvatting")
    assert _status(app) == voor


@pytest.mark.parametrize("bevestigd", ["", "ja"])
def test_page_refuses_a_schooljaar_too_far_ahead(app, client, bevestigd):
    """The next schooljaar more than three months ahead: refused with the date it may open."""
    huidig = naam_voor_datum(plus_maanden(date.today(), 6))  # its successor starts > 6 months out
    _wereld_met_huidig(app, huidig)
    client.login("beheer@llz.example.nl")
    voor = _status(app)
    response = client.post("/beheer/schooljaren", {"naam": volgend(huidig),
                                                   "bevestigd": bevestigd})
    assert response.status_code == 422
    fout = BeautifulSoup(response.text, "html.parser").select_one("#naam-fout").get_text()
    assert f"vanaf 1 mei {int(huidig[5:])}" in fout
    assert _status(app) == voor


def test_two_openings_at_once_open_it_once(app, jaarwereld):
    """Two beheerders confirm at the same moment: one opens, the other finds nothing to do."""
    barrier = threading.Barrier(2)
    uitkomsten, fouten = [], []

    def openen():
        with app.app_context():
            barrier.wait()
            try:
                nieuw, verlengd = start_schooljaar("2027-2028", date(2027, 6, 1))
                uitkomsten.append((nieuw.naam, verlengd))
            except Exception as error:  # noqa: BLE001 - any error fails the test below
                fouten.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=openen) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert fouten == []
    assert sorted(uitkomsten) == [("2027-2028", 0), ("2027-2028", 2)]
    with app.app_context():
        assert _huidig().naam == "2027-2028"
        assert db.session.scalar(select(func.count(Afsprakenlijst.id)).where(
            Afsprakenlijst.herkomst == Herkomst.VERLENGD)) == 2
