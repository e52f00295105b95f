"""What the supervisor view reads from the database: facts of one team (and worker),
the team's members and devices. Every query is bounded by team, kind and day, and served
by the index ix_facts_team_kind_day. Bulk reads run as plain SQL on the session's
connection (no ORM loading: thousands of rows per page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from sync_server.dashboard.figures import ATTEMPT, CaseFact, NoteFact, OtherFact, RightFact
from sync_server.models import Case, CaseMember, Device, Fact, Record, Team, User, aware


def _scope(team_id: int, kind: str, owner_id: int | None):  # noqa: ANN202 - SQL condition
    condition = and_(Fact.team_id == team_id, Fact.kind == kind)
    return condition if owner_id is None else and_(condition, Fact.owner_id == owner_id)


def note_facts(
    session: Session, team_id: int, owner_id: int | None, first: str, after: str
) -> list[NoteFact]:
    rows = session.connection().execute(
        select(
            Fact.owner_id,
            Fact.case_id,
            Fact.day,
            Fact.contact,
            Fact.setting,
            Fact.attempt_reason,
            Fact.check_in,
            Fact.draagkracht,
            Fact.draaglast,
            Fact.domains,
            Fact.barriers,
        ).where(_scope(team_id, "note", owner_id), Fact.day >= first, Fact.day < after)
    )
    return [NoteFact._make(row) for row in rows]


def contact_counts(
    session: Session, team_id: int, owner_id: int | None, first: str, after: str
) -> list[tuple[str, int, int]]:
    """(day, notes, attempts) for the trend. Grouped by day alone, which follows the index,
    so the database streams through it instead of sorting a year of notes."""
    attempts = func.count(case((Fact.contact == ATTEMPT, 1)))
    rows = session.connection().execute(
        select(Fact.day, func.count(), attempts)
        .where(_scope(team_id, "note", owner_id), Fact.day >= first, Fact.day < after)
        .group_by(Fact.day)
    )
    return [(str(day), notes, tried) for day, notes, tried in rows]  # day: never NULL here


def contact_counts_by_owner(
    session: Session, team_id: int, first: str, after: str
) -> list[tuple[str, int, int, int]]:
    """(day, owner, notes, attempts) of the whole team, for the trend and for knowing which
    worker's counts must be withheld in each period (`tables.complement`)."""
    attempts = func.count(case((Fact.contact == ATTEMPT, 1)))
    rows = session.connection().execute(
        select(Fact.day, Fact.owner_id, func.count(), attempts)
        .where(_scope(team_id, "note", None), Fact.day >= first, Fact.day < after)
        .group_by(Fact.day, Fact.owner_id)
    )
    return [(str(day), owner, notes, tried) for day, owner, notes, tried in rows]


def barrier_notes(
    session: Session, team_id: int, owner_id: int | None, first: str, after: str
) -> list[tuple[str, str | None, str | None]]:
    rows = session.connection().execute(
        select(Fact.day, Fact.domains, Fact.barriers).where(
            _scope(team_id, "note", owner_id),
            Fact.day >= first,
            Fact.day < after,
            Fact.barriers.is_not(None),
        )
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def case_facts(session: Session, team_id: int, owner_id: int | None) -> list[CaseFact]:
    rows = session.connection().execute(
        select(Fact.owner_id, Fact.case_id, Fact.day, Fact.phase, Fact.status, Fact.closed).where(
            _scope(team_id, "case", owner_id)
        )
    )
    return [CaseFact(*row) for row in rows]


def right_facts(session: Session, team_id: int, owner_id: int | None) -> list[RightFact]:
    rows = session.connection().execute(
        select(Fact.owner_id, Fact.day, Fact.right_id, Fact.status).where(
            _scope(team_id, "right_check", owner_id)
        )
    )
    return [RightFact(*row) for row in rows]


def other_facts(session: Session, team_id: int, owner_id: int | None, kind: str) -> list[OtherFact]:
    rows = session.connection().execute(
        select(Fact.owner_id, Fact.kind, Fact.day, Fact.meta).where(_scope(team_id, kind, owner_id))
    )
    return [OtherFact(*row) for row in rows]


def members(session: Session, team_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.team_id == team_id).order_by(User.login)))


@dataclass(frozen=True)
class StaleDevice:
    login: str
    name: str
    last_sync: dt.datetime | None
    pending: int | None
    enrolled: dt.datetime


def stale_devices(session: Session, team_id: int, days: int, now: dt.datetime) -> list[StaleDevice]:
    """Devices of the team, not revoked, that have not synced for `days` days (or never)."""
    limit = now - dt.timedelta(days=days)
    rows = session.connection().execute(
        select(User.login, Device.name, Device.last_sync_at, Device.pending, Device.created_at)
        .join(User, User.id == Device.user_id)
        .where(
            User.team_id == team_id,
            Device.revoked_at.is_(None),
            or_(
                Device.last_sync_at < limit,
                and_(Device.last_sync_at.is_(None), Device.created_at < limit),
            ),
        )
    )
    found = [
        StaleDevice(login, name, aware(last), pending, aware(created))  # type: ignore[arg-type]
        for login, name, last, pending, created in rows
    ]
    # Never synced first, then the longest silent (NULLs sort differently per database).
    return sorted(found, key=lambda d: (d.last_sync is not None, d.last_sync or now, d.login))


def unshared_gezinnen(session: Session, team_id: int) -> dict[str, int]:
    """Per worker of the team: the gezinnen they own that nobody else can read (one
    member), which a lost phone or a departure would leave unreachable. Metadata only:
    the owner and member counts of `cases`, never a gezin's content."""
    readers = (
        select(CaseMember.case_id)
        .group_by(CaseMember.case_id)
        .having(func.count(CaseMember.user_id) == 1)
    )
    erased = select(Record.id).where(Record.kind == "case", Record.deleted.is_(True))
    team_logs = select(Team.case_id).where(Team.case_id.is_not(None))
    rows = session.connection().execute(
        select(User.login, func.count(Case.id))
        .join(Case, Case.owner_id == User.id)
        .where(
            Case.team_id == team_id,
            Case.id.in_(readers),
            Case.id.not_in(erased),
            Case.id.not_in(team_logs),
        )
        .group_by(User.login)
    )
    return {login: n for login, n in rows}
