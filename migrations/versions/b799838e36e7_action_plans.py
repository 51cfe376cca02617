"""action plans with interventions, their status history and progress log

Revision ID: b799838e36e7
Revises: b3d5a7c9e1f2
Create Date: 2026-12-01 23:12:46.617774

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b799838e36e7'
down_revision = 'b3d5a7c9e1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_action_plan_created_by_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], name=op.f('fk_action_plan_round_id_survey_round'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_action_plan_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plan')),
    sa.UniqueConstraint('unit_id', 'round_id', name=op.f('uq_action_plan_unit_id_round_id'))
    )
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_plan_unit_id'), ['unit_id'], unique=False)

    op.create_table('intervention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('audit_template_code', sa.String(length=60), nullable=True),
    sa.Column('highlight', sa.String(length=16), nullable=True),
    sa.CheckConstraint("highlight IS NULL OR highlight IN ('implemented', 'new')", name=op.f('ck_intervention_highlight')),
    sa.CheckConstraint("status IN ('planlagt', 'i_gang', 'implementeret', 'opgivet')", name=op.f('ck_intervention_status')),
    sa.CheckConstraint('due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on', name=op.f('ck_intervention_dates')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_intervention_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intervention'))
    )
    with op.batch_alter_table('intervention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intervention_plan_id'), ['plan_id'], unique=False)

    op.create_table('intervention_item',
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['intervention_id'], ['intervention.id'], name=op.f('fk_intervention_item_intervention_id_intervention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_intervention_item_item_id_item'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('intervention_id', 'item_id', name=op.f('pk_intervention_item'))
    )
    op.create_table('intervention_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_intervention_note_author_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intervention_id'], ['intervention.id'], name=op.f('fk_intervention_note_intervention_id_intervention'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intervention_note'))
    )
    with op.batch_alter_table('intervention_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intervention_note_intervention_id'), ['intervention_id'], unique=False)

    op.create_table('intervention_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('set_on', sa.Date(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('planlagt', 'i_gang', 'implementeret', 'opgivet')", name=op.f('ck_intervention_status_status')),
    sa.ForeignKeyConstraint(['intervention_id'], ['intervention.id'], name=op.f('fk_intervention_status_intervention_id_intervention'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['app_user.id'], name=op.f('fk_intervention_status_set_by_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intervention_status'))
    )
    with op.batch_alter_table('intervention_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intervention_status_intervention_id'), ['intervention_id'], unique=False)



def downgrade():
    with op.batch_alter_table('intervention_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intervention_status_intervention_id'))

    op.drop_table('intervention_status')
    with op.batch_alter_table('intervention_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intervention_note_intervention_id'))

    op.drop_table('intervention_note')
    op.drop_table('intervention_item')
    with op.batch_alter_table('intervention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intervention_plan_id'))

    op.drop_table('intervention')
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_unit_id'))
        batch_op.drop_index(batch_op.f('ix_action_plan_round_id'))

    op.drop_table('action_plan')
