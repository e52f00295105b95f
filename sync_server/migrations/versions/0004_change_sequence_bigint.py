"""the change sequence as a 64-bit integer

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 06:40:00

SQLite's INTEGER is 64 bits already (and recreating `users` under its foreign keys would
fail): only PostgreSQL's int4 columns are widened.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (("users", "change_seq"), ("changes", "seq"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
