"""supervisor view: facts read model, web passwords and sessions, supervised teams

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_records = sa.table(
    "records",
    sa.column("id", sa.String),
    sa.column("team_id", sa.Integer),
    sa.column("owner_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("case_id", sa.String),
    sa.column("hlc", sa.String),
    sa.column("deleted", sa.Boolean),
    sa.column("meta", sa.JSON),
)


def upgrade() -> None:
    facts = op.create_table(
        "facts",
        sa.Column("record_id", sa.String(length=48), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("day", sa.String(length=10), nullable=True),
        sa.Column("contact", sa.String(length=32), nullable=True),
        sa.Column("setting", sa.String(length=32), nullable=True),
        sa.Column("attempt_reason", sa.String(length=32), nullable=True),
        sa.Column("check_in", sa.Boolean(), nullable=False),
        sa.Column("draagkracht", sa.Integer(), nullable=True),
        sa.Column("draaglast", sa.Integer(), nullable=True),
        sa.Column("domains", sa.Text(), nullable=True),
        sa.Column("barriers", sa.Text(), nullable=True),
        sa.Column("phase", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("closed", sa.String(length=10), nullable=True),
        sa.Column("right_id", sa.String(length=64), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.PrimaryKeyConstraint("record_id"),
    )
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_facts_team_kind_day", ["team_id", "kind", "day", "owner_id", "contact", "barriers"]
        )
    op.create_table(
        "web_passwords",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)
    op.create_table(
        "supervised_teams",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "team_id"),
    )
    _backfill(facts)


def _backfill(facts: sa.Table) -> None:
    """Facts for the records stored before this revision (codes only, as at push time)."""
    from sync_server.dashboard.facts import derive

    bind = op.get_bind()
    batch: list[dict] = []
    for row in bind.execute(sa.select(_records)).mappings():
        fact = derive(dict(row))
        if fact is not None:
            batch.append(fact)
        if len(batch) >= 1000:
            bind.execute(facts.insert(), batch)
            batch = []
    if batch:
        bind.execute(facts.insert(), batch)


def downgrade() -> None:
    op.drop_table("supervised_teams")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    op.drop_table("web_passwords")
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_index("ix_facts_team_kind_day")
    op.drop_table("facts")
