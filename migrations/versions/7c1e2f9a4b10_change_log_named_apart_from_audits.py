"""the change log named apart from clinical audits: audit_entry becomes change_log_entry

Revision ID: 7c1e2f9a4b10
Revises: d55ef387a0cb
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e2f9a4b10'
down_revision = 'd55ef387a0cb'
branch_labels = None
depends_on = None

COLUMNS = "id, created_at, actor_id, actor_email, action, target_type, target_id, target_label, before, after"


def _create(name: str) -> None:
    # A new table rather than a rename, so the constraint and index names follow the naming convention on
    # both databases (SQLite cannot rename a primary or foreign key constraint).
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('target_label', sa.String(length=200), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f(f'fk_{name}_actor_id_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_created_at'), ['created_at'], unique=False)
        batch_op.create_index(f'ix_{name}_target', ['target_type', 'target_id'], unique=False)


def _move(old: str, new: str) -> None:
    _create(new)
    op.execute(f"INSERT INTO {new} ({COLUMNS}) SELECT {COLUMNS} FROM {old}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT setval(pg_get_serial_sequence('{new}', 'id'), COALESCE((SELECT MAX(id) FROM {new}), 0) + 1, false)")
    with op.batch_alter_table(old, schema=None) as batch_op:
        batch_op.drop_index(f'ix_{old}_target')
        batch_op.drop_index(batch_op.f(f'ix_{old}_created_at'))
    op.drop_table(old)


def upgrade():
    _move('audit_entry', 'change_log_entry')


def downgrade():
    _move('change_log_entry', 'audit_entry')
