"""The wire format of sync, defined once: the client builds it, the server validates it.

No dependencies beyond the standard library and pure `app.core` (the vocabularies and
the registry of record kinds), so the server can import it without the rest of the app.
Full prose in docs/sync-protocol.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

from app.core import kinds
from app.core.vocabulary import vocabulary

VERSION = 1
MAX_BATCH = 500
DEFAULT_BATCH = 500
MAX_PAGE = 1000
DEFAULT_PAGE = 500
MAX_PAGES = 1000  # pull pages per sync at most (500k records); the next sync goes on
MAX_PAYLOAD_BYTES = 1024 * 1024  # ciphertext, before base64
MAX_BODY_BYTES = 16 * 1024 * 1024
TARGET_BODY_BYTES = 4 * 1024 * 1024  # the client splits pushes to stay well below the limit

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# A record's id; a gezin's case key is `<case>.key`, its membership entries `<case>.m<epoch>`.
ID_PATTERN = UUID_PATTERN[:-1] + r"(\.key|\.m[1-9][0-9]{0,8})?$"
HLC_PATTERN = r"^[0-9]{15}-[0-9]{5}-[0-9a-f]{1,8}$"
# Every kind and its clear metadata come from the registry of record kinds (app/core/kinds.py).
KINDS = kinds.NAMES
MAX_KIND = kinds.MAX_NAME  # the server's kind columns are this wide

# A sealed record on the wire: the plaintext envelope, then the ciphertext payload.
# The envelope is exactly what the payload's associated data authenticates.
ENVELOPE = (
    "fmt",
    "id",
    "kind",
    "case_id",
    "rev",
    "base_rev",
    "device_id",
    "hlc",
    "deleted",
    "meta",
    "key",
    "kv",
)
SEALED_FIELDS = (*ENVELOPE, "payload")
KEY_SCOPES = kinds.SCOPES

_ID = re.compile(ID_PATTERN)
_UUID = re.compile(UUID_PATTERN)
_HLC = re.compile(HLC_PATTERN)
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# The only plaintext that leaves the phone besides the envelope (docs/privacy.md).
# kind → field → (vocabulary name | "day" | "bool" | "scale" (an integer 0..10)
#                  | "right_id" | "counts:<vocabulary>" (code → count) | "login" | "epoch",
#                  is_list)
META_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    kind.name: {name: (code.source, code.many) for name, code in kind.codes.items()}
    for kind in kinds.ALL
}


class ProtocolError(ValueError):
    """A record or request that does not follow the protocol; the message names the field."""


def check_record(raw: Any, right_ids: frozenset[str] | None = None) -> dict[str, Any]:
    """Validate one sealed record from the wire; returns it or raises ProtocolError.

    `right_ids`: every right id allowed (the organisation's catalogue and the shipped one);
    None means the shipped catalogue's."""
    if not isinstance(raw, dict):
        raise ProtocolError("record must be an object")
    expected = set(SEALED_FIELDS)
    if set(raw) != expected:
        missing, extra = expected - set(raw), set(raw) - expected
        raise ProtocolError(f"record fields: missing {sorted(missing)}, unexpected {sorted(extra)}")
    _require(raw["fmt"] == 1, "fmt must be 1")
    _require(isinstance(raw["id"], str) and bool(_ID.match(raw["id"])), "id must be a UUID")
    _require(raw["kind"] in KINDS, f"kind must be one of {list(KINDS)}")
    case_id = raw["case_id"]
    _require(
        case_id is None or (isinstance(case_id, str) and bool(_UUID.match(case_id))),
        "case_id must be a UUID or null",
    )
    for name in ("rev", "base_rev", "kv"):
        _require(_is_int(raw[name]) and 0 <= raw[name] < 2**31, f"{name} must be a small integer")
    _require(raw["rev"] == raw["base_rev"] + 1, "rev must be base_rev + 1")
    _require(
        isinstance(raw["device_id"], str) and bool(_UUID.match(raw["device_id"])),
        "device_id must be a UUID",
    )
    _require(isinstance(raw["hlc"], str) and bool(_HLC.match(raw["hlc"])), "hlc malformed")
    _require(isinstance(raw["deleted"], bool), "deleted must be true or false")
    _require(raw["key"] in KEY_SCOPES, f"key must be one of {list(KEY_SCOPES)}")
    _require(isinstance(raw["payload"], str), "payload must be base64 text")
    try:
        payload = base64.b64decode(raw["payload"], validate=True)
    except ValueError:
        raise ProtocolError("payload must be base64") from None
    _require(
        28 <= len(payload) <= MAX_PAYLOAD_BYTES, f"payload must be 28..{MAX_PAYLOAD_BYTES} bytes"
    )
    check_meta(raw["kind"], raw["meta"], raw["deleted"], right_ids)
    return raw


def check_page(raw: Any) -> dict[str, Any]:
    """Validate the frame of a pull answer (its records are checked one by one)."""
    _require(isinstance(raw, dict), "page must be an object")
    _require(isinstance(raw.get("records"), list), "records must be a list")
    _require(len(raw["records"]) <= MAX_PAGE, f"a page holds at most {MAX_PAGE} records")
    cursor = raw.get("next_cursor")
    _require(_is_int(cursor) and 0 <= cursor < 2**63, "next_cursor must be an integer")
    _require(isinstance(raw.get("has_more"), bool), "has_more must be true or false")
    version = raw.get("team_version")
    _require(
        version is None or (isinstance(version, str) and 0 < len(version) <= 64),
        "team_version must be a short text",
    )
    return raw


def check_meta(
    kind: str, meta: Any, deleted: bool, right_ids: frozenset[str] | None = None
) -> None:
    if not isinstance(meta, dict):
        raise ProtocolError("meta must be an object")
    if deleted:
        _require(meta == {}, "a tombstone carries no meta")
        return
    allowed = META_FIELDS[kind]
    for name, value in meta.items():
        if name not in allowed:
            raise ProtocolError(f"meta.{name} is not allowed for {kind}")
        source, is_list = allowed[name]
        if source.startswith("counts:"):
            _check_counts(name, value, source.removeprefix("counts:"))
            continue
        values = value if is_list else [value]
        if is_list:
            _require(isinstance(value, list) and len(value) <= 32, f"meta.{name} must be a list")
        for item in values:
            if source == "bool":
                _require(isinstance(item, bool), f"meta.{name} must be true or false")
            elif source == "right_id":
                _require(
                    isinstance(item, str) and item in (right_ids or _right_ids()),
                    f"meta.{name} is no right id",
                )
            elif source == "day":
                _require(_is_day(item), f"meta.{name} must be a date")
            elif source == "login":
                _require(is_login(item), f"meta.{name} is no login")
            elif source == "epoch":
                _require(_is_int(item) and 1 <= item < 2**31, f"meta.{name} must be an epoch")
            elif source == "scale":
                _require(_is_int(item) and 0 <= item <= 10, f"meta.{name} must be 0..10")
            else:
                _require(
                    isinstance(item, str) and item in vocabulary(source).code_set,
                    f"meta.{name} has an unknown code",
                )


def is_login(value: Any) -> bool:
    """An account's login: 1..64 letters, digits or . _ - @ (the server creates no other)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= 64
        and all(c.isalnum() or c in "._-@" for c in value)
    )


def _right_ids() -> frozenset[str]:
    from app.core.rights import catalogue

    return frozenset(r["id"] for r in catalogue()["rights"])


def _is_day(value: Any) -> bool:
    if not isinstance(value, str) or not _DAY.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_counts(name: str, value: Any, vocabulary_name: str) -> None:
    """A small map code → count (0..999), e.g. nodes per sector of a netwerkkaart."""
    codes = vocabulary(vocabulary_name).code_set
    _require(
        isinstance(value, dict)
        and set(value) <= codes
        and all(_is_int(v) and 0 <= v <= 999 for v in value.values()),
        f"meta.{name} must map {vocabulary_name} codes to counts 0..999",
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProtocolError(message)
