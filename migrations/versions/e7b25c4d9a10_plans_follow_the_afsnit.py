"""action plans follow the afsnit across rounds: closed_at, and one live plan per afsnit

Existing plans migrate as they are; where an afsnit has several (one per round, as before), the newest stays live
and the older ones are closed as of the migration, so the one-live-plan index can hold.

Revision ID: e7b25c4d9a10
Revises: e26a1c0d5b42
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b25c4d9a10'
down_revision = 'e26a1c0d5b42'
branch_labels = None
depends_on = None

LIVE = sa.text("closed_at IS NULL")


def upgrade():
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_action_plan_closed_by_id_app_user'), 'app_user',
                                    ['closed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('uq_action_plan_unit_id_round_id'), type_='unique')
    op.execute("UPDATE action_plan SET closed_at = CURRENT_TIMESTAMP WHERE id NOT IN "
               "(SELECT newest FROM (SELECT MAX(id) AS newest FROM action_plan GROUP BY unit_id) AS live)")
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.create_index('uq_action_plan_live_unit', ['unit_id'], unique=True,
                              sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_index('uq_action_plan_live_unit')
        batch_op.create_unique_constraint(batch_op.f('uq_action_plan_unit_id_round_id'), ['unit_id', 'round_id'])
        batch_op.drop_constraint(batch_op.f('fk_action_plan_closed_by_id_app_user'), type_='foreignkey')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')
