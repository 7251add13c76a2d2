"""attendance, follow-ups, and how a creative organisation evidences its impact

Revision ID: b7e1a4c9d2f0
Revises: 4e8a1c2d6f90
Create Date: 2026-12-01 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa
import matchmaker.models.base


# revision identifiers, used by Alembic.
revision = 'b7e1a4c9d2f0'
down_revision = '4e8a1c2d6f90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('marked_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_attendance_marks_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['consultation_sessions.id'], name=op.f('fk_attendance_marks_session_id_consultation_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_marks')),
    sa.UniqueConstraint('session_id', 'user_id', name='uq_attendance_marks_session_user')
    )
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_marks_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_marks_user_id'), ['user_id'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('nonce', sa.String(length=40), nullable=False),
    sa.Column('sent_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', matchmaker.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('funded_amount', sa.Integer(), nullable=True),
    sa.Column('referrals', sa.Integer(), nullable=True),
    sa.Column('plans_to_commission', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('quote_consent', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['consultation_sessions.id'], name=op.f('fk_follow_ups_session_id_consultation_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follow_ups_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('session_id', 'user_id', 'stage', name='uq_follow_ups_session_user_stage')
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('creative_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('impact_measures', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('evaluation_url', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('creative_profiles', schema=None) as batch_op:
        batch_op.drop_column('evaluation_url')
        batch_op.drop_column('impact_measures')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_user_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_session_id'))
    op.drop_table('follow_ups')
    with op.batch_alter_table('attendance_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_marks_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_marks_session_id'))
    op.drop_table('attendance_marks')
