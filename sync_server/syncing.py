"""Push and pull: the server side of docs/sync-protocol.md.

A push batch is one transaction: every record is accepted, reported as a
conflict (its base_rev is stale) or refused (it belongs to someone else); a
replay of an accepted revision is accepted again without a second row. The
server never merges or overwrites: it cannot read the payloads.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.sync.protocol import check_record
from sync_server import audit
from sync_server.models import Change, Device, Record, User, utcnow


def push(session: Session, device: Device, user: User, batch: list[dict[str, Any]]) -> list[dict]:
    # Lock the user's row: pushes of one user are serialised, so the change sequence
    # is gap-free in commit order and a pull never skips a record (PostgreSQL; SQLite
    # serialises writers already).
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    session.refresh(user)
    results = []
    accepted = 0
    for raw in batch:
        sealed = check_record(raw)
        existing = session.get(Record, sealed["id"])
        if existing is not None and existing.owner_id != user.id:
            results.append({"id": sealed["id"], "status": "refused", "rev": None})
            continue
        if existing is not None and _same_revision(existing, sealed):
            results.append({"id": sealed["id"], "status": "accepted", "rev": existing.rev})
            continue
        if existing is not None and sealed["base_rev"] != existing.rev:
            results.append({"id": sealed["id"], "status": "conflict", "rev": existing.rev})
            continue
        if existing is None:
            existing = Record(id=sealed["id"], owner_id=user.id, team_id=user.team_id)
            session.add(existing)
        _copy(existing, sealed)
        user.change_seq += 1
        session.flush()
        session.execute(
            delete(Change).where(Change.user_id == user.id, Change.record_id == existing.id)
        )
        session.add(Change(user_id=user.id, seq=user.change_seq, record_id=existing.id))
        results.append({"id": sealed["id"], "status": "accepted", "rev": existing.rev})
        accepted += 1
    device.last_sync_at = utcnow()
    if batch:
        audit.record(session, f"device:{device.id}", "push", records=len(batch), accepted=accepted)
    return results


def pull(session: Session, device: Device, user: User, since: int, limit: int) -> dict[str, Any]:
    rows = session.execute(
        select(Change.seq, Record)
        .join(Record, Record.id == Change.record_id)
        .where(Change.user_id == user.id, Change.seq > since)
        .order_by(Change.seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    device.last_sync_at = utcnow()
    if page:
        audit.record(session, f"device:{device.id}", "pull", records=len(page))
    return {
        "records": [wire(record) for _, record in page],
        "next_cursor": page[-1][0] if page else since,
        "has_more": len(rows) > limit,
    }


def wire(record: Record) -> dict[str, Any]:
    return {
        "fmt": record.fmt,
        "id": record.id,
        "kind": record.kind,
        "case_id": record.case_id,
        "rev": record.rev,
        "base_rev": record.base_rev,
        "device_id": record.device_id,
        "hlc": record.hlc,
        "deleted": record.deleted,
        "meta": record.meta,
        "key": record.key_scope,
        "kv": record.kv,
        "payload": base64.b64encode(record.payload).decode("ascii"),
    }


def _same_revision(existing: Record, sealed: dict[str, Any]) -> bool:
    """A replayed push of a revision the server already has (the client never heard back)."""
    return (
        existing.rev == sealed["rev"]
        and existing.hlc == sealed["hlc"]
        and existing.device_id == sealed["device_id"]
    )


def _copy(row: Record, sealed: dict[str, Any]) -> None:
    row.kind = sealed["kind"]
    row.case_id = sealed["case_id"]
    row.rev = sealed["rev"]
    row.base_rev = sealed["base_rev"]
    row.device_id = sealed["device_id"]
    row.hlc = sealed["hlc"]
    row.deleted = sealed["deleted"]
    row.meta = sealed["meta"]
    row.key_scope = sealed["key"]
    row.kv = sealed["kv"]
    row.fmt = sealed["fmt"]
    row.payload = base64.b64decode(sealed["payload"])
    row.received_at = utcnow()
