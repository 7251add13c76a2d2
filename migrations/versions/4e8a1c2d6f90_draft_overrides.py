"""draft overrides: people an organiser added to a draft session against a rule, and which rules

Revision ID: 4e8a1c2d6f90
Revises: 9d3e5f7b2c48
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e8a1c2d6f90'
down_revision = '9d3e5f7b2c48'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overrides', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('match_drafts', schema=None) as batch_op:
        batch_op.drop_column('overrides')
