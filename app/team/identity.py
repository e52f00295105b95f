"""An account's two key pairs: X25519 to receive wrapped keys, Ed25519 to sign
membership entries. The private halves travel only inside the user-scope `identity`
record; colleagues see the public halves through the server (`GET /v1/team`) and trust
them only after comparing the veiligheidsnummer (app/team/safety.py)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from app.core.errors import InvalidInput, VaultCorrupt
from app.sync.protocol import is_login
from app.team import safety

KEY_BYTES = 32
SIGNATURE_BYTES = 64


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int) -> bytes:
    """Base64 text of exactly `length` bytes, else ValueError."""
    if not isinstance(text, str):
        raise ValueError("not text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not base64") from None
    if len(raw) != length:
        raise ValueError("wrong length")
    return raw


@dataclass(frozen=True)
class Identity:
    """The raw private keys of this account (32 bytes each)."""

    x25519: bytes
    ed25519: bytes

    @classmethod
    def new(cls) -> Identity:
        x = X25519PrivateKey.generate().private_bytes_raw()
        ed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(x, ed)

    def __repr__(self) -> str:  # never a private key in a log or a traceback
        return "Identity(…)"

    @property
    def x25519_public(self) -> bytes:
        return X25519PrivateKey.from_private_bytes(self.x25519).public_key().public_bytes_raw()

    @property
    def ed25519_public(self) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.ed25519).public_key().public_bytes_raw()

    def exchange(self, peer_x25519: bytes) -> bytes:
        """The X25519 shared secret with a peer's public key (ValueError for a bad key)."""
        mine = X25519PrivateKey.from_private_bytes(self.x25519)
        return mine.exchange(X25519PublicKey.from_public_bytes(peer_x25519))

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.ed25519).sign(message)

    def public(self, login: str) -> PublicKeys:
        return PublicKeys(login, self.x25519_public, self.ed25519_public)

    def to_data(self) -> dict[str, Any]:
        """The data of the account's `identity` record (base64)."""
        return {"x25519": _b64(self.x25519), "ed25519": _b64(self.ed25519), "v": 1}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Identity:
        """From an `identity` record; VaultCorrupt when it is not two 32-byte keys."""
        try:
            if data.get("v") != 1:
                raise ValueError("version")
            found = cls(_unb64(data["x25519"], KEY_BYTES), _unb64(data["ed25519"], KEY_BYTES))
        except (KeyError, ValueError, AttributeError):
            raise VaultCorrupt("identity record malformed") from None
        return found


@dataclass(frozen=True)
class PublicKeys:
    """A colleague's published keys, as this phone received them."""

    login: str
    x25519: bytes
    ed25519: bytes

    def number(self) -> str:
        """The veiligheidsnummer of these keys (compare it with the colleague's own)."""
        return safety.safety_number(self.login, self.ed25519, self.x25519)

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.ed25519).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_wire(self) -> dict[str, str]:
        return {"login": self.login, "x25519": _b64(self.x25519), "ed25519": _b64(self.ed25519)}

    @classmethod
    def from_wire(cls, raw: Any) -> PublicKeys:
        """A member of `GET /v1/team` ({"login","x25519","ed25519",...}, base64); a login
        that is no login or keys that are not usable public keys are the server's fault:
        InvalidInput("server", "bad_answer")."""
        try:
            login = raw["login"]
            if not is_login(login):
                raise ValueError("login")
            x = _unb64(raw["x25519"], KEY_BYTES)
            ed = _unb64(raw["ed25519"], KEY_BYTES)
            Ed25519PublicKey.from_public_bytes(ed)
            # A low-order X25519 point gives no shared secret: refuse it now, not at sharing.
            X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(x))
        except (KeyError, TypeError, ValueError):
            raise InvalidInput("server", "bad_answer") from None
        return cls(login, x, ed)
