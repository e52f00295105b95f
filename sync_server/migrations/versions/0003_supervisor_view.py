"""supervisor view: facts read model, web passwords and sessions, supervised teams

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 20:00:00
"""

import datetime as dt
from typing import Any

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
    bind = op.get_bind()
    batch: list[dict] = []
    for row in bind.execute(sa.select(_records)).mappings():
        fact = _derive(dict(row))
        if fact is not None:
            batch.append(fact)
        if len(batch) >= 1000:
            bind.execute(facts.insert(), batch)
            batch = []
    if batch:
        bind.execute(facts.insert(), batch)


# ---- frozen here as they were at this revision (a migration never imports live code) ----

_SKIPPED = frozenset({"case_key", "rights_profile", "network_node"})
_COLUMNS = (
    "record_id",
    "team_id",
    "owner_id",
    "kind",
    "case_id",
    "day",
    "contact",
    "setting",
    "attempt_reason",
    "check_in",
    "draagkracht",
    "draaglast",
    "domains",
    "barriers",
    "phase",
    "status",
    "closed",
    "right_id",
    "meta",
)
_CET = dt.timezone(dt.timedelta(hours=1))
_CEST = dt.timezone(dt.timedelta(hours=2))


def _derive(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["deleted"] or row["kind"] in _SKIPPED:
        return None
    meta = row["meta"] or {}
    fact: dict[str, Any] = dict.fromkeys(_COLUMNS)
    fact.update(
        record_id=row["id"],
        team_id=row["team_id"],
        owner_id=row["owner_id"],
        kind=row["kind"],
        case_id=row["case_id"],
        check_in=False,
        meta=meta,
    )
    kind = row["kind"]
    if kind == "note":
        fact.update(
            day=_day(meta.get("day")),
            contact=meta.get("contact"),
            setting=meta.get("setting"),
            attempt_reason=meta.get("attempt_reason"),
            check_in=bool(meta.get("check_in", False)),
            draagkracht=meta.get("draagkracht"),
            draaglast=meta.get("draaglast"),
            domains=" ".join(meta.get("domains", ())) or None,
            barriers=" ".join(meta.get("barriers", ())) or None,
        )
    elif kind == "case":
        fact.update(
            day=_day(meta.get("opened")),
            phase=meta.get("phase"),
            status=meta.get("status"),
            closed=_day(meta.get("closed")),
        )
    elif kind == "right_check":
        fact.update(day=_hlc_day(row["hlc"]), right_id=meta.get("right"), status=meta.get("status"))
    else:
        fact.update(day=_day(meta.get("day")) or _hlc_day(row["hlc"]))
    return fact


def _hlc_day(stamp: str) -> str | None:
    """The Belgian calendar day of a clock stamp's wall time (milliseconds)."""
    try:
        moment = dt.datetime.fromtimestamp(int(stamp.split("-", 1)[0]) / 1000, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return _brussels(moment).date().isoformat()


def _brussels(utc: dt.datetime) -> dt.datetime:
    """EU summer time: UTC+2 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
    last Sunday of October, UTC+1 otherwise."""

    def last_sunday(month: int) -> dt.datetime:
        last = dt.date(utc.year, month, 31)
        day = last - dt.timedelta(days=(last.weekday() + 1) % 7)
        return dt.datetime.combine(day, dt.time(1, tzinfo=dt.UTC))

    summer = last_sunday(3) <= utc < last_sunday(10)
    return utc.astimezone(_CEST if summer else _CET)


def _day(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else None
    except ValueError:
        return None


def downgrade() -> None:
    op.drop_table("supervised_teams")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    op.drop_table("web_passwords")
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_index("ix_facts_team_kind_day")
    op.drop_table("facts")
