"""Three-way merge of a record edited here and on another device since their common base.

Fields changed on one side only take that side. Fields changed on both follow the rule
the record's kind gives that field (app/core/kinds.py): lists of codes or short texts are
united, histories are united in time order, objects merge key by key, sets of codes (a
netwerkkaart person's supports and roles) merge three-way so a code removed on one device
stays removed, derived fields follow what they derive from, and anything else keeps the
other device's value with the local value kept beside it as a conflict for the worker to
settle. Nothing typed is lost. A delete wins over an edit (erasure must sync), and is
reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core import kinds
from app.core.kinds import Rule


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
    rules = kinds.get(kind)
    later = str(local.get("hlc", "")) > str(remote.get("hlc", ""))
    merged = _merge_fields(
        (base or {}).get("data", {}),
        local["data"],
        remote["data"],
        rules.rule if rules else (lambda _name: Rule.KEEP_BOTH),
        later,
    )
    if rules is not None and rules.settle is not None:
        rules.settle(merged.data)
    return merged


def _merge_fields(
    base: dict[str, Any],
    local: dict[str, Any],
    remote: dict[str, Any],
    rule_of: Any,
    local_is_later: bool,
) -> Merged:
    out: dict[str, Any] = {}
    conflicts: list[tuple[str, Any, Any]] = []
    for name in dict.fromkeys([*remote, *local]):
        b, mine, theirs = base.get(name), local.get(name), remote.get(name)
        rule = rule_of(name)
        if mine in (theirs, b):
            out[name] = theirs if name in remote else mine
        elif theirs == b:
            out[name] = mine
        elif rule is Rule.HISTORY:
            out[name] = _union_history(mine or [], theirs or [])
        elif rule is Rule.SET and isinstance(mine, list) and isinstance(theirs, list):
            out[name] = _merge_set(b or [], mine, theirs)
        elif rule is Rule.UNION and isinstance(mine, list) and isinstance(theirs, list):
            out[name] = _union(theirs, mine)
        elif rule is Rule.DERIVED:
            out[name] = theirs  # recomputed by the kind's `settle`
        elif rule is Rule.LAST_WRITER:
            out[name] = mine if local_is_later else theirs
        elif isinstance(mine, dict) and isinstance(theirs, dict):
            inner = _merge_fields(
                b if isinstance(b, dict) else {},
                mine,
                theirs,
                lambda _name: Rule.KEEP_BOTH,
                local_is_later,
            )
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
    entries = sorted([*a, *b], key=lambda e: (e.get("at", ""), sorted(map(str, e.items()))))
    for entry in entries:
        if entry not in seen:
            seen.append(entry)
    return seen
