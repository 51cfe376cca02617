"""rounds answered with answer codes only (against padding through the open link, issue 13)

Revision ID: b3d9a6e1c2f4
Revises: b3f15e5a1d20
Create Date: 2026-12-01 23:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d9a6e1c2f4'
down_revision = 'b3f15e5a1d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('codes_only', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('survey_round', schema=None) as batch_op:
        batch_op.drop_column('codes_only')
