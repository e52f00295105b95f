"""The organisation's own rights catalogue: signed by the organisation, checked on the phone.

The organisation may replace the shipped catalogue with a newer one (a rule changed, a
loket moved). Its signing key stays off the server; the server only hands out the signed
text. The phone learns the organisation's public key at enrolment and accepts a catalogue
only if the Ed25519 signature over the exact text verifies, the text is a valid catalogue,
and its version is newer than the one it has. Anything else leaves the previous one in use.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core import rights
from app.core.errors import UntrustedAnswer

# Domain separation: a signature made for anything else never passes as a catalogue's.
CONTEXT = b"dichtbij rights catalogue v1\n"
MAX_TEXT = 1024 * 1024


def version_key(version: str) -> tuple[int, ...]:
    """'2025.1' → (2025, 1): versions compare as numbers, not as text ('2025.10' > '2025.9')."""
    try:
        parts = tuple(int(p) for p in str(version).split("."))
    except ValueError:
        raise ValueError(f"catalogue version {version!r} is not numbers with dots") from None
    if not parts or any(p < 0 for p in parts):
        raise ValueError(f"catalogue version {version!r} is not numbers with dots")
    return parts


def is_newer(candidate: dict[str, Any], current: dict[str, Any]) -> bool:
    return version_key(candidate["version"]) > version_key(current["version"])


def parse(text: str) -> dict[str, Any]:
    """The catalogue in `text`, validated; ValueError says what is wrong."""
    if len(text.encode()) > MAX_TEXT:
        raise ValueError("catalogue is larger than 1 MiB")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"catalogue is not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise ValueError("catalogue must be a JSON object")
    rights.validate(raw)
    version_key(raw["version"])
    return raw


def in_use(stored: dict[str, Any] | None) -> dict[str, Any]:
    """The catalogue a vault uses: its accepted organisation catalogue, else the shipped one."""
    return parse(stored["text"]) if stored else rights.catalogue()


def allowed_right_ids(used: dict[str, Any]) -> frozenset[str]:
    """Right ids that may appear in metadata: the shipped ones plus those of `used`."""
    return frozenset(r["id"] for r in rights.catalogue()["rights"] + used["rights"])


def new_signing_key() -> tuple[bytes, str]:
    """A fresh organisation key: (private key bytes to keep offline, public key in base64)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes_raw()
    return private, _b64(key.public_key().public_bytes_raw())


def public_key_of(private: bytes) -> str:
    return _b64(Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw())


def sign(text: str, private: bytes) -> str:
    return _b64(Ed25519PrivateKey.from_private_bytes(private).sign(CONTEXT + text.encode()))


def verify(text: str, signature: str, public_key: str) -> dict[str, Any]:
    """The catalogue, if `signature` by `public_key` covers exactly `text`; else
    UntrustedAnswer (tampered, wrong key) or ValueError (signed, but not a catalogue)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), CONTEXT + text.encode())
    except (InvalidSignature, ValueError, binascii.Error):
        raise UntrustedAnswer("catalogue signature does not verify") from None
    return parse(text)


def accept(
    offered: dict[str, Any], public_key: str | None, current: dict[str, Any]
) -> dict[str, Any] | None:
    """The verified catalogue from a server answer if it replaces `current`; None if it is
    not newer. Raises UntrustedAnswer when it may not be used at all."""
    if not public_key:
        raise UntrustedAnswer("no organisation key was configured at enrolment")
    text, signature = offered.get("text"), offered.get("signature")
    if not isinstance(text, str) or not isinstance(signature, str):
        raise UntrustedAnswer("catalogue answer is incomplete")
    try:
        candidate = verify(text, signature, public_key)
    except ValueError as exc:
        raise UntrustedAnswer(f"signed catalogue is invalid ({exc})") from None
    return candidate if is_newer(candidate, current) else None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
