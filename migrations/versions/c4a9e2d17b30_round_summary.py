"""results at scale: a closed round's breakdowns (SAQ scale sums, background groups) stored once and shared

Revision ID: c4a9e2d17b30
Revises: b18e5c0f2a71
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a9e2d17b30'
down_revision = 'b18e5c0f2a71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_summary',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], name=op.f('fk_round_summary_round_id_survey_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'name', name=op.f('pk_round_summary'))
    )


def downgrade():
    op.drop_table('round_summary')
