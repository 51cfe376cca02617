"""a session version per user (logout and a new password end every session and remember-me cookie); the
owner of an audit template (coordinators edit only their own)

Revision ID: b3f15e5a1d20
Revises: 7c1e2f9a4b10
Create Date: 2026-12-01 23:10:00

"""
from alembic import op
import sqlalchemy as sa

from surveyapp.migrating import column_exists


# revision identifiers, used by Alembic.
revision = 'b3f15e5a1d20'
down_revision = '7c1e2f9a4b10'
branch_labels = None
depends_on = None


def upgrade():
    # Releases 2026.12.0 and 2026.12.1 ran this step with SQLite's foreign keys on and committed it statement by statement: on a
    # database with audits it added session_version and then failed, leaving the file at the previous revision.
    # Such a file is upgraded again from here, so each part steps over what is already there.
    bind = op.get_bind()
    if not column_exists(bind, 'app_user', 'session_version'):
        with op.batch_alter_table('app_user', schema=None) as batch_op:
            batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    if column_exists(bind, 'audit_template', 'owner_id'):
        return
    with op.batch_alter_table('audit_template', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_template_owner_id_app_user'), 'app_user', ['owner_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('audit_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_template_owner_id_app_user'), type_='foreignkey')
        batch_op.drop_column('owner_id')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
