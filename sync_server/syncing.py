"""Push and pull: the server side of docs/sync-protocol.md.

A push batch is one transaction: every record is accepted, reported as a
conflict (its base_rev is stale, or a membership entry not of the next epoch) or
refused (someone else's, or of a gezin the pusher is not a member of); a replay
of an accepted revision is accepted again without a second row. Accepted records
go into the feed of every reader (sync_server/gezinnen.py). The server never
merges or overwrites: it cannot read the payloads.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.core import kinds
from app.sync.protocol import SEALED_FIELDS, check_record
from sync_server import audit, catalogue, team
from sync_server.dashboard import facts
from sync_server.gezinnen import CASE, SHARED, SIGNED, USER, Gezinnen
from sync_server.models import Change, Device, Record, Team, User, aware, utcnow


def push(
    session: Session,
    device: Device,
    user: User,
    batch: list[dict[str, Any]],
    since: int | None = None,
) -> dict[str, Any]:
    """The results per record, and `next_cursor`: where the device may move its pull cursor
    when `since` (its cursor) was the end of the feed, so its own changes never echo back."""
    # Lock the team's row: the pushes of one team are serialised, so a gezin's members,
    # epoch and records are read and changed by one push at a time, and every member's
    # change sequence is gap-free in commit order, so a pull never skips a record
    # (PostgreSQL; SQLite serialises writers already).
    session.execute(select(Team.id).where(Team.id == user.team_id).with_for_update())
    seq = session.scalar(select(User.change_seq).where(User.id == user.id)) or 0
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
                Record.case_id,
                Record.key_scope,
                Record.quarantined_at,
            ).where(Record.id.in_(ids))
        )
    }
    gezinnen = Gezinnen(session, user)
    gezinnen.load(
        [s["case_id"] for s in checked if s["key"] in SHARED and s["case_id"]]
        + [r.case_id for r in stored.values() if r.key_scope in SHARED and r.case_id]
    )
    # A quarantined record keeps its owner, and is otherwise as if it were not there.
    held = {i: r for i, r in stored.items() if r.quarantined_at is None}
    current = {i: (r.rev, r.hlc, r.device_id) for i, r in held.items()}
    was = {i: (r.owner_id, r.kind, r.case_id, r.key_scope) for i, r in stored.items()}
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    readers: dict[str, set[int]] = {}
    results = []
    now = utcnow()
    for sealed in checked:
        rid = sealed["id"]
        rev, hlc, device_id = current.get(rid, (0, None, None))
        prior = was.get(rid)
        if not _may_write(gezinnen, user, sealed, prior):
            results.append({"id": rid, "status": "refused", "rev": None})
        elif (rev, hlc, device_id) == (sealed["rev"], sealed["hlc"], sealed["device_id"]):
            results.append({"id": rid, "status": "accepted", "rev": rev})  # a replay
        elif rid in current and (sealed["base_rev"] != rev or sealed["key"] == SIGNED):
            results.append({"id": rid, "status": "conflict", "rev": rev})  # entries never change
        else:
            status, to = _readers(gezinnen, user, sealed)
            if status != "accepted":
                results.append({"id": rid, "status": status, "rev": None})
                continue
            author = prior[0] if prior else user.id
            row = _row(sealed, author, user.team_id, now)
            (updates if rid in stored else inserts)[rid] = row
            current[rid] = (sealed["rev"], sealed["hlc"], sealed["device_id"])
            was[rid] = (author, sealed["kind"], sealed["case_id"], sealed["key"])
            readers.pop(rid, None)  # its newest revision comes last in the feed
            readers[rid] = to
            results.append({"id": rid, "status": "accepted", "rev": sealed["rev"]})
    gezinnen.save()
    if inserts:
        session.execute(insert(Record), list(inserts.values()))
    if updates:
        session.execute(update(Record), list(updates.values()))
    facts.refresh(session, [*inserts.values(), *updates.values()])  # the supervisor view
    gezinnen.forget_left()
    feeds: dict[int, list[str]] = {}
    for rid, to in readers.items():
        for user_id in to:
            feeds.setdefault(user_id, []).append(rid)
    for user_id, caught in gezinnen.catch_up().items():
        feeds[user_id] = list(dict.fromkeys(caught + feeds.get(user_id, [])))
    seq = _feed(session, user, seq, readers, feeds)
    _seen(device)
    if batch:
        audit.record(
            session, f"device:{device.id}", "push", records=len(batch), accepted=len(readers)
        )
    return {"results": results, "next_cursor": seq if caught_up else None}


def _may_write(
    gezinnen: Gezinnen,
    user: User,
    sealed: dict[str, Any],
    prior: tuple[int, str, str | None, str] | None,
) -> bool:
    """A record keeps its kind; a user-scope record is its author's alone; a record of a
    gezin (before and after this revision) is written by its members only."""
    kind = kinds.of(sealed["kind"])
    scope = sealed["key"]
    if (kind.scope == SIGNED) != (scope == SIGNED) or (kind.scope == USER and scope != USER):
        return False
    if scope == CASE and sealed["case_id"] is None:
        return False
    if prior is None:
        return True
    author, kind_name, case_id, old_scope = prior
    if kind_name != sealed["kind"]:
        return False
    if old_scope == USER or scope == USER:
        return author == user.id
    return old_scope != CASE or gezinnen.reader(case_id, create=False) is not None


def _readers(gezinnen: Gezinnen, user: User, sealed: dict[str, Any]) -> tuple[str, set[int]]:
    """Whether the revision is accepted, and whose feeds get it."""
    scope = sealed["key"]
    if scope == USER:
        return "accepted", {user.id}
    if scope == SIGNED:
        return gezinnen.entry(sealed)
    gezin = gezinnen.reader(sealed["case_id"])
    if gezin is None or sealed["kv"] > gezin.epoch:
        return "refused", set()
    return "accepted", set(gezin.members)  # an admin's removal took the removed out


def _feed(
    session: Session,
    user: User,
    seq: int,
    readers: dict[str, set[int]],
    feeds: dict[int, list[str]],
) -> int:
    """Put each accepted record at the end of its readers' feeds, and take it out of any
    other feed (someone who left a gezin gets no later revision of its records). Returns
    the pusher's change sequence after the batch."""
    if readers:
        session.execute(delete(Change).where(Change.record_id.in_(list(readers))))
    if not feeds:
        return seq
    users = sorted(feeds)
    sequences = dict(
        session.execute(select(User.id, User.change_seq).where(User.id.in_(users))).all()
    )
    rows = []
    for user_id in users:
        start = sequences.get(user_id) or 0
        record_ids = feeds[user_id]
        caught = [rid for rid in record_ids if rid not in readers]
        for part in _chunks(caught):  # caught-up records may be in the feed at an older place
            session.execute(
                delete(Change).where(Change.user_id == user_id, Change.record_id.in_(part))
            )
        rows += [
            {"user_id": user_id, "seq": start + n, "record_id": rid}
            for n, rid in enumerate(record_ids, 1)
        ]
        sequences[user_id] = start + len(record_ids)
    session.execute(insert(Change), rows)
    session.execute(
        update(User),
        [{"id": user_id, "change_seq": sequences[user_id]} for user_id in users],
    )
    return sequences.get(user.id, seq)


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
    answer: dict[str, Any] = {
        "records": [wire(row) for row in page],
        "next_cursor": page[-1].seq if page else since,
        "has_more": len(rows) > limit,
    }
    if not answer["has_more"]:  # the phone looks at it once its pull is done
        answer["team_version"] = team.team_version(team.team_list(session, user))
    return answer


# Wire field → column: the same names, except the key scope.
_COLUMN = {name: ("key_scope" if name == "key" else name) for name in SEALED_FIELDS}
_WIRE_COLUMNS = tuple(_COLUMN.values())


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


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


def _row(sealed: dict[str, Any], author: int, team_id: int, now: Any) -> dict[str, Any]:
    row = {column: sealed[name] for name, column in _COLUMN.items()}
    row.update(
        payload=base64.b64decode(sealed["payload"]),
        owner_id=author,  # who wrote it first; a colleague's edit keeps it theirs
        team_id=team_id,
        received_at=now,
        quarantined_at=None,
    )
    return row
