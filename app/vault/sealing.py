"""Seal a record under its case key (or the worker's own key) and open it again.

The associated data binds format, id, kind, revision, case, key scope and key
version: a ciphertext copied onto another record, replayed as another revision
or moved to another case fails authentication instead of being mis-read.
"""

from __future__ import annotations

import json
from typing import Any

from app.core.errors import VaultCorrupt
from app.core.records import Record
from app.vault.crypto import Aead, AuthenticationFailed, b64decode, b64encode
from app.vault.format import CURRENT_FORMAT

CASE_KEY_KIND = "case_key"
USER_SCOPE = "user"
CASE_SCOPE = "case"


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
    """Personal memos, signalen without a gezin and case keys themselves use the user key."""
    if record.kind == CASE_KEY_KIND or record.case_id is None:
        return USER_SCOPE
    if record.data.get("visibility") == "memo":
        return USER_SCOPE
    return CASE_SCOPE


def associated_data(sealed: dict[str, Any]) -> bytes:
    fields = [
        CURRENT_FORMAT,
        sealed["id"],
        sealed["kind"],
        sealed["rev"],
        sealed["case_id"],
        sealed["key"],
        sealed["kv"],
    ]
    return json.dumps(fields, separators=(",", ":")).encode("utf-8")


def seal(record: Record, keys: KeyRing) -> dict[str, Any]:
    scope = scope_for(record)
    sealed: dict[str, Any] = {
        "id": record.id,
        "kind": record.kind,
        "case_id": record.case_id,
        "rev": record.rev,
        "base_rev": record.base_rev,
        "device_id": record.device_id,
        "hlc": record.hlc,
        "deleted": record.deleted,
        "meta": record.meta,
        "key": scope,
        "kv": 1,
    }
    plaintext = json.dumps(record.data, separators=(",", ":"), ensure_ascii=False)
    blob = keys.aead(scope, record.case_id).seal(plaintext.encode("utf-8"), associated_data(sealed))
    sealed["payload"] = b64encode(blob)
    return sealed


def unseal(sealed: dict[str, Any], keys: KeyRing) -> Record:
    try:
        aead = keys.aead(sealed["key"], sealed["case_id"])
        plaintext = aead.open(b64decode(sealed["payload"]), associated_data(sealed))
        data = json.loads(plaintext)
    except AuthenticationFailed:
        raise VaultCorrupt("record failed authentication") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise VaultCorrupt(f"record malformed ({type(exc).__name__})") from None
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
