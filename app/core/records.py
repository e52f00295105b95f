"""The record envelope every stored and synced thing travels in.

Sync fields are there from day one (ARCHITECTURE.md, sync protocol): a record is
never overwritten in place; an edit is a new revision that names the revision it
started from, and a delete is a tombstone that still syncs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    case_id: str | None
    rev: int
    base_rev: int
    device_id: str
    hlc: str
    deleted: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def new_id() -> str:
    return str(uuid.uuid4())


def create(
    kind: str,
    case_id: str | None,
    data: dict[str, Any],
    meta: dict[str, Any],
    device_id: str,
    hlc: str,
    record_id: str | None = None,
) -> Record:
    return Record(
        id=record_id or new_id(),
        kind=kind,
        case_id=case_id,
        rev=1,
        base_rev=0,
        device_id=device_id,
        hlc=hlc,
        meta=meta,
        data=data,
    )


def revise(
    record: Record,
    data: dict[str, Any],
    meta: dict[str, Any],
    device_id: str,
    hlc: str,
    pending: bool = False,
) -> Record:
    """The next revision of `record`, started from its current one.

    While a revision is `pending` (not yet acknowledged by the server) further edits
    replace it instead of stacking revisions the server never saw: the server only
    accepts rev = base_rev + 1 on top of the revision it has.
    """
    rev, base_rev = (record.rev, record.base_rev) if pending else (record.rev + 1, record.rev)
    return replace(
        record,
        rev=rev,
        base_rev=base_rev,
        device_id=device_id,
        hlc=hlc,
        data=data,
        meta=meta,
    )


def tombstone(record: Record, device_id: str, hlc: str, pending: bool = False) -> Record:
    """A delete that syncs: no content, no metadata, only the fact."""
    rev, base_rev = (record.rev, record.base_rev) if pending else (record.rev + 1, record.rev)
    return replace(
        record,
        rev=rev,
        base_rev=base_rev,
        device_id=device_id,
        hlc=hlc,
        deleted=True,
        data={},
        meta={},
    )


def to_dict(record: Record) -> dict[str, Any]:
    """The stored form: plain JSON types, the same keys as `Record`."""
    return {
        "id": record.id,
        "kind": record.kind,
        "case_id": record.case_id,
        "rev": record.rev,
        "base_rev": record.base_rev,
        "device_id": record.device_id,
        "hlc": record.hlc,
        "deleted": record.deleted,
        "meta": record.meta,
        "data": record.data,
    }


def from_dict(raw: dict[str, Any]) -> Record:
    return Record(**raw)


def plain(value: Any) -> Any:
    """JSON-native copy (tuples → lists), so data in memory equals data after a reload."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
