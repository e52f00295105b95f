"""The read model of the supervisor view: a `facts` row per live record, derived from its
metadata codes only (never the payload), written in the same transaction as the push."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app.core import kinds
from app.core.localtime import day_of_millis
from sync_server.models import Fact

# Kinds that say nothing the supervisor view counts (`counted` in app/core/kinds.py): keys,
# the phone's own screening answers, the people on a netwerkkaart (its snapshots count).
SKIPPED = frozenset(k.name for k in kinds.ALL if not k.counted)
COLUMNS = (
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


def derive(row: dict[str, Any]) -> dict[str, Any] | None:
    """The fact of one stored record (a dict of its columns), or None when it counts nowhere
    (a tombstone, a case key)."""
    if row["deleted"] or row["kind"] in SKIPPED:
        return None
    meta = row["meta"] or {}
    fact: dict[str, Any] = dict.fromkeys(COLUMNS)
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
        # No day in its codes: it counts on the day of its latest change (the clock stamp).
        fact.update(day=hlc_day(row["hlc"]), right_id=meta.get("right"), status=meta.get("status"))
    else:  # referrals, netwerkkaart snapshots and kinds still to come
        fact.update(day=_day(meta.get("day")) or hlc_day(row["hlc"]))
    return fact


def refresh(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Replace the facts of these freshly stored records (inside the push transaction)."""
    rows = list(rows)
    if not rows:
        return
    session.execute(delete(Fact).where(Fact.record_id.in_([r["id"] for r in rows])))
    derived = [fact for fact in map(derive, rows) if fact is not None]
    if derived:
        session.execute(insert(Fact), derived)


def hlc_day(stamp: str) -> str | None:
    try:
        return day_of_millis(int(stamp.split("-", 1)[0]))
    except (ValueError, OverflowError, OSError):
        return None


def _day(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else None
    except ValueError:
        return None
