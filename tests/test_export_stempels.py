"""Fingerprints of database rows for `leerplicht export --school`: hashing only that school's
rows (and the shared ones) gives the same fingerprints as hashing every row."""

import re

import pytest
from sqlalchemy import event, func, select

from leerplicht.demo import vul_demo
from leerplicht.escalatie.models import (
    LLZ_ROLLEN,
    SCHOOL_ROLLEN,
    Escalatie,
    Escalatiegebeurtenis,
    Routestap,
    Spoor,
)
from leerplicht.export import bouwen
from leerplicht.export.dossiers import _rijstempels
from leerplicht.export.stempels import NIET_GETOOND
from leerplicht.extensions import db
from leerplicht.scholen.models import School


@pytest.fixture
def demo(app):
    """The demo municipality: 12 schools with agreements and escalations, plus a sector's
    default route step (a row of a school table that belongs to no school)."""
    with app.app_context():
        vul_demo(12)
        db.session.add(Routestap(sector="VO", spoor=Spoor.INHOUD, positie=0,
                                 llz_rol=LLZ_ROLLEN[0], school_rol=SCHOOL_ROLLEN[0]))
        db.session.commit()
    return app


def test_one_school_fingerprint_equals_the_full_one_for_every_school(demo):
    """For every school: the shared fingerprint and that school's are the same as in a full
    run, and no other school is hashed."""
    with demo.app_context():
        # The world has rows of every kind the filter handles: a child table (events of an
        # escalation, owned through their escalation) and shared rows in a school table
        # (sector default routes, school_id NULL).
        assert db.session.scalar(select(func.count()).select_from(Escalatiegebeurtenis)) > 0
        assert db.session.scalar(
            select(func.count()).select_from(Routestap).where(Routestap.school_id.is_(None))
        ) > 0
        vol = _rijstempels()
        school_ids = db.session.scalars(select(School.id)).all()
        assert len(school_ids) >= 12
        for school_id in school_ids:
            een = _rijstempels(school_id)
            assert een.globaal == vol.globaal
            assert een.per_school == {school_id: vol.per_school[school_id]}


def test_a_change_in_a_child_row_changes_only_that_schools_fingerprint(demo):
    """An escalation event (a row owned through its escalation) counts for its own school
    only, in the one-school run as in the full one."""
    with demo.app_context():
        escalatie = db.session.scalars(
            select(Escalatie).join(Escalatiegebeurtenis).order_by(Escalatie.id)
        ).first()
        eigen = escalatie.school_id
        ander = db.session.scalar(select(School.id).where(School.id != eigen).order_by(School.id))
        voor_eigen, voor_ander = _rijstempels(eigen), _rijstempels(ander)
        gebeurtenis = db.session.scalars(
            select(Escalatiegebeurtenis).where(Escalatiegebeurtenis.escalatie_id == escalatie.id)
        ).first()
        gebeurtenis.toelichting = (gebeurtenis.toelichting or "") + " (bijgewerkt)"
        db.session.commit()
        na_eigen, na_ander = _rijstempels(eigen), _rijstempels(ander)
        assert na_eigen.per_school[eigen] != voor_eigen.per_school[eigen]
        assert na_eigen.globaal == voor_eigen.globaal
        assert na_ander.per_school == voor_ander.per_school
        assert na_eigen.per_school[eigen] == _rijstempels().per_school[eigen]



def test_the_dossiers_export_reads_only_fingerprinted_tables(demo, tmp_path):
    """Every table the dossiers export reads is fingerprinted: a change in it renders the
    pages again. Pages are rendered from what the bulk loaders read (detached objects, a lazy
    load fails), so the SQL of an export is everything a page can show."""
    with demo.app_context():
        # The left-out tables have rows here, so a loader that reads them would query them.
        for tabel in ("verzuimmelding", "vraag", "ontwikkeling", "bezoek", "evaluatie",
                      "evaluatiescore", "verbeterpunt"):
            assert db.session.scalar(
                select(func.count()).select_from(db.metadata.tables[tabel])
            ) > 0, tabel
        namen = [tabel.name for tabel in db.metadata.sorted_tables]
        assert NIET_GETOOND <= set(namen) | {"alembic_version"}  # no stale names
        gelezen = set()

        def luister(_verbinding, _cursor, statement, *_rest):
            """Note every table named in a statement (raw row hashing bypasses this)."""
            gelezen.update(n for n in namen if re.search(rf"\b{n}\b", statement))

        event.listen(db.engine, "before_cursor_execute", luister)
        try:
            bouwen.exporteer(demo, tmp_path / "uit",
                             bouwen.Opties(doelen=("dossiers",), werkers=1))
        finally:
            event.remove(db.engine, "before_cursor_execute", luister)
    assert {"school", "afspraak", "toewijzing", "routestap"} <= gelezen  # the check sees SQL
    assert not gelezen & NIET_GETOOND, sorted(gelezen & NIET_GETOOND)


def test_the_page_caches_data_version_is_not_an_input(demo):
    """The page cache's token (table `dataversie`) changes at every commit that wrote
    anything: as an input it would make every page of the export new after any change."""
    tabel = db.metadata.tables.get("dataversie")
    if tabel is None:
        pytest.skip("no page cache in this version")
    assert "dataversie" in NIET_GETOOND
    with demo.app_context():
        voor = _rijstempels()
        db.session.execute(tabel.update().values(token="ander-token-" + "0" * 20))
        db.session.commit()
        assert _rijstempels() == voor
