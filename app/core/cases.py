"""A gezin (case): who, how to reach them, where in the begeleidingstraject, and how it goes.

The traject is cyclic: moving back a phase is normal, so every change is kept
in a history instead of overwriting the current phase.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from app.core.dates import parse_day
from app.core.errors import InvalidInput
from app.core.localtime import local_day
from app.core.records import plain
from app.core.text import MAX_NAME, clean_name, clean_text
from app.core.vocabulary import vocabulary

KIND = "case"
MAX_NEED = 2000  # per levensdomein: keeps a whole gezin well inside one sync record


@dataclass(frozen=True)
class Member:
    name: str
    relation: str = ""
    birth_year: int | None = None


@dataclass(frozen=True)
class Reach:
    channel: str
    value: str = ""


@dataclass(frozen=True)
class Change:
    """One step in the phase or status history."""

    code: str
    at: str
    revisit: str | None = None


@dataclass(frozen=True)
class Merge:
    """Another gezin (the same family, made twice) folded into this one."""

    case_id: str
    name: str
    at: str


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    pseudonym: bool = False
    placeholder: bool = False
    members: tuple[Member, ...] = ()
    reach: tuple[Reach, ...] = ()
    best_moment: str = ""  # when the gezin is best reached ("na 16 uur, niet op woensdag")
    referred_by: str | None = None  # aangemeld door (referrer code): signals of colleagues
    met_where: str | None = None
    phase: str = "eerste_onthaal"
    phase_history: tuple[Change, ...] = ()
    status: str = "actief"
    revisit: str | None = None
    status_history: tuple[Change, ...] = ()
    strengths: tuple[str, ...] = ()
    needs: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    merged: tuple[Merge, ...] = ()

    def to_data(self) -> dict[str, Any]:
        data = plain(asdict(self))
        del data["id"]
        return data

    @classmethod
    def from_data(cls, case_id: str, data: dict[str, Any]) -> Case:
        return cls(
            id=case_id,
            name=data["name"],
            pseudonym=data.get("pseudonym", False),
            placeholder=data.get("placeholder", False),
            members=tuple(Member(**m) for m in data.get("members", ())),
            reach=tuple(Reach(**r) for r in data.get("reach", ())),
            best_moment=data.get("best_moment", ""),
            referred_by=data.get("referred_by"),
            met_where=data.get("met_where"),
            phase=data.get("phase", "eerste_onthaal"),
            phase_history=tuple(Change(**c) for c in data.get("phase_history", ())),
            status=data.get("status", "actief"),
            revisit=data.get("revisit"),
            status_history=tuple(Change(**c) for c in data.get("status_history", ())),
            strengths=tuple(data.get("strengths", ())),
            needs=dict(data.get("needs", {})),
            created_at=data.get("created_at", ""),
            merged=tuple(Merge(**m) for m in data.get("merged", ())),
        )


def new_case(
    case_id: str,
    name: str,
    at: str,
    *,
    pseudonym: bool = False,
    placeholder: bool = False,
    members: list[dict[str, Any]] | None = None,
    reach: list[dict[str, str]] | None = None,
    best_moment: str = "",
    referred_by: str | None = None,
    met_where: str | None = None,
    strengths: list[str] | None = None,
    needs: dict[str, str] | None = None,
) -> Case:
    """A validated new gezin in the first phase, actief."""
    case = Case(
        id=case_id,
        name=clean_name(name, "name", required=True, limit=MAX_NAME),
        pseudonym=bool(pseudonym),
        placeholder=bool(placeholder),
        phase_history=(Change("eerste_onthaal", at),),
        status_history=(Change("actief", at),),
        created_at=at,
    )
    return edit_case(
        case,
        members=members or [],
        reach=reach or [],
        best_moment=best_moment,
        referred_by=referred_by,
        met_where=met_where,
        strengths=strengths or [],
        needs=needs or {},
    )


def edit_case(case: Case, **changes: Any) -> Case:
    """Change descriptive fields; phase and status go through their own functions."""
    allowed = {
        "name",
        "pseudonym",
        "placeholder",
        "members",
        "reach",
        "best_moment",
        "referred_by",
        "met_where",
        "strengths",
        "needs",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "not_editable")
    updates: dict[str, Any] = {}
    if "name" in changes:
        updates["name"] = clean_name(changes["name"], "name", required=True, limit=MAX_NAME)
    for flag in ("pseudonym", "placeholder"):
        if flag in changes:
            updates[flag] = bool(changes[flag])
    if "members" in changes:
        updates["members"] = tuple(_member(m) for m in changes["members"])
    if "reach" in changes:
        updates["reach"] = tuple(_reach(r) for r in changes["reach"])
    if "best_moment" in changes:
        updates["best_moment"] = clean_text(
            changes["best_moment"], "best_moment", required=False, limit=MAX_NAME
        )
    if "referred_by" in changes:
        who = changes["referred_by"]
        updates["referred_by"] = vocabulary("referrer").check(who) if who else None
    if "met_where" in changes:
        where = changes["met_where"]
        updates["met_where"] = vocabulary("setting").check(where) if where else None
    if "strengths" in changes:
        updates["strengths"] = tuple(
            clean_text(s, "strengths", required=True, limit=MAX_NAME) for s in changes["strengths"]
        )
    if "needs" in changes:
        domains = vocabulary("domain")
        updates["needs"] = {
            domains.check(code): clean_text(text, "needs", required=False, limit=MAX_NEED)
            for code, text in changes["needs"].items()
        }
    return replace(case, **updates)


def change_phase(case: Case, phase: str, at: str) -> Case:
    """Move to any phase, forwards or back; the history keeps every step."""
    vocabulary("phase").check(phase)
    if phase == case.phase:
        return case
    return replace(case, phase=phase, phase_history=(*case.phase_history, Change(phase, at)))


def change_status(case: Case, status: str, at: str, revisit: str | None = None) -> Case:
    """Actief, lager pitje (time-out, needs a revisit date) or afgesloten."""
    vocabulary("case_status").check(status)
    day = parse_day(revisit, "revisit")
    if status == "lager_pitje" and day is None:
        raise InvalidInput("revisit", "required_for_time_out")
    if status != "lager_pitje":
        day = None
    change = Change(status, at, day)
    return replace(case, status=status, revisit=day, status_history=(*case.status_history, change))


def case_meta(case: Case) -> dict[str, Any]:
    """The only facts about a gezin that may leave the phone unencrypted (docs/privacy.md).

    `opened` and `closed` are Belgian days, for the new and closed gezinnen per period."""
    meta: dict[str, Any] = {"phase": case.phase, "status": case.status}
    if case.created_at:
        meta["opened"] = local_day(case.created_at)
    if case.status == "afgesloten" and case.status_history:
        meta["closed"] = local_day(case.status_history[-1].at)
    return meta


def _member(raw: dict[str, Any]) -> Member:
    year = raw.get("birth_year")
    if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2100):
        raise InvalidInput("birth_year", "out_of_range")
    return Member(
        name=clean_name(raw.get("name"), "member", required=True, limit=MAX_NAME),
        relation=clean_text(raw.get("relation"), "relation", required=False, limit=MAX_NAME),
        birth_year=year,
    )


def _reach(raw: dict[str, str]) -> Reach:
    return Reach(
        channel=vocabulary("reach_channel").check(raw.get("channel", "")),
        value=clean_text(raw.get("value"), "reach", required=False, limit=MAX_NAME),
    )
