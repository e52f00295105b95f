"""Push and pull: the server side of docs/sync-protocol.md.

A push batch is one transaction: every record is accepted, reported as a
conflict (its base_rev is stale) or refused (it belongs to someone else); a
replay of an accepted revision is accepted again without a second row. The
server never merges or overwrites: it cannot read the payloads.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.sync.protocol import SEALED_FIELDS, check_record
from sync_server import audit, catalogue
from sync_server.dashboard import facts
from sync_server.models import Change, Device, Record, User, aware, utcnow


def push(
    session: Session,
    device: Device,
    user: User,
    batch: list[dict[str, Any]],
    since: int | None = None,
) -> dict[str, Any]:
    """The results per record, and `next_cursor`: where the device may move its pull cursor
    when `since` (its cursor) was the end of the feed, so its own changes never echo back."""
    # Lock the user's row: pushes of one user are serialised, so the change sequence
    # is gap-free in commit order and a pull never skips a record (PostgreSQL; SQLite
    # serialises writers already).
    seq = session.scalar(select(User.change_seq).where(User.id == user.id).with_for_update()) or 0
    caught_up = since is not None and since == seq  # nothing in the feed the device lacks
    allowed = catalogue.right_ids(session)
    checked = [check_record(raw, allowed) for raw in batch]  # all valid, or nothing is written
    ids = list(dict.fromkeys(s["id"] for s in checked))
    stored = {
        row.id: row
        for row in session.execute(
            select(
                Record.id,
                Record.owner_id,
                Record.rev,
                Record.hlc,
                Record.device_id,
                Record.kind,
                Record.quarantined_at,
            ).where(Record.id.in_(ids))
        )
    }
    # A quarantined record keeps its owner, and is otherwise as if it were not there.
    held = {i: r for i, r in stored.items() if r.quarantined_at is None}
    current = {i: (r.owner_id, r.rev, r.hlc, r.device_id) for i, r in held.items()}
    owners = {i: r.owner_id for i, r in stored.items()}
    kinds = {i: r.kind for i, r in held.items()}  # a record's kind never changes
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    changes: dict[str, int] = {}
    results = []
    now = utcnow()
    for sealed in checked:
        rid = sealed["id"]
        owner, rev, hlc, device_id = current.get(rid, (user.id, 0, None, None))
        if owners.get(rid, owner) != user.id or kinds.get(rid, sealed["kind"]) != sealed["kind"]:
            results.append({"id": rid, "status": "refused", "rev": None})
        elif (rev, hlc, device_id) == (sealed["rev"], sealed["hlc"], sealed["device_id"]):
            results.append({"id": rid, "status": "accepted", "rev": rev})  # a replay
        elif rid in current and sealed["base_rev"] != rev:
            results.append({"id": rid, "status": "conflict", "rev": rev})
        else:
            row = _row(sealed, user, now)
            (updates if rid in stored else inserts)[rid] = row
            current[rid] = (user.id, sealed["rev"], sealed["hlc"], sealed["device_id"])
            kinds[rid] = sealed["kind"]
            owners[rid] = user.id
            seq += 1
            changes[rid] = seq
            results.append({"id": rid, "status": "accepted", "rev": sealed["rev"]})
    if inserts:
        session.execute(insert(Record), list(inserts.values()))
    if updates:
        session.execute(update(Record), list(updates.values()))
    facts.refresh(session, [*inserts.values(), *updates.values()])  # the supervisor view
    if changes:
        session.execute(
            delete(Change).where(Change.user_id == user.id, Change.record_id.in_(list(changes)))
        )
        session.execute(
            insert(Change),
            [{"user_id": user.id, "seq": s, "record_id": rid} for rid, s in changes.items()],
        )
        session.execute(update(User).where(User.id == user.id).values(change_seq=seq))
    _seen(device)
    if batch:
        audit.record(
            session, f"device:{device.id}", "push", records=len(batch), accepted=len(changes)
        )
    return {"results": results, "next_cursor": seq if caught_up else None}


def pull(session: Session, device: Device, user: User, since: int, limit: int) -> dict[str, Any]:
    columns = [getattr(Record, name) for name in _WIRE_COLUMNS]
    rows = session.execute(
        select(Change.seq, *columns)
        .join(Record, Record.id == Change.record_id)
        .where(Change.user_id == user.id, Change.seq > since)
        .order_by(Change.seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    _seen(device)
    if page:
        audit.record(session, f"device:{device.id}", "pull", records=len(page))
    return {
        "records": [wire(row) for row in page],
        "next_cursor": page[-1].seq if page else since,
        "has_more": len(rows) > limit,
    }


# Wire field → column: the same names, except the key scope.
_COLUMN = {name: ("key_scope" if name == "key" else name) for name in SEALED_FIELDS}
_WIRE_COLUMNS = tuple(_COLUMN.values())


def _seen(device: Device) -> None:
    """Note when the device last synced; at most once a minute, to spare the database a write
    on every empty pull (the data-at-risk view counts days, not seconds)."""
    now = utcnow()
    last = aware(device.last_sync_at)
    if last is None or (now - last).total_seconds() > 60:
        device.last_sync_at = now


def wire(record: Any) -> dict[str, Any]:
    """A stored record (ORM object or row) as it goes over the wire."""
    sealed = {name: getattr(record, column) for name, column in _COLUMN.items()}
    sealed["payload"] = base64.b64encode(record.payload).decode("ascii")
    return sealed


def _row(sealed: dict[str, Any], user: User, now: Any) -> dict[str, Any]:
    row = {column: sealed[name] for name, column in _COLUMN.items()}
    row.update(
        payload=base64.b64decode(sealed["payload"]),
        owner_id=user.id,
        team_id=user.team_id,
        received_at=now,
        quarantined_at=None,
    )
    return row
