"""Counting: the figures of the supervisor view from metadata facts, as plain numbers.

Pure functions over rows of the `facts` table (see `queries`); no database, no HTML.
Which code feeds which figure is listed in docs/privacy.md, section 8. Small counts are
hidden where they are shown (`tables`), not here: these are the exact numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, NamedTuple

from sync_server.dashboard.periods import Period, bucketer

ATTEMPT = "poging"  # the contact kind of an aanklampen attempt that did not reach anyone
GRANTED = "toegekend"
CLOSED = "afgesloten"


class NoteFact(NamedTuple):
    owner_id: int
    case_id: str | None
    day: str
    contact: str | None
    setting: str | None
    attempt_reason: str | None
    check_in: bool
    draagkracht: int | None
    draaglast: int | None
    domains: str | None  # codes separated by spaces
    barriers: str | None


class CaseFact(NamedTuple):
    owner_id: int
    case_id: str | None
    opened: str | None
    phase: str | None
    status: str | None
    closed: str | None


class RightFact(NamedTuple):
    owner_id: int
    day: str | None  # of the latest change
    right_id: str | None
    status: str | None


class OtherFact(NamedTuple):
    owner_id: int
    kind: str
    day: str | None
    meta: dict[str, Any]


def codes(text: str | None) -> list[str]:
    return text.split() if text else []


# ---- activity in one period ----------------------------------------------------------


@dataclass
class Worker:
    contacts: int = 0
    attempts: int = 0
    cases: set[str] = field(default_factory=set)


@dataclass
class Activity:
    contacts: int = 0  # notes that are not an attempt
    attempts: int = 0  # aanklampen attempts (contact kind `poging`)
    signalen: int = 0  # notes without a gezin
    check_ins: int = 0
    cases: set[str] = field(default_factory=set)  # distinct case pseudonyms: the caseload
    by_contact: Counter[str] = field(default_factory=Counter)
    setting_contacts: Counter[str] = field(default_factory=Counter)
    setting_attempts: Counter[str] = field(default_factory=Counter)
    by_domain: Counter[str] = field(default_factory=Counter)
    attempt_reasons: Counter[str] = field(default_factory=Counter)
    draagkracht: list[int] = field(default_factory=list)
    draaglast: list[int] = field(default_factory=list)
    # Gezinnen whose score went (up, down) from their first to their last check-in of the
    # period: the instrument is used with the client, so no team average of scores.
    kracht_moves: tuple[int, int] = (0, 0)
    last_moves: tuple[int, int] = (0, 0)
    workers: dict[int, Worker] = field(default_factory=dict)

    @property
    def caseload(self) -> int:
        return len(self.cases)


def moves(check_ins: Iterable[NoteFact], score: str) -> tuple[int, int]:
    """(gezinnen that moved up, gezinnen that moved down) between their first and last
    scored check-in, in day order; a gezin with one score did not move."""
    by_case: dict[str, list[tuple[str, int]]] = {}
    for n in check_ins:
        value = getattr(n, score)
        if n.case_id and value is not None:
            by_case.setdefault(n.case_id, []).append((n.day, value))
    up = down = 0
    for scores in by_case.values():
        scores.sort(key=lambda pair: pair[0])  # stable: same-day scores keep their order
        first, last = scores[0][1], scores[-1][1]
        up += last > first
        down += last < first
    return up, down


def activity(notes: Iterable[NoteFact]) -> Activity:
    """Everything counted from the notes of one period (and one worker or the team).

    Counted column by column with Counter (in C) rather than row by row: a month of a
    large team is ten thousand notes."""
    rows = list(notes)
    out = Activity()
    out.by_contact = Counter(n.contact for n in rows if n.contact)
    out.attempts = sum(1 for n in rows if n.contact == ATTEMPT)
    out.contacts = len(rows) - out.attempts
    out.attempt_reasons = Counter(
        n.attempt_reason for n in rows if n.contact == ATTEMPT and n.attempt_reason
    )
    places = Counter((n.setting, n.contact == ATTEMPT) for n in rows if n.setting)
    out.setting_contacts = Counter({s: c for (s, tried), c in places.items() if not tried})
    out.setting_attempts = Counter({s: c for (s, tried), c in places.items() if tried})
    out.by_domain = Counter(chain.from_iterable(n.domains.split() for n in rows if n.domains))
    out.cases = {n.case_id for n in rows if n.case_id}
    out.signalen = sum(1 for n in rows if not n.case_id and n.contact != ATTEMPT)
    check_ins = [n for n in rows if n.check_in]
    out.check_ins = len(check_ins)
    out.draagkracht = [n.draagkracht for n in check_ins if n.draagkracht is not None]
    out.draaglast = [n.draaglast for n in check_ins if n.draaglast is not None]
    out.kracht_moves = moves(check_ins, "draagkracht")
    out.last_moves = moves(check_ins, "draaglast")
    per_owner = Counter(n.owner_id for n in rows)
    tried = Counter(n.owner_id for n in rows if n.contact == ATTEMPT)
    for owner, count in per_owner.items():
        out.workers[owner] = Worker(count - tried[owner], tried[owner])
    for n in rows:
        if n.case_id:
            out.workers[n.owner_id].cases.add(n.case_id)
    return out


def contact_trend(rows: Iterable[tuple[str, int, int]], periods: list[Period]):
    """(contacts, attempts) per period from (day, notes, attempts) rows."""
    index = bucketer(periods)
    contacts, attempts = [0] * len(periods), [0] * len(periods)
    for day, notes, tried in rows:
        i = index(day)
        if i is not None:
            contacts[i] += notes - tried
            attempts[i] += tried
    return contacts, attempts


def owner_trend(
    rows: Iterable[tuple[str, int, int, int]], periods: list[Period]
) -> list[dict[int, tuple[int, int]]]:
    """Per period, owner → (contacts, attempts), from (day, owner, notes, attempts) rows."""
    index = bucketer(periods)
    out: list[dict[int, tuple[int, int]]] = [{} for _ in periods]
    for day, owner, notes, tried in rows:
        i = index(day)
        if i is not None:
            contacts, attempts = out[i].get(owner, (0, 0))
            out[i][owner] = (contacts + notes - tried, attempts + tried)
    return out


# ---- gezinnen, rights, referrals, netwerkkaarten ------------------------------------------


@dataclass
class CaseFlow:
    opened: list[int]  # per period
    closed: list[int]
    phases: Counter[str]  # of gezinnen not closed, now
    statuses: Counter[str]  # now


def case_flow(cases: Iterable[CaseFact], periods: list[Period]) -> CaseFlow:
    index = bucketer(periods)
    flow = CaseFlow([0] * len(periods), [0] * len(periods), Counter(), Counter())
    for case in cases:
        if (i := index(case.opened)) is not None:
            flow.opened[i] += 1
        if case.status == CLOSED and (i := index(case.closed)) is not None:
            flow.closed[i] += 1
        if case.status:
            flow.statuses[case.status] += 1
        if case.status != CLOSED and case.phase:
            flow.phases[case.phase] += 1
    return flow


@dataclass
class Rights:
    by_status: Counter[str]  # every right on a checklist, by its status now
    changed: Counter[str]  # rights whose latest change fell in the period, by status
    granted: Counter[str]  # toegekend, per right: the quick wins
    granted_trend: list[int]  # toegekend, by the period of their latest change


def rights(checks: Iterable[RightFact], period: Period, periods: list[Period]) -> Rights:
    index = bucketer(periods)
    out = Rights(Counter(), Counter(), Counter(), [0] * len(periods))
    for check in checks:
        if not check.status:
            continue
        out.by_status[check.status] += 1
        if period.contains(check.day):
            out.changed[check.status] += 1
        if check.status == GRANTED:
            if check.right_id:
                out.granted[check.right_id] += 1
            if (i := index(check.day)) is not None:
                out.granted_trend[i] += 1
    return out


@dataclass
class Referrals:
    by_step: Counter[str]
    by_outcome: Counter[str]
    in_period: int
    total: int


def referrals(facts: Iterable[OtherFact], period: Period) -> Referrals:
    """Doorverwijzingen by their step and outcome now (codes `step`, `outcome`)."""
    out = Referrals(Counter(), Counter(), 0, 0)
    for fact in facts:
        out.total += 1
        if isinstance(step := fact.meta.get("step"), str):
            out.by_step[step] += 1
        if isinstance(outcome := fact.meta.get("outcome"), str):
            out.by_outcome[outcome] += 1
        if period.contains(fact.day):
            out.in_period += 1
    return out


def per_period(facts: Iterable[OtherFact], periods: list[Period]) -> list[int]:
    """How many records (e.g. netwerkkaart snapshots) fall in each period."""
    index = bucketer(periods)
    counts = [0] * len(periods)
    for fact in facts:
        if (i := index(fact.day)) is not None:
            counts[i] += 1
    return counts


# ---- signaalfunctie ------------------------------------------------------------------


@dataclass
class Barriers:
    trend: dict[str, list[int]]  # barrier → notes per period
    by_domain: Counter[tuple[str, str]]  # (barrier, levensdomein) → notes, whole range
    totals: Counter[str]  # barrier → notes, whole range
    notes: int  # notes with at least one barrier, whole range


def barriers(notes: Iterable[tuple[str, str | None, str | None]], periods: list[Period]):
    """From (day, domains, barriers) of notes: structural barriers per period and domain."""
    index = bucketer(periods)
    out = Barriers({}, Counter(), Counter(), 0)
    for day, domains, tagged in notes:
        i = index(day)
        found = codes(tagged)
        if i is None or not found:
            continue
        out.notes += 1
        for barrier in found:
            out.trend.setdefault(barrier, [0] * len(periods))[i] += 1
            out.totals[barrier] += 1
            for domain in codes(domains):
                out.by_domain[(barrier, domain)] += 1
    return out


def mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None
