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


def timeline(case: Case, notes: Iterable[Note]) -> list[Event]:
    events = [Event(n.created_at, "note", n.contact, n.id) for n in notes if n.case_id == case.id]
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
