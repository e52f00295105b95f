"""A gezin's membership log: who can read it, one signed entry per key epoch.

Each entry (docs/sharing.md, "The membership log") names the change (add, remove,
owner; `create` starts the team's log), the members after it, the hash of the entry
before it, and the new epoch's key wrapped for every member (`grants`), plus all
earlier keys for an added colleague (`history`). The signer's Ed25519 signature covers
a context string ‖ the canonical JSON of everything but the signature.

Every phone folds the log itself (`fold`) with the keys IT trusts for each login, so a
server that reorders, drops or forges entries gets them refused, never believed.
Changes follow one rule (`_after`), used both to make an entry and to check one:
* add: the subject was not a member; members gain it.
* remove: the subject was a member and at least one member stays; when the owner
  leaves, the signer (or, when the signer leaves, the first remaining login) owns it.
* owner: the subject is a member other than the owner; members stay.
* create: the team log's first entry (epoch 1), members exactly the signer.
Any member of the previous epoch may sign any change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core.errors import GrantRefused, MembershipRefused
from app.sync.protocol import is_login
from app.team import grants as grants_mod
from app.team.identity import Identity, PublicKeys

__all__ = [
    "Entry",
    "Log",
    "MembershipRefused",
    "fold",
    "keys_in",
    "make_entry",
]

VERSION = 1
SIGN_CONTEXT = b"dichtbij membership entry v1\x00"
ACTIONS = ("create", "add", "remove", "owner")
FIELDS = frozenset(
    ("v", "case_id", "epoch", "prev", "action", "subject", "signer", "owner", "members")
    + ("at", "grants", "history", "sig")
)
MAX_EPOCH = 2**31 - 1
MAX_MEMBERS = 1000
_DIGEST = re.compile(r"^[0-9a-f]{64}$")

KeysOf = Callable[[str], PublicKeys | None]


def canonical(data: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, ASCII (every phone hashes the same bytes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def grant_context(case_id: str, epoch: int, login: str) -> bytes:
    """What a grant is for: this gezin, this epoch, this person (app/team/grants.py)."""
    return canonical(["grant", case_id, epoch, login])


def history_context(case_id: str, epoch: int, login: str) -> bytes:
    """What a history blob is for: the earlier keys given to `login` at `epoch`."""
    return canonical(["history", case_id, epoch, login])


@dataclass(frozen=True)
class Entry:
    """One signed entry of a membership log (the payload of a `membership` record)."""

    case_id: str
    epoch: int
    prev: str | None
    action: str
    subject: str
    signer: str
    owner: str
    members: tuple[str, ...]
    at: str
    grants: dict[str, str]
    history: dict[str, str]
    sig: str
    v: int = VERSION

    def to_data(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "case_id": self.case_id,
            "epoch": self.epoch,
            "prev": self.prev,
            "action": self.action,
            "subject": self.subject,
            "signer": self.signer,
            "owner": self.owner,
            "members": list(self.members),
            "at": self.at,
            "grants": dict(self.grants),
            "history": dict(self.history),
            "sig": self.sig,
        }

    def payload(self) -> bytes:
        return canonical(self.to_data())

    def signed_bytes(self) -> bytes:
        """What the signature covers: a context string ‖ the entry without its signature."""
        data = self.to_data()
        del data["sig"]
        return SIGN_CONTEXT + canonical(data)

    def digest(self) -> str:
        """The entry's hash: the `prev` of the next entry."""
        return hashlib.sha256(self.payload()).hexdigest()

    def meta(self) -> dict[str, Any]:
        """The clear codes of its record (the server learns membership from these)."""
        return {
            "epoch": self.epoch,
            "action": self.action,
            "subject": self.subject,
            "owner": self.owner,
            "members": sorted(self.members),
        }

    def record_id(self) -> str:
        return f"{self.case_id}.m{self.epoch}"

    @classmethod
    def from_data(cls, data: Any) -> Entry:
        """An entry from its parsed JSON; MembershipRefused("malformed") for anything
        that is not exactly the fields of an entry with the right types."""
        if not isinstance(data, dict) or set(data) != FIELDS:
            raise MembershipRefused("malformed")
        members = data["members"]
        checks = (
            _is_int(data["v"]) and data["v"] == VERSION,
            isinstance(data["case_id"], str) and 0 < len(data["case_id"]) <= 64,
            _is_int(data["epoch"]) and 1 <= data["epoch"] <= MAX_EPOCH,
            data["prev"] is None or (isinstance(data["prev"], str) and _DIGEST.match(data["prev"])),
            data["action"] in ACTIONS,
            all(is_login(data[name]) for name in ("subject", "signer", "owner")),
            isinstance(members, list) and 0 < len(members) <= MAX_MEMBERS,
            isinstance(members, list) and all(is_login(m) for m in members),
            isinstance(members, list) and members == sorted(set(members)),
            isinstance(data["at"], str) and len(data["at"]) <= 64,
            _is_blob_map(data["grants"]) and _is_blob_map(data["history"]),
            isinstance(data["sig"], str) and len(data["sig"]) <= 200,
        )
        if not all(checks):
            raise MembershipRefused("malformed")
        return cls(
            case_id=data["case_id"],
            epoch=data["epoch"],
            prev=data["prev"],
            action=data["action"],
            subject=data["subject"],
            signer=data["signer"],
            owner=data["owner"],
            members=tuple(members),
            at=data["at"],
            grants=dict(data["grants"]),
            history=dict(data["history"]),
            sig=data["sig"],
        )

    @classmethod
    def from_payload(cls, raw: bytes) -> Entry:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise MembershipRefused("malformed") from None
        return cls.from_data(data)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_blob_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        is_login(k) and isinstance(v, str) and len(v) <= 4096 for k, v in value.items()
    )


