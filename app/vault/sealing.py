"""Seal a record under its case key (or the worker's own key) for the trip off the phone.

Locally every record already sits inside the storage-key AEAD of the journal and
snapshots; this second, per-case layer is what the sync server stores and what
a duo partner can open with a shared case key. The associated data binds every
plaintext envelope field (format, id, kind, revisions, case, device, clock,
tombstone flag, metadata codes, key scope and version): a ciphertext copied onto
another record, replayed as another revision, moved to another case, or given
other metadata fails authentication instead of being mis-read.

A gezin's case key has epochs (docs/sharing.md): epoch 1 is the `case_key` record,
later ones come from the gezin's membership log. A record is sealed under the newest
epoch this phone holds (`kv`) and opened under the epoch its `kv` names. Membership
entries are signed, not sealed: their payload is the entry's canonical JSON in clear,
checked by the team layer (app/team/membership.py), never by this module.
"""

from __future__ import annotations

import json
from typing import Any

from app.core import kinds
from app.core.errors import MembershipRefused, VaultCorrupt
from app.core.records import Record, from_dict, to_dict
from app.sync.protocol import ENVELOPE
from app.team.membership import Entry
from app.vault import payload
from app.vault.crypto import Aead, AuthenticationFailed, b64decode, b64encode
from app.vault.format import CURRENT_FORMAT, OLDEST_FORMAT, migrate

CASE_KEY_KIND = kinds.CASE_KEY_KIND.name
USER_SCOPE = kinds.USER
CASE_SCOPE = kinds.CASE
SIGNED_SCOPE = kinds.SIGNED
MEMBERSHIP_KIND = kinds.MEMBERSHIP_KIND.name


class KeyRing:
    """The keys of an unlocked vault; `clear` drops them all.

    `case_keys`: per gezin, per key epoch, the AEAD of that epoch's case key."""

    def __init__(self, user_seal: Aead) -> None:
        self.user_seal: Aead | None = user_seal
        self.case_keys: dict[str, dict[int, Aead]] = {}

    def clear(self) -> None:
        self.user_seal = None
        self.case_keys.clear()

    def add(self, case_id: str, epoch: int, key: bytes) -> None:
        """Hold the case key of `epoch` of a gezin (1 = its `case_key` record)."""
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
            raise ValueError("a key epoch is an integer from 1 up")
        self.case_keys.setdefault(case_id, {})[epoch] = Aead(key)

    def epoch(self, case_id: str | None) -> int:
        """The newest key epoch held for a gezin (0: none)."""
        held = self.case_keys.get(case_id or "")
        return max(held) if held else 0

    def keys(self, case_id: str) -> dict[int, bytes]:
        """Every epoch key held for a gezin (to give a colleague the earlier ones)."""
        return {epoch: aead.key for epoch, aead in sorted(self.case_keys.get(case_id, {}).items())}

    def aead(self, scope: str, case_id: str | None, epoch: int | None = None) -> Aead:
        """The key of a scope; for a gezin the given epoch's, or the newest held."""
        if scope == USER_SCOPE and self.user_seal is not None:
            return self.user_seal
        if scope == CASE_SCOPE and case_id in self.case_keys:
            held = self.case_keys[case_id]
            found = held.get(self.epoch(case_id) if epoch is None else epoch)
            if found is not None:
                return found
            raise VaultCorrupt(f"no key for scope {scope} epoch {epoch}")
        raise VaultCorrupt(f"no key for scope {scope}")


def scope_for(record: Record) -> str:
    """Personal memos, signalen without a gezin and case keys themselves use the user key
    (each kind's scope is in app/core/kinds.py)."""
    return kinds.scope_of(record.kind, record.case_id, record.data)


def associated_data(sealed: dict[str, Any]) -> bytes:
    fields = [sealed[name] for name in ENVELOPE]
    return json.dumps(fields, separators=(",", ":"), sort_keys=True).encode("utf-8")


