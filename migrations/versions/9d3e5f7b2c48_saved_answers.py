"""saved answers: unsaved form answers on the server instead of in the session cookie

Revision ID: 9d3e5f7b2c48
Revises: 8c2d4f6a1b37
Create Date: 2026-12-01 18:20:00.000000

"""
from alembic import op
import sqlalchemy as sa
import matchmaker.models.base


# revision identifiers, used by Alembic.
revision = '9d3e5f7b2c48'
down_revision = '8c2d4f6a1b37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_answers')),
    sa.UniqueConstraint('user_id', 'key', name='uq_saved_answers_user_key')
    )
    with op.batch_alter_table('saved_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_answers_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_answers_user_id'))
    op.drop_table('saved_answers')
