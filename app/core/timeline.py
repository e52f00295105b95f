"""Everything that happened with a gezin, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.cases import Case
from app.core.notes import Note


@dataclass(frozen=True)
class Event:
    at: str
    kind: str  # "note" | "phase" | "status" | "merged"
    code: str  # contact kind, phase or status code ("" for a merge)
    ref: str  # note id, the case id for phase/status changes, the merged gezin's id
    by: str = ""  # a note's author (login), shown as "door LOGIN"


def timeline(case: Case, notes: Iterable[Note], owner: str = "") -> list[Event]:
    """The gezin's events, newest first; a note without an author is by `owner`."""
    events = [
        Event(n.created_at, "note", n.contact, n.id, n.by or owner)
        for n in notes
        if n.case_id == case.id
    ]
    events += [Event(c.at, "phase", c.code, case.id) for c in case.phase_history]
    events += [Event(c.at, "status", c.code, case.id) for c in case.status_history]
    events += [Event(m.at, "merged", "", m.case_id) for m in case.merged]
    return sorted(events, key=lambda e: (e.at, e.kind, e.ref), reverse=True)


def attempt_ratio(notes: Iterable[Note]) -> tuple[int, int]:
    """(failed attempts, real contacts): the aanklampen ratio of one gezin."""
    attempts = contacts = 0
    for note in notes:
        if note.contact == "poging":
            attempts += 1
        else:
            contacts += 1
    return attempts, contacts


@dataclass(frozen=True)
class Scores:
    """One check-in's draagkracht and draaglast (either may be niet ingevuld)."""

    at: str
    note_id: str
    draagkracht: int | None
    draaglast: int | None


def scores_over_time(notes: Iterable[Note], last: int = 12) -> list[Scores]:
    """The `last` check-ins with at least one score, oldest first: a gezin's chart."""
    found = [
        Scores(n.created_at, n.id, n.check_in.draagkracht, n.check_in.draaglast)
        for n in notes
        if n.check_in is not None
        and (n.check_in.draagkracht is not None or n.check_in.draaglast is not None)
    ]
    found.sort(key=lambda s: (s.at, s.note_id))
    return found[-last:] if last else found


LONG_NOTE = 280  # characters shown in the timeline before "Meer tonen"


def preview(text: str, limit: int = LONG_NOTE) -> tuple[str, bool]:
    """(the start of `text` to show collapsed, whether anything was left out); cut at a word."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + " …", True
