"""The hash-chained, append-only audit log: each entry hashes the previous one.

Entries say who did what and when (enrolments, revocations, logins, sync volumes);
never content, never tokens or codes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sync_server.models import AuditEntry, utcnow

GENESIS = "0" * 64


def _hash(prev: str, at: str, actor: str, action: str, detail: str) -> str:
    body = json.dumps([prev, at, actor, action, detail], separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, **detail: Any) -> None:
    """Append one entry inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers of the chain across server processes.
        session.execute(text("SELECT pg_advisory_xact_lock(4242)"))
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    at = utcnow().isoformat()
    detail_text = json.dumps(detail, sort_keys=True, separators=(",", ":"))
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        detail=detail_text,
        prev_hash=prev,
        hash=_hash(prev, at, actor, action, detail_text),
    )
    session.add(entry)


def verify(session: Session) -> int:
    """Walk the chain; return the number of entries or raise ValueError at the first break."""
    prev = GENESIS
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        expected = _hash(prev, entry.at, entry.actor, entry.action, entry.detail)
        if entry.prev_hash != prev or entry.hash != expected:
            raise ValueError(f"audit chain broken at entry {entry.id}")
        prev = entry.hash
        count += 1
    return count
