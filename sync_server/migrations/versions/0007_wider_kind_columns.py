"""kind columns as wide as the longest kind name allowed (32 characters)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 07:00:00

`network_snapshot` filled the 16 characters exactly; a longer kind passed validation and
failed only on PostgreSQL. SQLite does not enforce a VARCHAR length, and recreating
`records` under the foreign keys that point at it would fail, so there only the declared
type in the schema text changes (SQLite's documented way for a change that leaves the
stored rows as they are: sqlite.org/lang_altertable.html, "other kinds of changes").
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (("records", "kind"), ("facts", "kind"))


def upgrade() -> None:
    _widen(16, 32)


def downgrade() -> None:
    _widen(32, 16)


def _widen(old: int, new: int) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, column in COLUMNS:
            op.alter_column(table, column, type_=sa.String(new), existing_type=sa.String(old))
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    for table, column in COLUMNS:
        bind.execute(
            sa.text(
                "UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
                "WHERE type = 'table' AND name = :table"
            ),
            {"old": f"{column} VARCHAR({old})", "new": f"{column} VARCHAR({new})", "table": table},
        )
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")
