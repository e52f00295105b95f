"""one-time codes tied to their purpose (a phone, or the web password)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 06:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Codes made before this stay NULL: good for either purpose until used or expired.
    op.add_column("enrolment_codes", sa.Column("purpose", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.drop_column("purpose")
