"""a round's source (app or surveyxact) and the checksum of an imported file

Revision ID: b3d5a7c9e1f2
Revises: b3d9a6e1c2f4
Create Date: 2026-12-01 23:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d5a7c9e1f2'
down_revision = 'b3d9a6e1c2f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=16), server_default='app', nullable=False))
        batch_op.add_column(sa.Column('import_checksum', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_survey_round_import_checksum'), ['import_checksum'])
        batch_op.create_check_constraint('source', "source IN ('app', 'surveyxact')")


def downgrade():
    with op.batch_alter_table('survey_round', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_survey_round_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_survey_round_import_checksum'), type_='unique')
        batch_op.drop_column('import_checksum')
        batch_op.drop_column('source')
