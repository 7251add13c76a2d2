"""outbox: body_purged_at, set when a sent email's bodies are emptied after the retention period

Revision ID: 5b7c1e0a9d21
Revises: b7d2e4f1a9c3
Create Date: 2026-12-01 17:45:00.000000

"""
from alembic import op
import sqlalchemy as sa
import matchmaker.models.base


# revision identifiers, used by Alembic.
revision = '5b7c1e0a9d21'
down_revision = 'b7d2e4f1a9c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_purged_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('body_purged_at')
