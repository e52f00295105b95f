"""Sharing a gezin in the facade: the signed membership log on this phone (docs/sharing.md).

`Services` mixes this in. Every change is one entry made by `membership.make_entry` and
stored as a `membership` record; what the phone believes is always the fold of the
stored entries with the keys this worker verified (`open_shared_keys`, after every
unlock and every pulled page). The key of an entry this phone made is used for sealing
only once the server accepted the entry: an entry that loses a race to a colleague's
would otherwise leave records nobody else can open. A lost race keeps its intent, which
is applied again on top of the winner (or dropped when it is already true).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.errors import GrantRefused, MembershipRefused
from app.core.kinds import CASE_KEY_KIND, MEMBERSHIP_KIND
from app.sync.engine import INTENTS
from app.team import membership
from app.team.identity import Identity, PublicKeys
from app.team.membership import Entry, Log
from app.team.service import TeamWork, received_keys, status_of, verified_keys

REFUSED = "membership_refused"  # device-local: entry id → why it is not accepted here


@dataclass(frozen=True)
class CaseSharing:
    """Who reads a gezin, as this phone's checked log says. `waiting`: logins of colleagues
    whose entries wait until this worker verifies them; `refused`: Dutch sentences, one per
    entry refused."""

    owner: str
    members: tuple[str, ...]
    mine: bool
    waiting: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Folded:
    log: Log
    chain: tuple[tuple[Entry, bool], ...]  # accepted entries, oldest first, and synced?
    refused: tuple[tuple[Entry, MembershipRefused], ...]


class Sharing(TeamWork):
    """The sharing part of the facade (mixed into Services)."""

    # ---- the screens' API -------------------------------------------------------------

    def share_case(self, case_id: str, login: str) -> None:
        """Let a verified colleague read this gezin: a new key epoch for every member, all
        earlier keys for the colleague. MembershipRefused (Dutch message) otherwise."""
        self._require_case(case_id)
        self._change(case_id, "add", login)

    def unshare_case(self, case_id: str, login: str) -> None:
        """Stop sharing with `login`: a new key for the members who stay (what `login`
        already received cannot be taken back)."""
        self._require_case(case_id)
        self._change(case_id, "remove", login)

    def hand_over(self, case_id: str, login: str) -> None:
        """Overdragen: share with `login` if needed, then make them the owner."""
        self._require_case(case_id)
        if login not in self._fold(case_id).log.members:
            self._change(case_id, "add", login)
        self._change(case_id, "owner", login)

    def case_sharing(self, case_id: str) -> CaseSharing:
        folded = self._fold(case_id)
        me = self.my_login()
        owner = folded.log.owner or ""
        waiting = sorted(
            {e.signer for e, why in folded.refused if why.reason == "unverified"} - {me}
        )
        from app.messages import describe  # the one place of Dutch sentences

        refused = [describe(why) for _e, why in folded.refused if why.reason != "unverified"]
        return CaseSharing(
            owner=owner,
            members=folded.log.members,
            mine=bool(me) and owner == me,
            waiting=tuple(waiting),
            refused=tuple(dict.fromkeys(refused)),
        )

    def shared_with(self, case_id: str) -> list[str]:
        """The members of a gezin other than this worker."""
        me = self.my_login()
        return [m for m in self._fold(case_id).log.members if m != me]

    # ---- keys: after unlock and after every pulled page --------------------------------

    def open_shared_keys(self) -> None:
        """Fold every gezin's stored log and hold the epoch keys it opens for this worker;
        re-apply our own changes that lost a race. Refusals are kept (REFUSED)."""
        identity, me = self._identity(), self.my_login()
        if identity is None or not me:
            return
        found: dict[str, list[Entry]] = {}
        for record in self._vault.find(MEMBERSHIP_KIND.name):
            try:
                entry = Entry.from_data(record.data)
            except MembershipRefused:
                continue
            found.setdefault(entry.case_id, []).append(entry)
        refused: dict[str, str] = {}
        for case_id, entries in found.items():
            folded = self._fold(case_id, entries)
            for entry, why in folded.refused:
                refused[entry.record_id()] = why.reason
            opened = self._keys_of_chain(case_id, folded, identity, me, synced_only=True)
            if opened:
                self._vault.add_case_keys(case_id, opened)
        if refused != (self._vault.local(REFUSED) or {}):
            self._vault.update_local({"set": {REFUSED: refused}})
        self._apply_intents()

    # ---- internals ---------------------------------------------------------------------

    def _entries_pending(self) -> bool:
        refused = self._vault.local("refused") or {}
        return any(
            not self._vault.is_synced(r) and r.id not in refused
            for r in self._vault.find(MEMBERSHIP_KIND.name)
        )

    def _change(self, case_id: str, action: str, login: str) -> Entry:
        me, identity = self.my_login(), self._identity()
        if not me or identity is None:
            raise MembershipRefused("signer", mine=True)
        if action == "add" and self._trusted(login, for_sharing=True) is None:
            raise MembershipRefused("unverified", mine=True)
        folded = self._fold(case_id)
        log = folded.log
        if me not in log.members and not (action == "create" and log.epoch == 0):
            raise MembershipRefused("signer", mine=True)
        members = set(log.members) | ({login} if action in ("add", "create") else set())
        directory: dict[str, PublicKeys] = {}
        for member in members:
            found = self._trusted(member, for_sharing=True)
            if found is not None:
                directory[member] = found
        earlier = self._keys_of_chain(case_id, folded, identity, me, synced_only=False)
        earlier = {e: k for e, k in earlier.items() if e <= log.epoch}
        entry = membership.make_entry(
            log,
            action,
            login,
            identity,
            me,
            directory,
            os.urandom(32),
            earlier if action == "add" else {},
            self._stamp(),
        )
        record = self._created(
            MEMBERSHIP_KIND.name, case_id, entry.record_id(), entry.to_data(), entry.meta()
        )
        # The id may hold an entry of ours set aside after a lost race: this one replaces it.
        self._vault.put_many([record], {"drop": {"refused": [record.id]}})
        return entry

    def _trusted(self, login: str, for_sharing: bool = False) -> PublicKeys | None:
        """The keys this worker trusts for `login`: its own identity, or the keys it verified
        of a colleague. For a new share (`for_sharing`) only while they are still the keys
        the server gives (a colleague whose keys changed waits for a new verification)."""
        me = self.my_login()
        if login == me:
            identity = self._identity()
            return identity.public(me) if identity is not None else None
        decided = self._decided(login)
        if for_sharing and status_of(received_keys(self._team(), login), decided) != "verified":
            return None
        return verified_keys(login, decided)

    def _claimed(self, login: str) -> PublicKeys | None:
        """The keys the server gives for a colleague, when they differ from the ones this
        worker verified: what they sign waits for a new comparison instead of being refused."""
        if login == self.my_login():
            return None
        received = received_keys(self._team(), login)
        return received if received != verified_keys(login, self._decided(login)) else None

    def _fold(self, case_id: str, entries: Iterable[Entry] | None = None) -> _Folded:
        if entries is None:
            refused_here = self._vault.local("refused") or {}
            entries = [
                Entry.from_data(r.data)
                for r in self._vault.find(MEMBERSHIP_KIND.name)
                # an entry of ours the server refused (a team log someone else started)
                if r.case_id == case_id
                and not (r.id in refused_here and not self._vault.is_synced(r))
            ]
        entries = list(entries)
        me = self.my_login()
        team = case_id == self._team().get("team_case")
        owner = me
        if not team and self._vault.get(CASE_KEY_KIND.name, f"{case_id}.key") is None:
            firsts = sorted((e for e in entries if e.epoch == 2), key=lambda e: e.digest())
            owner = firsts[0].signer if firsts else ""
        log, refused = membership.fold(
            case_id, owner or me, entries, self._trusted, team=team, claimed_of=self._claimed
        )
        by_digest = {e.digest(): e for e in entries}
        chain: list[Entry] = []
        digest = log.last
        while digest is not None and digest in by_digest:
            chain.append(by_digest[digest])
            digest = by_digest[digest].prev
        # Entries past where the fold stopped wait on an earlier one: not the next epoch.
        seen = {e.digest() for e in chain} | {e.digest() for e, _why in refused}
        refused += [(e, MembershipRefused("epoch")) for e in entries if e.digest() not in seen]
        synced = {r.id: self._vault.is_synced(r) for r in self._vault.find(MEMBERSHIP_KIND.name)}
        ordered = tuple((e, synced.get(e.record_id(), False)) for e in reversed(chain))
        if not owner and not chain:
            log = Log(case_id, None, (), 0, None)
        return _Folded(log, ordered, tuple(refused))

    def _keys_of_chain(
        self, case_id: str, folded: _Folded, identity: Identity, me: str, synced_only: bool
    ) -> dict[int, bytes]:
        """The epoch keys this worker holds for a gezin: its own epoch 1, and what the
        accepted entries give it (only entries the server accepted, for sealing)."""
        keys = dict(self._vault.case_keys(case_id))
        for entry, synced in folded.chain:
            if synced_only and not synced:
                break  # later entries build on it: none of them is accepted yet either
            try:
                keys.update(membership.keys_in(entry, me, identity))
            except GrantRefused:
                continue
        return keys

    def _apply_intents(self) -> None:
        """Our changes whose epoch a colleague's entry took first: made again on top of the
        winner, or dropped when the log already says the same."""
        intents: dict[str, Any] = self._vault.local(INTENTS) or {}
        if not intents:
            return
        ordered = sorted(intents.items(), key=lambda i: (i[1]["case_id"], i[1].get("epoch", 0)))
        for record_id, intent in ordered:
            case_id, action, subject = intent["case_id"], intent["action"], intent["subject"]
            log = self._fold(case_id).log
            done = (
                action == "create"  # someone else started the team's log first
                or (action == "add" and subject in log.members)
                or (action == "remove" and subject not in log.members)
                or (action == "owner" and log.owner == subject)
            )
            try:
                if not done:
                    self._change(case_id, action, subject)
            except MembershipRefused:
                pass  # no longer possible (we were removed, or they are no longer verified)
            self._vault.update_local({"drop": {INTENTS: [record_id]}})

    def _require_case(self, case_id: str) -> None:
        from app.core.cases import KIND
        from app.core.errors import NotFound

        if self._vault.get(KIND, case_id) is None:
            raise NotFound(KIND, case_id)
