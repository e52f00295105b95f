"""The per-gezin rights checklist: for each right, where the conversation stands.

One record per (gezin, right), with a history of changes. Only the right id and the
status leave the phone unencrypted (the supervisor counts quick wins); the profile,
notes and who-does-what stay inside the payload.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, replace
from functools import cache
from typing import Any

from app.core.dates import parse_day
from app.core.errors import InvalidInput
from app.core.records import plain
from app.core.text import MAX_NAME, clean_text
from app.core.vocabulary import ASSETS_DIR, vocabulary

KIND = "right_check"
_NAMESPACE = uuid.UUID("6f3b8c1e-2a4d-4f0b-9c7e-5d1a2b3c4d5e")


PROFILE_KIND = "rights_profile"


def profile_id(case_id: str) -> str:
    """One screening profile per gezin, the same id on every device (answers merge)."""
    return str(uuid.uuid5(_NAMESPACE, f"{case_id}:profile"))


def check_id(case_id: str, right: str) -> str:
    """The same id on every device, so two phones adding the same right merge into one."""
    return str(uuid.uuid5(_NAMESPACE, f"{case_id}:{right}"))


@dataclass(frozen=True)
class StatusChange:
    status: str
    at: str


@dataclass(frozen=True)
class RightCheck:
    id: str
    case_id: str
    right: str
    status: str = "niet_bekeken"
    non_take_up: str | None = None
    who: str = ""
    follow_up: str | None = None  # next step date
    deadline: str | None = None  # e.g. verwarmingstoelage: 60 days after delivery
    note: str = ""
    history: tuple[StatusChange, ...] = ()
    support_mode: str | None = None  # who does it: zelf, samen, overnemen

    @property
    def realised(self) -> bool:
        return self.status == "toegekend"

    def to_data(self) -> dict[str, Any]:
        data = plain(asdict(self))
        del data["id"], data["case_id"]
        return data

    @classmethod
    def from_data(cls, check: str, case_id: str, data: dict[str, Any]) -> RightCheck:
        history = tuple(StatusChange(**h) for h in data.get("history", ()))
        return cls(check, case_id, **{**data, "history": history})


def update(check: RightCheck, at: str, **changes: Any) -> RightCheck:
    """Validate and apply; a new status is added to the history."""
    allowed = {"status", "non_take_up", "who", "follow_up", "deadline", "note", "support_mode"}
    if set(changes) - allowed:
        raise InvalidInput(sorted(set(changes) - allowed)[0], "not_editable")
    values: dict[str, Any] = {}
    if "status" in changes:
        values["status"] = vocabulary("right_status").check(changes["status"])
    if "non_take_up" in changes:
        reason = changes["non_take_up"]
        values["non_take_up"] = vocabulary("non_take_up").check(reason) if reason else None
    if "who" in changes:
        values["who"] = clean_text(changes["who"], "who", required=False, limit=MAX_NAME)
    for day, label in (("follow_up", "next_step_day"), ("deadline", "deadline")):
        if day in changes:
            values[day] = parse_day(changes[day], label)
    if "note" in changes:
        values["note"] = clean_text(changes["note"], "note", required=False)
    if "support_mode" in changes:
        mode = changes["support_mode"]
        if mode and mode not in support_modes():
            raise InvalidInput("support_mode", "unknown_code", value=mode, allowed=support_modes())
        values["support_mode"] = mode or None
    new = replace(check, **values)
    if new.status != check.status or not check.history:
        new = replace(new, history=(*check.history, StatusChange(new.status, at)))
    return new


@cache
def _statuses() -> dict[str, Any]:
    return json.loads((ASSETS_DIR / "rights" / "statuses.json").read_text(encoding="utf-8"))


def applies(field: str, status: str) -> bool:
    """Whether a field of the checklist means something in this status (a non-take-up
    reason for a granted right does not); fields not listed apply always."""
    statuses = _statuses()["fields"].get(field)
    return statuses is None or status in statuses


def support_modes() -> tuple[str, ...]:
    """Who does it, per right: the client alone, together, or the worker takes it over."""
    return tuple(_statuses()["support_modes"])


@dataclass(frozen=True)
class ScreeningAnswers:
    """A gezin's screening profile so far, and the questions it chose to skip."""

    id: str
    case_id: str
    profile: dict[str, Any]
    skipped: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {"profile": plain(self.profile), "skipped": list(self.skipped)}

    @classmethod
    def from_data(cls, record_id: str, case_id: str, data: dict[str, Any]) -> ScreeningAnswers:
        return cls(
            record_id, case_id, dict(data.get("profile", {})), tuple(data.get("skipped", ()))
        )


def check_meta(check: RightCheck) -> dict[str, Any]:
    """What may leave the phone unencrypted: which right, and its status (docs/privacy.md)."""
    return {"right": check.right, "status": check.status}