@dataclass(frozen=True)
class Log:
    """The state of a membership log after the entries accepted so far."""

    case_id: str
    owner: str | None
    members: tuple[str, ...]
    epoch: int
    last: str | None  # digest of the last accepted entry

    @classmethod
    def gezin(cls, case_id: str, owner: str) -> Log:
        """A gezin before any entry: epoch 1 (its `case_key`), read by its owner only."""
        return cls(case_id, owner, (owner,), 1, None)

    @classmethod
    def team(cls, case_id: str) -> Log:
        """The team's log before its `create` entry: no key, no members."""
        return cls(case_id, None, (), 0, None)

    def check(
        self,
        entry: Entry,
        keys_of: KeysOf,
        vouched: bool = False,
        claimed_of: KeysOf | None = None,
    ) -> None:
        """Raise MembershipRefused unless `entry` is the valid next entry of this log.
        `keys_of(login)`: the keys this phone trusts for login (None: not verified);
        `vouched`: a trusted signature later in the log covers this entry (`fold`), so its
        own signer's keys need not be known here; `claimed_of(login)`: the keys the server
        gives for login that nobody compared yet (an entry they sign waits, "unverified")."""
        if entry.case_id != self.case_id or entry.v != VERSION:
            raise MembershipRefused("malformed")
        if entry.epoch != self.epoch + 1:
            raise MembershipRefused("epoch")
        if entry.prev != self.last:
            raise MembershipRefused("prev")
        creating = self.epoch == 0 and entry.action == "create"
        if entry.signer not in self.members and not creating:
            raise MembershipRefused("signer")
        if not vouched:
            _check_signature(entry, keys_of, claimed_of)
        owner, members = _after(self, entry.action, entry.subject, entry.signer)
        if entry.owner != owner or entry.members != members:
            raise MembershipRefused("members")
        if set(entry.grants) != set(members):
            raise MembershipRefused("members")
        if not set(entry.history) <= ({entry.subject} if entry.action == "add" else set()):
            raise MembershipRefused("members")

    def accept(
        self,
        entry: Entry,
        keys_of: KeysOf,
        vouched: bool = False,
        claimed_of: KeysOf | None = None,
    ) -> Log:
        """The log after `entry` (checked first)."""
        self.check(entry, keys_of, vouched, claimed_of)
        return Log(self.case_id, entry.owner, entry.members, entry.epoch, entry.digest())


