"""The rechtenverkenner: the screening answers, the checklist of rights and the catalogue
in use (the organisation's signed one once accepted, else the shipped one)."""

from __future__ import annotations

from typing import Any

from app.core import cases as case_rules
from app.core import checklist
from app.core.checklist import RightCheck
from app.core.errors import InvalidInput
from app.core.localtime import today as local_today
from app.core.rights import PROFILE_FIELDS, Screening, catalogue_stale, check_profile, screen
from app.core.rights import catalogue as shipped_catalogue
from app.facade.base import FacadeBase
from app.sync import catalogue as org_catalogue
from app.vault.index import where


class Rights(FacadeBase):
    _catalogue: tuple[str, dict[str, Any]] | None = None  # (signature, parsed) of the stored one

    def right_checks(self, case_id: str) -> list[RightCheck]:
        """The gezin's checklist, in catalogue order."""
        self._record(case_rules.KIND, case_id)
        order = {r["id"]: i for i, r in enumerate(self.catalogue()["rights"])}
        found = [
            RightCheck.from_data(r.id, r.case_id or "", r.data)
            for r in self._vault.find(checklist.KIND, where("case_id") == case_id)
        ]
        return sorted(found, key=lambda c: order.get(c.right, 999))

    def set_right(self, case_id: str, right: str, **changes: Any) -> None:
        """Add a right to the checklist or change it (status, reason, who, dates)."""
        self._record(case_rules.KIND, case_id)
        if right not in {r["id"] for r in self.catalogue()["rights"]}:
            raise InvalidInput("right", "unknown_code", value=right)
        check_id = checklist.check_id(case_id, right)
        record = self._vault.get(checklist.KIND, check_id)
        current = (
            RightCheck.from_data(check_id, case_id, record.data)
            if record
            else RightCheck(check_id, case_id, right)
        )
        new = checklist.update(current, self._stamp(), **changes)
        meta = checklist.check_meta(new)
        if record is None:
            self._save_new(checklist.KIND, check_id, new.to_data(), meta, case_id)
        else:
            self._vault.put(self._revise(record, new.to_data(), meta))

    def rights_profile(self, case_id: str) -> dict[str, Any]:
        """The screening answers so far. They sync encrypted under the gezin's key, with no
        metadata at all: the server never learns an answer."""
        record = self._vault.get(checklist.PROFILE_KIND, checklist.profile_id(case_id))
        if record is None:
            return {"profile": {}, "skipped": []}
        return {"profile": dict(record.data["profile"]), "skipped": list(record.data["skipped"])}

    def save_rights_profile(self, case_id: str, profile: dict, skipped: list[str]) -> None:
        self._record(case_rules.KIND, case_id)
        check_profile(profile)
        if not isinstance(skipped, list) or any(f not in PROFILE_FIELDS for f in skipped):
            raise InvalidInput("profile", "unknown_field", value=str(skipped)[:40])
        data = {"profile": profile, "skipped": sorted(set(skipped))}
        record_id = checklist.profile_id(case_id)
        record = self._vault.get(checklist.PROFILE_KIND, record_id)
        if record is None:
            self._save_new(checklist.PROFILE_KIND, record_id, data, {}, case_id)
        else:
            self._vault.put(self._revise(record, data, {}))

    def screening(self, case_id: str) -> Screening:
        return screen(self.rights_profile(case_id)["profile"], self.catalogue())

    def catalogue(self) -> dict[str, Any]:
        """The organisation's signed catalogue once one was accepted, else the shipped one."""
        stored = self._vault.local("catalogue")
        if not stored:
            return shipped_catalogue()
        if self._catalogue is None or self._catalogue[0] != stored["signature"]:
            self._catalogue = (stored["signature"], org_catalogue.parse(stored["text"]))
        return self._catalogue[1]

    def catalogue_stale(self) -> bool:
        """More than a year old: the screen warns that facts may have changed."""
        return catalogue_stale(self.catalogue()["date"], local_today(self._now()))

    def rights_realised(self, case_id: str) -> int:
        return sum(c.realised for c in self.right_checks(case_id))
