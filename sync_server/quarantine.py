"""Set aside a record that phones cannot open (pushed with a leaked credential or by a
buggy build): it leaves the pull feed and the supervisor figures, and stays in the
database, marked, as evidence. A later revision its owner pushes replaces it as if it
were new (docs/server.md, "A record phones cannot open")."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync_server import audit
from sync_server.errors import BadRequest, NotFound
from sync_server.models import Change, Fact, Record, utcnow


def quarantine_record(session: Session, record_id: str) -> Record:
    record = session.get(Record, record_id.strip().lower())
    if record is None:
        raise NotFound(f"no record {record_id}")
    if record.quarantined_at is not None:
        raise BadRequest(f"record {record.id} is in quarantine already")
    record.quarantined_at = utcnow()
    session.execute(delete(Change).where(Change.record_id == record.id))
    session.execute(delete(Fact).where(Fact.record_id == record.id))
    audit.record(
        session,
        "admin",
        "quarantine_record",
        record=record.id,
        kind=record.kind,
        rev=record.rev,
        owner=record.owner_id,
    )
    return record
