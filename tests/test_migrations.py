"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from leerplicht.extensions import db
from leerplicht.migraties import upgrade


def test_migrations_match_models(app):
    """Upgrade an empty database to head; the result has no difference with the models."""
    with app.app_context():
        db.drop_all()
        with db.engine.connect() as conn:
            assert inspect(conn).get_table_names() in ([], ["alembic_version"])
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"render_as_batch": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alembic_version")


def test_check_constraints_of_the_models_exist_after_upgrade(app):
    """Every CHECK constraint the models declare is in the migrated database (autogenerate
    does not compare them, so this test does)."""
    with app.app_context():
        db.drop_all()
        upgrade()
        with db.engine.connect() as conn:
            inspector = inspect(conn)
            for table in db.metadata.sorted_tables:
                wanted = {c.name for c in table.constraints
                          if c.__class__.__name__ == "CheckConstraint" and c.name}
                present = {c["name"] for c in inspector.get_check_constraints(table.name)}
                assert wanted <= present, (table.name, wanted - present)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alembic_version")


def test_people_belong_to_the_schools_of_their_assignments(app):
    """Upgrading an existing database links each school-side person to every school where
    they ever held a role; LLZ people stay shared; an extra open assignment is closed."""
    with app.app_context():
        db.drop_all()
        upgrade(revision="1453421a067f")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO school (id, code, naam, sector, straat, postcode, plaats, bestuur,"
                " actief, versie, aangemaakt_op, gewijzigd_op) VALUES "
                "(1, '11AA00', 'A', 'PO', '', '', '', '', true, 1, '2026-01-01', '2026-01-01'),"
                "(2, '22BB00', 'B', 'VO', '', '', '', '', true, 1, '2026-01-01', '2026-01-01')")
            conn.exec_driver_sql(
                "INSERT INTO contactpersoon (id, naam, kant, functie, email, telefoon,"
                " teamleider, actief, aangemaakt_op, gewijzigd_op) VALUES "
                "(1, 'Llz', 'llz', '', '', '', false, true, '2026-01-01', '2026-01-01'),"
                "(2, 'Dir A', 'school', '', '', '', false, true, '2026-01-01', '2026-01-01'),"
                "(3, 'Wisselaar', 'school', '', '', '', false, true, '2026-01-01', '2026-01-01')")
            conn.exec_driver_sql(
                "INSERT INTO toewijzing (school_id, contactpersoon_id, rol, vanaf, tot, reden,"
                " aangemaakt_op, gewijzigd_op) VALUES "
                "(1, 1, 'llz_contact', '2026-08-01', NULL, '', '2026-01-01', '2026-01-01'),"
                "(1, 2, 'directeur', '2026-08-01', NULL, '', '2026-01-01', '2026-01-01'),"
                "(1, 3, 'school_contact', '2025-08-01', '2026-08-01', '', '2026-01-01',"
                " '2026-01-01'),"
                "(2, 3, 'school_contact', '2025-08-01', NULL, '', '2026-01-01', '2026-01-01'),"
                "(2, 2, 'school_contact', '2026-09-01', NULL, '', '2026-01-01', '2026-01-01')")
        upgrade()
        with db.engine.connect() as conn:
            links = conn.exec_driver_sql(
                "SELECT contactpersoon_id, school_id FROM contactpersoon_school "
                "ORDER BY 1, 2").fetchall()
            open_rows = conn.exec_driver_sql(
                "SELECT contactpersoon_id, tot FROM toewijzing WHERE school_id = 2 "
                "ORDER BY vanaf").fetchall()
        assert [tuple(r) for r in links] == [(2, 1), (2, 2), (3, 1), (3, 2)]
        assert [(r[0], str(r[1])) for r in open_rows] == [(3, "2026-09-01"), (2, "None")]
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alembic_version")
