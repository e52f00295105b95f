"""Which kind of contact a note records: asked as one chip row, suggested by the setting.

Check-in and poging (a failed attempt) are capture modes with their own form, so they are
no chips. The suggestions, and the few places the form shows before "Meer plaatsen…", are
data (assets/capture.json), checked against the vocabularies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from app.core.vocabulary import ASSETS_DIR, vocabulary


@dataclass(frozen=True)
class ContactRules:
    modes: dict[str, str | None]  # capture mode → its fixed contact kind (None: asked)
    default: str
    by_setting: dict[str, str]
    first_settings: tuple[str, ...] = ()  # the places shown at once; the rest on request

    @property
    def choices(self) -> tuple[str, ...]:
        """The contact kinds offered as chips, in vocabulary order."""
        fixed = {code for code in self.modes.values() if code}
        return tuple(c for c in vocabulary("contact").codes if c not in fixed)

    def suggested(self, setting: str | None) -> str:
        """The contact kind a setting suggests (the default when it says nothing)."""
        return self.by_setting.get(setting or "", self.default)


@cache
def rules() -> ContactRules:
    raw = json.loads((ASSETS_DIR / "capture.json").read_text(encoding="utf-8"))
    contacts, settings = vocabulary("contact"), vocabulary("setting")
    modes = {mode: contacts.check(code) if code else None for mode, code in raw["modes"].items()}
    by_setting = {
        settings.check(setting): contacts.check(code)
        for setting, code in raw["contact_for_setting"].items()
    }
    first = tuple(settings.check(code) for code in raw["first_settings"])
    return ContactRules(modes, contacts.check(raw["default_contact"]), by_setting, first)
