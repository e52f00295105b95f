"""TinyDB as the in-memory query layer over the decrypted records of an unlocked vault.

Stock TinyDB rebuilds a whole table dict on every write, so a save would cost
O(notes). `InPlaceTable` applies TinyDB's own update functions to the live
in-memory dict instead, making a write O(1). Durability is not TinyDB's job
here: the journal and snapshots are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from tinydb import Query, TinyDB
from tinydb.queries import QueryLike
from tinydb.storages import MemoryStorage
from tinydb.table import Table

from app.core.records import Record


class _IntKeys(MutableMapping):
    """TinyDB's updaters use int ids; the stored table keeps TinyDB's str ids."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def __getitem__(self, key: int) -> Any:
        return self._raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self._raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self._raw[str(key)]

    def __iter__(self) -> Iterator[int]:
        return (int(k) for k in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return str(key) in self._raw


class InPlaceTable(Table):
    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
            self._storage.write(tables)
        raw = tables.setdefault(self.name, {})
        updater(_IntKeys(raw))  # type: ignore[arg-type]
        self.clear_cache()


class _Db(TinyDB):
    table_class = InPlaceTable


class Index:
    """Live (not deleted) records by kind, queryable with TinyDB queries."""

    def __init__(self) -> None:
        self._db = _Db(storage=MemoryStorage)
        self._doc_ids: dict[str, dict[str, int]] = {}

    def put(self, record: Record) -> None:
        ids = self._doc_ids.setdefault(record.kind, {})
        table = self._db.table(record.kind)
        doc_id = ids.pop(record.id, None)
        if doc_id is not None:
            table.remove(doc_ids=[doc_id])
        if not record.deleted:
            ids[record.id] = table.insert(_document(record))

    def put_many(self, records: list[Record]) -> None:
        """Bulk load at unlock: one insert per kind."""
        by_kind: dict[str, list[Record]] = {}
        for record in records:
            if not record.deleted:
                by_kind.setdefault(record.kind, []).append(record)
        for kind, group in by_kind.items():
            doc_ids = self._db.table(kind).insert_multiple(_document(r) for r in group)
            self._doc_ids.setdefault(kind, {}).update(
                zip((r.id for r in group), doc_ids, strict=True)
            )

    def get(self, kind: str, record_id: str) -> Record | None:
        doc_id = self._doc_ids.get(kind, {}).get(record_id)
        if doc_id is None:
            return None
        doc = self._db.table(kind).get(doc_id=doc_id)
        return _record(kind, doc) if doc is not None else None

    def find(self, kind: str, cond: QueryLike | None = None) -> list[Record]:
        table = self._db.table(kind)
        docs = table.all() if cond is None else table.search(cond)
        return [_record(kind, doc) for doc in docs]

    def count(self, kind: str) -> int:
        return len(self._doc_ids.get(kind, {}))

    def clear(self) -> None:
        self._db.drop_tables()
        self._doc_ids.clear()


def where(field: str) -> Query:
    return Query()[field]


def _document(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "case_id": record.case_id,
        "rev": record.rev,
        "base_rev": record.base_rev,
        "device_id": record.device_id,
        "hlc": record.hlc,
        "meta": record.meta,
        "data": record.data,
    }


def _record(kind: str, doc: dict[str, Any]) -> Record:
    return Record(kind=kind, deleted=False, **doc)
