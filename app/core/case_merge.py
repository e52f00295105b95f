"""Two gezinnen that turn out to be the same family (made on two phones, or a placeholder
named later) become one: nothing typed about either is dropped.

The gezin kept (`into`) keeps its name, phase and status (and their histories); the
other's household, ways to reach them, strengths and needs are added, and its history says
which gezin was merged in and when. Notes, the netwerkkaart and the rest move over whole.
A right on both checklists becomes one check with both histories.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.core.cases import Case, Merge
from app.core.checklist import RightCheck
from app.core.errors import InvalidInput


def merge_cases(into: Case, other: Case, at: str) -> Case:
    if into.id == other.id:
        raise InvalidInput("case", "same_case")
    needs = dict(into.needs)
    for code, text in other.needs.items():
        mine = needs.get(code, "")
        needs[code] = text if not mine else mine if text in mine else f"{mine}\n{text}"
    return replace(
        into,
        members=_union(into.members, other.members),
        reach=_union(into.reach, other.reach),
        strengths=_union(into.strengths, other.strengths),
        needs=needs,
        met_where=into.met_where or other.met_where,
        placeholder=into.placeholder and other.placeholder,
        merged=(*into.merged, *other.merged, Merge(other.id, other.name, at)),
    )


def merge_checks(kept: RightCheck, other: RightCheck) -> RightCheck:
    """One right on both checklists: the kept one's status unless it was never looked at;
    empty fields filled from the other; both histories."""
    status = other.status if kept.status == "niet_bekeken" else kept.status
    note = (
        kept.note if other.note in kept.note else "\n".join(n for n in (kept.note, other.note) if n)
    )
    history = tuple(sorted({*kept.history, *other.history}, key=lambda h: (h.at, h.status)))
    return replace(
        kept,
        status=status,
        non_take_up=kept.non_take_up or other.non_take_up,
        who=kept.who or other.who,
        follow_up=kept.follow_up or other.follow_up,
        deadline=kept.deadline or other.deadline,
        note=note,
        history=history,
    )


def merge_profiles(kept: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Screening answers: the kept gezin's answers win; the other's fill what is missing."""
    profile = {**other["profile"], **kept["profile"]}
    skipped = sorted((set(kept["skipped"]) | set(other["skipped"])) - set(profile))
    return {"profile": profile, "skipped": skipped}


def _union(first: tuple, second: tuple) -> tuple:
    return (*first, *(item for item in second if item not in first))
