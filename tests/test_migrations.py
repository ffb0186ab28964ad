"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from leerplicht.extensions import db


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
