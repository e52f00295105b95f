"""Half-written forms: kept encrypted in the vault's local state until saved or dropped,
and named after (or filled in for) the gezin they belong to, so they go with it."""

from __future__ import annotations

from typing import Any

from app.facade.base import FacadeBase


class Drafts(FacadeBase):
    def save_draft(self, name: str, fields: dict[str, Any]) -> None:
        """Keep a half-written form (encrypted, durable) so it survives the app being killed."""
        self._vault.update_local({"merge": {"drafts": {name: fields}}})

    def draft(self, name: str) -> dict[str, Any] | None:
        return (self._vault.local("drafts") or {}).get(name)

    def clear_draft(self, name: str) -> None:
        self._vault.update_local({"drop": {"drafts": [name]}})

    def _drafts_of(self, case_id: str) -> dict[str, dict[str, Any]]:
        """The half-written forms of a gezin: named after it (`capture:gezin:<id>`,
        `person:<id>:…`) or filled in for it (a note being written or changed for it)."""
        drafts = self._vault.local("drafts") or {}
        bound = ("case_id", "origin")
        return {
            name: fields
            for name, fields in drafts.items()
            if case_id in name.split(":") or case_id in (fields.get(k) for k in bound)
        }

    def _drafts_moved(self, other: str, into: str) -> dict[str, Any]:
        """The local-state patch that moves `other`'s drafts to `into` (a merge). Where `into`
        already has a draft of the same form, that one is kept."""
        existing = self._vault.local("drafts") or {}
        moved: dict[str, dict[str, Any]] = {}
        for name, fields in self._drafts_of(other).items():
            new_name = ":".join(into if part == other else part for part in name.split(":"))
            if new_name == name or new_name not in existing:
                moved[new_name] = {
                    k: into if k in ("case_id", "origin") and v == other else v
                    for k, v in fields.items()
                }
        dropped = [name for name in self._drafts_of(other) if name not in moved]
        return {"merge": {"drafts": moved}, "drop": {"drafts": dropped}}
