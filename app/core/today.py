"""Vandaag: what needs the worker today, computed from gezinnen and notes (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.cases import Case
from app.core.checklist import RightCheck
from app.core.notes import Note

NOT_SEEN_DAYS = 21


@dataclass(frozen=True)
class Item:
    kind: str  # "deadline" | "follow_up" | "right" | "time_out" | "not_seen"
    case_id: str | None
    case_name: str
    text: str  # what to do (follow-up) or why it is listed
    day: str  # due day, revisit day, or last contact day
    overdue: bool = False
    note_id: str | None = None


DEADLINE_WARNING_DAYS = 14


def today_items(
    cases: Iterable[Case],
    notes: Iterable[Note],
    today: dt.date,
    not_seen_days: int = NOT_SEEN_DAYS,
    checks: Iterable[RightCheck] = (),
) -> list[Item]:
    """Follow-ups due or overdue, rights with a next step or a deadline close by, time-outs to
    revisit, and active gezinnen not seen for long."""
    by_id = {c.id: c for c in cases}
    day = today.isoformat()
    items: list[Item] = []
    last_contact: dict[str, str] = {}
    for note in notes:
        if note.case_id and note.contact != "poging":
            last_contact[note.case_id] = max(last_contact.get(note.case_id, ""), note.created_at)
        follow = note.follow_up
        if follow and not follow.done and follow.due and follow.due <= day:
            case = by_id.get(note.case_id or "")
            items.append(
                Item(
                    "follow_up",
                    note.case_id,
                    case.name if case else "",
                    follow.what,
                    follow.due,
                    follow.due < day,
                    note.id,
                )
            )
    soon = (today + dt.timedelta(days=DEADLINE_WARNING_DAYS)).isoformat()
    for check in checks:
        if check.status in ("toegekend", "geweigerd", "nvt"):
            continue
        case = by_id.get(check.case_id)
        name = case.name if case else ""
        if check.deadline and check.deadline <= soon:
            items.append(
                Item(
                    "deadline",
                    check.case_id,
                    name,
                    check.right,
                    check.deadline,
                    check.deadline < day,
                )
            )
        elif check.follow_up and check.follow_up <= day:
            items.append(
                Item(
                    "right",
                    check.case_id,
                    name,
                    check.right,
                    check.follow_up,
                    check.follow_up < day,
                )
            )
    for case in by_id.values():
        if case.status == "lager_pitje" and case.revisit and case.revisit <= day:
            items.append(Item("time_out", case.id, case.name, "", case.revisit, case.revisit < day))
        if case.status == "actief":
            seen = (last_contact.get(case.id) or case.created_at)[:10]
            if seen and (today - dt.date.fromisoformat(seen)).days >= not_seen_days:
                items.append(Item("not_seen", case.id, case.name, "", seen))
    order = {"deadline": 0, "follow_up": 1, "right": 2, "time_out": 3, "not_seen": 4}
    return sorted(items, key=lambda i: (order[i.kind], i.day, i.case_name))
