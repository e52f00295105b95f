"""What every part of the facade stands on: the open vault, the clock, and writing a
record's next revision (a part is one concern of `Services`, app/services.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from app.core import cases as case_rules
from app.core import records
from app.core.cases import Case
from app.core.dates import stamp
from app.core.errors import InvalidInput, NotFound
from app.vault import Vault


class FacadeBase:
    """The vault and the clock (set by `Services.__init__`), and the record helpers."""

    _vault: Vault
    _now: Callable[[], dt.datetime]

    @property
    def device_id(self) -> str:
        return self._vault.device_id

    def case(self, case_id: str) -> Case:
        return Case.from_data(case_id, self._record(case_rules.KIND, case_id).data)

    def _stamp(self) -> str:
        return stamp(self._now())

    def _record(self, kind: str, record_id: str) -> records.Record:
        if not isinstance(record_id, str) or not record_id:
            raise InvalidInput("id", "empty")
        record = self._vault.get(kind, record_id)
        if record is None:
            raise NotFound(kind, record_id)
        return record

    def _created(
        self, kind: str, case_id: str | None, record_id: str, data: dict, meta: dict
    ) -> records.Record:
        """The first revision of a new record, made on this device."""
        return records.create(
            kind, case_id, data, meta, self.device_id, self._vault.tick(), record_id
        )

    def _save_new(
        self, kind: str, record_id: str, data: dict, meta: dict, case_id: str | None
    ) -> None:
        self._vault.put(self._created(kind, case_id, record_id, data, meta))

    def _revise(self, record: records.Record, data: dict, meta: dict) -> records.Record:
        # Edits of a revision the server has not acknowledged replace it (see records.revise).
        pending = not self._vault.is_synced(record)
        return records.revise(record, data, meta, self.device_id, self._vault.tick(), pending)

    def _tombstone(self, record: records.Record) -> records.Record:
        pending = not self._vault.is_synced(record)
        return records.tombstone(record, self.device_id, self._vault.tick(), pending)

    def _rehome(self, record: records.Record, case_id: str) -> records.Record:
        """The next revision of `record`, now under another gezin (and so its key)."""
        return replace(self._revise(record, record.data, record.meta), case_id=case_id)
