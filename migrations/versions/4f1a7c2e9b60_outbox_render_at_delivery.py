"""outbox: `render`, what a message is about when its bodies are written at delivery (publishing)

Revision ID: 4f1a7c2e9b60
Revises: f5953cb4b86f
Create Date: 2026-12-01 21:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "4f1a7c2e9b60"
down_revision = "f5953cb4b86f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("render", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("render")
