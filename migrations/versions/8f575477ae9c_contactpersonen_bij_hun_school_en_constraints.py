"""Contactpersonen horen bij hun school; constraints voor rollen, statussen en gelijktijdigheid

Revision ID: 8f575477ae9c
Revises: 1453421a067f
Create Date: 2026-11-30 11:28:44.390282

School-side contact persons get the schools they work for (contactpersoon_school), filled from
every assignment they ever held. Enum-like columns get CHECK constraints, and partial unique
indexes make "one holder per school and role", "one team leader" and "one concept / one
vastgestelde afsprakenlijst per school and schooljaar" hold under concurrent requests.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f575477ae9c'
down_revision = '1453421a067f'
branch_labels = None
depends_on = None

SECTOREN = ("PO", "SO", "VO", "VSO", "MBO")
CONTACTROLLEN = ("llz_contact", "llz_vervanger", "school_contact", "school_vervanger",
                 "directeur")
LLZ_ROUTEROLLEN = ("llz_contact", "llz_vervanger", "teamleider")
SCHOOL_ROUTEROLLEN = ("school_contact", "school_vervanger", "directeur")


def _in(kolom, waarden):
    """SQL: kolom IN (the values)."""
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


CHECKS = {
    "school": [("sector", _in("sector", SECTOREN))],
    "contactpersoon": [("kant", _in("kant", ("llz", "school"))),
                       ("teamleider_llz", "kant = 'llz' OR NOT teamleider")],
    "toewijzing": [("rol", _in("rol", CONTACTROLLEN)), ("periode", "tot IS NULL OR tot > vanaf")],
    "gebruiker": [("rol", _in("rol", ("beheerder", "llz", "school")))],
    "afsprakenlijst": [("status", _in("status", ("concept", "vastgesteld", "vervangen"))),
                       ("herkomst", _in("herkomst", ("nieuw", "wijziging", "verlengd")))],
    "afspraak": [("wie", _in("wie", ("llz", "school", "beiden")))],
    "routestap": [("spoor", _in("spoor", ("inhoud", "samenwerking"))),
                  ("llz_rol", _in("llz_rol", LLZ_ROUTEROLLEN)),
                  ("school_rol", _in("school_rol", SCHOOL_ROUTEROLLEN)),
                  ("wijze", _in("wijze", ("telefoon", "overleg", "email"))),
                  ("termijn", "termijn_werkdagen BETWEEN 1 AND 60")],
    "escalatie": [("spoor", _in("spoor", ("inhoud", "samenwerking"))),
                  ("kant", "geopend_door_kant IN ('llz', 'school', '')"),
                  ("niveau", "niveau >= 1"),
                  ("stap_llz_rol", _in("stap_llz_rol", LLZ_ROUTEROLLEN)),
                  ("stap_school_rol", _in("stap_school_rol", SCHOOL_ROUTEROLLEN)),
                  ("opgelost", "opgelost_op IS NULL OR opgelost_op >= geopend_op")],
    "escalatiegebeurtenis": [("soort", "soort IN ('geopend', 'opgeschaald', 'opgelost')")],
}


def upgrade():
    op.create_table('contactpersoon_school',
    sa.Column('contactpersoon_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contactpersoon_id'], ['contactpersoon.id'], name=op.f('fk_contactpersoon_school_contactpersoon_id_contactpersoon'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_contactpersoon_school_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contactpersoon_id', 'school_id', name=op.f('pk_contactpersoon_school'))
    )
    with op.batch_alter_table('contactpersoon_school', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contactpersoon_school_school_id'), ['school_id'], unique=False)

    # Ownership follows today's and past assignments.
    op.execute(
        "INSERT INTO contactpersoon_school (contactpersoon_id, school_id) "
        "SELECT DISTINCT t.contactpersoon_id, t.school_id FROM toewijzing t "
        "JOIN contactpersoon c ON c.id = t.contactpersoon_id WHERE c.kant = 'school'"
    )
    # Repair what the new constraints refuse, so an existing database can be upgraded: an older
    # open-ended assignment of a role ends where the newest one begins; one team leader stays.
    op.execute(
        "UPDATE toewijzing SET tot = (SELECT MAX(n.vanaf) FROM toewijzing n "
        "WHERE n.school_id = toewijzing.school_id AND n.rol = toewijzing.rol "
        "AND n.tot IS NULL AND n.vanaf > toewijzing.vanaf) "
        "WHERE tot IS NULL AND EXISTS (SELECT 1 FROM toewijzing n "
        "WHERE n.school_id = toewijzing.school_id AND n.rol = toewijzing.rol "
        "AND n.tot IS NULL AND n.vanaf > toewijzing.vanaf)"
    )
    op.execute(
        "UPDATE contactpersoon SET teamleider = false WHERE teamleider AND id > "
        "(SELECT MIN(id) FROM contactpersoon WHERE teamleider)"
    )

    for tabel, checks in CHECKS.items():
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            for naam, conditie in checks:
                batch_op.create_check_constraint(op.f(f"ck_{tabel}_{naam}"), conditie)

    with op.batch_alter_table('afsprakenlijst', schema=None) as batch_op:
        batch_op.create_index('uq_afsprakenlijst_een_concept', ['school_id', 'schooljaar_id'], unique=True, sqlite_where=sa.text("status = 'concept'"), postgresql_where=sa.text("status = 'concept'"))
        batch_op.create_index('uq_afsprakenlijst_een_vastgesteld', ['school_id', 'schooljaar_id'], unique=True, sqlite_where=sa.text("status = 'vastgesteld'"), postgresql_where=sa.text("status = 'vastgesteld'"))

    with op.batch_alter_table('contactpersoon', schema=None) as batch_op:
        batch_op.create_index('uq_contactpersoon_een_teamleider', ['teamleider'], unique=True, sqlite_where=sa.text('teamleider = 1'), postgresql_where=sa.text('teamleider'))

    with op.batch_alter_table('toewijzing', schema=None) as batch_op:
        batch_op.create_index('uq_toewijzing_open_rol', ['school_id', 'rol'], unique=True, sqlite_where=sa.text('tot IS NULL'), postgresql_where=sa.text('tot IS NULL'))


def downgrade():
    with op.batch_alter_table('toewijzing', schema=None) as batch_op:
        batch_op.drop_index('uq_toewijzing_open_rol', sqlite_where=sa.text('tot IS NULL'), postgresql_where=sa.text('tot IS NULL'))

    with op.batch_alter_table('contactpersoon', schema=None) as batch_op:
        batch_op.drop_index('uq_contactpersoon_een_teamleider', sqlite_where=sa.text('teamleider = 1'), postgresql_where=sa.text('teamleider'))

    with op.batch_alter_table('afsprakenlijst', schema=None) as batch_op:
        batch_op.drop_index('uq_afsprakenlijst_een_vastgesteld', sqlite_where=sa.text("status = 'vastgesteld'"), postgresql_where=sa.text("status = 'vastgesteld'"))
        batch_op.drop_index('uq_afsprakenlijst_een_concept', sqlite_where=sa.text("status = 'concept'"), postgresql_where=sa.text("status = 'concept'"))

    for tabel, checks in CHECKS.items():
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            for naam, _ in checks:
                batch_op.drop_constraint(op.f(f"ck_{tabel}_{naam}"), type_="check")

    with op.batch_alter_table('contactpersoon_school', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contactpersoon_school_school_id'))

    op.drop_table('contactpersoon_school')
