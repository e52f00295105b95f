"""Seal a record under its case key (or the worker's own key) for the trip off the phone.

Locally every record already sits inside the storage-key AEAD of the journal and
snapshots; this second, per-case layer is what the sync server stores and what
a duo partner can open with a shared case key. The associated data binds every
plaintext envelope field (format, id, kind, revisions, case, device, clock,
tombstone flag, metadata codes, key scope and version): a ciphertext copied onto
another record, replayed as another revision, moved to another case, or given
other metadata fails authentication instead of being mis-read.
"""

from __future__ import annotations

import json
from typing import Any

from app.core import kinds
from app.core.errors import VaultCorrupt
from app.core.records import Record, from_dict, to_dict
from app.sync.protocol import ENVELOPE
from app.vault import payload
from app.vault.crypto import Aead, AuthenticationFailed, b64decode, b64encode
from app.vault.format import CURRENT_FORMAT, OLDEST_FORMAT, migrate

CASE_KEY_KIND = kinds.CASE_KEY_KIND.name
USER_SCOPE = kinds.USER
CASE_SCOPE = kinds.CASE


class KeyRing:
    """The keys of an unlocked vault; `clear` drops them all."""

    def __init__(self, user_seal: Aead) -> None:
        self.user_seal: Aead | None = user_seal
        self.case_keys: dict[str, Aead] = {}

    def clear(self) -> None:
        self.user_seal = None
        self.case_keys.clear()

    def aead(self, scope: str, case_id: str | None) -> Aead:
        if scope == USER_SCOPE and self.user_seal is not None:
            return self.user_seal
        if scope == CASE_SCOPE and case_id in self.case_keys:
            return self.case_keys[case_id]
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
    aead = keys.aead(scope, record.case_id)
    blob = aead.seal(payload.encode(record.data), associated_data(sealed))
    sealed["payload"] = b64encode(blob)
    return sealed


def unseal(sealed: dict[str, Any], keys: KeyRing) -> Record:
    try:
        if not OLDEST_FORMAT <= sealed["fmt"] <= CURRENT_FORMAT:
            raise VaultCorrupt(f"record format {sealed['fmt']} not supported")
        aead = keys.aead(sealed["key"], sealed["case_id"])
        plaintext = aead.open(b64decode(sealed["payload"]), associated_data(sealed))
        data = payload.decode(plaintext)
    except AuthenticationFailed:
        raise VaultCorrupt("record failed authentication") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise VaultCorrupt(f"record malformed ({type(exc).__name__})") from None
    record = Record(
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
    return migrate_record(record, sealed["fmt"])


def migrate_record(record: Record, from_format: int) -> Record:
    return (
        record
        if from_format == CURRENT_FORMAT
        else from_dict(migrate(to_dict(record), from_format))
    )
