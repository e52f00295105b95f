"""Three-way merge of a record edited here and on another device since their common base.

Fields changed on one side only take that side. Fields changed on both: lists of
codes or short texts are united, histories are united in time order, maps merge
key by key; sets of codes (a netwerkkaart person's supports and roles) merge three-way,
so a code removed on one device stays removed; anything else keeps the other device's
value and the local value is kept beside it as a conflict for the worker to settle.
Nothing typed is lost.
A delete wins over an edit (erasure must sync), and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HISTORIES = {"phase_history", "status_history", "merged"}
UNIONS = {"domains", "barriers", "strengths", "members", "reach", "skipped"}
SETS = {"supports", "roles"}  # network_node: additions from both sides, removals from both


@dataclass
class Merged:
    data: dict[str, Any]
    deleted: bool
    conflicts: list[tuple[str, Any, Any]] = field(default_factory=list)  # field, local, remote


def merge(
    base: dict[str, Any] | None, local: dict[str, Any], remote: dict[str, Any], kind: str
) -> Merged:
    """`local`/`remote`/`base` are record dicts (records.to_dict)."""
    if remote["deleted"] or local["deleted"]:
        conflicts = [] if remote["deleted"] and local["deleted"] else [("deleted", None, None)]
        return Merged({}, True, conflicts)
    merged = _merge_fields((base or {}).get("data", {}), local["data"], remote["data"])
    if kind == "case":
        _settle_current(merged.data)
    return merged


def _merge_fields(base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any]) -> Merged:
    out: dict[str, Any] = {}
    conflicts: list[tuple[str, Any, Any]] = []
    for name in dict.fromkeys([*remote, *local]):
        b, mine, theirs = base.get(name), local.get(name), remote.get(name)
        if mine in (theirs, b):
            out[name] = theirs if name in remote else mine
        elif theirs == b:
            out[name] = mine
        elif name in HISTORIES:
            out[name] = _union_history(mine or [], theirs or [])
        elif name in SETS and isinstance(mine, list) and isinstance(theirs, list):
            out[name] = _merge_set(b or [], mine, theirs)
        elif name in UNIONS and isinstance(mine, list) and isinstance(theirs, list):
            out[name] = _union(theirs, mine)
        elif isinstance(mine, dict) and isinstance(theirs, dict):
            inner = _merge_fields(b or {}, mine, theirs)
            out[name] = inner.data
            conflicts += [(f"{name}.{f}", m, t) for f, m, t in inner.conflicts]
        else:
            out[name] = theirs
            conflicts.append((name, mine, theirs))
    return Merged(out, False, conflicts)


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    out = list(first)
    out += [item for item in second if item not in out]
    return out


def _merge_set(base: list[Any], mine: list[Any], theirs: list[Any]) -> list[Any]:
    """Three-way: keep what neither side removed, add what either side added."""
    removed = [item for item in base if item not in mine or item not in theirs]
    return [item for item in _union(theirs, mine) if item not in removed]


def _union_history(a: list[dict], b: list[dict]) -> list[dict]:
    seen: list[dict] = []
    for entry in sorted([*a, *b], key=lambda e: (e.get("at", ""), e.get("code", ""))):
        if entry not in seen:
            seen.append(entry)
    return seen


def _settle_current(data: dict[str, Any]) -> None:
    """A gezin's current phase and status are the newest entries of their histories."""
    if data.get("phase_history"):
        data["phase"] = data["phase_history"][-1]["code"]
    if data.get("status_history"):
        last = data["status_history"][-1]
        data["status"], data["revisit"] = last["code"], last.get("revisit")
