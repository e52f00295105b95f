"""TinyDB as the in-memory query layer: every record of an unlocked vault, decrypted.

Stock TinyDB rebuilds a whole table dict on every write, so a save would cost
O(notes). `InPlaceTable` applies TinyDB's own update functions to the live
in-memory dict instead, making a write O(1). Durability is not TinyDB's job
here: the journal and snapshots are. Live records sit in one table per kind;
tombstones in a table of their own, so queries never see them but snapshots
and sync still do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any

from tinydb import Query, TinyDB
from tinydb.queries import QueryLike
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

TOMBSTONES = "_tombstones"


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
    """Records as plain dicts (see `records.to_dict`), by id and by TinyDB query."""

    def __init__(self) -> None:
        self._db = _Db(storage=MemoryStorage)
        self._where: dict[str, tuple[str, int]] = {}  # record id → (table, doc id)
        self._live: dict[str, int] = {}  # kind → live count

    def put(self, doc: dict[str, Any]) -> None:
        """Insert or replace one record (a tombstone moves it out of the queryable tables)."""
        found = self._where.pop(doc["id"], None)
        if found is not None:
            self._db.table(found[0]).remove(doc_ids=[found[1]])
            if found[0] != TOMBSTONES:
                self._live[found[0]] -= 1
        self._insert([doc])

    def load(self, docs: Iterable[dict[str, Any]]) -> None:
        """Bulk load at unlock (ids must be unique): one insert per table."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for doc in docs:
            groups.setdefault(TOMBSTONES if doc["deleted"] else doc["kind"], []).append(doc)
        for group in groups.values():
            self._insert(group)

    def _insert(self, docs: list[dict[str, Any]]) -> None:
        name = TOMBSTONES if docs[0]["deleted"] else docs[0]["kind"]
        doc_ids = self._db.table(name).insert_multiple(docs)
        for doc, doc_id in zip(docs, doc_ids, strict=True):
            self._where[doc["id"]] = (name, doc_id)
        if name != TOMBSTONES:
            self._live[name] = self._live.get(name, 0) + len(docs)

    def get(self, kind: str, record_id: str) -> Document | None:
        """A live record of `kind`, or None."""
        found = self._where.get(record_id)
        if found is None or found[0] != kind:
            return None
        return self._db.table(kind).get(doc_id=found[1])

    def latest(self, record_id: str) -> Document | None:
        """The newest revision of a record, tombstone or not."""
        found = self._where.get(record_id)
        return None if found is None else self._db.table(found[0]).get(doc_id=found[1])

    def find(self, kind: str, cond: QueryLike | None = None) -> list[Document]:
        table = self._db.table(kind)
        return table.all() if cond is None else table.search(cond)

    def count(self, kind: str) -> int:
        return self._live.get(kind, 0)

    def everything(self) -> Iterator[dict[str, Any]]:
        """All records, tombstones included, for a snapshot (the stored dicts: do not modify)."""
        for table in (self._db.storage.read() or {}).values():
            yield from table.values()

    def clear(self) -> None:
        self._db.drop_tables()
        self._where.clear()
        self._live.clear()


def where(field: str) -> Query:
    return Query()[field]
