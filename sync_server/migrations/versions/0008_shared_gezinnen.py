"""shared gezinnen: cases, members, pending rotations, published identity keys

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:30:00

Every gezin the server already holds records of becomes a `cases` row owned by the
user whose records they are (epoch 1, that user its only member), so a colleague can
never claim an existing gezin by being the first to push to it under sharing rules.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cases_team_id", "cases", ["team_id"])
    op.create_index("ix_cases_owner_id", "cases", ["owner_id"])
    op.create_table(
        "case_members",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("case_id", "user_id"),
    )
    op.create_index("ix_case_members_user_id", "case_members", ["user_id"])
    op.create_table(
        "pending_rotations",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("case_id", "user_id"),
    )
    op.add_column("users", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("x25519_public", sa.LargeBinary(length=32), nullable=True))
    op.add_column("users", sa.Column("ed25519_public", sa.LargeBinary(length=32), nullable=True))
    op.add_column("users", sa.Column("keys_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("teams", sa.Column("case_id", sa.String(length=36), nullable=True))
    op.create_index("ix_teams_case_id", "teams", ["case_id"], unique=True)
    op.create_index("ix_changes_record_id", "changes", ["record_id"])
    op.create_index("ix_records_case_id", "records", ["case_id"])

    now = dt.datetime.now(dt.UTC)
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO cases (id, team_id, owner_id, epoch, updated_at) "
            "SELECT case_id, MIN(team_id), MIN(owner_id), 1, :now FROM records "
            "WHERE key_scope = 'case' AND case_id IS NOT NULL GROUP BY case_id"
        ),
        {"now": now},
    )
    bind.execute(
        sa.text(
            "INSERT INTO case_members (case_id, user_id, added_at) "
            "SELECT id, owner_id, :now FROM cases"
        ),
        {"now": now},
    )


def downgrade() -> None:
    op.drop_index("ix_records_case_id", "records")
    op.drop_index("ix_changes_record_id", "changes")
    op.drop_index("ix_teams_case_id", "teams")
    for table, columns in (
        ("teams", ("case_id",)),
        ("users", ("keys_at", "ed25519_public", "x25519_public", "removed_at")),
    ):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
    op.drop_table("pending_rotations")
    op.drop_index("ix_case_members_user_id", "case_members")
    op.drop_table("case_members")
    op.drop_index("ix_cases_owner_id", "cases")
    op.drop_index("ix_cases_team_id", "cases")
    op.drop_table("cases")
