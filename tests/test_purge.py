"""Retention: the beheerder's setting, `leerplicht purge` (dry run and real) and recomputing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from leerplicht.accounts.models import Rol
from leerplicht.audit import Auditregel
from leerplicht.extensions import db
from leerplicht.schooljaren import plus_maanden
from leerplicht.termijnen.bewaren import bewaartermijn, uiterste_datum
from leerplicht.termijnen.models import Instelling, Ontwikkeling, Verzuimmelding, Vraag
from leerplicht.termijnen.opslag import herbereken

import factories as f

OUD, GRENS, NIEUW = date(2019, 10, 1), date(2020, 1, 1), date(2020, 2, 3)


@pytest.fixture
def rijen(app):
    """One school with rows in 2019-2020 on both sides of 1 January 2020, and this year."""
    with app.app_context():
        f.huidig_schooljaar()
        oud_jaar = f.schooljaar("2019-2020", huidig=False)
        school = f.school(code="11AA00")
        f.gebruiker(Rol.BEHEERDER, "beheer@llz.example.nl")
        f.gebruiker(Rol.LLZ, "llz@llz.example.nl")
        for i, dag in enumerate((OUD, OUD, NIEUW)):
            records = [
                Verzuimmelding(school_id=school.id, schooljaar_id=oud_jaar.id,
                               referentie=f"VM-{i}", ontvangen_op=dag),
                Vraag(school_id=school.id, schooljaar_id=oud_jaar.id, gesteld_door="llz",
                      onderwerp="Aanwezigheid", gesteld_op=dag),
                Ontwikkeling(school_id=school.id, schooljaar_id=oud_jaar.id,
                             onderwerp="Verhuizing", bekend_op=dag),
            ]
            for record in records[1:] if i == 1 else records:
                herbereken(record, oud_jaar)
                db.session.add(record)
        db.session.commit()
    return app


def _aantallen(app) -> tuple[int, int, int]:
    """Rows per register."""
    with app.app_context():
        return tuple(db.session.scalar(select(func.count(model.id)))
                     for model in (Verzuimmelding, Vraag, Ontwikkeling))


def test_dry_run_prints_per_register_and_schooljaar_and_changes_nothing(rijen, runner):
    """--proef: what would go, per register and schooljaar; the database is untouched."""
    resultaat = runner.invoke(args=["purge", "--voor", "2020-01-01", "--proef"])
    assert resultaat.exit_code == 0, resultaat.output
    assert resultaat.output.splitlines() == [
        "Proef: met begindatum vóór 01-01-2020 zou dit verwijderd worden:",
        "  meldingen 2019-2020: 1",
        "  vragen 2019-2020: 2",
        "  ontwikkelingen 2019-2020: 2",
        "Er is niets veranderd.",
    ]
    assert _aantallen(rijen) == (2, 3, 3)
    with rijen.app_context():
        assert not db.session.scalar(select(func.count(Auditregel.id)).where(
            Auditregel.actie == "opgeschoond"))


def test_real_run_removes_exactly_the_old_rows_and_audits(rijen, runner):
    """A real run removes the rows that began before the date and writes one audit row per
    register."""
    resultaat = runner.invoke(args=["purge", "--voor", "01-01-2020"])
    assert resultaat.exit_code == 0, resultaat.output
    assert resultaat.output.splitlines() == [
        "meldingen: 1 verwijderd", "vragen: 2 verwijderd", "ontwikkelingen: 2 verwijderd"]
    assert _aantallen(rijen) == (1, 1, 1)
    with rijen.app_context():
        assert db.session.scalar(select(Verzuimmelding.ontvangen_op)) == NIEUW
        audit = db.session.scalars(select(Auditregel).where(
            Auditregel.actie == "opgeschoond").order_by(Auditregel.id)).all()
        assert [(r.tabel, r.nieuw) for r in audit] == [
            ("verzuimmelding", "1 rijen met begindatum vóór 01-01-2020"),
            ("vraag", "2 rijen met begindatum vóór 01-01-2020"),
            ("ontwikkeling", "2 rijen met begindatum vóór 01-01-2020"),
        ]
    again = runner.invoke(args=["purge", "--voor", "2020-01-01"])
    assert again.exit_code == 0 and "meldingen: 0 verwijderd" in again.output


def test_purge_refuses_a_date_inside_the_retention(rijen, runner):
    """A date later than today minus the retention is refused; nothing changes."""
    with rijen.app_context():
        grens = uiterste_datum()
    binnen = plus_maanden(grens, 1)
    for args in (["--voor", binnen.isoformat()], ["--voor", binnen.isoformat(), "--proef"]):
        resultaat = runner.invoke(args=["purge", *args])
        assert resultaat.exit_code != 0
        assert "vallen nog binnen de bewaartermijn van 60 maanden" in resultaat.output
    assert _aantallen(rijen) == (2, 3, 3)
    assert runner.invoke(args=["purge", "--voor", grens.isoformat(), "--proef"]).exit_code == 0
    fout = runner.invoke(args=["purge", "--voor", "gisteren"])
    assert fout.exit_code != 0 and "jjjj-mm-dd" in fout.output


def test_retention_page_shows_older_rows_and_saves_the_setting(rijen, make_client):
    """The beheerder sees how many rows are older than the retention and changes it."""
    beheerder = make_client()
    beheerder.login("beheer@llz.example.nl")
    soup = beheerder.soup("/beheer/bewaartermijn")
    assert "60 maanden" in soup.select_one("main").get_text()
    assert soup.select_one(".bewaar-telling .utrecht-status-badge").get_text() == "8"
    assert beheerder.post("/beheer/bewaartermijn", {"maanden": "240"}).status_code == 302
    with rijen.app_context():
        assert bewaartermijn() == 240
        assert db.session.scalar(select(Instelling.waarde)) == "240"
    soup = beheerder.soup("/beheer/bewaartermijn")
    assert "niets valt buiten de bewaartermijn" in soup.select_one(".bewaar-telling").get_text()
    for fout in ("11", "241", "twaalf", ""):
        antwoord = beheerder.post("/beheer/bewaartermijn", {"maanden": fout})
        assert antwoord.status_code == 422, fout
    with rijen.app_context():
        assert bewaartermijn() == 240
    llz = make_client()
    llz.login("llz@llz.example.nl")
    assert llz.get("/beheer/bewaartermijn").status_code == 403
    assert "/beheer/bewaartermijn" in beheerder.get("/beheer").text


def test_herbereken_command_fixes_stored_termijnen(rijen, runner):
    """`leerplicht termijnen herbereken` recomputes every row and prints how many changed."""
    with rijen.app_context():
        melding = db.session.scalars(select(Verzuimmelding).order_by(Verzuimmelding.id)).first()
        goed, melding_id = melding.reactie_uiterlijk, melding.id
        melding.reactie_uiterlijk = date(2030, 1, 1)
        db.session.commit()
    resultaat = runner.invoke(args=["termijnen", "herbereken"])
    assert resultaat.exit_code == 0, resultaat.output
    assert resultaat.output.strip() == "1 rij bijgewerkt."
    with rijen.app_context():
        assert db.session.get(Verzuimmelding, melding_id).reactie_uiterlijk == goed
    assert runner.invoke(args=["termijnen", "herbereken"]).output.strip() == "0 rijen bijgewerkt."
