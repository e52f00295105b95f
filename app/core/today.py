"""Vandaag: the day's agenda, computed from gezinnen, notes and rights checklists (pure).

Every open thing with a day lands in one section: te laat, vandaag, deze week (the
next seven days), binnenkort (a right's deadline within two weeks) or later (every
day after this week: a follow-up set for "volgende week" must not vanish); follow-ups
without a day under zonder datum; active gezinnen nobody saw for a while last. An item
the worker put off (`snoozed`: item key → day) stays away until that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.cases import Case
from app.core.checklist import RightCheck
from app.core.localtime import local_day
from app.core.notes import Note

NOT_SEEN_WEEKS = 6
WEEK_DAYS = 7
DEADLINE_WARNING_DAYS = 14
SECTIONS = ("overdue", "today", "week", "soon", "later", "undated", "not_seen")
# A right needs no step any more once it was applied for or settled.
RIGHT_SETTLED = frozenset({"toegekend", "geweigerd", "stopgezet", "nvt"})
DEADLINE_MET = RIGHT_SETTLED | {"aangevraagd"}
_KIND_ORDER = {"deadline": 0, "follow_up": 1, "right": 2, "time_out": 3, "not_seen": 4}


@dataclass(frozen=True)
class Item:
    kind: str  # "deadline" | "follow_up" | "right" | "time_out" | "not_seen"
    case_id: str | None
    case_name: str
    text: str  # what to do (follow-up), the right id, or empty
    day: str | None  # due day, deadline, revisit day, or (not_seen) the last contact day
    overdue: bool = False
    note_id: str | None = None
    section: str = "today"
    who: str = ""  # a follow-up's "wie" (me, a colleague of a shared gezin, a service)

    @property
    def key(self) -> str:
        """Stable across days and devices: what a tick or a move applies to."""
        ref = self.note_id if self.kind == "follow_up" else f"{self.case_id}:{self.text}"
        return f"{self.kind}:{ref}"


def section_of(day: str | None, today: dt.date, horizon: int = WEEK_DAYS) -> str:
    """Which section a day belongs in: after `horizon` days, "later"."""
    if day is None:
        return "undated"
    when = dt.date.fromisoformat(day)
    if when < today:
        return "overdue"
    if when == today:
        return "today"
    if when < today + dt.timedelta(days=horizon):
        return "week"
    return "later"


def today_items(
    cases: Iterable[Case],
    notes: Iterable[Note],
    today: dt.date,
    not_seen_weeks: int = NOT_SEEN_WEEKS,
    checks: Iterable[RightCheck] = (),
    snoozed: Mapping[str, str] | None = None,
    last_contact: Mapping[str, str] | None = None,
) -> list[Item]:
    """The agenda in section order, then by kind, day and gezin. `last_contact` (gezin →
    Belgian day of its last real contact) may be given; else it is found in `notes`, and
    then `notes` need only be those with an open follow-up."""
    by_id = {c.id: c for c in cases}
    name = {c.id: c.name for c in by_id.values()}
    day = today.isoformat()
    items: list[Item] = []
    seen_on: dict[str, str] = dict(last_contact or {})

    def add(
        kind: str,
        case_id: str | None,
        text: str,
        when: str | None,
        section: str | None = None,
        note_id: str | None = None,
        who: str = "",
    ) -> None:
        section = section or section_of(when, today)
        case_name = name.get(case_id or "", "")
        overdue = section == "overdue"
        items.append(Item(kind, case_id, case_name, text, when, overdue, note_id, section, who))

    for note in notes:
        if last_contact is None and note.case_id and note.contact != "poging":
            seen = local_day(note.created_at)
            seen_on[note.case_id] = max(seen_on.get(note.case_id, ""), seen)
        follow = note.follow_up
        if follow and not follow.done and (note.case_id is None or note.case_id in by_id):
            add("follow_up", note.case_id, follow.what, follow.due, note_id=note.id, who=follow.who)
    for check in checks:
        if check.case_id not in by_id or check.status in RIGHT_SETTLED:
            continue
        if (
            check.deadline
            and check.status not in DEADLINE_MET
            and check.deadline < _in(today, DEADLINE_WARNING_DAYS)
        ):
            section = section_of(check.deadline, today)
            section = "soon" if section == "later" else section
            add("deadline", check.case_id, check.right, check.deadline, section=section)
        if check.follow_up:
            add("right", check.case_id, check.right, check.follow_up)
    for case in by_id.values():
        if case.status == "lager_pitje" and case.revisit:
            add("time_out", case.id, "", case.revisit)
        if case.status == "actief":
            seen = seen_on.get(case.id) or (local_day(case.created_at) if case.created_at else "")
            if seen and (today - dt.date.fromisoformat(seen)).days >= 7 * not_seen_weeks:
                add("not_seen", case.id, "", seen, section="not_seen")
    waiting = snoozed or {}
    shown = [i for i in items if not waiting.get(i.key, "") > day]
    return sorted(
        shown,
        key=lambda i: (SECTIONS.index(i.section), i.day or "", _KIND_ORDER[i.kind], i.case_name),
    )


def sections(items: Iterable[Item]) -> list[tuple[str, list[Item]]]:
    """The items grouped under their section, in agenda order; empty sections left out."""
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.section, []).append(item)
    return [(s, grouped[s]) for s in SECTIONS if s in grouped]


def _in(today: dt.date, days: int) -> str:
    return (today + dt.timedelta(days=days)).isoformat()
