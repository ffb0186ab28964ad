"""Dataversie: the token of the data, renewed by every writing commit (paginacache)

Revision ID: b7d2c41e9a10
Revises: 924f5775d831
Create Date: 2026-12-01 06:10:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d2c41e9a10'
down_revision = '924f5775d831'
branch_labels = None
depends_on = None


def upgrade():
    tabel = op.create_table(
        'dataversie',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dataversie')),
    )
    op.bulk_insert(tabel, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('dataversie')