def _check_signature(entry: Entry, keys_of: KeysOf, claimed_of: KeysOf | None) -> None:
    keys = keys_of(entry.signer)
    if keys is None:
        raise MembershipRefused("unverified")
    signature, signed = _signature(entry.sig), entry.signed_bytes()
    if keys.verify(signature, signed):
        return
    claimed = claimed_of(entry.signer) if claimed_of is not None else None
    if claimed is not None and claimed.verify(signature, signed):
        raise MembershipRefused("unverified")  # their keys changed: wait for a new comparison
    raise MembershipRefused("signature")


def _signature(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return b""


def _after(
    log: Log, action: str, subject: str, signer: str, **details: object
) -> tuple[str, tuple]:
    """Owner and members after a change, by the one rule of the module docstring;
    MembershipRefused("members") for a change that makes no sense in this state."""
    members = set(log.members)
    owner = log.owner
    if log.epoch == 0 or owner is None:
        if action != "create" or subject != signer:
            raise MembershipRefused("members", **details)
        return signer, (signer,)
    if action == "add" and subject not in members:
        return owner, tuple(sorted(members | {subject}))
    if action == "remove" and subject in members and len(members) > 1:
        remaining = tuple(sorted(members - {subject}))
        if subject == owner:
            owner = signer if signer in remaining else remaining[0]
        return owner, remaining
    if action == "owner" and subject in members and subject != owner:
        return subject, tuple(sorted(members))
    raise MembershipRefused("members", **details)


def make_entry(
    log: Log,
    action: str,
    subject: str,
    me: Identity,
    my_login: str,
    directory: Mapping[str, PublicKeys],
    epoch_key: bytes,
    earlier: Mapping[int, bytes],
    at: str,
) -> Entry:
    """The next entry of `log`, signed by `me`: `epoch_key` (a fresh random key) wrapped
    for every member after the change, and for an added subject all `earlier` keys.
    `directory`: the verified keys of the colleagues involved. MembershipRefused (with
    `mine`) for a change that makes no sense or a member without verified keys."""
    if my_login not in log.members and not (log.epoch == 0 and action == "create"):
        raise MembershipRefused("signer", mine=True)
    if action not in ACTIONS:
        raise MembershipRefused("members", mine=True)
    owner, members = _after(log, action, subject, my_login, mine=True)
    epoch = log.epoch + 1
    keys = {login: directory.get(login) for login in members}
    if any(found is None for found in keys.values()):
        raise MembershipRefused("unverified", mine=True)
    grants = {
        login: _b64(
            grants_mod.wrap(epoch_key, found.x25519, grant_context(log.case_id, epoch, login))
        )
        for login, found in keys.items()
        if found is not None
    }
    history: dict[str, str] = {}
    if action == "add" and earlier:
        if any(e >= epoch for e in earlier):
            raise ValueError("earlier keys must be of earlier epochs")
        old = canonical({str(e): _b64(key) for e, key in sorted(earlier.items())})
        context = history_context(log.case_id, epoch, subject)
        found = keys[subject]
        assert found is not None
        history[subject] = _b64(grants_mod.wrap(old, found.x25519, context))
    unsigned = Entry(
        case_id=log.case_id,
        epoch=epoch,
        prev=log.last,
        action=action,
        subject=subject,
        signer=my_login,
        owner=owner,
        members=members,
        at=at,
        grants=grants,
        history=history,
        sig="",
    )
    return replace(unsigned, sig=_b64(me.sign(unsigned.signed_bytes())))


def keys_in(entry: Entry, login: str, identity: Identity) -> dict[int, bytes]:
    """The epoch keys `login` opens from `entry` with its identity: the entry's own key
    (its grant) and, for an added colleague, the earlier ones. Empty when the entry has
    nothing for `login`; GrantRefused when something for `login` does not open."""
    found: dict[int, bytes] = {}
    if login in entry.grants:
        context = grant_context(entry.case_id, entry.epoch, login)
        key = grants_mod.unwrap(_unb64(entry.grants[login]), identity, context)
        found[entry.epoch] = _key(key)
    if login in entry.history:
        context = history_context(entry.case_id, entry.epoch, login)
        opened = grants_mod.unwrap(_unb64(entry.history[login]), identity, context)
        try:
            earlier = json.loads(opened)
            pairs = {int(e): _key(_unb64(k)) for e, k in earlier.items()}
        except (ValueError, AttributeError, TypeError):
            raise GrantRefused("history malformed") from None
        if any(not 1 <= e < entry.epoch for e in pairs):
            raise GrantRefused("history malformed")
        found.update(pairs)
    return found


def fold(
    case_id: str,
    owner: str,
    entries: Iterable[Entry],
    keys_of: KeysOf,
    team: bool = False,
    claimed_of: KeysOf | None = None,
) -> tuple[Log, list[tuple[Entry, MembershipRefused]]]:
    """Accept `entries` in epoch order from the log's start (a gezin owned by `owner`, or
    the team's log). Per epoch every candidate is checked and the valid one with the
    smallest digest is taken, so every phone takes the same (a second valid one is
    refused as "epoch", the rest with their reasons); when no entry of the next epoch is
    valid, the fold stops there (later entries build on it) and is returned with what
    was refused and why. Entries of an epoch already passed are refused ("epoch").
    An entry covered by a later entry with a trusted signature (`_vouched`) is checked
    for everything but its own signer's keys."""
    entries = list(entries)
    vouched = _vouched(entries, keys_of)
    log = Log.team(case_id) if team else Log.gezin(case_id, owner)
    by_epoch: dict[int, dict[str, Entry]] = {}
    for entry in entries:
        by_epoch.setdefault(entry.epoch, {})[entry.digest()] = entry
    refused: list[tuple[Entry, MembershipRefused]] = []
    for epoch in sorted(by_epoch):
        candidates = [by_epoch[epoch][d] for d in sorted(by_epoch[epoch])]
        if epoch <= log.epoch:
            refused += [(entry, MembershipRefused("epoch")) for entry in candidates]
            continue
        accepted: Log | None = None
        for entry in candidates:
            try:
                after = log.accept(entry, keys_of, entry.digest() in vouched, claimed_of)
            except MembershipRefused as error:
                refused.append((entry, error))
                continue
            if accepted is None:
                accepted = after
            else:  # a second valid entry of this epoch: the first one was taken
                refused.append((entry, MembershipRefused("epoch")))
        if accepted is None:
            break
        log = accepted
    return log, refused


def _vouched(entries: list[Entry], keys_of: KeysOf) -> set[str]:
    """Digests of the entries a trusted signature covers. A signer commits, through `prev`,
    to every entry before its own, which its phone checked before signing; so those stand
    here even when their own signer's keys are not (or no longer) trusted here: a
    colleague who started over with new keys, or this worker's own keys before a reset."""
    by_digest = {e.digest(): e for e in entries}
    vouched: set[str] = set()
    for entry in entries:
        keys = keys_of(entry.signer)
        if keys is None or not keys.verify(_signature(entry.sig), entry.signed_bytes()):
            continue
        prev = entry.prev
        while prev is not None and prev in by_digest and prev not in vouched:
            vouched.add(prev)
            prev = by_digest[prev].prev
    return vouched


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    try:
        return base64.b64decode(str(text).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise GrantRefused("grant not base64") from None


def _key(key: bytes) -> bytes:
    if len(key) != 32:
        raise GrantRefused("key of the wrong length")
    return key
