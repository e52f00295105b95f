"""Who may push a record of a gezin, and whose feed it goes to (docs/sharing.md).

The server knows a gezin's owner, key epoch and members only from the clear metadata of
its membership entries (`cases`, `case_members`); it never reads content. One push
batch works on `Gezinnen`: the gezinnen it touches, loaded once, changed by the
membership entries the batch brings, and written back in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.core import kinds
from sync_server.models import (
    Case,
    CaseMember,
    Change,
    PendingRotation,
    Record,
    Team,
    User,
    utcnow,
)

# A record's key scope (the envelope's `key`): sealed for its author only, for the
# members of its gezin, or a signed membership entry in clear.
USER, CASE, SIGNED = kinds.USER, kinds.CASE, kinds.SIGNED
SHARED = (CASE, SIGNED)
MEMBERSHIP = kinds.MEMBERSHIP_KIND.name
GEZIN = kinds.CASE_KIND.name
ENTRY_FIELDS = frozenset(kinds.MEMBERSHIP_KIND.codes)


@dataclass
class Gezin:
    id: str
    team_id: int
    owner_id: int | None
    epoch: int
    members: set[int]
    pending: set[int]  # removed by an admin; their `remove` entry is still to come
    is_new: bool = False
    changed: bool = False
    joined: set[int] = field(default_factory=set)  # added by this batch: catch them up
    left: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Person:
    id: int
    login: str
    active: bool


class Gezinnen:
    """The gezinnen one push touches, as the pusher's team sees them."""

    def __init__(self, session: Session, user: User) -> None:
        self.session = session
        self.user = user
        self.found: dict[str, Gezin | None] = {}
        self._people: dict[str, Person] | None = None

    def load(self, case_ids: Iterable[str]) -> None:
        wanted = sorted({c for c in case_ids if c not in self.found})
        if not wanted:
            return
        rows = self.session.execute(
            select(Case.id, Case.team_id, Case.owner_id, Case.epoch).where(Case.id.in_(wanted))
        ).all()
        members = self.session.execute(
            select(CaseMember.case_id, CaseMember.user_id).where(CaseMember.case_id.in_(wanted))
        ).all()
        pending = self.session.execute(
            select(PendingRotation.case_id, PendingRotation.user_id).where(
                PendingRotation.case_id.in_(wanted)
            )
        ).all()
        for case_id in wanted:
            self.found[case_id] = None
        for row in rows:
            self.found[row.id] = Gezin(row.id, row.team_id, row.owner_id, row.epoch, set(), set())
        for case_id, user_id in members:
            self.found[case_id].members.add(user_id)  # type: ignore[union-attr]
        for case_id, user_id in pending:
            self.found[case_id].pending.add(user_id)  # type: ignore[union-attr]

    def reader(self, case_id: str | None, create: bool = True) -> Gezin | None:
        """The gezin if the pusher may write to it now; a gezin never seen becomes theirs.
        A gezin of another team looks exactly like one the pusher is not a member of."""
        if case_id is None:
            return None
        self.load([case_id])
        gezin = self.found[case_id]
        if gezin is None and not create:
            return None
        if gezin is None:
            gezin = Gezin(case_id, self.user.team_id, self.user.id, 1, {self.user.id}, set())
            gezin.is_new = gezin.changed = True
            self.found[case_id] = gezin
        if gezin.team_id != self.user.team_id or self.user.id not in gezin.members:
            return None
        return gezin

    def team_log(self, case_id: str | None) -> Gezin | None:
        """The team's log, when `case_id` names the pusher's own team log."""
        if case_id is None:
            return None
        team_case = self.session.scalar(select(Team.case_id).where(Team.id == self.user.team_id))
        if case_id != team_case:
            return None
        self.load([case_id])
        return self.found[case_id]

    # ---- membership entries ----------------------------------------------------------

    def entry(self, sealed: dict[str, Any]) -> tuple[str, set[int]]:
        """Judge a membership entry and apply it: ("accepted", whose feeds get it: the
        members before and after, so someone removed learns it, except who is rotated out
        after an admin's removal or reset), ("conflict", ∅) for an
        entry of another epoch than the next, or ("refused", ∅)."""
        meta, case_id = sealed["meta"], sealed["case_id"]
        if (
            sealed["kind"] != MEMBERSHIP
            or sealed["deleted"]
            or set(meta) != ENTRY_FIELDS
            or case_id is None
            or sealed["id"] != f"{case_id}.m{meta['epoch']}"
            or sealed["kv"] != meta["epoch"]
        ):
            return "refused", set()
        gezin = self.team_log(case_id)
        creating = gezin is not None and gezin.epoch == 0
        if not creating:
            gezin = self.reader(case_id)
        if gezin is None:
            return "refused", set()
        if meta["epoch"] != gezin.epoch + 1:
            return "conflict", set()
        after = self._after(gezin, meta)
        if after is None:
            return "refused", set()
        owner, members = after
        # Someone rotated out (removed, or started over with new keys) does not get the
        # entry: their old keys are gone, and a new phone of theirs could not check it.
        readers = self.active((gezin.members | members | {self.user.id}) - gezin.pending)
        gezin.left |= (gezin.members | gezin.pending) - members
        gezin.joined |= members - gezin.members - gezin.pending
        gezin.pending -= gezin.left
        gezin.members = members
        gezin.owner_id, gezin.epoch, gezin.changed = owner, meta["epoch"], True
        return "accepted", readers

    def _after(self, gezin: Gezin, meta: dict[str, Any]) -> tuple[int, set[int]] | None:
        """Owner and members after the change `meta` describes, or None when it does not
        follow from the gezin as the server knows it (members an admin removed count
        until their `remove` entry, as they do on the phones)."""
        people = self.people()
        me = self.user.login
        by_id = {p.id: p.login for p in people.values()}
        now = {by_id[i] for i in gezin.members | gezin.pending if i in by_id}
        owner = by_id.get(gezin.owner_id) if gezin.owner_id is not None else None
        action, subject = meta["action"], meta["subject"]
        expected: tuple[str | None, list[str]] | None
        if gezin.epoch == 0:
            expected = (me, [me]) if action == "create" and subject == me else None
        elif action == "add" and subject not in now and _active(people, subject):
            expected = (owner, sorted(now | {subject}))
        elif action == "remove" and subject in now and len(now) > 1:
            remaining = sorted(now - {subject})
            new_owner = meta["owner"] if subject == owner else owner
            expected = (new_owner, remaining) if new_owner in remaining else None
        elif action == "owner" and subject in now and subject != owner:
            expected = (subject, sorted(now))
        else:
            expected = None
        if expected is None or (meta["owner"], meta["members"]) != expected:
            return None
        if any(login not in people for login in meta["members"]):
            return None
        members = {people[login].id for login in meta["members"]}
        return people[meta["owner"]].id, members

    def people(self) -> dict[str, Person]:
        """Everyone of the pusher's team by login (teams are small)."""
        if self._people is None:
            rows = self.session.execute(
                select(User.id, User.login, User.removed_at).where(
                    User.team_id == self.user.team_id
                )
            )
            self._people = {r.login: Person(r.id, r.login, r.removed_at is None) for r in rows}
        return self._people

    def active(self, user_ids: Iterable[int]) -> set[int]:
        ids = set(user_ids)
        return {p.id for p in self.people().values() if p.active and p.id in ids}

    # ---- writing back ----------------------------------------------------------------

    def save(self) -> None:
        """Write the gezinnen this batch created or changed (a few statements per batch,
        however many gezinnen: a phone's first push may bring hundreds)."""
        now = utcnow()
        changed = [g for g in self.found.values() if g is not None and g.changed]
        if not changed:
            return
        created = [g for g in changed if g.is_new]
        if created:
            self.session.execute(
                insert(Case),
                [
                    {
                        "id": g.id,
                        "team_id": g.team_id,
                        "owner_id": g.owner_id,
                        "epoch": g.epoch,
                        "updated_at": now,
                    }
                    for g in created
                ],
            )
        others = [g for g in changed if not g.is_new]
        if others:
            self.session.execute(
                update(Case),
                [
                    {"id": g.id, "owner_id": g.owner_id, "epoch": g.epoch, "updated_at": now}
                    for g in others
                ],
            )
        for gezin in others:
            if gezin.left:
                self.session.execute(
                    delete(CaseMember).where(
                        CaseMember.case_id == gezin.id, CaseMember.user_id.in_(gezin.left)
                    )
                )
                self.session.execute(
                    delete(PendingRotation).where(
                        PendingRotation.case_id == gezin.id,
                        PendingRotation.user_id.in_(gezin.left),
                    )
                )
        joined = [
            {"case_id": g.id, "user_id": u, "added_at": now}
            for g in changed
            for u in sorted(g.members if g.is_new else g.joined & g.members)
        ]
        if joined:
            self.session.execute(insert(CaseMember), joined)

    def catch_up(self) -> dict[int, list[str]]:
        """For every member a batch added: every record of the gezin already stored (its
        membership entries first, in epoch order, so the keys arrive before what they open)."""
        out: dict[int, list[str]] = {}
        for gezin in self.found.values():
            if gezin is None or gezin.is_new or not (gezin.joined & gezin.members):
                continue
            rows = self.session.execute(
                select(Record.id, Record.kind, Record.kv, Record.hlc).where(
                    Record.case_id == gezin.id,
                    Record.key_scope.in_(SHARED),
                    Record.quarantined_at.is_(None),
                )
            ).all()
            # The order a phone pushes in: the gezin itself before what belongs to it.
            entries = sorted((r for r in rows if r.kind == MEMBERSHIP), key=lambda r: r.kv)
            rest = sorted(
                (r for r in rows if r.kind != MEMBERSHIP),
                key=lambda r: (r.kind != GEZIN, r.hlc, r.id),
            )
            ordered = [r.id for r in entries] + [r.id for r in rest]
            for user_id in sorted(gezin.joined & gezin.members):
                out.setdefault(user_id, []).extend(ordered)
        return out

    def forget_left(self) -> None:
        """A member who left keeps only the gezin's membership entries in their feed, so a
        new phone of theirs cannot fetch the gezin's records again."""
        for gezin in self.found.values():
            if gezin is None or not gezin.left:
                continue
            shared = select(Record.id).where(Record.case_id == gezin.id, Record.key_scope == CASE)
            self.session.execute(
                delete(Change).where(Change.user_id.in_(gezin.left), Change.record_id.in_(shared))
            )


def _active(people: dict[str, Person], login: str) -> bool:
    found = people.get(login)
    return found is not None and found.active
