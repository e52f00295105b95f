"""Half-written forms: kept encrypted in the vault's local state until saved or dropped,
and named after (or filled in for) the gezin they belong to, so they go with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core import cases as case_rules
from app.core import network as network_rules
from app.core import notes as note_rules
from app.facade.base import FacadeBase

KEPT_AT = "kept_at"  # beside a draft's fields: when it was last kept (not part of the form)


@dataclass(frozen=True)
class Unfinished:
    """A half-written form, said without its text: which form, for which gezin, since when."""

    name: str  # the draft, to resume or throw away
    kind: str  # "note" | "note_edit" | "signaal" | "signaal_edit" | "person" | "person_edit"
    case_id: str | None  # the gezin it is for (None: a signaal, or no gezin chosen yet)
    case_name: str
    kept_at: str | None  # when it was last kept (None: kept by an older version)
    origin: str | None = None  # a new note: the gezin its form was opened from
    target: str | None = None  # the note or person being changed


class Drafts(FacadeBase):
    def save_draft(self, name: str, fields: dict[str, Any]) -> None:
        """Keep a half-written form (encrypted, durable) so it survives the app being killed."""
        kept = {**fields, KEPT_AT: self._stamp()}
        self._vault.update_local({"merge": {"drafts": {name: kept}}})

    def draft(self, name: str) -> dict[str, Any] | None:
        kept = (self._vault.local("drafts") or {}).get(name)
        return None if kept is None else {k: v for k, v in kept.items() if k != KEPT_AT}

    def clear_draft(self, name: str) -> None:
        self._vault.update_local({"drop": {"drafts": [name]}})

    def throw_away(self, name: str) -> dict[str, Any] | None:
        """Drop a draft from Vandaag or the gezin; returns what `put_back` needs (Ongedaan)."""
        kept = (self._vault.local("drafts") or {}).get(name)
        self.clear_draft(name)
        return kept

    def put_back(self, name: str, kept: dict[str, Any]) -> None:
        self._vault.update_local({"merge": {"drafts": {name: kept}}})

    def unfinished(self, case_id: str | None = None) -> list[Unfinished]:
        """Every half-written form (of one gezin, given `case_id`), the last kept first;
        a form whose gezin, note or person is no longer here cannot be resumed and is left out."""
        drafts = self._drafts_of(case_id) if case_id else self._vault.local("drafts") or {}
        found = [u for name, fields in drafts.items() if (u := self._unfinished(name, fields))]
        return sorted(found, key=lambda u: u.kept_at or "", reverse=True)

    def _unfinished(self, name: str, fields: dict[str, Any]) -> Unfinished | None:
        form, _, rest = name.partition(":")
        if form == "capture":
            editing = fields.get("editing")
            if editing and self._vault.get(note_rules.KIND, editing) is None:
                return None
            gezin = fields.get("case_id")
            kind = "signaal" if fields.get("signaal") or (editing and not gezin) else "note"
            kind += "_edit" if editing else ""
            return self._about(name, kind, gezin, fields, fields.get("origin"), editing)
        if form == "person":
            gezin, _, node = rest.partition(":")
            kind = "person" if node == "nieuw" else "person_edit"
            target = None if node == "nieuw" else node
            if target and self._vault.get(network_rules.KIND, target) is None:
                return None
            return self._about(name, kind, gezin, fields, None, target)
        return None  # a form this version does not know

    def _about(
        self,
        name: str,
        kind: str,
        gezin: str | None,
        fields: dict[str, Any],
        origin: str | None,
        target: str | None,
    ) -> Unfinished | None:
        case_name = ""
        if gezin and not kind.startswith("signaal"):
            record = self._vault.get(case_rules.KIND, gezin)
            if record is None:
                return None
            case_name = record.data.get("name", "")
        else:
            gezin = None
        return Unfinished(name, kind, gezin, case_name, fields.get(KEPT_AT), origin, target)

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
