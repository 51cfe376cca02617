"""form keys stored by releases before 2026.12.0 replaced by their keyed HMAC (exactly once across versions)

Release 2026.11.0 stored the respondent form's one-time key itself; later releases store an HMAC of it under the
app's SECRET_KEY and look a resubmission up by that HMAC. Without this step a form sent before the upgrade and
sent again after it (the back button, a retry) would be stored twice, and the database would keep keys that a
copy of a session cookie can be matched against (docs/anonymity.md). Needs the same SECRET_KEY as the app.

Revision ID: e1a7c0de2b11
Revises: c4a9e2d17b30
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa

from surveyapp.services.collection.responses import stored_key


# revision identifiers, used by Alembic.
revision = 'e1a7c0de2b11'
down_revision = 'c4a9e2d17b30'
branch_labels = None
depends_on = None

#: An HMAC as stored: 64 lowercase hex characters. Anything else is a key stored by an earlier release.
HMAC_LENGTH = 64
BATCH = 5000

response = sa.table('response', sa.column('id', sa.Integer), sa.column('idempotency_key', sa.String))


def upgrade():
    bind = op.get_bind()
    legacy = sa.select(response.c.id, response.c.idempotency_key).where(
        sa.func.length(response.c.idempotency_key) != HMAC_LENGTH).order_by(response.c.id)
    rows = bind.execute(legacy).all()
    update = response.update().where(response.c.id == sa.bindparam('rid')).values(
        idempotency_key=sa.bindparam('hashed'))
    for start in range(0, len(rows), BATCH):
        bind.execute(update, [{'rid': rid, 'hashed': stored_key(key)} for rid, key in rows[start:start + BATCH]])


def downgrade():
    pass  # an HMAC cannot be turned back into the key; earlier releases simply do not find these responses