def seal(record: Record, keys: KeyRing) -> dict[str, Any]:
    scope = scope_for(record)
    stored = to_dict(record)
    sealed: dict[str, Any] = {name: stored[name] for name in ENVELOPE if name in stored} | {
        "fmt": CURRENT_FORMAT,
        "key": scope,
        "kv": 1,
    }
    if scope == SIGNED_SCOPE:
        return _sign_sealed(record, sealed)
    if scope == CASE_SCOPE:
        sealed["kv"] = keys.epoch(record.case_id) or 1  # none held: the error names scope
    aead = keys.aead(scope, record.case_id, sealed["kv"] if scope == CASE_SCOPE else None)
    blob = aead.seal(payload.encode(record.data), associated_data(sealed))
    sealed["payload"] = b64encode(blob)
    return sealed


def _sign_sealed(record: Record, sealed: dict[str, Any]) -> dict[str, Any]:
    """A membership entry leaves as it is: signed, in clear, its codes from the entry."""
    try:
        entry = Entry.from_data(record.data)
    except MembershipRefused:
        raise VaultCorrupt("membership entry malformed") from None
    sealed["kv"] = entry.epoch
    if not record.deleted:
        sealed["meta"] = entry.meta()
    sealed["payload"] = b64encode(entry.payload())
    return sealed


def _unseal_signed(sealed: dict[str, Any]) -> Record:
    """A membership entry from the server: well-formed and matching its envelope (its
    signature and place in the log are the team layer's to check)."""
    if sealed["kind"] != MEMBERSHIP_KIND or sealed["key"] != SIGNED_SCOPE:
        raise VaultCorrupt("signed record of another kind")
    try:
        entry = Entry.from_payload(b64decode(sealed["payload"]))
    except MembershipRefused:
        raise VaultCorrupt("membership entry malformed") from None
    if (
        sealed["id"] != entry.record_id()
        or sealed["case_id"] != entry.case_id
        or sealed["kv"] != entry.epoch
        or (not sealed["deleted"] and sealed["meta"] != entry.meta())
    ):
        raise VaultCorrupt("membership entry does not match its envelope")
    return _record(sealed, entry.to_data())


def unseal(sealed: dict[str, Any], keys: KeyRing) -> Record:
    try:
        if not OLDEST_FORMAT <= sealed["fmt"] <= CURRENT_FORMAT:
            raise VaultCorrupt(f"record format {sealed['fmt']} not supported")
        if sealed["key"] == SIGNED_SCOPE or sealed["kind"] == MEMBERSHIP_KIND:
            return migrate_record(_unseal_signed(sealed), sealed["fmt"])
        if not OLDEST_FORMAT <= sealed["fmt"] <= CURRENT_FORMAT:
            raise VaultCorrupt(f"record format {sealed['fmt']} not supported")
        epoch = sealed["kv"] if sealed["key"] == CASE_SCOPE else None
        aead = keys.aead(sealed["key"], sealed["case_id"], epoch)
        plaintext = aead.open(b64decode(sealed["payload"]), associated_data(sealed))
        data = payload.decode(plaintext)
    except AuthenticationFailed:
        raise VaultCorrupt("record failed authentication") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise VaultCorrupt(f"record malformed ({type(exc).__name__})") from None
    return migrate_record(_record(sealed, data), sealed["fmt"])


def _record(sealed: dict[str, Any], data: dict[str, Any]) -> Record:
    return Record(
        id=sealed["id"],
        kind=sealed["kind"],
        case_id=sealed["case_id"],
        rev=sealed["rev"],
        base_rev=sealed["base_rev"],
        device_id=sealed["device_id"],
        hlc=sealed["hlc"],
        deleted=sealed["deleted"],
        meta=sealed["meta"],
        data=data,
    )


def migrate_record(record: Record, from_format: int) -> Record:
    return (
        record
        if from_format == CURRENT_FORMAT
        else from_dict(migrate(to_dict(record), from_format))
    )
