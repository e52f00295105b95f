"""Signalen (notes without a gezin), linking one to a gezin, and merging two gezinnen
that turn out to be one family, also when another phone merged them first."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.core import case_merge, checklist, records
from app.core import cases as case_rules
from app.core import notes as note_rules
from app.core.cases import Case
from app.core.checklist import RightCheck
from app.core.errors import InvalidInput
from app.core.notes import Note
from app.facade.drafts import Drafts
from app.vault.index import where
from app.vault.sealing import CASE_KEY_KIND


class Signalen(Drafts):
    def signalen(self) -> list[Note]:
        """Notes without a gezin (anonymous first contacts), newest first."""
        found = [
            Note.from_data(r.id, None, r.data)
            for r in self._vault.find(note_rules.KIND, where("case_id") == None)  # noqa: E711
        ]
        return sorted(found, key=lambda n: (n.created_at, n.id), reverse=True)

    def link_signaal(self, note_id: str, case_id: str) -> None:
        """The signaal becomes a note of that gezin: same id, a new revision under the gezin,
        sealed with the gezin's key when it syncs (and readable by whoever shares it)."""
        record = self._record(note_rules.KIND, note_id)
        if record.case_id is not None:
            raise InvalidInput("signaal", "linked_already")
        self._record(case_rules.KIND, case_id)
        self._vault.put(self._rehome(record, case_id))

    def unlink_signaal(self, note_id: str) -> None:
        """Ongedaan maken right after a link: the note is a signaal (no gezin) again. What
        already synced under the gezin stays seen by whoever reads that gezin."""
        record = self._record(note_rules.KIND, note_id)
        if record.case_id is None:
            return
        self._vault.put(replace(self._revise(record, record.data, record.meta), case_id=None))

    def link_signaal_to_new_case(self, note_id: str, name: str, **fields: Any) -> str:
        """A new gezin for a signaal, created and linked in one durable write."""
        record = self._record(note_rules.KIND, note_id)
        if record.case_id is not None:
            raise InvalidInput("signaal", "linked_already")
        case_id = records.new_id()
        case = case_rules.new_case(case_id, name, self._stamp(), **fields)
        created = self._created(
            case_rules.KIND, case_id, case_id, case.to_data(), case_rules.case_meta(case)
        )
        self._vault.put_many([created, self._rehome(record, case_id)])
        return case_id

    def merge_cases(self, into: str, other: str) -> None:
        """Fold gezin `other` into gezin `into` (the same family): every note, person, snapshot,
        right and answer moves over; `into` records the merge in its history; `other` goes.
        One durable write, so a crash leaves either two gezinnen or one."""
        kept_record = self._record(case_rules.KIND, into)
        gone_record = self._record(case_rules.KIND, other)
        kept = Case.from_data(into, kept_record.data)
        merged = case_merge.merge_cases(
            kept, Case.from_data(other, gone_record.data), self._stamp()
        )
        batch = [self._revise(kept_record, merged.to_data(), case_rules.case_meta(merged))]
        special = {case_rules.KIND, CASE_KEY_KIND, checklist.KIND, checklist.PROFILE_KIND}
        for record in self._vault.all_records():
            if record.case_id == other and not record.deleted and record.kind not in special:
                batch.append(self._rehome(record, into))
        batch += self._merged_checks(into, other)
        batch.append(self._tombstone(gone_record))
        self._vault.put_many(batch, self._drafts_moved(other, into))

    def follow_merges(self) -> int:
        """Records written here under a gezin that another phone merged into another one
        meanwhile (it only knew its own): they move to the gezin that stayed. Returns how many."""
        # Straight from the case records: `cases()` also sorts by activity, which reads
        # every note, and this runs at every sync.
        kept = [Case.from_data(r.id, r.data) for r in self._vault.find(case_rules.KIND)]
        forward = {m.case_id: c.id for c in kept for m in c.merged}
        gone = {
            old: new for old, new in forward.items() if not self._vault.get(case_rules.KIND, old)
        }
        if not gone:
            return 0
        special = {case_rules.KIND, CASE_KEY_KIND, checklist.KIND, checklist.PROFILE_KIND}
        batch = [
            self._rehome(record, gone[record.case_id])
            for record in self._vault.all_records()
            if record.case_id in gone and not record.deleted and record.kind not in special
        ]
        for old, new in gone.items():
            batch += self._merged_checks(new, old)
        if batch:
            self._vault.put_many(batch)
        return len(batch)

    def _merged_checks(self, into: str, other: str) -> list[records.Record]:
        """Right checks and the screening profile have ids made from the gezin's id: the other
        gezin's are written under the kept gezin's ids (joined with its own), then removed."""
        out: list[records.Record] = []
        for record in self._vault.find(checklist.KIND, where("case_id") == other):
            theirs = RightCheck.from_data(record.id, other, record.data)
            target = checklist.check_id(into, theirs.right)
            existing = self._vault.get(checklist.KIND, target)
            if existing is None:
                new = replace(theirs, id=target, case_id=into)
                out.append(
                    self._created(
                        checklist.KIND, into, target, new.to_data(), checklist.check_meta(new)
                    )
                )
            else:
                mine = RightCheck.from_data(target, into, existing.data)
                new = case_merge.merge_checks(mine, theirs)
                out.append(self._revise(existing, new.to_data(), checklist.check_meta(new)))
            out.append(self._tombstone(record))
        profile = self._vault.get(checklist.PROFILE_KIND, checklist.profile_id(other))
        if profile is not None:
            target = checklist.profile_id(into)
            existing = self._vault.get(checklist.PROFILE_KIND, target)
            if existing is None:
                out.append(self._created(checklist.PROFILE_KIND, into, target, profile.data, {}))
            else:
                data = case_merge.merge_profiles(existing.data, profile.data)
                out.append(self._revise(existing, data, {}))
            out.append(self._tombstone(profile))
        return out
