"""`vault.json`: the plaintext header with the passphrase-wrapped user key and the PIN envelope.

It holds no secret in the clear. The checksum only tells accidental damage apart
from a wrong passphrase; integrity comes from the AEAD that binds the KDF
parameters and vault id as associated data.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.errors import UnsupportedFormat, VaultCorrupt
from app.vault.atomic import write_atomic
from app.vault.crypto import ScryptParams, b64decode, b64encode
from app.vault.format import CURRENT_FORMAT, OLDEST_FORMAT

MAGIC = "dichtbij-vault"
FILE_NAME = "vault.json"


@dataclass(frozen=True)
class PinEnvelope:
    kdf: ScryptParams
    wrapped: bytes
    keystore_ref: str
    failures: int = 0
    not_before: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": self.kdf.to_json(),
            "wrapped": b64encode(self.wrapped),
            "keystore_ref": self.keystore_ref,
            "failures": self.failures,
            "not_before": self.not_before,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> PinEnvelope:
        return cls(
            kdf=ScryptParams.from_json(raw["kdf"]),
            wrapped=b64decode(raw["wrapped"]),
            keystore_ref=str(raw["keystore_ref"]),
            failures=int(raw["failures"]),
            not_before=float(raw["not_before"]),
        )


@dataclass(frozen=True)
class Header:
    vault_id: bytes
    device_id: str
    kdf: ScryptParams
    wrapped_user_key: bytes
    format: int = CURRENT_FORMAT
    pin: PinEnvelope | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def wrap_ad(self) -> bytes:
        """Associated data of the user-key wrap: a swapped salt, n or vault id fails it.

        The format is left out so that a migration can record a new format while the
        vault is unlocked, without asking for the passphrase again.
        """
        bound = {"magic": MAGIC, "vault_id": self.vault_id.hex(), "kdf": self.kdf.to_json()}
        return _canonical(bound)

    def pin_ad(self, kdf: ScryptParams, keystore_ref: str) -> bytes:
        """Associated data of the PIN wrap: bound to this vault, device and keystore entry."""
        bound = {
            "magic": MAGIC,
            "vault_id": self.vault_id.hex(),
            "device_id": self.device_id,
            "kdf": kdf.to_json(),
            "keystore_ref": keystore_ref,
        }
        return _canonical(bound)

    def with_pin(self, pin: PinEnvelope | None) -> Header:
        return replace(self, pin=pin)

    def to_json(self) -> dict[str, Any]:
        body = {
            "magic": MAGIC,
            "format": self.format,
            "vault_id": self.vault_id.hex(),
            "device_id": self.device_id,
            "kdf": self.kdf.to_json(),
            "user_key": b64encode(self.wrapped_user_key),
            "pin": self.pin.to_json() if self.pin else None,
            "extra": self.extra,
        }
        body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
        return body


def new_header(kdf: ScryptParams, wrapped_user_key: bytes, vault_id: bytes) -> Header:
    return Header(
        vault_id=vault_id, device_id=str(uuid.uuid4()), kdf=kdf, wrapped_user_key=wrapped_user_key
    )


def exists(data_dir: Path) -> bool:
    return (data_dir / FILE_NAME).is_file()


def save(data_dir: Path, header: Header) -> None:
    text = json.dumps(header.to_json(), indent=1, sort_keys=True)
    write_atomic(data_dir / FILE_NAME, text.encode("utf-8"))


def load(data_dir: Path) -> Header:
    try:
        raw = json.loads((data_dir / FILE_NAME).read_bytes())
        checksum = raw.pop("checksum")
        if raw.get("magic") != MAGIC or hashlib.sha256(_canonical(raw)).hexdigest() != checksum:
            raise VaultCorrupt("vault header damaged")
        fmt = int(raw["format"])
        if fmt > CURRENT_FORMAT:
            raise UnsupportedFormat(f"vault format {fmt} is newer than this app ({CURRENT_FORMAT})")
        if fmt < OLDEST_FORMAT:
            raise UnsupportedFormat(f"vault format {fmt} is too old to migrate")
        return Header(
            vault_id=bytes.fromhex(raw["vault_id"]),
            device_id=str(raw["device_id"]),
            kdf=ScryptParams.from_json(raw["kdf"]),
            wrapped_user_key=b64decode(raw["user_key"]),
            format=fmt,
            pin=PinEnvelope.from_json(raw["pin"]) if raw.get("pin") else None,
            extra=dict(raw.get("extra") or {}),
        )
    except (UnsupportedFormat, VaultCorrupt):
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VaultCorrupt(f"vault header unreadable ({type(exc).__name__})") from None


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("utf-8")
