"""results at scale: covering indexes for the grouped count, and a closed round's counts shared by every worker

Revision ID: b18e5c0f2a71
Revises: b799838e36e7
Create Date: 2026-12-01 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b18e5c0f2a71'
down_revision = 'b799838e36e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_count',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], name=op.f('fk_round_count_round_id_survey_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_count'))
    )
    op.create_table('round_count_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count > 0', name=op.f('ck_round_count_value_positive')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_round_count_value_item_id_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['round_count.round_id'], name=op.f('fk_round_count_value_round_id_round_count'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_round_count_value_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_count_value'))
    )
    with op.batch_alter_table('round_count_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_count_value_round_id'), ['round_id'], unique=False)
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index('ix_answer_response_item_value', ['response_id', 'item_id', 'value'], unique=False)
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_round_unit_id', ['round_id', 'unit_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_round_unit_id')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_response_item_value')
    with op.batch_alter_table('round_count_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_count_value_round_id'))
    op.drop_table('round_count_value')
    op.drop_table('round_count')
