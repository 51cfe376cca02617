"""strategy: DPSD cases, indicators and their values, root-cause analysis actions

Revision ID: e26a1c0d5b42
Revises: e1a7c0de2b11
Create Date: 2026-12-07 08:42:38.462412

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e26a1c0d5b42'
down_revision = 'e1a7c0de2b11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('area', sa.String(length=16), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('target', sa.Double(), nullable=True),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("area IN ('kultur', 'uth', 'faste', 'sektor', 'fb')", name=op.f('ck_indicator_area')),
    sa.CheckConstraint("direction IN ('up', 'down')", name=op.f('ck_indicator_direction')),
    sa.CheckConstraint("kind IN ('share', 'count', 'milestone')", name=op.f('ck_indicator_kind')),
    sa.CheckConstraint("level IN ('afsnit', 'afdeling')", name=op.f('ck_indicator_level')),
    sa.CheckConstraint('target IS NULL OR (target >= 0 AND target <= 1)', name=op.f('ck_indicator_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('code', name=op.f('uq_indicator_code'))
    )
    op.create_table('dpsd_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('severity', sa.String(length=24), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("severity IS NULL OR severity IN ('ingen', 'lettere', 'alvorlig_risiko', 'alvorlig', 'doedelig')", name=op.f('ck_dpsd_case_severity')),
    sa.CheckConstraint('closed_on IS NULL OR closed_on >= created_on', name=op.f('ck_dpsd_case_dates')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_dpsd_case_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dpsd_case')),
    sa.UniqueConstraint('case_id', name=op.f('uq_dpsd_case_case_id'))
    )
    with op.batch_alter_table('dpsd_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dpsd_case_created_on'), ['created_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_dpsd_case_unit_id'), ['unit_id'], unique=False)

    op.create_table('indicator_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('numerator', sa.Integer(), nullable=True),
    sa.Column('denominator', sa.Integer(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=True),
    sa.CheckConstraint('denominator IS NULL OR denominator >= 0', name=op.f('ck_indicator_value_denominator')),
    sa.CheckConstraint('numerator IS NULL OR denominator IS NULL OR numerator <= denominator', name=op.f('ck_indicator_value_share')),
    sa.CheckConstraint('numerator IS NULL OR numerator >= 0', name=op.f('ck_indicator_value_numerator')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_value_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_indicator_value_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value')),
    sa.UniqueConstraint('indicator_id', 'unit_id', 'period', name=op.f('uq_indicator_value_indicator_id_unit_id_period'))
    )
    with op.batch_alter_table('indicator_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_value_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_value_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('intervention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=32), server_default='indsats', nullable=False))
        batch_op.create_check_constraint(op.f('ck_intervention_kind'), "kind IN ('indsats', 'kerneårsagsanalyse-tiltag')")



def downgrade():
    with op.batch_alter_table('intervention', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_intervention_kind'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('indicator_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_value_unit_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_value_indicator_id'))

    op.drop_table('indicator_value')
    with op.batch_alter_table('dpsd_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dpsd_case_unit_id'))
        batch_op.drop_index(batch_op.f('ix_dpsd_case_created_on'))

    op.drop_table('dpsd_case')
    op.drop_table('indicator')
